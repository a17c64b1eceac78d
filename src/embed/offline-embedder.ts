/**
 * The built-in embedder: no model download, deterministic, fast. A text's
 * vector is its weighted terms (Han characters, jieba dictionary words,
 * figures, Latin words; see extract-terms.ts) hashed into a fixed number of
 * signed slots and L2-normalised. Weights come from jieba's shipped IDF
 * table, read directly, so neither nodejieba's mutable global dictionary nor
 * the indexed collection can change a report's vectors: an unchanged report
 * keeps its vectors across builds.
 */
import { createRequire } from 'node:module';
import { AppError } from '../errors.js';
import type { EmbedOptions, Embedder } from '../types.js';
import { embedInBatches } from './embed-in-batches.js';
import { hashTerms } from './hash-terms.js';
import { loadIdfDictionary, type IdfDictionary } from './idf-dictionary.js';
import { TermBag } from './term-bag.js';
import { extractTerms, type FeatureWeights } from './extract-terms.js';

/**
 * Term weights of scheme v1, tuned on the seed questions
 * (scripts/measure-offline-embedder.ts). Changing them changes every
 * vector: bump `SCHEME` so indexes built with the old weights are refused.
 */
export const OFFLINE_FEATURE_WEIGHTS: FeatureWeights = Object.freeze({
  char: 0.7,
  bigram: 0,
  word: 1,
  figure: 1,
  commonNumber: 0.4,
  latin: 1,
  documentPadding: 80,
});
const SCHEME = 'ngram-idf-v1';
const WEIGHT_KEYS = ['char', 'bigram', 'word', 'figure', 'commonNumber', 'latin', 'documentPadding'] as const satisfies readonly (keyof FeatureWeights)[];

export interface OfflineEmbedderOptions {
  /** Vector length. Default 768: clearly better than 512 on the seed questions, no worse than 1024 (scripts/measure-offline-embedder.ts). */
  dimensions: number;
  /** Texts per batch when `embedDocuments` is given none. Default 256. */
  batchSize: number;
  /** Term weights; default `OFFLINE_FEATURE_WEIGHTS`. Other weights (experiments) mark the id with `+w…`. */
  weights: FeatureWeights;
  /** Re-deals the hash slots (measuring collision noise); non-zero marks the id with `+s…`. Default 0. */
  hashSalt: number;
}

export const DEFAULT_OFFLINE_EMBEDDER_OPTIONS: Readonly<OfflineEmbedderOptions> = Object.freeze({
  dimensions: 768,
  batchSize: 256,
  weights: OFFLINE_FEATURE_WEIGHTS,
  hashSalt: 0,
});

/** jieba's IDF table as shipped inside the nodejieba package. */
export function defaultIdfPath(): string {
  const jieba: unknown = createRequire(import.meta.url)('nodejieba');
  if (typeof jieba === 'object' && jieba !== null && 'DEFAULT_IDF_DICT' in jieba && typeof jieba.DEFAULT_IDF_DICT === 'string') {
    return jieba.DEFAULT_IDF_DICT;
  }
  throw new AppError('MODEL_UNAVAILABLE', 'nodejieba does not export DEFAULT_IDF_DICT; reinstall it (npm install).');
}

export class OfflineEmbedder implements Embedder {
  /** Scheme and dimension, e.g. `offline:ngram-idf-v1-512`: vectors with different ids never mix. */
  readonly id: string;
  readonly dimensions: number;
  readonly #batchSize: number;
  readonly #weights: FeatureWeights;
  readonly #salt: number;
  /** Scratch space of the synchronous #embed; never shared between instances. */
  readonly #bag = new TermBag();

  constructor(opts: Partial<OfflineEmbedderOptions> = {}) {
    const o = { ...DEFAULT_OFFLINE_EMBEDDER_OPTIONS, ...opts };
    if (!Number.isInteger(o.dimensions) || o.dimensions < 16 || o.dimensions > 65536) {
      throw new AppError('INPUT_INVALID', `Offline embedder dimensions must be an integer from 16 to 65536, got ${o.dimensions}`);
    }
    this.dimensions = o.dimensions;
    this.#batchSize = o.batchSize;
    this.#weights = o.weights;
    this.#salt = o.hashSalt | 0;
    const custom = WEIGHT_KEYS.some((k) => o.weights[k] !== OFFLINE_FEATURE_WEIGHTS[k]);
    this.id =
      `offline:${SCHEME}-${o.dimensions}` +
      (custom ? '+w' + WEIGHT_KEYS.map((k) => o.weights[k]).join(',') : '') +
      (this.#salt !== 0 ? `+s${this.#salt}` : '');
  }

  async embedDocuments(texts: readonly string[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    const dict = await this.#dictionary();
    const padding = this.#weights.documentPadding;
    return embedInBatches(texts, opts, this.#batchSize, (batch) => batch.map((t) => this.#embed(t, dict, padding)));
  }

  /** Same terms as a document, without the document length padding (see hash-terms.ts). */
  async embedQuery(text: string): Promise<Float32Array> {
    return this.#embed(text, await this.#dictionary(), 0);
  }

  #embed(text: string, dict: IdfDictionary, padding: number): Float32Array {
    this.#bag.clear();
    extractTerms(text, dict, this.#weights, this.#bag);
    return hashTerms(this.#bag, this.dimensions, padding, this.#salt);
  }

  /** Loads the IDF table now (about half a CPU-second) instead of during the first question. */
  async warmUp(): Promise<void> {
    await this.#dictionary();
  }

  /** Loaded on first use and shared between instances, so constructing one is free. */
  #dictionary(): Promise<IdfDictionary> {
    return loadIdfDictionary(defaultIdfPath());
  }
}
