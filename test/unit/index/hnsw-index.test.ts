import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileDigest } from '../../../src/index/durable-fs.js';
import { ExactVectorIndex } from '../../../src/index/exact-vector-index.js';
import { HnswVectorIndex } from '../../../src/index/hnsw-index.js';
import { randomUnitVectors } from '../../helpers/random-vectors.js';

const DIM = 32;

function recallAt10(hnsw: HnswVectorIndex, exact: ExactVectorIndex, queries: Float32Array[]): number {
  let found = 0;
  for (const q of queries) {
    const truth = new Set(exact.search(q, 10).map((h) => h.chunkId));
    found += hnsw.search(q, 10).filter((h) => truth.has(h.chunkId)).length;
  }
  return found / (queries.length * 10);
}

/** Graph search only: a zero exact-scan budget sends every query to HNSW. */
const GRAPH = { exactScanBudget: 0 };

function filled(vectors: Float32Array[], opts = {}): { hnsw: HnswVectorIndex; exact: ExactVectorIndex } {
  const hnsw = HnswVectorIndex.create(DIM, { ...GRAPH, ...opts });
  const exact = new ExactVectorIndex();
  vectors.forEach((v, i) => {
    hnsw.add(i, v);
    exact.add(i, v);
  });
  return { hnsw, exact };
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hnsw-test-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('HnswVectorIndex', () => {
  it('a filtered search returns k accepted labels, the exact best among them', () => {
    const vectors = randomUnitVectors(400, DIM, 7);
    const { hnsw } = filled(vectors);
    const even = (label: number): boolean => label % 2 === 0;
    const hits = hnsw.search(vectors[1]!, 10, even);
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => even(h.chunkId))).toBe(true);
    const exactEven = new ExactVectorIndex();
    vectors.forEach((v, i) => {
      if (even(i)) exactEven.add(i, v);
    });
    expect(hits.map((h) => h.chunkId)).toEqual(exactEven.search(vectors[1]!, 10).map((h) => h.chunkId));
  });

  it('reaches recall@10 ≥ 0.98 against exact search on random unit vectors', () => {
    const { hnsw, exact } = filled(randomUnitVectors(3000, DIM, 1));
    expect(recallAt10(hnsw, exact, randomUnitVectors(100, DIM, 2))).toBeGreaterThanOrEqual(0.98);
  });

  it('answers cheap queries exactly: sparse queries over many vectors, any query over few', () => {
    const vectors = randomUnitVectors(3000, DIM, 12);
    const exact = new ExactVectorIndex();
    const hnsw = HnswVectorIndex.create(DIM, { exactScanBudget: 3000 * 4, efSearch: 10 });
    vectors.forEach((v, i) => {
      hnsw.add(i, v);
      exact.add(i, v);
    });
    hnsw.removeMany([5, 6, 7]);
    exact.remove(5);
    exact.remove(6);
    exact.remove(7);
    const sparse = (seed: number): Float32Array => {
      const v = new Float32Array(DIM);
      const dense = randomUnitVectors(1, DIM, seed)[0]!;
      for (const j of [1, 9, 17, 30]) v[j] = dense[j]!;
      return v;
    };
    for (let seed = 100; seed < 130; seed++) {
      const q = sparse(seed);
      const got = hnsw.search(q, 10);
      const want = exact.search(q, 10);
      expect(got.map((h) => h.chunkId)).toEqual(want.map((h) => h.chunkId));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 5));
    }
    // A dense query over 3000 vectors costs 96,000 > 12,000: the graph answers it (ef 10: approximate).
    const dense = randomUnitVectors(1, DIM, 99)[0]!;
    expect(hnsw.search(dense, 10)).toHaveLength(10);
  });

  it('scores are cosine similarities, best first, ranked from 1', () => {
    const vectors = randomUnitVectors(50, DIM, 3);
    const { hnsw, exact } = filled(vectors);
    const q = vectors[7]!;
    const hits = hnsw.search(q, 5);
    expect(hits[0]).toMatchObject({ chunkId: 7, rank: 1 });
    expect(hits[0]!.score).toBeCloseTo(1, 5);
    expect(hits.map((h) => h.rank)).toEqual([1, 2, 3, 4, 5]);
    const truth = exact.search(q, 5);
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(truth[i]!.score, 5));
  });

  it('grows past its initial capacity', () => {
    const { hnsw } = filled(randomUnitVectors(2500, DIM, 4));
    expect(hnsw.size).toBe(2500);
    expect(hnsw.search(hnsw.getVector(2400), 1)[0]!.chunkId).toBe(2400);
  });

  it('reserves room for a bulk insert, deleted labels included', () => {
    const vectors = randomUnitVectors(1500, DIM, 13);
    const hnsw = HnswVectorIndex.create(DIM, GRAPH);
    vectors.slice(0, 10).forEach((v, i) => hnsw.add(i, v));
    hnsw.removeMany([0, 1]);
    hnsw.reserve(1500);
    vectors.slice(10).forEach((v, i) => hnsw.add(i + 10, v));
    hnsw.add(0, vectors[0]!);
    expect(hnsw.size).toBe(1499);
    expect(hnsw.search(vectors[1200]!, 1)[0]!.chunkId).toBe(1200);
    expect(hnsw.getVector(0)).toEqual(vectors[0]);
  });

  it('returns no more hits than live vectors, and none from an empty index', () => {
    const { hnsw } = filled(randomUnitVectors(3, DIM, 5));
    expect(hnsw.search(randomUnitVectors(1, DIM, 6)[0]!, 10)).toHaveLength(3);
    expect(HnswVectorIndex.create(DIM).search(randomUnitVectors(1, DIM, 6)[0]!, 10)).toEqual([]);
  });

  it('never returns removed labels and can re-add them', () => {
    const vectors = randomUnitVectors(200, DIM, 7);
    const { hnsw } = filled(vectors, { maxDeletedShare: 0.9 });
    hnsw.removeMany([0, 1, 2]);
    hnsw.remove(12345); // unknown: ignored
    expect(hnsw.size).toBe(197);
    expect(hnsw.deletedCount).toBe(3);
    const hits = hnsw.search(vectors[1]!, 200);
    expect(hits).toHaveLength(197);
    expect(hits.map((h) => h.chunkId)).not.toContain(1);
    expect(() => hnsw.getVector(1)).toThrow(/not in the index/);
    hnsw.add(1, vectors[1]!);
    expect(hnsw.search(vectors[1]!, 1)[0]!.chunkId).toBe(1);
    expect(hnsw.deletedCount).toBe(2);
  });

  it('compacts once deleted labels pass maxDeletedShare, keeping the live vectors', () => {
    const vectors = randomUnitVectors(100, DIM, 8);
    const { hnsw } = filled(vectors, { maxDeletedShare: 0.2 });
    hnsw.removeMany(Array.from({ length: 20 }, (_, i) => i)); // exactly 0.2: not past it
    expect(hnsw.deletedCount).toBe(20);
    hnsw.remove(20);
    expect(hnsw.deletedCount).toBe(0);
    expect(hnsw.size).toBe(79);
    expect(hnsw.getVector(50)).toEqual(vectors[50]);
    expect(hnsw.search(vectors[50]!, 1)[0]!.chunkId).toBe(50);
  });

  it('rejects vectors of the wrong dimension and duplicate labels', () => {
    const hnsw = HnswVectorIndex.create(DIM);
    hnsw.add(1, randomUnitVectors(1, DIM)[0]!);
    expect(() => hnsw.add(2, new Float32Array(DIM + 1))).toThrow(/dimensions/);
    expect(() => hnsw.add(1, randomUnitVectors(1, DIM)[0]!)).toThrow(/already/);
    expect(() => hnsw.add(-1, randomUnitVectors(1, DIM)[0]!)).toThrow(/label/);
  });

  it('round-trips through save/load with identical results and remembered deletions', async () => {
    const vectors = randomUnitVectors(500, DIM, 9);
    const { hnsw } = filled(vectors, { maxDeletedShare: 0.5 });
    hnsw.removeMany([3, 4]);
    hnsw.efSearch = 40;
    const file = path.join(dir, 'v.hnsw');
    await hnsw.save(file);
    const live = [...hnsw.labels()];
    const loaded = await HnswVectorIndex.load(file, DIM, { ...GRAPH, efSearch: 40, live });
    expect(loaded.size).toBe(498);
    expect(loaded.deletedCount).toBe(2);
    for (const q of randomUnitVectors(20, DIM, 10)) expect(loaded.search(q, 10)).toEqual(hnsw.search(q, 10));
    expect(loaded.getVector(77)).toEqual(vectors[77]);
    expect(() => loaded.getVector(3)).toThrow(/not in the index/);
    const exactLoaded = await HnswVectorIndex.load(file, DIM, { live });
    const exact = new ExactVectorIndex();
    for (const label of live) exact.add(label, vectors[label]!);
    for (const q of randomUnitVectors(5, DIM, 11)) {
      expect(exactLoaded.search(q, 10).map((h) => h.chunkId)).toEqual(exact.search(q, 10).map((h) => h.chunkId));
    }
  });

  it('copies itself with the graph read from its file, leaving the original untouched', async () => {
    const vectors = randomUnitVectors(300, DIM, 12);
    const { hnsw } = filled(vectors, { maxDeletedShare: 0.5 });
    hnsw.removeMany([7]);
    const file = path.join(dir, 'v.hnsw');
    await hnsw.save(file);
    const copy = await hnsw.copyWithGraphFrom(file);
    const queries = randomUnitVectors(10, DIM, 13);
    for (const q of queries) expect(copy.search(q, 10)).toEqual(hnsw.search(q, 10));
    expect(copy.deletedCount).toBe(1);
    const before = queries.map((q) => hnsw.search(q, 10));
    copy.removeMany([8, 9]);
    copy.add(1000, vectors[8]!);
    expect(queries.map((q) => hnsw.search(q, 10))).toEqual(before);
    expect(hnsw.size).toBe(299);
    expect(copy.size).toBe(298);
    expect(copy.getVector(1000)).toEqual(vectors[8]);

    const other = filled(randomUnitVectors(5, DIM, 14)).hnsw;
    await other.save(file);
    await expect(hnsw.copyWithGraphFrom(file)).rejects.toThrow(/no vector for label/);
  });

  describe('verifyFile', () => {
    /** A saved index of 300 vectors (two deleted) and its layout numbers from the header. */
    async function saved(): Promise<{ file: string; live: number[]; perElement: number; labelOffset: number; dataOffset: number }> {
      const { hnsw } = filled(randomUnitVectors(300, DIM, 14), { maxDeletedShare: 0.5 });
      hnsw.removeMany([4, 5]);
      const file = path.join(dir, 'v.hnsw');
      await hnsw.save(file);
      const header = new DataView((await fs.readFile(file)).buffer);
      const u64 = (at: number): number => Number(header.getBigUint64(at, true));
      return { file, live: [...hnsw.labels()], perElement: u64(24), labelOffset: u64(32), dataOffset: u64(40) };
    }
    const patch = async (file: string, at: number, bytes: Uint8Array): Promise<void> => {
      const buf = await fs.readFile(file);
      buf.set(bytes, at);
      await fs.writeFile(file, buf);
    };

    it('accepts what save wrote and returns the digest of the whole file', async () => {
      const { file, live } = await saved();
      expect(await HnswVectorIndex.verifyFile(file, DIM, live)).toEqual(await fileDigest(file));
    });

    it.each<[string, (f: Awaited<ReturnType<typeof saved>>) => Promise<void>, RegExp]>([
      ['a file cut inside the link lists', async ({ file }) => fs.truncate(file, (await fs.stat(file)).size - 3), /link lists|after the last/],
      ['a file cut inside the vectors', async ({ file, perElement }) => fs.truncate(file, 96 + perElement * 10), /not an hnswlib index/],
      ['bytes after the end', async ({ file }) => fs.appendFile(file, Buffer.alloc(8)), /8 bytes after the last link list/],
      ['a vector that is not finite', async ({ file, perElement, dataOffset }) => patch(file, 96 + perElement * 7 + dataOffset + 8, new Uint8Array(new Float32Array([NaN]).buffer)), /not finite/],
      ['a label stored twice', async ({ file, perElement, labelOffset }) => {
        const buf = await fs.readFile(file);
        await patch(file, 96 + perElement * 9 + labelOffset, buf.subarray(96 + perElement * 8 + labelOffset, 96 + perElement * 8 + labelOffset + 8));
      }, /stored twice/],
    ])('throws for %s', async (_name, damage, message) => {
      const layout = await saved();
      await damage(layout);
      await expect(HnswVectorIndex.verifyFile(layout.file, DIM, layout.live)).rejects.toThrow(message);
    });

    it('throws for other dimensions or a missing live label', async () => {
      const { file, live } = await saved();
      await expect(HnswVectorIndex.verifyFile(file, DIM * 2, live)).rejects.toThrow(/not an hnswlib index of 64-dimensional/);
      await expect(HnswVectorIndex.verifyFile(file, DIM, [...live, 999])).rejects.toThrow(/no vector for label 999/);
      await expect(HnswVectorIndex.verifyFile(file, DIM, [...live, 4])).rejects.toThrow(/label 4 is marked deleted/);
    });
  });

  it('refuses to load a file with other dimensions or missing live labels', async () => {
    const { hnsw } = filled(randomUnitVectors(10, DIM, 11));
    const file = path.join(dir, 'v.hnsw');
    await hnsw.save(file);
    await expect(HnswVectorIndex.load(file, DIM, { live: [0, 99] })).rejects.toThrow(/label 99/);
    await expect(HnswVectorIndex.load(path.join(dir, 'missing.hnsw'), DIM)).rejects.toThrow();
  });
});

describe('ExactVectorIndex', () => {
  it('returns the exact top k by inner product, ties by label', () => {
    const exact = new ExactVectorIndex();
    const a = Float32Array.of(1, 0);
    const b = Float32Array.of(0, 1);
    exact.add(5, a);
    exact.add(2, a);
    exact.add(9, b);
    expect(exact.search(a, 2)).toEqual([
      { chunkId: 2, score: 1, rank: 1 },
      { chunkId: 5, score: 1, rank: 2 },
    ]);
    exact.remove(2);
    expect(exact.search(b, 5).map((h) => h.chunkId)).toEqual([9, 5]);
  });
});
