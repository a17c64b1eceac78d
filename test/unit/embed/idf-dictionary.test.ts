import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { parseIdfDictionary } from '../../../src/embed/idf-dictionary.js';
import { hashRange } from '../../../src/embed/term-hash.js';

const TABLE = ['街道 7.5', '罗星 12.5', '罗星街道 13', '生产总值 7.25', '地区生产总值 9', '增长 4.25', 'bad line', '负数 -1', ''].join('\n');

describe('parseIdfDictionary', () => {
  const dict = parseIdfDictionary(TABLE);

  it('reads "word idf" lines and skips malformed ones', () => {
    expect(dict.size).toBe(6);
    expect(dict.wordIdf('罗星')).toBe(12.5);
    expect(dict.wordIdf('地区生产总值')).toBe(9);
    expect(dict.wordIdf('负数')).toBeUndefined();
    expect(dict.wordIdf('星街')).toBeUndefined();
  });

  it('knows which substrings continue into longer words', () => {
    const slot = (s: string): number => dict.find(...hashRange(s));
    expect(dict.hasLongerAt(slot('罗星'))).toBe(true); // 罗星街道
    expect(dict.hasLongerAt(slot('街道'))).toBe(false);
    expect(slot('地区')).toBeGreaterThanOrEqual(0); // a prefix only
    expect(dict.idfAt(slot('地区'))).toBe(0);
    expect(dict.hasLongerAt(slot('地区生产'))).toBe(true);
    expect(slot('总值')).toBe(-1);
  });

  it('estimates a character IDF as the lowest IDF of a word containing it, else the median', () => {
    expect(dict.charIdf['增'.charCodeAt(0)]).toBe(4.25);
    expect(dict.charIdf['道'.charCodeAt(0)]).toBe(7.5); // 街道 7.5 < 罗星街道 13
    expect(dict.charIdf['产'.charCodeAt(0)]).toBe(7.25);
    expect(dict.medianIdf).toBe(9); // of 4.25 7.25 7.5 9 12.5 13
    expect(dict.charIdf['猫'.charCodeAt(0)]).toBe(dict.medianIdf);
  });

  it('throws MODEL_UNAVAILABLE for a table without entries', () => {
    expect(() => parseIdfDictionary('nothing here\n', 'x.utf8')).toThrow(/x\.utf8 holds no/);
    const err = ((): unknown => {
      try {
        parseIdfDictionary('');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isAppError(err, 'MODEL_UNAVAILABLE')).toBe(true);
  });
});
