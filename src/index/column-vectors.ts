/**
 * Vectors stored column by column (all values of component 0, then of
 * component 1, …), for exact inner-product search that only reads the query's
 * non-zero components: a query with z non-zero components over n vectors costs
 * z·n multiply-adds. Short questions under the offline embedder have ~20 of
 * 768 components set, which makes exact search over 100k chunks a few
 * milliseconds — and exact, where HNSW's greedy walk gets lost on such sparse,
 * out-of-distribution queries (see DEFAULT_HNSW_OPTIONS).
 */
import type { ChunkFilter, Hit } from '../types.js';

const INITIAL_CAPACITY = 1024;
const FREE = -1;

export class ColumnVectors {
  readonly dimensions: number;
  #capacity: number;
  /** `dimensions × capacity`, column-major: component j of slot s is at `j * capacity + s`. */
  #data: Float32Array;
  /** Label held by each slot up to the high-water mark, FREE for an emptied slot. */
  #labelOf: number[] = [];
  readonly #slotOf = new Map<number, number>();
  readonly #free: number[] = [];

  constructor(dimensions: number, capacity = INITIAL_CAPACITY) {
    this.dimensions = dimensions;
    this.#capacity = Math.max(1, capacity);
    this.#data = new Float32Array(dimensions * this.#capacity);
  }

  get size(): number {
    return this.#slotOf.size;
  }

  has(label: number): boolean {
    return this.#slotOf.has(label);
  }

  labels(): IterableIterator<number> {
    return this.#slotOf.keys();
  }

  /** Makes room for `count` vectors in all, growing at most once (emptied slots are reused first). */
  reserve(count: number): void {
    const needed = Math.max(this.#labelOf.length, count);
    if (needed > this.#capacity) this.#grow(needed);
  }

  /** Stores `v` under `label` (replacing a previous vector of that label). */
  set(label: number, v: ArrayLike<number>): void {
    let slot = this.#slotOf.get(label);
    if (slot === undefined) {
      slot = this.#free.pop() ?? this.#labelOf.length;
      if (slot >= this.#capacity) this.#grow(this.#capacity * 2);
      this.#labelOf[slot] = label;
      this.#slotOf.set(label, slot);
    }
    const cap = this.#capacity;
    for (let j = 0; j < this.dimensions; j++) this.#data[j * cap + slot] = v[j] ?? 0;
  }

  delete(label: number): boolean {
    const slot = this.#slotOf.get(label);
    if (slot === undefined) return false;
    this.#slotOf.delete(label);
    this.#labelOf[slot] = FREE;
    const cap = this.#capacity;
    for (let j = 0; j < this.dimensions; j++) this.#data[j * cap + slot] = 0;
    this.#free.push(slot);
    return true;
  }

  /** A copy of the vector of `label`, or undefined. */
  get(label: number): Float32Array | undefined {
    const slot = this.#slotOf.get(label);
    if (slot === undefined) return undefined;
    const v = new Float32Array(this.dimensions);
    const cap = this.#capacity;
    for (let j = 0; j < this.dimensions; j++) v[j] = this.#data[j * cap + slot] ?? 0;
    return v;
  }

  /**
   * An independent copy with the same slots and labels and room for `capacity` vectors,
   * allocated once (fresh memory is slow to touch: a second 300 MB array for a later
   * `reserve` cost over a second at 100k vectors).
   */
  clone(capacity = this.#capacity): ColumnVectors {
    const copy = new ColumnVectors(this.dimensions, 1);
    copy.#capacity = Math.max(capacity, this.#labelOf.length, 1);
    copy.#data = this.#columnsWithCapacity(copy.#capacity);
    copy.#labelOf = this.#labelOf.slice();
    for (const [label, slot] of this.#slotOf) copy.#slotOf.set(label, slot);
    copy.#free.push(...this.#free);
    return copy;
  }

  /** Multiply-adds an exact search for `q` would cost. */
  scanCost(q: Float32Array): number {
    let nonZero = 0;
    for (let j = 0; j < q.length; j++) if (q[j] !== 0) nonZero++;
    return nonZero * this.#labelOf.length;
  }

  /** The exact `k` best labels by inner product, ties by label; only labels `filter` accepts. */
  search(q: Float32Array, k: number, filter?: ChunkFilter): Hit[] {
    const n = this.#labelOf.length;
    const cap = this.#capacity;
    // float32 and a per-column view: measured ~3× faster than float64 with computed offsets.
    const scores = new Float32Array(n);
    for (let j = 0; j < this.dimensions; j++) {
      const w = q[j] ?? 0;
      if (w === 0) continue;
      const column = this.#data.subarray(j * cap, j * cap + n);
      for (let s = 0; s < n; s++) scores[s]! += w * column[s]!;
    }
    return topK(scores, this.#labelOf, Math.min(Math.floor(k), this.size), filter);
  }

  #grow(capacity: number): void {
    this.#data = this.#columnsWithCapacity(capacity);
    this.#capacity = capacity;
  }

  /** The stored columns laid out for `capacity` slots, in a new array. */
  #columnsWithCapacity(capacity: number): Float32Array {
    if (capacity === this.#capacity) return this.#data.slice();
    const data = new Float32Array(this.dimensions * capacity);
    for (let j = 0; j < this.dimensions; j++) {
      data.set(this.#data.subarray(j * this.#capacity, j * this.#capacity + this.#labelOf.length), j * capacity);
    }
    return data;
  }
}

/** Best `k` slots by score (skipping FREE ones), via a min-heap of size k. */
function topK(scores: Float32Array, labels: readonly number[], k: number, filter?: ChunkFilter): Hit[] {
  if (k <= 0) return [];
  // heap of slots; root = worst kept
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean =>
    scores[a]! < scores[b]! || (scores[a] === scores[b] && labels[a]! > labels[b]!);
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let s = 0; s < scores.length; s++) {
    if (labels[s] === FREE || (filter !== undefined && !filter(labels[s]!))) continue;
    if (heap.length < k) {
      heap.push(s);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    } else if (worse(heap[0]!, s)) {
      heap[0] = s;
      siftDown(0);
    }
  }
  heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  return heap.map((s, i) => ({ chunkId: labels[s]!, score: scores[s]!, rank: i + 1 }));
}
