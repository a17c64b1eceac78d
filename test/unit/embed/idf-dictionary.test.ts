import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { IdfDictionary, loadIdfDictionary, parseIdfDictionary } from '../../../src/embed/idf-dictionary.js';
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

describe('IdfDictionary bytes and the load cache', () => {
  const dict = parseIdfDictionary(TABLE);

  it('reads back from its bytes with the same lookups, and refuses bytes of another layout', () => {
    const back = IdfDictionary.fromBytes(dict.toBytes())!;
    expect(back.size).toBe(dict.size);
    expect(back.medianIdf).toBe(dict.medianIdf);
    for (const w of ['罗星', '罗星街道', '地区生产总值', '星街']) expect(back.wordIdf(w)).toBe(dict.wordIdf(w));
    expect(back.hasLongerAt(back.find(...hashRange('罗星')))).toBe(true);
    expect(Array.from(back.charIdf)).toEqual(Array.from(dict.charIdf));
    const bytes = dict.toBytes();
    expect(IdfDictionary.fromBytes(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(IdfDictionary.fromBytes(new Uint8Array(bytes.length))).toBeUndefined();
  });

  it('caches a parsed table and loads the cache instead of parsing; a broken cache is parsed over', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'idf-cache-'));
    try {
      const file = path.join(dir, 'idf.utf8');
      await writeFile(file, TABLE);
      const first = path.join(dir, 'cache-1');
      expect((await loadIdfDictionary(file, first)).wordIdf('罗星')).toBe(12.5);
      const [name] = await readdir(first);
      expect(name).toMatch(/^idf-[0-9a-f]{16}\.bin$/);

      // The same cache file holding another table: the load takes it, so it did not parse.
      const second = path.join(dir, 'cache-2');
      await cp(first, second, { recursive: true });
      await writeFile(path.join(second, name!), parseIdfDictionary('罗星 3\n街道 2').toBytes());
      expect((await loadIdfDictionary(file, second)).wordIdf('罗星')).toBe(3);

      const third = path.join(dir, 'cache-3');
      await cp(first, third, { recursive: true });
      await writeFile(path.join(third, name!), 'not a table');
      expect((await loadIdfDictionary(file, third)).wordIdf('罗星')).toBe(12.5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
