import { describe, expect, it } from 'vitest';
import { percentile, recallAtK, SCORE_TIE, summarize } from '../../../bench/stats.js';
import type { Hit } from '../../../src/types.js';

const hits = (...pairs: [number, number][]): Hit[] => pairs.map(([chunkId, score], i) => ({ chunkId, score, rank: i + 1 }));

describe('percentile', () => {
  it.each([
    [0.5, 5],
    [0.9, 9],
    [0.95, 10],
    [0.99, 10],
    [1, 10],
    [0, 1],
    [0.11, 2],
  ])('is the nearest-rank p%s of 1…10 (given unsorted)', (p, want) => {
    expect(percentile([7, 3, 10, 1, 5, 2, 9, 4, 8, 6], p)).toBe(want);
  });

  it('is NaN without values and refuses p outside [0, 1]', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile([1], 1.5)).toThrow(/within \[0, 1\]/);
  });
});

describe('summarize', () => {
  it('gives count, mean, percentiles and max', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(values)).toEqual({ n: 100, mean: 50.5, p50: 50, p95: 95, p99: 99, max: 100 });
  });
});

describe('recallAtK', () => {
  const exact = hits([1, 0.9], [2, 0.8], [3, 0.7], [4, 0.6]);

  it('is the share of the exact top k found', () => {
    expect(recallAtK(hits([1, 0.9], [2, 0.8], [3, 0.7], [4, 0.6]), exact, 4)).toBe(1);
    expect(recallAtK(hits([1, 0.9], [9, 0.5], [3, 0.7], [8, 0.4]), exact, 4)).toBe(0.5);
    expect(recallAtK([], exact, 4)).toBe(0);
    expect(recallAtK(hits([2, 0.8], [3, 0.7]), exact, 2)).toBe(0.5); // the exact top 2 is {1, 2}
  });

  it('counts a different hit that ties with the exact k-th score', () => {
    expect(recallAtK(hits([1, 0.9], [2, 0.8], [7, 0.7 - SCORE_TIE / 2]), exact, 3)).toBe(1);
    expect(recallAtK(hits([1, 0.9], [2, 0.8], [7, 0.69]), exact, 3)).toBeCloseTo(2 / 3, 12);
  });

  it('divides by the exact results there are when fewer than k', () => {
    expect(recallAtK(hits([1, 0.9]), hits([1, 0.9]), 10)).toBe(1);
    expect(recallAtK(hits([5, 0.1]), [], 10)).toBe(1);
  });
});
