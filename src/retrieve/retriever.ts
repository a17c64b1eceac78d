/**
 * Question → ranked chunks, from one index snapshot. Hybrid mode asks both
 * indexes for `candidates` hits each and fuses the two rankings; vector and
 * keyword modes use one index (for evaluation and comparison). Every result
 * carries both per-index scores, which the answer step uses to decide whether
 * anything relevant was found.
 */
import { expandSynonyms } from '../text/synonyms.js';
import type { ChunkFilter, Embedder, Hit, Report, ReportMeta, RetrievalMode, RetrievedChunk } from '../types.js';
import { dot } from '../index/exact-vector-index.js';
import { fuse, type FuseOptions } from './fuse.js';
import type { IndexSnapshot } from '../index/index-store.js';

export interface RetrieverOptions {
  /** Hits taken from each index before fusion (and the depth keyword scores are known to). */
  readonly candidates: number;
  readonly fusion: FuseOptions;
}

/**
 * Chosen by measurement (bench/fusion-compare.ts): seeds + the 235-report
 * corpus (23,254 chunks), offline embedder (exact vector scan), 35
 * place+figure checks / 151 answerable eval questions; relevant = right report
 * and a paragraph containing the evidence. hit@1 | recall@5 | MRR@10:
 *
 * | variant                     | checks (35)         | eval (151)          |
 * |-----------------------------|---------------------|---------------------|
 * | vector only                 | 0.657 0.886 0.750   | 0.623 0.868 0.723   |
 * | keyword only                | 0.971 1.000 0.986   | 0.894 0.987 0.939   |
 * | rrf k=60                    | 0.886 1.000 0.930   | 0.748 0.967 0.841   |
 * | rrf k=10                    | 0.886 1.000 0.938   | 0.755 0.987 0.854   |
 * | rrf k=60, weights 1:2       | 0.914 1.000 0.952   | 0.795 0.987 0.876   |
 * | weighted min-max 1:1        | 0.943 1.000 0.971   | 0.801 0.993 0.887   |
 * | weighted min-max 0.3:0.7    | 0.971 1.000 0.986   | 0.894 0.993 0.942   |
 * | weighted min-max 0.2:0.8    | 0.971 1.000 0.986   | 0.921 0.993 0.954   |
 * | weighted z-score 1:1        | 0.971 1.000 0.986   | 0.808 0.993 0.888   |
 *
 * RRF rewards agreement between the lists, which costs precision when one
 * list is much weaker, as the offline embedder's is here; a keyword-leaning
 * weighted fusion keeps BM25's top hit and lets the vectors lift recall.
 * Re-measure with a neural embedder before changing it.
 */
export const DEFAULT_RETRIEVER_OPTIONS: Readonly<RetrieverOptions> = Object.freeze({
  candidates: 50,
  fusion: Object.freeze({ method: 'weighted', normalization: 'minmax', weights: Object.freeze([0.2, 0.8]) }),
});

export interface RetrieveOptions {
  /** Results wanted; default 5. */
  k?: number;
  /** Default `hybrid`. */
  mode?: RetrievalMode;
  /** Only these reports (by source): a question about 苏州 is answered from 苏州's reports. */
  sources?: ReadonlySet<string>;
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
    // Synonyms widen only the lexical side: 固投 must find 固定资产投资; vectors see the question as asked.
    const allowed = opts.sources;
    const filter: ChunkFilter | undefined =
      allowed === undefined ? undefined : (id) => allowed.has(this.#snapshot.chunks.get(id)?.source ?? '');
    // Keyword hits are needed in every mode (their scores go with each result); both searches run at once.
    const [keywordHits, vectorHits] = await Promise.all([
      keyword.search(expandSynonyms(query), depth, filter),
      mode === 'keyword' ? undefined : vectors.search(queryVector, depth, filter),
    ]);

    const ranked: Hit[] =
      vectorHits === undefined
        ? keywordHits.slice(0, k)
        : mode === 'vector'
          ? vectorHits.slice(0, k)
          : fuse([vectorHits, keywordHits], { ...this.#options.fusion, limit: k });

    const keywordScores = new Map(keywordHits.map((h) => [h.chunkId, h.score]));
    // A chunk absent from a keyword list that stopped short of `depth` matches no query term: its BM25 score is 0.
    const keywordFloor = keywordHits.length < depth ? 0 : undefined;
    // Exact cosine for every result, even one found only by keywords: one read of the stored vectors.
    const stored = await vectors.vectors(ranked.map((hit) => hit.chunkId));
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
          vectorScore: dot(queryVector, stored[i]!),
          ...(keywordScore !== undefined && { keywordScore }),
        },
      ];
    });
  }
}

/** The report's metadata without its paragraphs and hash: what a retrieved chunk carries. */
function meta(r: Report): Omit<ReportMeta, 'source' | 'title'> {
  const { source: _source, title: _title, hash: _hash, paragraphs: _paragraphs, ...rest } = r;
  return rest;
}
