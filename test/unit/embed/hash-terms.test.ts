import { describe, expect, it } from 'vitest';
import { hashTerms } from '../../../src/embed/hash-terms.js';
import { TermBag } from '../../../src/embed/term-bag.js';

const norm = (v: Float32Array): number => Math.hypot(...v);

function bag(entries: Array<[number, number, number?]>): TermBag {
  const b = new TermBag();
  for (const [id, weight, count = 1] of entries) for (let i = 0; i < count; i++) b.add(id, weight);
  return b;
}

describe('hashTerms', () => {
  it('returns a unit vector of the requested length', () => {
    const v = hashTerms(bag([[1, 2], [-5, 3], [12345, 1]]), 64);
    expect(v).toHaveLength(64);
    expect(norm(v)).toBeCloseTo(1, 5);
  });

  it('returns all zeros for an empty bag without padding', () => {
    const v = hashTerms(new TermBag(), 32);
    expect(v.every((x) => x === 0)).toBe(true);
  });

  it('puts one term at one slot with the sign of its id, and tf sublinearly', () => {
    const positive = hashTerms(bag([[5, 2]]), 16);
    expect(positive[5 % 15]).toBeCloseTo(1, 6);
    const negative = hashTerms(bag([[-1, 2]]), 16);
    expect(negative[(-1 & 0x7fffffff) % 15]).toBeCloseTo(-1, 6);
    // two terms: weights 1 (tf 1) and 1 × (1 + ln 3) (tf 3)
    const v = hashTerms(bag([[1, 1], [2, 1, 3]]), 16);
    expect((v[2] ?? 0) / (v[1] ?? 1)).toBeCloseTo(1 + Math.log(3), 5);
  });

  it('keeps the last slot for the padding, which shrinks the term part of short texts more', () => {
    const short = hashTerms(bag([[1, 5]]), 16, 10);
    const long = hashTerms(bag(Array.from({ length: 12 }, (_, i): [number, number] => [i, 5])), 16, 10);
    expect(short[15]).toBeGreaterThan(0);
    expect(norm(short)).toBeCloseTo(1, 5);
    expect(short[15] ?? 0).toBeGreaterThan(long[15] ?? 0);
    expect(hashTerms(bag([[15, 1]]), 16)[15]).toBe(0); // no term ever lands there
  });

  it('re-deals slots with a salt', () => {
    const terms = bag(Array.from({ length: 20 }, (_, i): [number, number] => [i * 7919, 1]));
    expect(Array.from(hashTerms(terms, 64, 0, 1))).not.toEqual(Array.from(hashTerms(terms, 64, 0, 0)));
  });
});
