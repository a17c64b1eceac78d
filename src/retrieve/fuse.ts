/**
 * Merges several ranked lists (vector, keyword) into one. Pure: no index, no
 * I/O, so it is tested by hand-computed examples.
 *
 * - `rrf` — reciprocal rank fusion: score(d) = Σ wᵢ / (k + rankᵢ(d)). Uses
 *   ranks only, so it needs no calibration between a cosine and a BM25 score.
 * - `weighted` — each list's scores are normalised (`minmax` to [0, 1] or
 *   `zscore`), multiplied by the list's weight and summed. A document absent
 *   from a list gets that list's lowest normalised score: absent is treated as
 *   no better than the worst candidate shown.
 *
 * Ties in the fused score are broken by the best rank the document had in any
 * list, then by chunkId, so the output is deterministic.
 */
import type { Hit } from '../types.js';

export type FuseMethod = 'rrf' | 'weighted';
export type ScoreNormalization = 'minmax' | 'zscore';

export interface FuseOptions {
  /** Default `rrf`. */
  readonly method?: FuseMethod;
  /** RRF constant k; default 60 (Cormack et al. 2009). */
  readonly rrfK?: number;
  /** One weight per list, default 1 each. */
  readonly weights?: readonly number[];
  /** For `weighted`; default `minmax`. */
  readonly normalization?: ScoreNormalization;
  /** Keep at most this many results; default all. */
  readonly limit?: number;
}

export const DEFAULT_FUSE_OPTIONS = Object.freeze({
  method: 'rrf',
  rrfK: 60,
  normalization: 'minmax',
} as const satisfies FuseOptions);

interface Acc {
  chunkId: number;
  score: number;
  bestRank: number;
}

/** Fuses ranked lists into one list ranked from 1. Empty lists contribute nothing. */
export function fuse(lists: readonly (readonly Hit[])[], opts: FuseOptions = {}): Hit[] {
  const method = opts.method ?? DEFAULT_FUSE_OPTIONS.method;
  const acc = new Map<number, Acc>();
  for (const list of lists) {
    for (const hit of list) {
      const entry = acc.get(hit.chunkId) ?? { chunkId: hit.chunkId, score: 0, bestRank: Infinity };
      entry.bestRank = Math.min(entry.bestRank, hit.rank);
      acc.set(hit.chunkId, entry);
    }
  }

  lists.forEach((list, li) => {
    if (list.length === 0) return;
    const weight = opts.weights?.[li] ?? 1;
    const contribution =
      method === 'rrf'
        ? rrfContribution(opts.rrfK ?? DEFAULT_FUSE_OPTIONS.rrfK)
        : normalizedContribution(list, opts.normalization ?? DEFAULT_FUSE_OPTIONS.normalization);
    const first = new Map<number, Hit>();
    for (const hit of list) if (!first.has(hit.chunkId)) first.set(hit.chunkId, hit); // a list's best occurrence counts
    for (const entry of acc.values()) {
      const hit = first.get(entry.chunkId);
      entry.score += weight * (hit === undefined ? contribution.absent : contribution.of(hit));
    }
  });

  const fused = [...acc.values()].sort((a, b) => b.score - a.score || a.bestRank - b.bestRank || a.chunkId - b.chunkId);
  return fused.slice(0, opts.limit ?? fused.length).map((e, i) => ({ chunkId: e.chunkId, score: e.score, rank: i + 1 }));
}

interface Contribution {
  of(hit: Hit): number;
  /** What a document missing from the list receives. */
  readonly absent: number;
}

function rrfContribution(k: number): Contribution {
  return { of: (hit) => 1 / (k + hit.rank), absent: 0 };
}

function normalizedContribution(list: readonly Hit[], how: ScoreNormalization): Contribution {
  const scores = list.map((h) => h.score);
  if (how === 'minmax') {
    const min = Math.min(...scores);
    const span = Math.max(...scores) - min;
    // All equal: every listed document is as good as the best.
    return { of: (h) => (span === 0 ? 1 : (h.score - min) / span), absent: 0 };
  }
  const mean = scores.reduce((s, x) => s + x, 0) / scores.length;
  const sd = Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / scores.length);
  const z = (x: number): number => (sd === 0 ? 0 : (x - mean) / sd);
  return { of: (h) => z(h.score), absent: Math.min(...scores.map(z)) };
}
