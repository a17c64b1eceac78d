/**
 * jieba's shipped IDF table (word → inverse document frequency), read
 * ourselves rather than through nodejieba: nodejieba's dictionary is
 * process-wide and mutable (`insertWord`), and the offline embedder's vectors
 * must not change if anything in the process changes it.
 *
 * Words and their prefixes live in one open-addressing table keyed by the
 * two lanes of term-hash.ts, so a scan can extend a substring one character
 * at a time and stop as soon as no dictionary word continues it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import { hashRange, mix32 } from './term-hash.js';

export class IdfDictionary {
  /** Median word IDF: the weight of terms the table cannot know (figures, Latin words). */
  readonly medianIdf: number;
  /** Number of words. */
  readonly size: number;
  /**
   * Estimated IDF per UTF-16 code unit. Every document holding a word holds
   * its characters, so a character's IDF is at most the lowest IDF of a word
   * containing it; that bound is the estimate. Others get `medianIdf`.
   */
  readonly charIdf: Float32Array;
  readonly #key1: Int32Array;
  readonly #key2: Int32Array;
  /** IDF of the word in a slot; 0 for a slot holding only a prefix, NaN for an empty slot. */
  readonly #idf: Float32Array;
  readonly #longer: Uint8Array;
  readonly #mask: number;

  private constructor(t: IdfTable) {
    this.medianIdf = t.medianIdf;
    this.size = t.size;
    this.charIdf = t.charIdf;
    this.#key1 = t.key1;
    this.#key2 = t.key2;
    this.#idf = t.idf;
    this.#longer = t.longer;
    this.#mask = t.key1.length - 1;
  }

  /** `entries` are `[word, idf]` pairs with idf > 0. */
  static fromEntries(entries: ReadonlyArray<readonly [string, number]>): IdfDictionary {
    let keys = 0;
    for (const [word] of entries) keys += Math.max(1, word.length - 1);
    const capacity = 2 ** Math.ceil(Math.log2(keys * 2 + 16));
    const t: IdfTable = {
      key1: new Int32Array(capacity),
      key2: new Int32Array(capacity),
      idf: new Float32Array(capacity).fill(NaN),
      longer: new Uint8Array(capacity),
      charIdf: new Float32Array(65536).fill(Infinity),
      medianIdf: 1,
      size: entries.length,
    };
    for (const [word, idf] of entries) {
      for (let end = 2; end < word.length; end++) {
        const slot = insert(t, ...hashRange(word, 0, end));
        t.longer[slot] = 1;
      }
      t.idf[insert(t, ...hashRange(word))] = idf;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        if (idf < (t.charIdf[c] ?? Infinity)) t.charIdf[c] = idf;
      }
    }
    const sorted = Float64Array.from(entries, ([, idf]) => idf).sort();
    t.medianIdf = sorted[sorted.length >> 1] ?? 1;
    for (let c = 0; c < t.charIdf.length; c++) if (t.charIdf[c] === Infinity) t.charIdf[c] = t.medianIdf;
    return new IdfDictionary(t);
  }

  /** Convenience lookup by string (tests, diagnostics). */
  wordIdf(word: string): number | undefined {
    const slot = this.find(...hashRange(word));
    const idf = slot < 0 ? 0 : this.idfAt(slot);
    return idf > 0 ? idf : undefined;
  }

  /** The table as bytes for `fromBytes`: a header, then its arrays back to back (no parsing on load). */
  toBytes(): Uint8Array {
    const capacity = this.#key1.length;
    const out = new Uint8Array(HEADER_BYTES + capacity * 13 + this.charIdf.byteLength);
    const head = new DataView(out.buffer);
    head.setUint32(0, CACHE_MAGIC, true);
    head.setUint32(4, capacity, true);
    head.setUint32(8, this.size, true);
    head.setFloat64(16, this.medianIdf, true);
    let at = HEADER_BYTES;
    for (const a of [this.#key1, this.#key2, this.#idf, this.charIdf, this.#longer]) {
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at += a.byteLength;
    }
    return out;
  }

  /** The table `toBytes` wrote, or undefined when `bytes` are not such a table (another version, cut short). */
  static fromBytes(bytes: Uint8Array): IdfDictionary | undefined {
    if (bytes.byteLength < HEADER_BYTES) return undefined;
    const copy = bytes.slice(); // an aligned buffer of our own
    const head = new DataView(copy.buffer);
    const capacity = head.getUint32(4, true);
    if (head.getUint32(0, true) !== CACHE_MAGIC || capacity === 0 || (capacity & (capacity - 1)) !== 0) return undefined;
    if (copy.byteLength !== HEADER_BYTES + capacity * 13 + 65536 * 4) return undefined;
    let at = HEADER_BYTES;
    const take = <T>(make: (b: ArrayBuffer, offset: number, n: number) => T, n: number, width: number): T => {
      const a = make(copy.buffer, at, n);
      at += n * width;
      return a;
    };
    return new IdfDictionary({
      key1: take((b, o, n) => new Int32Array(b, o, n), capacity, 4),
      key2: take((b, o, n) => new Int32Array(b, o, n), capacity, 4),
      idf: take((b, o, n) => new Float32Array(b, o, n), capacity, 4),
      charIdf: take((b, o, n) => new Float32Array(b, o, n), 65536, 4),
      longer: take((b, o, n) => new Uint8Array(b, o, n), capacity, 1),
      size: head.getUint32(8, true),
      medianIdf: head.getFloat64(16, true),
    });
  }

  /** Slot of the word or prefix with these lane hashes, or -1. */
  find(h1: number, h2: number): number {
    for (let slot = mix32(h1) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const idf = this.#idf[slot] ?? NaN;
      if (Number.isNaN(idf)) return -1;
      if (this.#key1[slot] === h1 && this.#key2[slot] === h2) return slot;
    }
  }

  /** IDF of the word in `slot`, 0 when the slot holds only a prefix of longer words. */
  idfAt(slot: number): number {
    return this.#idf[slot] ?? 0;
  }

  /** True when a longer dictionary word continues the term in `slot`. */
  hasLongerAt(slot: number): boolean {
    return this.#longer[slot] === 1;
  }


}

/** The arrays of a table, built by `fromEntries` or read back by `fromBytes`. */
interface IdfTable {
  readonly key1: Int32Array;
  readonly key2: Int32Array;
  readonly idf: Float32Array;
  readonly longer: Uint8Array;
  readonly charIdf: Float32Array;
  medianIdf: number;
  readonly size: number;
}

/** "IDF1": the layout of `toBytes`; change it with the layout. */
const CACHE_MAGIC = 0x31464449;
const HEADER_BYTES = 24;

/** Slot of the word or prefix with these lane hashes, claimed (idf 0) when new. */
function insert(t: IdfTable, h1: number, h2: number): number {
  const mask = t.key1.length - 1;
  let slot = mix32(h1) & mask;
  while (!Number.isNaN(t.idf[slot] ?? NaN)) {
    if (t.key1[slot] === h1 && t.key2[slot] === h2) return slot;
    slot = (slot + 1) & mask;
  }
  t.key1[slot] = h1;
  t.key2[slot] = h2;
  t.idf[slot] = 0;
  return slot;
}

/** Parses `word idf` lines (jieba's idf.utf8 format). Throws when no line parses. */
export function parseIdfDictionary(text: string, source = 'IDF table'): IdfDictionary {
  const entries: [string, number][] = [];
  for (const line of text.split('\n')) {
    const space = line.lastIndexOf(' ');
    if (space <= 0) continue;
    const idf = Number(line.slice(space + 1));
    if (Number.isFinite(idf) && idf > 0) entries.push([line.slice(0, space), idf]);
  }
  if (entries.length === 0) throw new AppError('MODEL_UNAVAILABLE', `${source} holds no "word idf" lines`);
  return IdfDictionary.fromEntries(entries);
}

const loaded = new Map<string, Promise<IdfDictionary>>();

/**
 * Where parsed tables are kept between runs: npm's conventional cache folder
 * of the package. Parsing the 260k lines costs about a quarter of a second
 * and much garbage at every start of a command; reading the cached arrays
 * back costs a few milliseconds.
 */
export const DEFAULT_IDF_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/report-qa/', import.meta.url));

/**
 * Reads and parses an IDF table once per path; later calls share the result
 * (the table is immutable). A parsed table is cached in `cacheDir` under the
 * text file's path, size and modification time, so an updated table is parsed
 * again; a cache that cannot be read or written only costs the parse.
 */
export function loadIdfDictionary(path: string, cacheDir = DEFAULT_IDF_CACHE_DIR): Promise<IdfDictionary> {
  const key = `${cacheDir}\0${path}`;
  let dict = loaded.get(key);
  if (dict === undefined) {
    dict = readTable(path, cacheDir);
    dict.catch(() => loaded.delete(key));
    loaded.set(key, dict);
  }
  return dict;
}

async function readTable(file: string, cacheDir: string): Promise<IdfDictionary> {
  let cached: string | undefined;
  try {
    const { size, mtimeMs } = await stat(file);
    cached = join(cacheDir, `idf-${createHash('sha256').update(`${file}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 16)}.bin`);
    const table = IdfDictionary.fromBytes(await readFile(cached));
    if (table !== undefined) return table;
  } catch {
    // No cache yet (or the table is missing: reading it says so below).
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('MODEL_UNAVAILABLE', `Cannot read the IDF table ${file}; reinstall nodejieba (npm install).`, { cause: err });
  }
  const table = parseIdfDictionary(text, file);
  if (cached !== undefined) await writeCache(cached, table.toBytes());
  return table;
}

/** Writes beside and renames, so a reader never sees half a table; a read-only folder is fine. */
async function writeCache(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch {
    await rm(tmp, { force: true }).catch(() => {});
  }
}
