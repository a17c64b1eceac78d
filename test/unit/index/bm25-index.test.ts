import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { BM25_FORMAT_VERSION, Bm25Index, DEFAULT_BM25_OPTIONS } from '../../../src/index/bm25-index.js';
import type { KeywordDoc } from '../../../src/index/keyword-index.js';
import type { Tokenizer } from '../../../src/types.js';

/** Space-separated terms: keeps the scoring arithmetic checkable by hand. */
const spaces: Tokenizer = { id: 'spaces:v1', tokenize: (text) => text.split(/\s+/).filter((t) => t !== '') };

const TINY: KeywordDoc[] = [
  { chunkId: 1, text: 'a b c' },
  { chunkId: 2, text: 'a a d' },
  { chunkId: 3, text: 'b e' },
];

/** Lucene's classic parameters, which the hand computations below use. */
const CLASSIC = { k1: 1.2, b: 0.75 };

async function tiny(): Promise<Bm25Index> {
  const index = new Bm25Index(spaces, CLASSIC);
  await index.add(TINY);
  return index;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.code : 'not an AppError';
  }
  return undefined;
}

async function rejectionCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return isAppError(err) ? err.code : 'not an AppError';
  }
  return undefined;
}

describe('Bm25Index', () => {
  it('a filtered search ranks only accepted chunks, with unchanged scores', async () => {
    const all = await (await tiny()).search('a b', 10);
    const filtered = await (await tiny()).search('a b', 10, (id) => id !== 2);
    expect(filtered.map((h) => h.chunkId)).toEqual(all.filter((h) => h.chunkId !== 2).map((h) => h.chunkId));
    expect(filtered[0]?.score).toBe(all.find((h) => h.chunkId === filtered[0]?.chunkId)?.score);
    expect(filtered.map((h) => h.rank)).toEqual(filtered.map((_, i) => i + 1));
  });

  // N = 3, avgdl = 8/3, k1 = 1.2, b = 0.75; idf(df=2) = ln 1.6, idf(df=1) = ln(8/3).
  // d1 (tf 1, |d| 3): ln1.6·2.2/(1 + 1.2·(0.25 + 0.75·1.125)) = 0.447138587822970
  // d2 (tf 2, |d| 3): ln1.6·4.4/(2 + 1.3125)                  = 0.624306707526411
  it('scores a one-term query as computed by hand', async () => {
    const hits = await (await tiny()).search('a', 10);
    expect(hits.map((h) => [h.chunkId, h.rank])).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(hits[0]?.score).toBeCloseTo(0.624306707526411, 12);
    expect(hits[1]?.score).toBeCloseTo(0.447138587822970, 12);
  });

  // d3 (|d| 2, norm 0.975): ln1.6·2.2/1.975 + ln(8/3)·2.2/1.975 = 1.616117640995654
  it('adds the contributions of several query terms and normalises by length', async () => {
    const hits = await (await tiny()).search('b e', 10);
    expect(hits.map((h) => h.chunkId)).toEqual([3, 1]);
    expect(hits[0]?.score).toBeCloseTo(1.616117640995654, 12);
    expect(hits[1]?.score).toBeCloseTo(0.447138587822970, 12);
  });

  it('uses the default options when given none', async () => {
    const index = new Bm25Index(spaces);
    await index.add(TINY);
    const { k1, b } = DEFAULT_BM25_OPTIONS;
    const norm = k1 * (1 - b + (b * 3) / (8 / 3));
    expect((await index.search('a', 1))[0]?.score).toBeCloseTo((Math.log(1.6) * 2 * (k1 + 1)) / (2 + norm), 12);
    expect(index.toJSON()).toMatchObject(DEFAULT_BM25_OPTIONS);
  });

  it('counts a repeated query term once', async () => {
    expect(await (await tiny()).search('a a a', 10)).toEqual(await (await tiny()).search('a', 10));
  });

  it('returns [] for a query with no known term, an empty query or k < 1', async () => {
    const index = await tiny();
    expect(await index.search('zzz', 5)).toEqual([]);
    expect(await index.search('', 5)).toEqual([]);
    expect(await index.search('a', 0)).toEqual([]);
    expect(await new Bm25Index(spaces).search('a', 5)).toEqual([]);
  });

  it('keeps the k best and ranks equal scores by ascending chunk id', async () => {
    const index = new Bm25Index(spaces);
    await index.add([9, 4, 7, 1, 5].map((chunkId) => ({ chunkId, text: 'x y' })));
    expect((await index.search('x', 3)).map((h) => [h.chunkId, h.rank])).toEqual([
      [1, 1],
      [4, 2],
      [5, 3],
    ]);
  });

  it('reports the known query terms with their idf', async () => {
    const terms = (await tiny()).queryTerms('e zzz a e');
    expect(terms.map((t) => t.term)).toEqual(['e', 'a']);
    expect(terms[0]?.idf).toBeCloseTo(Math.log(1 + 2.5 / 1.5), 12);
    expect(terms[1]?.idf).toBeCloseTo(Math.log(1.6), 12);
  });

  it('throws INPUT_INVALID for a duplicate or invalid chunk id and adds nothing', async () => {
    const index = await tiny();
    expect(await rejectionCode(index.add([{ chunkId: 4, text: 'f' }, { chunkId: 2, text: 'g' }]))).toBe('INPUT_INVALID');
    expect(await rejectionCode(index.add([{ chunkId: 5, text: 'f' }, { chunkId: 5, text: 'g' }]))).toBe('INPUT_INVALID');
    expect(await rejectionCode(index.add([{ chunkId: -1, text: 'f' }]))).toBe('INPUT_INVALID');
    expect(await rejectionCode(index.add([{ chunkId: 1.5, text: 'f' }]))).toBe('INPUT_INVALID');
    expect(index.size).toBe(3);
    expect(await index.search('f', 5)).toEqual([]);
  });

  it('throws CONFIG_INVALID for out-of-range options', async () => {
    expect(codeOf(() => new Bm25Index(spaces, { b: 1.5 }))).toBe('CONFIG_INVALID');
    expect(codeOf(() => new Bm25Index(spaces, { k1: -1 }))).toBe('CONFIG_INVALID');
  });

  it('removes documents, ignores unknown ids and forgets terms no document has any more', async () => {
    const index = await tiny();
    await index.remove([3, 42]);
    expect(index.size).toBe(2);
    expect(await index.search('e', 5)).toEqual([]);
    expect(index.queryTerms('e b').map((t) => t.term)).toEqual(['b']);
    await index.add([{ chunkId: 3, text: 'e' }]);
    expect((await index.search('e', 5)).map((h) => h.chunkId)).toEqual([3]);
  });

  it('gives the same index after adds and removes as a fresh build of the remaining documents', async () => {
    const term = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    const doc = fc.record({ chunkId: fc.integer({ min: 0, max: 40 }), text: fc.array(term, { maxLength: 8 }).map((t) => t.join(' ')) });
    const docs = fc.uniqueArray(doc, { selector: (d) => d.chunkId, minLength: 1, maxLength: 25 });
    await fc.assert(
      fc.asyncProperty(docs, fc.array(fc.boolean(), { maxLength: 25 }), fc.integer({ min: 1, max: 5 }), async (all, removeMask, batches) => {
        const removed = all.filter((_, i) => removeMask[i] === true).map((d) => d.chunkId);
        const incremental = new Bm25Index(spaces);
        const size = Math.ceil(all.length / batches);
        for (let i = 0; i < all.length; i += size) await incremental.add(all.slice(i, i + size));
        await incremental.remove(removed);
        const fresh = new Bm25Index(spaces);
        await fresh.add([...all].reverse().filter((d) => !removed.includes(d.chunkId)));
        expect(incremental.size).toBe(fresh.size);
        expect(incremental.toJSON()).toEqual(fresh.toJSON());
        for (const query of ['a', 'b c', 'd e f', 'a b c d e f']) {
          expect(await incremental.search(query, 10)).toEqual(await fresh.search(query, 10));
        }
      }),
    );
  });

  it('searches sealed and newly added documents alike, across many seals', async () => {
    // ~80k postings in batches of 50: the open postings are sealed into the table several times.
    const words = Array.from({ length: 500 }, (_, i) => `w${i}`);
    const docs = Array.from({ length: 2000 }, (_, d) => ({
      chunkId: d * 3,
      text: Array.from({ length: 40 }, (_, j) => words[(d * 7 + j * j * 13) % words.length]).join(' '),
    }));
    const batched = new Bm25Index(spaces);
    for (let i = 0; i < docs.length; i += 50) await batched.add(docs.slice(i, i + 50));
    const whole = new Bm25Index(spaces);
    await whole.add(docs);
    for (const query of ['w0', 'w1 w2 w499', 'w13 w26 w7', 'w250']) expect(await batched.search(query, 20)).toEqual(await whole.search(query, 20));
    await batched.add([{ chunkId: 1, text: 'w0 w0 fresh' }]); // open again, beside the sealed table
    await whole.add([{ chunkId: 1, text: 'w0 w0 fresh' }]);
    expect(await batched.search('w0 fresh', 20)).toEqual(await whole.search('w0 fresh', 20));
    expect(batched.queryTerms('fresh w0')).toEqual(whole.queryTerms('fresh w0'));
    expect(batched.toJSON()).toEqual(whole.toJSON());
    // Removing the only document of a term leaves it empty (kept in the table, 1 of 502 terms).
    await batched.remove([1]);
    const rest = new Bm25Index(spaces);
    await rest.add(docs);
    expect(batched.queryTerms('fresh w0').map((t) => t.term)).toEqual(['w0']);
    expect(await batched.search('fresh w0', 20)).toEqual(await rest.search('fresh w0', 20));
    expect(batched.toJSON()).toEqual(rest.toJSON());
  });

  it('clones into an independent index', async () => {
    const term = fc.constantFrom('a', 'b', 'c', 'd');
    const text = fc.array(term, { maxLength: 6 }).map((t) => t.join(' '));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 12 }), fc.array(text, { maxLength: 6 }), async (first, more) => {
        const original = new Bm25Index(spaces);
        await original.add(first.map((t, i) => ({ chunkId: i, text: t })));
        const expected = original.toJSON();
        const copy = await original.fork();
        await copy.remove([0]);
        await copy.add(more.map((t, i) => ({ chunkId: 100 + i, text: t })));
        expect(original.toJSON()).toEqual(expected);
        const fresh = new Bm25Index(spaces);
        await fresh.add([...first.map((t, i) => ({ chunkId: i, text: t })).slice(1), ...more.map((t, i) => ({ chunkId: 100 + i, text: t }))]);
        expect(copy.toJSON()).toEqual(fresh.toJSON());
        expect(await copy.search('a b', 5)).toEqual(await fresh.search('a b', 5));
      }),
    );
  });

  describe('toJSON / fromJSON', () => {
    it('round-trips through JSON text with identical results', async () => {
      const index = await tiny();
      await index.add([{ chunkId: 1_000_000, text: 'a e e e c' }]);
      const json = JSON.parse(JSON.stringify(index.toJSON())) as unknown;
      const loaded = Bm25Index.fromJSON(json, spaces);
      expect(loaded.size).toBe(index.size);
      for (const query of ['a', 'b e', 'c', 'e a d']) expect(await loaded.search(query, 10)).toEqual(await index.search(query, 10));
      expect(loaded.toJSON()).toEqual(index.toJSON());
    });

    it('keeps options and stores no raw text', async () => {
      const index = new Bm25Index(spaces, { k1: 0.9, b: 0.4 });
      await index.add([{ chunkId: 7, text: 'rawtextmarker other' }]);
      const json = index.toJSON();
      expect(json).toMatchObject({ formatVersion: BM25_FORMAT_VERSION, tokenizer: 'spaces:v1', k1: 0.9, b: 0.4, docCount: 1 });
      expect(JSON.stringify(json)).not.toContain('rawtextmarker other');
      expect(await Bm25Index.fromJSON(json, spaces).search('other', 1)).toEqual(await index.search('other', 1));
    });

    it('throws INDEX_INCOMPATIBLE for another tokenizer or format version', async () => {
      const json = (await tiny()).toJSON();
      expect(codeOf(() => Bm25Index.fromJSON(json, { ...spaces, id: 'spaces:v2' }))).toBe('INDEX_INCOMPATIBLE');
      expect(codeOf(() => Bm25Index.fromJSON({ ...json, formatVersion: BM25_FORMAT_VERSION + 1 }, spaces))).toBe('INDEX_INCOMPATIBLE');
    });

    it.each<[string, (json: Record<string, unknown>) => unknown]>([
      ['not an object', () => 'keyword'],
      ['no formatVersion', (json) => ({ ...json, formatVersion: undefined })],
      ['terms not strings', (json) => ({ ...json, terms: [1, 2] })],
      ['postings cut short', (json) => ({ ...json, postings: String(json.postings).slice(0, 4) })],
      ['postings not base64', (json) => ({ ...json, postings: '!!' })],
      ['a term missing', (json) => ({ ...json, terms: (json.terms as string[]).slice(1) })],
      ['a document count that disagrees', (json) => ({ ...json, docCount: 2 })],
      ['lengths that disagree with the postings', (json) => ({ ...json, lengths: Buffer.from([3, 3, 3]).toString('base64') })],
      ['invalid options', (json) => ({ ...json, b: 7 })],
    ])('throws INDEX_CORRUPT for %s', async (_, make) => {
      const json = { ...(await tiny()).toJSON() };
      expect(codeOf(() => Bm25Index.fromJSON(make(json), spaces))).toBe('INDEX_CORRUPT');
    });
  });
});
