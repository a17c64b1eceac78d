import { describe, expect, it } from 'vitest';
import { modelFamily } from '../../../src/embed/model-families.js';

describe('modelFamily', () => {
  it.each([
    ['Xenova/bge-small-zh-v1.5', 'bge-zh', 'cls', '为这个句子生成表示以用于检索相关文章：', ''],
    ['Xenova/bge-base-zh', 'bge-zh', 'cls', '为这个句子生成表示以用于检索相关文章：', ''],
    ['Xenova/bge-small-en-v1.5', 'bge-en', 'cls', 'Represent this sentence for searching relevant passages: ', ''],
    ['Xenova/bge-m3', 'bge-m3', 'cls', '', ''],
    ['Xenova/multilingual-e5-small', 'e5', 'mean', 'query: ', 'passage: '],
    ['intfloat/e5-base-v2', 'e5', 'mean', 'query: ', 'passage: '],
    ['Xenova/all-MiniLM-L6-v2', 'default', 'mean', '', ''],
    ['Xenova/paraphrase-multilingual-MiniLM-L12-v2', 'default', 'mean', '', ''],
  ])('%s → %s', (model, name, pooling, queryPrefix, passagePrefix) => {
    expect(modelFamily(model)).toEqual({ name, pooling, queryPrefix, passagePrefix });
  });
});
