/**
 * Brute-force inner-product search: exact, O(n·d) per query. It is the
 * ground truth the HNSW index is measured against (tests, benchmark), not a
 * production index.
 */
import type { Hit } from '../types.js';

export class ExactVectorIndex {
  readonly #vectors = new Map<number, Float32Array>();

  get size(): number {
    return this.#vectors.size;
  }

  /** Adds or replaces the vector of `label`. */
  add(label: number, v: Float32Array): void {
    const first = this.#vectors.values().next();
    if (!first.done && first.value.length !== v.length) {
      throw new RangeError(`vector has ${v.length} dimensions, the index holds ${first.value.length}`);
    }
    this.#vectors.set(label, v);
  }

  remove(label: number): void {
    this.#vectors.delete(label);
  }

  /** The exact `k` best labels by inner product (= cosine on unit vectors), ties by label. */
  search(v: Float32Array, k: number): Hit[] {
    const n = Math.min(Math.floor(k), this.#vectors.size);
    if (n <= 0) return [];
    // Keep the n best in a small sorted array: n is ~10-100, so insertion beats a heap here.
    const best: { label: number; score: number }[] = [];
    for (const [label, u] of this.#vectors) {
      const score = dot(v, u);
      const worst = best[best.length - 1];
      if (best.length === n && worst !== undefined && !better(score, label, worst)) continue;
      let i = best.length;
      while (i > 0 && better(score, label, best[i - 1]!)) i--;
      best.splice(i, 0, { label, score });
      if (best.length > n) best.pop();
    }
    return best.map((b, i) => ({ chunkId: b.label, score: b.score, rank: i + 1 }));
  }
}

function better(score: number, label: number, than: { label: number; score: number }): boolean {
  return score > than.score || (score === than.score && label < than.label);
}

/** Inner product of two equal-length vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
