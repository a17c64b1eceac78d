import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { DEFAULT_OFFLINE_EMBEDDER_OPTIONS, OFFLINE_FEATURE_WEIGHTS, OfflineEmbedder } from '../../../src/embed/offline-embedder.js';
import { dot } from '../../../src/embed/vector-math.js';

const GDP = '2022年，罗星街道全年实现地区生产总值108.1亿元，增长2.7%；财政总收入9.63亿元。';
const TAX = '新招引税收超100万项目4个，合计税收3454.15万元。';
const PARTY = '深入推进党风廉政建设，压实全面从严治党主体责任。';

describe('OfflineEmbedder', () => {
  const embedder = new OfflineEmbedder();

  it('names its scheme and dimension in its id', () => {
    expect(embedder.dimensions).toBe(DEFAULT_OFFLINE_EMBEDDER_OPTIONS.dimensions);
    expect(embedder.id).toBe(`offline:ngram-idf-v1-${embedder.dimensions}`);
    expect(new OfflineEmbedder({ dimensions: 256 }).id).toBe('offline:ngram-idf-v1-256');
  });

  it('marks custom weights and salts in the id, so their vectors never mix with the default ones', () => {
    const custom = new OfflineEmbedder({ weights: { ...OFFLINE_FEATURE_WEIGHTS, char: 0.123 } });
    expect(custom.id).toMatch(/^offline:ngram-idf-v1-768\+w0\.123,/);
    expect(new OfflineEmbedder({ hashSalt: 3 }).id).toBe('offline:ngram-idf-v1-768+s3');
  });

  it.each([0, 15, 1.5, 70000, Number.NaN])('refuses %s dimensions', (dimensions) => {
    expect(() => new OfflineEmbedder({ dimensions })).toThrow(/dimensions must be an integer/);
  });

  it('returns unit vectors of its dimension', async () => {
    const vectors = await embedder.embedDocuments([GDP, TAX, '街道']);
    for (const v of [...vectors, await embedder.embedQuery(GDP)]) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(embedder.dimensions);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic across calls and instances', async () => {
    const [a] = await embedder.embedDocuments([GDP]);
    const [b] = await new OfflineEmbedder().embedDocuments([GDP]);
    expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []));
    expect(Array.from(await embedder.embedQuery(TAX))).toEqual(Array.from(await new OfflineEmbedder().embedQuery(TAX)));
  });

  it('puts a question closer to the passage that answers it than to unrelated ones', async () => {
    const [gdp, tax, party] = await embedder.embedDocuments([GDP, TAX, PARTY]);
    const q1 = await embedder.embedQuery('罗星街道2022年地区生产总值是多少');
    expect(dot(q1, gdp!)).toBeGreaterThan(dot(q1, tax!));
    expect(dot(q1, gdp!)).toBeGreaterThan(dot(q1, party!));
    const q2 = await embedder.embedQuery('新招引的税收超100万项目合计税收多少');
    expect(dot(q2, tax!)).toBeGreaterThan(dot(q2, gdp!));
    expect(dot(q2, tax!)).toBeGreaterThan(dot(q2, party!));
  });

  it('lets figures decide between otherwise identical passages', async () => {
    const [right, wrong] = await embedder.embedDocuments(['地区生产总值108.1亿元。', '地区生产总值96.3亿元。']);
    const q = await embedder.embedQuery('哪里的地区生产总值是108.1亿元');
    expect(dot(q, right!)).toBeGreaterThan(dot(q, wrong!) * 1.25);
  });

  it('ranks the answering paragraph above a one-line heading sharing a word (document length padding)', async () => {
    const heading = '地区生产总值';
    const [h, p] = await embedder.embedDocuments([heading, GDP]);
    const q = await embedder.embedQuery('罗星街道地区生产总值');
    expect(dot(q, p!)).toBeGreaterThan(dot(q, h!));
    // queries carry no padding: the same text embeds differently as a query
    expect(Array.from(await embedder.embedQuery(heading))).not.toEqual(Array.from(h!));
  });

  it('gives a zero vector to text without terms', async () => {
    const v = await embedder.embedQuery('，。——');
    expect(v.every((x) => x === 0)).toBe(true);
  });

  it('reports progress per batch and stops when aborted', async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `第${i}段：${GDP}`);
    const progress: Array<[number, number]> = [];
    const vectors = await embedder.embedDocuments(texts, { batchSize: 3, onProgress: (d, t) => progress.push([d, t]) });
    expect(vectors).toHaveLength(7);
    expect(progress).toEqual([[3, 7], [6, 7], [7, 7]]);

    const controller = new AbortController();
    const seen: number[] = [];
    const run = embedder.embedDocuments(texts, {
      batchSize: 2,
      signal: controller.signal,
      onProgress: (d) => {
        seen.push(d);
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([2]);
  });

  it('refuses a batch size that is not a positive integer', async () => {
    const err = await embedder.embedDocuments([GDP], { batchSize: 0 }).catch((e: unknown) => e);
    expect(isAppError(err, 'INPUT_INVALID')).toBe(true);
  });
});
