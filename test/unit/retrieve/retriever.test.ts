import { describe, expect, it } from 'vitest';
import { dot } from '../../../src/index/exact-vector-index.js';
import { Retriever } from '../../../src/retrieve/retriever.js';
import { FakeEmbedder } from '../../helpers/fake-embedder.js';
import { makeReport, makeSnapshot } from '../../helpers/index-fixtures.js';

const REPORTS = [
  makeReport('a.txt', ['全年实现地区生产总值108.1亿元，增长2.7%', '财政总收入9.63亿元', '新招引项目合计税收3454.15万元'], '甲街道报告'),
  makeReport('b.txt', ['规上工业总产值152.16亿元', '完成固定资产投资94亿元', '深化未来社区建设']),
];

async function setup() {
  const embedder = new FakeEmbedder();
  const snapshot = await makeSnapshot(REPORTS, embedder);
  return { embedder, snapshot, retriever: new Retriever(snapshot, embedder) };
}

describe('Retriever', () => {
  it.each(['hybrid', 'vector', 'keyword'] as const)('%s: finds the paragraph that holds the figure', async (mode) => {
    const { retriever } = await setup();
    const [top] = await retriever.retrieve('规上工业总产值是多少', { k: 3, mode });
    expect(top?.chunk).toMatchObject({ source: 'b.txt', paragraph: 1 });
    expect(top?.rank).toBe(1);
  });

  it('returns k results with report metadata, ranks from 1 and both per-index scores', async () => {
    const { retriever, embedder } = await setup();
    const results = await retriever.retrieve('财政总收入', { k: 4 });
    expect(results).toHaveLength(4);
    expect(results.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(results[0]!.report).toEqual({ source: 'a.txt', title: '甲街道报告' });
    const q = embedder.vector('财政总收入');
    for (const r of results) {
      expect(r.vectorScore).toBeCloseTo(dot(q, embedder.vector(r.chunk.text)), 5);
      expect(r.keywordScore).toBeGreaterThanOrEqual(0);
    }
    expect(results[0]!.keywordScore).toBeGreaterThan(0);
  });

  it('hybrid fuses: with rrf, its scores are the RRF of the vector and keyword ranks', async () => {
    const { snapshot, embedder } = await setup();
    const retriever = new Retriever(snapshot, embedder, { fusion: { method: 'rrf', rrfK: 60 } });
    const q = '地区生产总值和固定资产投资';
    const vector = await retriever.retrieve(q, { k: 6, mode: 'vector' });
    const keyword = await retriever.retrieve(q, { k: 6, mode: 'keyword' });
    const hybrid = await retriever.retrieve(q, { k: 6, mode: 'hybrid' });
    const rrf = new Map<number, number>();
    for (const list of [vector, keyword]) for (const r of list) rrf.set(r.chunk.chunkId, (rrf.get(r.chunk.chunkId) ?? 0) + 1 / (60 + r.rank));
    hybrid.forEach((r) => expect(r.score).toBeCloseTo(rrf.get(r.chunk.chunkId)!, 12));
    for (let i = 1; i < hybrid.length; i++) expect(hybrid[i - 1]!.score).toBeGreaterThanOrEqual(hybrid[i]!.score);
  });

  it('keyword mode returns only chunks that share a term', async () => {
    const { retriever } = await setup();
    const results = await retriever.retrieve('税', { k: 5, mode: 'keyword' });
    expect(results.map((r) => r.chunk.paragraph + r.chunk.source)).toEqual(['3a.txt']);
  });

  it('refuses an embedder other than the one the index was built with', async () => {
    const { snapshot } = await setup();
    expect(() => new Retriever(snapshot, new FakeEmbedder({ id: 'fake:other' }))).toThrow(/fake:hash-v1/);
  });
});
