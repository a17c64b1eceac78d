/**
 * Retrieval metrics as pure functions over one ranked list. A ranking is
 * reduced to `relevance`: one boolean per retrieved result, best first, true
 * where the result is a hit (see `isHit`). Scores are per question; the run
 * averages them over the answerable questions.
 */
import type { EvalQuestion } from './dataset.js';

/** The part of a retrieved result that decides a hit. */
export interface MatchableResult {
  readonly source: string;
  readonly text: string;
}

/**
 * Text as compared for hits: all whitespace removed (the newspaper page has
 * spaces around numbers and hard-wrapped lines) and NFKC-normalised, so a
 * full-width comma in the data set still matches a half-width one that
 * cleaning may have produced.
 */
export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '');
}

/**
 * True when `result` comes from the question's `source` and its text contains
 * the question's `evidence` (whitespace-insensitive). A question without a
 * source never has a hit; one with a source but no evidence accepts any result
 * from that report.
 */
export function isHit(result: MatchableResult, q: Pick<EvalQuestion, 'source' | 'evidence'>): boolean {
  if (q.source === null || result.source !== q.source) return false;
  return q.evidence === null || normalizeForMatch(result.text).includes(normalizeForMatch(q.evidence));
}

/** 1 when the first result is a hit, else 0. */
export function hitAt1(relevance: readonly boolean[]): number {
  return relevance[0] === true ? 1 : 0;
}

/**
 * 1 when a hit is among the first `k` results, else 0 (success@k). The data
 * set names one piece of evidence per question, so "recall" here is whether
 * that evidence was retrieved at all.
 */
export function recallAtK(relevance: readonly boolean[], k: number): number {
  return relevance.slice(0, k).includes(true) ? 1 : 0;
}

/** 1 / rank of the first hit within the first 10 results, 0 when none. */
export function reciprocalRankAt10(relevance: readonly boolean[]): number {
  const i = relevance.slice(0, 10).indexOf(true);
  return i === -1 ? 0 : 1 / (i + 1);
}

/**
 * nDCG over the first 10 results with binary gains: DCG = Σ rel_i / log2(i + 1)
 * for ranks i = 1…10. The number of relevant chunks in the whole index is
 * unknown (overlapping chunks may each hold the evidence), so the ideal
 * ranking assumes as many relevant results as were retrieved in the top 10,
 * and at least one. With a single hit this is 1 / log2(rank + 1).
 */
export function ndcgAt10(relevance: readonly boolean[]): number {
  const top = relevance.slice(0, 10);
  const gain = (i: number): number => 1 / Math.log2(i + 2);
  const dcg = top.reduce((sum, rel, i) => (rel ? sum + gain(i) : sum), 0);
  const relevant = Math.max(1, top.filter(Boolean).length);
  let ideal = 0;
  for (let i = 0; i < relevant; i++) ideal += gain(i);
  return dcg / ideal;
}

/**
 * The p-th percentile (0–100) with linear interpolation between the closest
 * ranks (NumPy's default method): p50 of [1, 2, 3, 4] is 2.5. Returns NaN for
 * an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const low = sorted[lo] ?? Number.NaN;
  const high = sorted[hi] ?? Number.NaN;
  return low + (high - low) * (pos - lo);
}

/** Arithmetic mean; NaN for an empty list. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
