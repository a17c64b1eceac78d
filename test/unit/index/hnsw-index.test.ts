import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExactVectorIndex } from '../../../src/index/exact-vector-index.js';
import { HnswVectorIndex } from '../../../src/index/hnsw-index.js';
import { randomUnitVectors } from '../../helpers/random-vectors.js';

const DIM = 32;

async function recallAt10(hnsw: HnswVectorIndex, exact: ExactVectorIndex, queries: Float32Array[]): Promise<number> {
  let found = 0;
  for (const q of queries) {
    const truth = new Set((await exact.search(q, 10)).map((h) => h.chunkId));
    found += (await hnsw.search(q, 10)).filter((h) => truth.has(h.chunkId)).length;
  }
  return found / (queries.length * 10);
}

/** Graph search only: a zero exact-scan budget sends every query to HNSW. */
const GRAPH = { exactScanBudget: 0 };

const labelsOf = (vectors: readonly Float32Array[]): number[] => vectors.map((_, i) => i);

async function filled(vectors: Float32Array[], opts = {}): Promise<{ hnsw: HnswVectorIndex; exact: ExactVectorIndex }> {
  const hnsw = HnswVectorIndex.create(DIM, { ...GRAPH, ...opts });
  const exact = new ExactVectorIndex(DIM);
  await hnsw.add(labelsOf(vectors), vectors);
  await exact.add(labelsOf(vectors), vectors);
  return { hnsw, exact };
}

const vectorOf = async (index: HnswVectorIndex, label: number): Promise<Float32Array> => (await index.vectors([label]))[0]!;

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hnsw-test-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('HnswVectorIndex', () => {
  it('a filtered search returns k accepted labels, the exact best among them', async () => {
    const vectors = randomUnitVectors(400, DIM, 7);
    const { hnsw, exact } = await filled(vectors);
    const even = (label: number): boolean => label % 2 === 0;
    const hits = await hnsw.search(vectors[1]!, 10, even);
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => even(h.chunkId))).toBe(true);
    expect(hits.map((h) => h.chunkId)).toEqual((await exact.search(vectors[1]!, 10, even)).map((h) => h.chunkId));
  });

  it('reaches recall@10 ≥ 0.98 against exact search on random unit vectors', async () => {
    const { hnsw, exact } = await filled(randomUnitVectors(3000, DIM, 1));
    expect(await recallAt10(hnsw, exact, randomUnitVectors(100, DIM, 2))).toBeGreaterThanOrEqual(0.98);
  });

  it('answers cheap queries exactly: sparse queries over many vectors, any query over few', async () => {
    const vectors = randomUnitVectors(3000, DIM, 12);
    const { hnsw, exact } = await filled(vectors, { exactScanBudget: 3000 * 4, efSearch: 10 });
    await hnsw.remove([5, 6, 7]);
    await exact.remove([5, 6, 7]);
    const sparse = (seed: number): Float32Array => {
      const v = new Float32Array(DIM);
      const dense = randomUnitVectors(1, DIM, seed)[0]!;
      for (const j of [1, 9, 17, 30]) v[j] = dense[j]!;
      return v;
    };
    for (let seed = 100; seed < 130; seed++) {
      const q = sparse(seed);
      const got = await hnsw.search(q, 10);
      const want = await exact.search(q, 10);
      expect(got.map((h) => h.chunkId)).toEqual(want.map((h) => h.chunkId));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 5));
    }
    // A dense query over 3000 vectors costs 96,000 > 12,000: the graph answers it (ef 10: approximate).
    const dense = randomUnitVectors(1, DIM, 99)[0]!;
    expect(await hnsw.search(dense, 10)).toHaveLength(10);
  });

  it('scores are cosine similarities, best first, ranked from 1', async () => {
    const vectors = randomUnitVectors(50, DIM, 3);
    const { hnsw, exact } = await filled(vectors);
    const q = vectors[7]!;
    const hits = await hnsw.search(q, 5);
    expect(hits[0]).toMatchObject({ chunkId: 7, rank: 1 });
    expect(hits[0]!.score).toBeCloseTo(1, 5);
    expect(hits.map((h) => h.rank)).toEqual([1, 2, 3, 4, 5]);
    const truth = await exact.search(q, 5);
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(truth[i]!.score, 5));
  });

  it('grows past its initial capacity', async () => {
    const { hnsw } = await filled(randomUnitVectors(2500, DIM, 4));
    expect(hnsw.size).toBe(2500);
    expect((await hnsw.search(await vectorOf(hnsw, 2400), 1))[0]!.chunkId).toBe(2400);
  });

  it('reserves room for a bulk insert, deleted labels included', async () => {
    const vectors = randomUnitVectors(1500, DIM, 13);
    const hnsw = HnswVectorIndex.create(DIM, GRAPH);
    await hnsw.add(labelsOf(vectors).slice(0, 10), vectors.slice(0, 10));
    await hnsw.remove([0, 1]);
    hnsw.reserve(1500);
    await hnsw.add(labelsOf(vectors).slice(10), vectors.slice(10));
    await hnsw.add([0], [vectors[0]!]);
    expect(hnsw.size).toBe(1499);
    expect((await hnsw.search(vectors[1200]!, 1))[0]!.chunkId).toBe(1200);
    expect(await vectorOf(hnsw, 0)).toEqual(vectors[0]);
  });

  it('keeps a removed label deleted in the graph until compaction, and can re-add it', async () => {
    const vectors = randomUnitVectors(200, DIM, 7);
    const { hnsw } = await filled(vectors, { maxDeletedShare: 0.9 });
    await hnsw.remove([0, 1, 2, 12345]);
    expect(hnsw.size).toBe(197);
    expect(hnsw.deletedCount).toBe(3);
    await hnsw.add([1], [vectors[1]!]);
    expect((await hnsw.search(vectors[1]!, 1))[0]!.chunkId).toBe(1);
    expect(hnsw.deletedCount).toBe(2);
  });

  it('compacts once deleted labels pass maxDeletedShare, keeping the live vectors', async () => {
    const vectors = randomUnitVectors(100, DIM, 8);
    const { hnsw } = await filled(vectors, { maxDeletedShare: 0.2 });
    await hnsw.remove(Array.from({ length: 20 }, (_, i) => i)); // exactly 0.2: not past it
    expect(hnsw.deletedCount).toBe(20);
    await hnsw.remove([20]);
    expect(hnsw.deletedCount).toBe(0);
    expect(hnsw.size).toBe(79);
    expect(await vectorOf(hnsw, 50)).toEqual(vectors[50]);
    expect((await hnsw.search(vectors[50]!, 1))[0]!.chunkId).toBe(50);
  });

  it('rejects labels that are not 32-bit unsigned integers', async () => {
    const hnsw = HnswVectorIndex.create(DIM);
    await expect(hnsw.add([-1], randomUnitVectors(1, DIM))).rejects.toThrow(/label/);
    await expect(hnsw.add([2 ** 32], randomUnitVectors(1, DIM))).rejects.toThrow(/label/);
  });

  it('round-trips through save/load with identical results and remembered deletions', async () => {
    const vectors = randomUnitVectors(500, DIM, 9);
    const { hnsw, exact } = await filled(vectors, { maxDeletedShare: 0.5 });
    await hnsw.remove([3, 4]);
    await exact.remove([3, 4]);
    hnsw.efSearch = 40;
    const file = path.join(dir, 'v.hnsw');
    await hnsw.save(file);
    const live = [...hnsw.labels()];
    const loaded = await HnswVectorIndex.load(file, DIM, { ...GRAPH, efSearch: 40, live });
    expect(loaded.size).toBe(498);
    expect(loaded.deletedCount).toBe(2);
    for (const q of randomUnitVectors(20, DIM, 10)) expect(await loaded.search(q, 10)).toEqual(await hnsw.search(q, 10));
    expect(await vectorOf(loaded, 77)).toEqual(vectors[77]);
    await expect(loaded.vectors([3])).rejects.toThrow(/not in the index/);
    const exactLoaded = await HnswVectorIndex.load(file, DIM, { live });
    for (const q of randomUnitVectors(5, DIM, 11)) {
      expect((await exactLoaded.search(q, 10)).map((h) => h.chunkId)).toEqual((await exact.search(q, 10)).map((h) => h.chunkId));
    }
  });

  it('forks with the graph read from its file, leaving the original untouched', async () => {
    const vectors = randomUnitVectors(300, DIM, 12);
    const { hnsw } = await filled(vectors, { maxDeletedShare: 0.5 });
    await hnsw.remove([7]);
    const file = path.join(dir, 'v.hnsw');
    await hnsw.save(file);
    const copy = await hnsw.fork(file);
    const queries = randomUnitVectors(10, DIM, 13);
    for (const q of queries) expect(await copy.search(q, 10)).toEqual(await hnsw.search(q, 10));
    expect(copy.deletedCount).toBe(1);
    const before = await Promise.all(queries.map((q) => hnsw.search(q, 10)));
    await copy.remove([8, 9]);
    await copy.add([1000], [vectors[8]!]);
    expect(await Promise.all(queries.map((q) => hnsw.search(q, 10)))).toEqual(before);
    expect(hnsw.size).toBe(299);
    expect(copy.size).toBe(298);
    expect(await vectorOf(copy, 1000)).toEqual(vectors[8]);

    const other = (await filled(randomUnitVectors(5, DIM, 14))).hnsw;
    await other.save(file);
    await expect(hnsw.fork(file)).rejects.toThrow(/no vector for label/);
  });

  it('describes itself with the options in force, which create the same index', async () => {
    const hnsw = HnswVectorIndex.create(DIM, { M: 8, efSearch: 30 });
    await hnsw.add([4], randomUnitVectors(1, DIM));
    const described = hnsw.describe();
    expect(described).toEqual({
      kind: 'hnsw',
      dimensions: DIM,
      size: 1,
      params: { M: 8, efConstruction: 100, efSearch: 30, maxDeletedShare: 0.25, exactScanBudget: 4_000_000 },
    });
    expect(HnswVectorIndex.create(DIM, described.params).options).toEqual(described.params);
  });

  it('refuses to load a file with other dimensions or missing live labels', async () => {
    const { hnsw } = await filled(randomUnitVectors(10, DIM, 11));
    const file = path.join(dir, 'v.hnsw');
    await hnsw.save(file);
    await expect(HnswVectorIndex.load(file, DIM, { live: [0, 99] })).rejects.toThrow(/label 99/);
    await expect(HnswVectorIndex.load(path.join(dir, 'missing.hnsw'), DIM)).rejects.toThrow();
  });
});
