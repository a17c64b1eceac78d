import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TermBag } from '../../../src/embed/term-bag.js';

const contents = (bag: TermBag): Map<number, [number, number]> => {
  const m = new Map<number, [number, number]>();
  bag.forEach((id, count, weight) => m.set(id, [count, weight]));
  return m;
};

describe('TermBag', () => {
  it('counts repeated ids and keeps the weight of the first occurrence', () => {
    const bag = new TermBag(16);
    bag.add(7, 1.5);
    bag.add(-3, 2);
    bag.add(7, 99);
    expect(contents(bag)).toEqual(new Map([[7, [2, 1.5]], [-3, [1, 2]]]));
    expect(bag.size).toBe(2);
  });

  it('is empty after clear and reusable', () => {
    const bag = new TermBag(16);
    for (let i = 0; i < 10; i++) bag.add(i, 1);
    bag.clear();
    expect(bag.size).toBe(0);
    bag.add(3, 4);
    expect(contents(bag)).toEqual(new Map([[3, [1, 4]]]));
  });

  it('matches a Map for any sequence of ids, growing past its initial capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 300 }), (ids) => {
        const bag = new TermBag(16);
        const expected = new Map<number, [number, number]>();
        ids.forEach((id, k) => {
          bag.add(id, k);
          const seen = expected.get(id);
          expected.set(id, seen ? [seen[0] + 1, seen[1]] : [1, Math.fround(k)]);
        });
        expect(contents(bag)).toEqual(expected);
      }),
    );
  });
});
