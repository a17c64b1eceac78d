/**
 * A deterministic embedder for tests: each text becomes the normalised sum of
 * hashed character unigrams and bigrams, so texts that share characters get
 * similar vectors (enough for retrieval tests) without any model. It counts
 * what it embeds, so tests can prove that unchanged chunks are not re-embedded.
 */
import type { EmbedOptions, Embedder } from '../../src/types.js';

export interface FakeEmbedderOptions {
  id?: string;
  dimensions?: number;
  /** Throw once this many documents have been embedded (simulates a crash mid-build). */
  failAfterDocuments?: number;
}

export class FakeEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  /** embedDocuments calls. */
  documentCalls = 0;
  /** Texts embedded by embedDocuments, over all calls. */
  documentsEmbedded = 0;
  /** Every text passed to embedDocuments, in order. */
  readonly embeddedTexts: string[] = [];
  queries = 0;
  readonly #failAfter: number | undefined;

  constructor(opts: FakeEmbedderOptions = {}) {
    this.id = opts.id ?? 'fake:hash-v1';
    this.dimensions = opts.dimensions ?? 64;
    this.#failAfter = opts.failAfterDocuments;
  }

  async embedDocuments(texts: readonly string[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    this.documentCalls += 1;
    const batch = opts.batchSize ?? 16;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batch) {
      opts.signal?.throwIfAborted();
      for (const text of texts.slice(i, i + batch)) {
        if (this.#failAfter !== undefined && this.documentsEmbedded >= this.#failAfter) {
          throw new Error(`fake embedder failure after ${this.#failAfter} documents`);
        }
        out.push(this.vector(text));
        this.embeddedTexts.push(text);
        this.documentsEmbedded += 1;
      }
      opts.onProgress?.(out.length, texts.length);
      await Promise.resolve();
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    this.queries += 1;
    return this.vector(text);
  }

  /** The vector of `text` (no counting). */
  vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    const chars = [...text.replace(/\s+/g, '')];
    chars.forEach((c, i) => {
      bump(v, c, 1);
      const next = chars[i + 1];
      if (next !== undefined) bump(v, c + next, 2);
    });
    let norm = 0;
    for (const x of v) norm += x * x;
    if (norm === 0) v[0] = 1;
    else for (let i = 0; i < v.length; i++) v[i]! /= Math.sqrt(norm);
    return v;
  }
}

function bump(v: Float32Array, gram: string, weight: number): void {
  let h = 2166136261;
  for (let i = 0; i < gram.length; i++) h = Math.imul(h ^ gram.charCodeAt(i), 16777619);
  const slot = (h >>> 0) % v.length;
  v[slot]! += (h & 0x80000000) === 0 ? weight : -weight;
}
