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
import { readFile } from 'node:fs/promises';
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

  /** `entries` are `[word, idf]` pairs with idf > 0. */
  constructor(entries: ReadonlyArray<readonly [string, number]>) {
    let keys = 0;
    for (const [word] of entries) keys += Math.max(1, word.length - 1);
    const capacity = 2 ** Math.ceil(Math.log2(keys * 2 + 16));
    this.#mask = capacity - 1;
    this.#key1 = new Int32Array(capacity);
    this.#key2 = new Int32Array(capacity);
    this.#idf = new Float32Array(capacity).fill(NaN);
    this.#longer = new Uint8Array(capacity);

    const charIdf = new Float32Array(65536).fill(Infinity);
    for (const [word, idf] of entries) {
      for (let end = 2; end < word.length; end++) {
        const slot = this.#insert(...hashRange(word, 0, end));
        this.#longer[slot] = 1;
      }
      this.#idf[this.#insert(...hashRange(word))] = idf;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        if (idf < (charIdf[c] ?? Infinity)) charIdf[c] = idf;
      }
    }
    const sorted = Float64Array.from(entries, ([, idf]) => idf).sort();
    this.medianIdf = sorted[sorted.length >> 1] ?? 1;
    this.size = entries.length;
    for (let c = 0; c < charIdf.length; c++) if (charIdf[c] === Infinity) charIdf[c] = this.medianIdf;
    this.charIdf = charIdf;
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

  /** Convenience lookup by string (tests, diagnostics). */
  wordIdf(word: string): number | undefined {
    const slot = this.find(...hashRange(word));
    const idf = slot < 0 ? 0 : this.idfAt(slot);
    return idf > 0 ? idf : undefined;
  }

  #insert(h1: number, h2: number): number {
    let slot = mix32(h1) & this.#mask;
    while (!Number.isNaN(this.#idf[slot] ?? NaN)) {
      if (this.#key1[slot] === h1 && this.#key2[slot] === h2) return slot;
      slot = (slot + 1) & this.#mask;
    }
    this.#key1[slot] = h1;
    this.#key2[slot] = h2;
    this.#idf[slot] = 0;
    return slot;
  }
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
  return new IdfDictionary(entries);
}

const loaded = new Map<string, Promise<IdfDictionary>>();

/**
 * Reads and parses an IDF table once per path; later calls share the result
 * (the table is immutable, and parsing 260k lines takes a few hundred ms).
 */
export function loadIdfDictionary(path: string): Promise<IdfDictionary> {
  let dict = loaded.get(path);
  if (dict === undefined) {
    dict = readFile(path, 'utf8').then(
      (text) => parseIdfDictionary(text, path),
      (err: unknown) => {
        throw new AppError('MODEL_UNAVAILABLE', `Cannot read the IDF table ${path}; reinstall nodejieba (npm install).`, { cause: err });
      },
    );
    dict.catch(() => loaded.delete(path));
    loaded.set(path, dict);
  }
  return dict;
}
