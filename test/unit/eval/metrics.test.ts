import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hitAt1,
  isHit,
  mean,
  ndcgAt10,
  normalizeForMatch,
  percentile,
  recallAtK,
  reciprocalRankAt10,
} from '../../../src/eval/metrics.js';

/** 'x' marks a hit, '.' a non-hit, best first: rel('.x.x') = [false, true, false, true]. */
const rel = (pattern: string): boolean[] => [...pattern].map((c) => c === 'x');

describe('isHit', () => {
  const q = { source: '003.txt', evidence: '总投资186.8亿元' };

  it('accepts the same source whose text contains the evidence, ignoring whitespace', () => {
    expect(isHit({ source: '003.txt', text: '落户海宁，总投资 186.8 亿\n元；在海宁市' }, q)).toBe(true);
  });

  it('rejects the evidence found in another report', () => {
    expect(isHit({ source: '002.txt', text: '总投资186.8亿元' }, q)).toBe(false);
  });

  it('rejects the right report without the evidence', () => {
    expect(isHit({ source: '003.txt', text: '总投资15.23亿元' }, q)).toBe(false);
  });

  it('never counts a hit for an unanswerable question', () => {
    expect(isHit({ source: '003.txt', text: '总投资186.8亿元' }, { source: null, evidence: null })).toBe(false);
  });

  it('accepts any text of the source when the question has no evidence', () => {
    expect(isHit({ source: '003.txt', text: '任意段落' }, { source: '003.txt', evidence: null })).toBe(true);
  });

  it('treats full-width and half-width punctuation alike (NFKC)', () => {
    expect(isHit({ source: 'a', text: '营业额1.01亿元,同比增长6.6%' }, { source: 'a', evidence: '营业额1.01亿元，同比增长6.6％' })).toBe(true);
  });
});

describe('normalizeForMatch', () => {
  it('removes every kind of whitespace, including ideographic spaces', () => {
    expect(normalizeForMatch(' 总投资\u3000186.8\t亿元\r\n')).toBe('总投资186.8亿元');
  });
});

describe('ranking metrics on hand-made rankings', () => {
  // Expected values computed by hand:
  //  '.x.x......'  first hit at rank 2 → hit@1 0, RR 1/2.
  //     DCG = 1/log2(3) + 1/log2(5) = 0.630930 + 0.430677 = 1.061607
  //     two hits retrieved → IDCG = 1 + 1/log2(3) = 1.630930 → nDCG = 1.061607 / 1.630930 = 0.650921
  //  'x'           hit at rank 1 → everything 1.
  //  '..x'         RR 1/3; nDCG = (1/log2(4)) / 1 = 0.5
  //  'xx'          nDCG = (1 + 0.630930) / (1 + 0.630930) = 1
  //  '..........x' hit at rank 11 → outside @10: RR 0, nDCG 0, recall@10 0
  //  ''            nothing retrieved → all 0
  it.each([
    { pattern: '.x.x......', h1: 0, rr: 0.5, ndcg: 0.650921 },
    { pattern: 'x', h1: 1, rr: 1, ndcg: 1 },
    { pattern: '..x', h1: 0, rr: 1 / 3, ndcg: 0.5 },
    { pattern: 'xx', h1: 1, rr: 1, ndcg: 1 },
    { pattern: '..........x', h1: 0, rr: 0, ndcg: 0 },
    { pattern: '', h1: 0, rr: 0, ndcg: 0 },
  ])('$pattern → hit@1 $h1, RR $rr, nDCG $ndcg', ({ pattern, h1, rr, ndcg }) => {
    const r = rel(pattern);
    expect(hitAt1(r)).toBe(h1);
    expect(reciprocalRankAt10(r)).toBeCloseTo(rr, 6);
    expect(ndcgAt10(r)).toBeCloseTo(ndcg, 6);
  });

  it.each([
    { pattern: '.x.x', k: 1, expected: 0 },
    { pattern: '.x.x', k: 2, expected: 1 },
    { pattern: '..x', k: 2, expected: 0 },
    { pattern: '..x', k: 3, expected: 1 },
    { pattern: '..........x', k: 10, expected: 0 },
    { pattern: '..........x', k: 11, expected: 1 },
    { pattern: '', k: 5, expected: 0 },
  ])('recallAtK($pattern, $k) = $expected', ({ pattern, k, expected }) => {
    expect(recallAtK(rel(pattern), k)).toBe(expected);
  });

  it('keeps every score in [0, 1] and consistent with each other (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 15 }), fc.integer({ min: 1, max: 15 }), (r, k) => {
        const rr = reciprocalRankAt10(r);
        const n = ndcgAt10(r);
        expect(n).toBeGreaterThanOrEqual(0);
        expect(n).toBeLessThanOrEqual(1 + 1e-12);
        expect(rr).toBeGreaterThanOrEqual(hitAt1(r));
        expect(rr > 0).toBe(recallAtK(r, 10) === 1);
        expect(n > 0).toBe(rr > 0);
        expect(recallAtK(r, k + 1)).toBeGreaterThanOrEqual(recallAtK(r, k));
      }),
    );
  });
});

describe('percentile', () => {
  // Linear interpolation at position p/100 × (n − 1) of the sorted values:
  //  [4, 1, 3, 2], p50 → position 1.5 between 2 and 3 → 2.5
  //  [10…50], p95 → position 3.8 between 40 and 50 → 48
  it.each([
    { values: [4, 1, 3, 2], p: 50, expected: 2.5 },
    { values: [10, 20, 30, 40, 50], p: 95, expected: 48 },
    { values: [10, 20, 30, 40, 50], p: 50, expected: 30 },
    { values: [10, 20, 30, 40, 50], p: 0, expected: 10 },
    { values: [10, 20, 30, 40, 50], p: 100, expected: 50 },
    { values: [7], p: 95, expected: 7 },
  ])('p$p of $values = $expected', ({ values, p, expected }) => {
    expect(percentile(values, p)).toBeCloseTo(expected, 9);
  });

  it('returns NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it.each([-1, 101, Number.NaN])('throws for p = %s', (p) => {
    expect(() => percentile([1, 2], p)).toThrow(RangeError);
  });
});

describe('mean', () => {
  it('averages, and is NaN for no values', () => {
    expect(mean([1, 0, 0, 1])).toBe(0.5);
    expect(mean([])).toBeNaN();
  });
});
