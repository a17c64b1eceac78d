import { describe, expect, it } from 'vitest';
import { parseIdfDictionary } from '../../../src/embed/idf-dictionary.js';
import { TermBag } from '../../../src/embed/term-bag.js';
import { hashRange, mix32 } from '../../../src/embed/term-hash.js';
import { extractTerms, type FeatureWeights } from '../../../src/embed/extract-terms.js';

const dict = parseIdfDictionary(['罗星 12', '街道 8', '罗星街道 13', '生产总值 7', '增长 4'].join('\n'));
const W: FeatureWeights = { char: 0.5, bigram: 0, word: 1, figure: 1, commonNumber: 0.25, latin: 2, documentPadding: 0 };
const id = (term: string): number => mix32(hashRange(term)[0]);
const charIdf = (c: string): number => dict.charIdf[c.charCodeAt(0)] ?? NaN;

function terms(text: string, weights = W): Map<number, [number, number]> {
  const bag = new TermBag();
  extractTerms(text, dict, weights, bag);
  const m = new Map<number, [number, number]>();
  bag.forEach((i, count, weight) => m.set(i, [count, weight]));
  return m;
}

describe('extractTerms', () => {
  it('yields every Han character and every dictionary word at any position', () => {
    const got = terms('罗星街道');
    const expected = new Map<number, [number, number]>([
      [id('罗'), [1, Math.fround(0.5 * charIdf('罗'))]],
      [id('星'), [1, Math.fround(0.5 * charIdf('星'))]],
      [id('街'), [1, Math.fround(0.5 * charIdf('街'))]],
      [id('道'), [1, Math.fround(0.5 * charIdf('道'))]],
      [id('罗星'), [1, 12]],
      [id('罗星街道'), [1, 13]],
      [id('街道'), [1, 8]],
    ]);
    expect(got).toEqual(expected);
  });

  it('adds non-word character pairs only when their weight is positive', () => {
    expect(terms('星街').has(id('星街'))).toBe(false);
    const withPairs = terms('星街', { ...W, bigram: 1 });
    expect(withPairs.get(id('星街'))).toEqual([1, Math.fround((charIdf('星') + charIdf('街')) / 2)]);
  });

  it('keeps figures whole, drops thousands separators, and weights years and small numbers as common', () => {
    const got = terms('2022年产值108.1亿元，增长1,043万，第3名');
    expect(got.get(id('108.1'))?.[1]).toBe(Math.fround(dict.medianIdf));
    expect(got.get(id('1043'))?.[1]).toBe(Math.fround(dict.medianIdf));
    expect(got.get(id('2022'))?.[1]).toBe(Math.fround(0.25 * dict.medianIdf));
    expect(got.get(id('3'))?.[1]).toBe(Math.fround(0.25 * dict.medianIdf));
    expect(got.has(id('108'))).toBe(false);
    expect(got.has(id('1,043'))).toBe(false);
  });

  it('does not join numbers separated by a Chinese comma', () => {
    const got = terms('分别为2022，2023年和12，34个');
    for (const n of ['2022', '2023', '12', '34']) expect(got.has(id(n))).toBe(true);
    expect(got.has(id('20222023'))).toBe(false);
    expect(got.has(id('1234'))).toBe(false);
  });

  it('normalises full-width characters and case, and keeps Latin words with their digits', () => {
    const got = terms('ＧＤＰ增长，PM2.5浓度');
    expect(got.get(id('gdp'))?.[1]).toBe(Math.fround(2 * dict.medianIdf));
    expect(got.has(id('pm2.5'))).toBe(true);
    expect(got.get(id('增长'))).toEqual([1, 4]);
  });

  it('counts repeated terms', () => {
    expect(terms('街道街道街道').get(id('街道'))?.[0]).toBe(3);
  });

  it('yields nothing for punctuation and spaces', () => {
    expect(terms('，。！  ——').size).toBe(0);
  });
});
