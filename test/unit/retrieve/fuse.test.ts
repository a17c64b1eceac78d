import { describe, expect, it } from 'vitest';
import { fuse } from '../../../src/retrieve/fuse.js';
import type { Hit } from '../../../src/types.js';

/** Hits from [chunkId, score] pairs, ranked in the given order. */
const list = (...pairs: [number, number][]): Hit[] => pairs.map(([chunkId, score], i) => ({ chunkId, score, rank: i + 1 }));

describe('fuse (rrf)', () => {
  it('sums 1/(k+rank) over the lists, as computed by hand', () => {
    const vector = list([1, 0.9], [2, 0.8], [3, 0.7]);
    const keyword = list([3, 12], [1, 5]);
    const out = fuse([vector, keyword], { method: 'rrf', rrfK: 60 });
    // 1: 1/61 + 1/62 = 0.032522...; 3: 1/63 + 1/61 = 0.032266...; 2: 1/62 = 0.016129...
    expect(out.map((h) => h.chunkId)).toEqual([1, 3, 2]);
    expect(out[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(out[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(out[2]!.score).toBeCloseTo(1 / 62, 12);
    expect(out.map((h) => h.rank)).toEqual([1, 2, 3]);
  });

  it('applies per-list weights', () => {
    const out = fuse([list([1, 1]), list([2, 1])], { method: 'rrf', weights: [1, 3] });
    expect(out.map((h) => h.chunkId)).toEqual([2, 1]);
    expect(out[0]!.score).toBeCloseTo(3 / 61, 12);
  });

  it('ignores scores: only ranks matter', () => {
    const a = fuse([list([1, 100], [2, 0.001])]);
    const b = fuse([list([1, 0.5], [2, 0.4])]);
    expect(a).toEqual(b);
  });

  it('breaks ties by best rank, then by chunkId', () => {
    // 7 and 8 both get 1/61 + 1/62; 9 and 4 both get 1/63, 4 < 9.
    const out = fuse([list([7, 1], [8, 1], [9, 1]), list([8, 1], [7, 1], [4, 1])]);
    expect(out.map((h) => h.chunkId)).toEqual([7, 8, 4, 9]);
  });

  it('counts only the first occurrence of a chunk within a list', () => {
    const out = fuse([list([1, 1], [1, 1], [2, 1])]);
    expect(out.map((h) => [h.chunkId, h.score])).toEqual([
      [1, 1 / 61],
      [2, 1 / 63],
    ]);
  });
});

describe('fuse (weighted)', () => {
  it('min-max normalises each list and treats absence as the floor', () => {
    const vector = list([1, 1], [2, 0.75], [3, 0.5]);
    const keyword = list([3, 20], [4, 10]);
    const out = fuse([vector, keyword], { method: 'weighted', normalization: 'minmax', weights: [1, 0.5] });
    // 1: 1 + 0 = 1; 2: 0.5; 3: 0 + 0.5·1 = 0.5; 4: 0 + 0.5·0 = 0
    expect(out.map((h) => [h.chunkId, h.score])).toEqual([
      [1, 1],
      [3, 0.5], // ties with 2 at 0.5, wins on best rank (1 in the keyword list)
      [2, 0.5],
      [4, 0],
    ]);
  });

  it('z-normalises scores; an absent chunk gets the list minimum', () => {
    const out = fuse([list([1, 3], [2, 1]), list([2, 5], [3, 1])], { method: 'weighted', normalization: 'zscore' });
    // list 1: mean 2, sd 1 → z(1)=1, z(2)=-1, absent -1; list 2: mean 3, sd 2 → z(2)=1, z(3)=-1, absent -1
    const byId = new Map(out.map((h) => [h.chunkId, h.score]));
    expect(byId.get(1)).toBeCloseTo(0, 12);
    expect(byId.get(2)).toBeCloseTo(0, 12);
    expect(byId.get(3)).toBeCloseTo(-2, 12);
    expect(out.map((h) => h.chunkId)).toEqual([1, 2, 3]); // 1 and 2 tie at 0 with best rank 1: id order
  });

  it('gives every hit of a constant-score list the full weight', () => {
    const out = fuse([list([5, 2], [6, 2])], { method: 'weighted' });
    expect(out.map((h) => h.score)).toEqual([1, 1]);
  });
});

describe('fuse (edge cases)', () => {
  it.each(['rrf', 'weighted'] as const)('%s: no lists or only empty lists give an empty result', (method) => {
    expect(fuse([], { method })).toEqual([]);
    expect(fuse([[], []], { method })).toEqual([]);
  });

  it.each(['rrf', 'weighted'] as const)('%s: an empty list leaves the other ranking unchanged', (method) => {
    const vector = list([4, 0.9], [2, 0.8], [9, 0.1]);
    expect(fuse([vector, []], { method }).map((h) => h.chunkId)).toEqual([4, 2, 9]);
    expect(fuse([[], vector], { method }).map((h) => h.chunkId)).toEqual([4, 2, 9]);
  });

  it('limits the output', () => {
    expect(fuse([list([1, 1], [2, 1], [3, 1])], { limit: 2 }).map((h) => h.chunkId)).toEqual([1, 2]);
  });
});
