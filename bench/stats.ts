/** Statistics the benchmark reports: latency percentiles and recall@k against exact search. */
import type { Hit } from '../src/types.js';

/**
 * The nearest-rank percentile: the smallest value with at least `p` of the
 * values at or below it (p in [0, 1]). NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile p must be within [0, 1], got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] as number;
}

export interface LatencySummary {
  readonly n: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Count, mean, p50/p95/p99 and max of a list of durations (ms). */
export function summarize(values: readonly number[]): LatencySummary {
  const n = values.length;
  return {
    n,
    mean: n === 0 ? Number.NaN : values.reduce((s, x) => s + x, 0) / n,
    p50: percentile(values, 0.5),
    p95: percentile(values, 0.95),
    p99: percentile(values, 0.99),
    max: n === 0 ? Number.NaN : Math.max(...values),
  };
}

/** Two scores closer than this are a tie (float32 inner products computed in different orders differ by ~1e-7). */
export const SCORE_TIE = 1e-5;

/**
 * Recall@k of `approx` against the exact ranking `exact` (best first): the
 * share of the exact top k found in approx's top k. Tie-aware: a returned hit
 * outside the exact top k still counts when its score reaches the exact k-th
 * score (within SCORE_TIE), because among equal scores any choice is right.
 * With fewer than k exact results the denominator is their number; none → 1.
 */
export function recallAtK(approx: readonly Hit[], exact: readonly Hit[], k: number): number {
  const truth = exact.slice(0, k);
  if (truth.length === 0) return 1;
  const kth = truth[truth.length - 1]?.score ?? Number.NEGATIVE_INFINITY;
  const ids = new Set(truth.map((h) => h.chunkId));
  const found = new Set<number>();
  for (const hit of approx.slice(0, k)) {
    if (ids.has(hit.chunkId) || hit.score >= kth - SCORE_TIE) found.add(hit.chunkId);
  }
  return Math.min(found.size, truth.length) / truth.length;
}

/** Mean of a list (NaN when empty). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, x) => s + x, 0) / values.length;
}
