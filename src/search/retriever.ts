/**
 * Question → ranked chunks, from one index snapshot. Hybrid mode asks both
 * indexes for `candidates` hits each and fuses the two rankings; vector and
 * keyword modes use one index (for evaluation and comparison). Every result
 * carries both per-index scores, which the answer step uses to decide whether
 * anything relevant was found.
 */
import type { Embedder, Hit, RetrievalMode, RetrievedChunk } from '../types.js';
import { dot } from './exact-vector-index.js';
import { fuse, type FuseOptions } from './fuse.js';
import type { IndexSnapshot } from './index-store.js';

export interface RetrieverOptions {
  /** Hits taken from each index before fusion (and the depth keyword scores are known to). */
  readonly candidates: number;
  readonly fusion: FuseOptions;
}

/**
 * Chosen by measurement on the seed questions with the 235-report corpus as
 * distractors (numbers in the report of issue #3).
 */
export const DEFAULT_RETRIEVER_OPTIONS: Readonly<RetrieverOptions> = Object.freeze({
  candidates: 50,
  fusion: Object.freeze({ method: 'rrf', rrfK: 60 }),
});

export interface RetrieveOptions {
  /** Results wanted; default 5. */
  k?: number;
  /** Default `hybrid`. */
  mode?: RetrievalMode;
}

export class Retriever {
  readonly #snapshot: IndexSnapshot;
  readonly #embedder: Embedder;
  readonly #options: RetrieverOptions;

  constructor(snapshot: IndexSnapshot, embedder: Embedder, opts: Partial<RetrieverOptions> = {}) {
    if (embedder.id !== snapshot.manifest.embedder.id) {
      throw new Error(`retriever: index built with ${snapshot.manifest.embedder.id}, embedder is ${embedder.id}`);
    }
    this.#snapshot = snapshot;
    this.#embedder = embedder;
    this.#options = { ...DEFAULT_RETRIEVER_OPTIONS, ...opts };
  }

  /** The `k` best chunks for `query`, best first, with vectorScore and keywordScore filled. */
  async retrieve(query: string, opts: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const k = opts.k ?? 5;
    const mode = opts.mode ?? 'hybrid';
    const { vectors, keyword } = this.#snapshot;
    const depth = Math.max(k, this.#options.candidates);
    const queryVector = await this.#embedder.embedQuery(query);
    const keywordHits = keyword.search(query, depth);

    let ranked: Hit[];
    if (mode === 'keyword') ranked = keywordHits.slice(0, k);
    else {
      const vectorHits = vectors.search(queryVector, depth);
      ranked = mode === 'vector' ? vectorHits.slice(0, k) : fuse([vectorHits, keywordHits], { ...this.#options.fusion, limit: k });
    }

    const keywordScores = new Map(keywordHits.map((h) => [h.chunkId, h.score]));
    // A chunk absent from a keyword list that stopped short of `depth` matches no query term: its BM25 score is 0.
    const keywordFloor = keywordHits.length < depth ? 0 : undefined;
    return ranked.flatMap((hit, i) => {
      const chunk = this.#snapshot.chunks.get(hit.chunkId);
      const report = chunk && this.#snapshot.reports.get(chunk.source);
      if (chunk === undefined || report === undefined) return []; // cannot happen for a validated snapshot
      const keywordScore = keywordScores.get(hit.chunkId) ?? keywordFloor;
      return [
        {
          chunk,
          report: { source: report.source, title: report.title, ...meta(report) },
          score: hit.score,
          rank: i + 1,
          // Exact cosine for every result, even one found only by keywords.
          vectorScore: dot(queryVector, vectors.getVector(hit.chunkId)),
          ...(keywordScore !== undefined && { keywordScore }),
        },
      ];
    });
  }
}

function meta(r: { date?: string; region?: string; publisher?: string }): { date?: string; region?: string; publisher?: string } {
  return {
    ...(r.date !== undefined && { date: r.date }),
    ...(r.region !== undefined && { region: r.region }),
    ...(r.publisher !== undefined && { publisher: r.publisher }),
  };
}
