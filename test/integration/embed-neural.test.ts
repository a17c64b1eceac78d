/**
 * NeuralEmbedder on the committed tiny random-weight BERT
 * (test/fixtures/tiny-bert, made by scripts/make-tiny-bert.py): the real
 * transformers.js loading and inference path, with remote loading off.
 */
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, pipeline } from '@xenova/transformers';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { modelFolder } from '../../src/embed/model-files.js';
import { NeuralEmbedder } from '../../src/embed/neural-embedder.js';
import { dot } from '../../src/embed/vector-math.js';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/tiny-bert', import.meta.url));
const FIXTURE = 'report-qa/tiny-bge-small-zh';
const BGE_PREFIX = '为这个句子生成表示以用于检索相关文章：';
const TEXTS = ['罗星街道2022年地区生产总值108.1亿元', '南星街道', '新嘉街道规上工业总产值152.16亿元，同比增长3.8%', '海宁', 'GDP增长5%'];

let tmp: string;

/** Copies the fixture under another model id, so the id selects another family. */
function fixtureAs(model: string): string {
  cpSync(modelFolder(FIXTURE_DIR, FIXTURE), modelFolder(tmp, model), { recursive: true });
  return model;
}

/** Token vectors straight from transformers.js, pooled by hand: the reference for the embedder. */
async function reference(model: string, text: string, pooling: 'cls' | 'mean'): Promise<Float32Array> {
  const prev = { remote: env.allowRemoteModels, path: env.localModelPath };
  Object.assign(env, { allowRemoteModels: false, localModelPath: tmp + '/' });
  try {
    const extractor = await pipeline('feature-extraction', model, { quantized: false, local_files_only: true });
    const out = await extractor(text, { pooling: 'none' });
    const [, tokens = 0, width = 0] = out.dims;
    const data = out.data as Float32Array;
    const v = new Float32Array(width);
    const used = pooling === 'cls' ? 1 : tokens;
    for (let t = 0; t < used; t++) for (let d = 0; d < width; d++) v[d] = (v[d] ?? 0) + (data[t * width + d] ?? 0) / used;
    const n = Math.sqrt(dot(v, v));
    return v.map((x) => x / n);
  } finally {
    Object.assign(env, { allowRemoteModels: prev.remote, localModelPath: prev.path });
  }
}

const close = (a: Float32Array, b: Float32Array, tol = 1e-4): boolean => a.length === b.length && a.every((x, i) => Math.abs(x - (b[i] ?? NaN)) < tol);

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'neural-embedder-'));
  fixtureAs(FIXTURE);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('NeuralEmbedder.load', () => {
  it('loads the tiny model from MODEL_DIR without touching the network', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const lines: string[] = [];
    const e = await NeuralEmbedder.load({ model: FIXTURE, modelDir: tmp, logger: createLogger({ level: 'info', write: (l) => lines.push(l) }) });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(e.id).toBe(`neural:${FIXTURE}:fp32`); // only onnx/model.onnx exists
    expect(e.dimensions).toBe(32); // hidden_size in config.json
    expect(e.family.name).toBe('bge-zh');
    expect(lines.join('\n')).toMatch(/neural embedder loaded.*"dimensions":32/);
    expect(env.allowRemoteModels).toBe(true); // the library default is restored after loading
  });

  it('throws MODEL_UNAVAILABLE naming the missing files, the folder and the remedies', async () => {
    const err = await NeuralEmbedder.load({ model: 'Xenova/bge-small-zh-v1.5', modelDir: tmp }).catch((e: unknown) => e);
    expect(isAppError(err, 'MODEL_UNAVAILABLE')).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toContain(path.join(tmp, 'Xenova', 'bge-small-zh-v1.5'));
    expect(msg).toContain('config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx (or onnx/model.onnx)');
    expect(msg).toContain('report-qa model download');
    expect(msg).toContain('EMBEDDER=offline');
  });

  it('throws MODEL_UNAVAILABLE when quantized weights are asked for but only full precision is there', async () => {
    const err = await NeuralEmbedder.load({ model: FIXTURE, modelDir: tmp, quantized: true }).catch((e: unknown) => e);
    expect(isAppError(err, 'MODEL_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(/missing onnx\/model_quantized\.onnx/);
  });

  it('throws MODEL_UNAVAILABLE when full precision is asked for but only quantized weights are there', async () => {
    const model = fixtureAs('report-qa/quantized-only-bge-small-zh');
    const folder = modelFolder(tmp, model);
    renameSync(path.join(folder, 'onnx', 'model.onnx'), path.join(folder, 'onnx', 'model_quantized.onnx'));
    const err = await NeuralEmbedder.load({ model, modelDir: tmp, quantized: false }).catch((e: unknown) => e);
    expect(isAppError(err, 'MODEL_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(/missing onnx\/model\.onnx\./);
  });

  it('throws MODEL_UNAVAILABLE for damaged files', async () => {
    const model = fixtureAs('report-qa/broken-bge-small-zh');
    writeFileSync(path.join(modelFolder(tmp, model), 'onnx', 'model.onnx'), 'not an onnx file');
    for (const level of ['warn', 'error', 'log'] as const) vi.spyOn(console, level).mockImplementation(() => undefined); // onnxruntime's own complaints
    const err = await NeuralEmbedder.load({ model, modelDir: tmp }).catch((e: unknown) => e);
    expect(isAppError(err, 'MODEL_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(/could not be loaded .*damaged.*report-qa model download.*EMBEDDER=offline/s);
  });
});

describe('NeuralEmbedder', () => {
  let bge: NeuralEmbedder;
  beforeAll(async () => {
    bge = await NeuralEmbedder.load({ model: FIXTURE, modelDir: tmp });
  });

  it('returns unit vectors of the hidden size, in the caller’s order', async () => {
    const vectors = await bge.embedDocuments(TEXTS);
    expect(vectors).toHaveLength(TEXTS.length);
    for (const [i, v] of vectors.entries()) {
      expect(v).toHaveLength(32);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
      const [alone] = await bge.embedDocuments([TEXTS[i] ?? '']);
      expect(close(v, alone!)).toBe(true); // padding inside a batch changes nothing
    }
  });

  it('pools the CLS token for bge and the mean for unknown models, as transformers.js computes them', async () => {
    const mean = await NeuralEmbedder.load({ model: fixtureAs('report-qa/tiny-bert'), modelDir: tmp });
    expect(mean.family.pooling).toBe('mean');
    const text = TEXTS[2] ?? '';
    const [cls] = await bge.embedDocuments([text]);
    const [avg] = await mean.embedDocuments([text]);
    expect(close(cls!, await reference(FIXTURE, text, 'cls'))).toBe(true);
    expect(close(avg!, await reference('report-qa/tiny-bert', text, 'mean'))).toBe(true);
    expect(close(cls!, avg!, 1e-2)).toBe(false);
  });

  it('prefixes queries with the bge instruction and passages with nothing', async () => {
    const text = TEXTS[0] ?? '';
    const query = await bge.embedQuery(text);
    const [passage] = await bge.embedDocuments([text]);
    const [prefixed] = await bge.embedDocuments([BGE_PREFIX + text]);
    expect(close(query, passage!, 1e-3)).toBe(false);
    expect(close(query, prefixed!)).toBe(true);
  });

  it('prefixes e5 queries with "query: " and passages with "passage: "', async () => {
    const e5 = await NeuralEmbedder.load({ model: fixtureAs('report-qa/tiny-e5'), modelDir: tmp });
    const plain = await NeuralEmbedder.load({ model: fixtureAs('report-qa/plain-bert'), modelDir: tmp });
    const text = TEXTS[1] ?? '';
    const [asPassage] = await e5.embedDocuments([text]);
    const [manualPassage, manualQuery] = await plain.embedDocuments([`passage: ${text}`, `query: ${text}`]);
    expect(close(asPassage!, manualPassage!)).toBe(true);
    expect(close(await e5.embedQuery(text), manualQuery!)).toBe(true);
    expect(close(await plain.embedQuery(text), (await plain.embedDocuments([text]))[0]!)).toBe(true); // no prefixes
  });

  it('embeds in batches, reporting progress after each', async () => {
    const progress: Array<[number, number]> = [];
    const vectors = await bge.embedDocuments(TEXTS, { batchSize: 2, onProgress: (d, t) => progress.push([d, t]) });
    expect(vectors).toHaveLength(5);
    expect(progress).toEqual([[2, 5], [4, 5], [5, 5]]);
  });

  it('stops between batches when aborted', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = bge.embedDocuments(TEXTS, {
      batchSize: 1,
      signal: controller.signal,
      onProgress: (d) => {
        seen.push(d);
        if (d === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2]);
  });

  it('truncates texts longer than the model window instead of failing', async () => {
    const [v] = await bge.embedDocuments(['街道'.repeat(600)]);
    expect(v).toHaveLength(32);
  });
});
