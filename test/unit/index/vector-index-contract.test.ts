/**
 * The VectorIndex contract (src/index/vector-index.ts), run against every
 * implementation in the factory: what retrieval and the index store rely on.
 * A new vector store (Qdrant, pgvector) should pass this suite unchanged.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileDigest } from '../../../src/index/durable-fs.js';
import { EXACT_VECTORS, HNSW_VECTORS, vectorIndexKind } from '../../../src/index/index-factory.js';
import type { VectorIndex, VectorIndexKind } from '../../../src/index/vector-index.js';
import type { Hit } from '../../../src/types.js';
import { randomUnitVectors } from '../../helpers/random-vectors.js';

const DIM = 16;

/** The best `k` labels by inner product, ties by label: computed here, independently of every implementation. */
function bruteForce(vectors: ReadonlyMap<number, Float32Array>, q: Float32Array, k: number, accept = (_: number) => true): number[] {
  const scored = [...vectors].filter(([label]) => accept(label)).map(([label, v]) => ({ label, score: v.reduce((s, x, j) => s + x * q[j]!, 0) }));
  scored.sort((a, b) => b.score - a.score || a.label - b.label);
  return scored.slice(0, k).map((s) => s.label);
}

const ids = (hits: readonly Hit[]): number[] => hits.map((h) => h.chunkId);

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vector-contract-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe.each<[string, VectorIndexKind]>([
  ['hnsw', HNSW_VECTORS],
  ['exact', EXACT_VECTORS],
])('VectorIndex contract: %s', (name, kind) => {
  /** 200 random unit vectors under labels 10, 13, 16, … (not their positions, to catch label/slot mix-ups). */
  async function filled(): Promise<{ index: VectorIndex; stored: Map<number, Float32Array> }> {
    const vectors = randomUnitVectors(200, DIM, 21);
    const labels = vectors.map((_, i) => 10 + 3 * i);
    const index = kind.create(DIM);
    await index.add(labels, vectors);
    return { index, stored: new Map(labels.map((l, i) => [l, vectors[i]!])) };
  }

  it('is the factory entry of its kind', () => {
    expect(vectorIndexKind(name)).toBe(kind);
    expect(kind.create(DIM).describe()).toEqual({ kind: name, dimensions: DIM, size: 0, params: expect.any(Object) });
  });

  it('search: the exact best k by inner product, best first, ranked from 1', async () => {
    const { index, stored } = await filled();
    for (const q of randomUnitVectors(10, DIM, 22)) {
      const hits = await index.search(q, 7);
      expect(ids(hits)).toEqual(bruteForce(stored, q, 7));
      expect(hits.map((h) => h.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      hits.forEach((h) => expect(h.score).toBeCloseTo(stored.get(h.chunkId)!.reduce((s, x, j) => s + x * q[j]!, 0), 5));
    }
  });

  it('search: equal scores are ranked by label', async () => {
    const index = kind.create(2);
    await index.add([5, 2, 9], [Float32Array.of(1, 0), Float32Array.of(1, 0), Float32Array.of(0, 1)]);
    expect(await index.search(Float32Array.of(1, 0), 2)).toEqual([
      { chunkId: 2, score: 1, rank: 1 },
      { chunkId: 5, score: 1, rank: 2 },
    ]);
  });

  it('search: no more hits than live vectors, none from an empty index or for k < 1', async () => {
    const index = kind.create(DIM);
    const q = randomUnitVectors(1, DIM, 23)[0]!;
    expect(await index.search(q, 10)).toEqual([]);
    await index.add([1, 2, 3], randomUnitVectors(3, DIM, 24));
    expect(await index.search(q, 10)).toHaveLength(3);
    expect(await index.search(q, 0)).toEqual([]);
  });

  it('search: a filter keeps k accepted labels, the best among them', async () => {
    const { index, stored } = await filled();
    const accept = (label: number): boolean => label % 2 === 0;
    for (const q of randomUnitVectors(5, DIM, 25)) {
      expect(ids(await index.search(q, 10, accept))).toEqual(bruteForce(stored, q, 10, accept));
    }
  });

  it('search: refuses a query of other dimensions', async () => {
    const { index } = await filled();
    await expect(index.search(new Float32Array(DIM + 1), 5)).rejects.toThrow(RangeError);
  });

  it('remove: removed labels are never returned nor readable, unknown ones are ignored, a label can come back', async () => {
    const { index, stored } = await filled();
    const gone = [10, 13, 16, 100_000];
    await index.remove(gone);
    for (const label of gone) stored.delete(label);
    expect(index.size).toBe(197);
    expect(index.describe().size).toBe(197);
    const q = (await index.vectors([19]))[0]!;
    expect(ids(await index.search(q, 200))).toEqual(bruteForce(stored, q, 200));
    await expect(index.vectors([13])).rejects.toThrow(/13/);
    const back = randomUnitVectors(1, DIM, 26)[0]!;
    await index.add([13], [back]);
    expect(ids(await index.search(back, 1))).toEqual([13]);
    expect(await index.vectors([13])).toEqual([back]);
  });

  it('add: refuses a live label, a vector of other dimensions and unequal lists', async () => {
    const { index } = await filled();
    await expect(index.add([10], randomUnitVectors(1, DIM, 27))).rejects.toThrow(/already/);
    await expect(index.add([5000], [new Float32Array(DIM - 1)])).rejects.toThrow(RangeError);
    await expect(index.add([5001, 5002], randomUnitVectors(1, DIM, 28))).rejects.toThrow(RangeError);
    await expect(index.add([-1], randomUnitVectors(1, DIM, 29))).rejects.toThrow(/label/);
    expect(index.size).toBe(200);
  });

  it('vectors: copies of what was added, in the order asked; neither side can change the other', async () => {
    const index = kind.create(DIM);
    const [a, b] = randomUnitVectors(2, DIM, 30);
    const added = a!.slice();
    await index.add([7, 3], [added, b!]);
    added.fill(0);
    const [gotB, gotA] = await index.vectors([3, 7]);
    expect(gotA).toEqual(a);
    expect(gotB).toEqual(b);
    gotA!.fill(0);
    expect(await index.vectors([7])).toEqual([a]);
    expect(await index.vectors([])).toEqual([]);
  });

  it('save → load: the same results, vectors and description; only the live labels', async () => {
    const { index, stored } = await filled();
    await index.remove([22, 25]);
    const file = path.join(dir, 'vectors');
    await index.save(file);
    const live = [...stored.keys()].filter((l) => l !== 22 && l !== 25);
    const loaded = await kind.load(file, DIM, index.describe().params, live);
    expect(loaded.describe()).toEqual(index.describe());
    for (const q of randomUnitVectors(5, DIM, 31)) expect(await loaded.search(q, 10)).toEqual(await index.search(q, 10));
    expect(await loaded.vectors(live.slice(0, 20))).toEqual(await index.vectors(live.slice(0, 20)));
    await expect(kind.load(file, DIM, index.describe().params, [...live, 7])).rejects.toThrow(/label 7/);
    await expect(kind.load(path.join(dir, 'missing'), DIM, {}, [])).rejects.toThrow();
  });

  it('verify: the digest of a good file; an error for a missing live label, other dimensions or a cut file', async () => {
    const { index, stored } = await filled();
    const file = path.join(dir, 'vectors');
    await index.save(file);
    const live = [...stored.keys()];
    expect(await kind.verify(file, DIM, live)).toEqual(await fileDigest(file));
    await expect(kind.verify(file, DIM, [...live, 7])).rejects.toThrow(/label 7/);
    await expect(kind.verify(file, DIM * 2, live)).rejects.toThrow();
    await fs.truncate(file, Math.floor((await fs.stat(file)).size / 2));
    await expect(kind.verify(file, DIM, live)).rejects.toThrow();
  });

  it('fork: an independent copy, from the file it was saved to', async () => {
    const { index, stored } = await filled();
    const file = path.join(dir, 'vectors');
    await index.save(file);
    const copy = await index.fork(file, 200);
    const q = randomUnitVectors(1, DIM, 32)[0]!;
    const before = await index.search(q, 20);
    expect(await copy.search(q, 20)).toEqual(before);
    await copy.remove(ids(before).slice(0, 5));
    await copy.add([1], [q]);
    expect(await index.search(q, 20)).toEqual(before);
    expect(index.size).toBe(200);
    expect(copy.size).toBe(196);
    await index.remove([...stored.keys()].slice(0, 50));
    expect(copy.size).toBe(196);
    expect(ids(await copy.search(q, 1))).toEqual([1]);
  });

  it('describe: its params make an index that describes itself the same', async () => {
    const { index } = await filled();
    const { params } = index.describe();
    expect(Object.values(params).every((v) => typeof v === 'number')).toBe(true);
    expect(kind.create(DIM, params).describe()).toEqual({ ...index.describe(), size: 0 });
  });
});
