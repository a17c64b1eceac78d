/**
 * The rerank stage: the retriever returns a wider list of candidates than the
 * answer uses; a `Reranker` (src/types.ts) reorders it by fit to the question
 * and the first k of its order go on to the decision. The default reranker
 * keeps the retriever's order, so the first k are the retriever's first k.
 */
import type { Reranker, RetrievedChunk } from '../types.js';

/** Candidates retrieved for the reranker when fewer than this many are asked. */
export const RERANK_CANDIDATES = 20;

/** Keeps the retriever's order. */
export const identityReranker: Reranker = {
  rerank: (_question, candidates) => Promise.resolve([...candidates]),
};

/**
 * The first `k` of a reranked list, ranked 1..k in their new order: the
 * decision reads ranks (only the first few may answer), so they must be the
 * reranker's, not the retriever's.
 */
export function firstK(ranked: readonly RetrievedChunk[], k: number): RetrievedChunk[] {
  return ranked.slice(0, k).map((r, i) => (r.rank === i + 1 ? r : { ...r, rank: i + 1 }));
}
