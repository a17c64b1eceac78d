import { describe, expect, it } from 'vitest';
import { ColumnVectors } from '../../../src/index/column-vectors.js';
import { ExactVectorIndex } from '../../../src/index/exact-vector-index.js';
import { randomUnitVectors } from '../../helpers/random-vectors.js';

describe('ColumnVectors', () => {
  it('stores, replaces, deletes and reuses slots while growing', () => {
    const cv = new ColumnVectors(3, 2);
    cv.set(10, [1, 0, 0]);
    cv.set(20, [0, 1, 0]);
    cv.set(30, [0, 0, 1]); // grows past capacity 2
    expect(cv.size).toBe(3);
    expect(cv.get(20)).toEqual(Float32Array.of(0, 1, 0));
    expect(cv.delete(20)).toBe(true);
    expect(cv.delete(20)).toBe(false);
    expect(cv.get(20)).toBeUndefined();
    cv.set(40, [0.5, 0.5, 0]); // takes the freed slot
    cv.set(10, [0, 0.6, 0.8]); // replaces
    expect([...cv.labels()].sort()).toEqual([10, 30, 40]);
    expect(cv.get(10)).toEqual(Float32Array.of(0, 0.6, 0.8));
    expect(cv.search(Float32Array.of(0, 1, 0), 5).map((h) => [h.chunkId, h.rank])).toEqual([
      [10, 1],
      [40, 2],
      [30, 3],
    ]);
    expect(cv.scanCost(Float32Array.of(0, 1, 0))).toBe(3); // one non-zero × three slots in use
  });

  it('reserves room once, keeping stored vectors and reusing emptied slots first', () => {
    const vectors = randomUnitVectors(40, 4, 5);
    const cv = new ColumnVectors(4, 2);
    vectors.slice(0, 3).forEach((v, i) => cv.set(i, v));
    cv.delete(1);
    cv.reserve(40);
    vectors.slice(3).forEach((v, i) => cv.set(i + 3, v));
    cv.set(1, vectors[1]!);
    expect(cv.size).toBe(40);
    vectors.forEach((v, i) => expect(cv.get(i)).toEqual(v));
    expect(cv.scanCost(vectors[0]!)).toBe(4 * 40); // 40 slots in use: the emptied one was reused
    cv.reserve(10); // smaller than what is stored: nothing changes
    expect(cv.get(39)).toEqual(vectors[39]);
  });

  it('clones into an independent copy', () => {
    const vectors = randomUnitVectors(10, 4, 6);
    const cv = new ColumnVectors(4, 4);
    vectors.forEach((v, i) => cv.set(i, v));
    cv.delete(2);
    const copy = cv.clone();
    copy.set(2, vectors[2]!); // reuses the emptied slot in the copy only
    copy.delete(5);
    copy.set(7, vectors[0]!);
    expect(cv.get(2)).toBeUndefined();
    expect(cv.get(5)).toEqual(vectors[5]);
    expect(cv.get(7)).toEqual(vectors[7]);
    expect([...copy.labels()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
    expect(copy.get(7)).toEqual(vectors[0]);
    expect(copy.search(vectors[3]!, 1)[0]?.chunkId).toBe(3);

    const roomy = cv.clone(50); // laid out for 50 slots at once
    for (let label = 100; label < 140; label++) roomy.set(label, vectors[label % 10]!);
    expect(roomy.size).toBe(49);
    expect(roomy.get(9)).toEqual(vectors[9]);
    expect(roomy.get(139)).toEqual(vectors[9]);
    expect(roomy.search(vectors[4]!, 1)[0]?.chunkId).toBe(4);
  });

  it('matches brute force on random vectors, ties by label', async () => {
    const vectors = randomUnitVectors(500, 16, 3);
    const cv = new ColumnVectors(16);
    const exact = new ExactVectorIndex(16);
    vectors.forEach((v, i) => cv.set(i, v));
    await exact.add(vectors.map((_, i) => i), vectors);
    for (const q of randomUnitVectors(10, 16, 4)) {
      expect(cv.search(q, 7).map((h) => h.chunkId)).toEqual((await exact.search(q, 7)).map((h) => h.chunkId));
    }
    cv.set(1000, vectors[0]!);
    expect(cv.search(vectors[0]!, 2).map((h) => h.chunkId)).toEqual([0, 1000]);
  });
});
