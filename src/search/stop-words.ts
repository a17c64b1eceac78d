import { readFileSync } from 'node:fs';
import nodejieba from 'nodejieba';
import { foldWidth } from './normalize-text.js';

/**
 * Words of jieba's stop list that carry meaning in reports and must stay searchable
 * (上城区 is cut into 上/城区; 最 and 大 start many indicators).
 */
const KEEP: readonly string[] = ['人', '大', '小', '多', '上', '下', '内', '最', '全体', '全部', '本地', '当地', '开始', '结果', '对比'];

/** Question and filler words that jieba's list lacks; in a question they only add noise. */
const EXTRA: readonly string[] = [
  '是否', '有没有', '有无', '哪家', '哪项', '哪几', '几个', '多大', '多久', '多长', '多高', '什么时候',
  '请问', '请', '一下', '介绍', '告诉', '简要', '说说', '具体', '年', '月', '日',
];

/**
 * The stop-word set used by the tokenizers: nodejieba's `stop_words.utf8`
 * (`nodejieba.DEFAULT_STOP_WORD_DICT`, ~1500 function words, punctuation and English words)
 * minus the meaningful words in `KEEP`, plus the question words in `EXTRA`. Entries are
 * width-folded and lower-cased like the tokens they are compared with. Numbers never go
 * through this set (figures are handled separately), so the digits in jieba's list do no harm.
 *
 * @param file a stop-word file, one word per line (default: nodejieba's).
 */
export function loadStopWords(file: string = defaultStopWordFile()): ReadonlySet<string> {
  const words = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const word = foldWidth(line.trim()).toLowerCase();
    if (word !== '') words.add(word);
  }
  for (const word of KEEP) words.delete(word);
  for (const word of EXTRA) words.add(word);
  return words;
}

function defaultStopWordFile(): string {
  // Documented in nodejieba's README but missing from its type declarations.
  const file: unknown = Reflect.get(nodejieba, 'DEFAULT_STOP_WORD_DICT');
  if (typeof file !== 'string') throw new Error('nodejieba.DEFAULT_STOP_WORD_DICT is missing; reinstall nodejieba');
  return file;
}
