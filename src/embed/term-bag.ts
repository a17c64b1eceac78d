/**
 * Scratch multiset of term ids (32-bit hashes) with a weight per term, reused
 * across texts: the offline embedder's inner loop adds hundreds of terms per
 * chunk, and typed arrays keep that free of per-term allocations.
 */
export class TermBag {
  #ids: Int32Array;
  #counts: Int32Array;
  #weights: Float32Array;
  /** Occupied slots in insertion order, so clearing and iterating touch only those. */
  #used: Int32Array;
  #size = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.#ids = new Int32Array(capacity);
    this.#counts = new Int32Array(capacity);
    this.#weights = new Float32Array(capacity);
    this.#used = new Int32Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Counts one occurrence of `id`; `weight` is kept from its first occurrence (a term's weight never varies). */
  add(id: number, weight: number): void {
    const mask = this.#ids.length - 1;
    let slot = id & mask;
    while (this.#counts[slot] !== 0) {
      if (this.#ids[slot] === id) {
        this.#counts[slot] = (this.#counts[slot] ?? 0) + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.#ids[slot] = id;
    this.#counts[slot] = 1;
    this.#weights[slot] = weight;
    this.#used[this.#size++] = slot;
    if (this.#size * 2 > this.#ids.length) this.#grow();
  }

  /** Calls `fn` once per distinct term, in first-occurrence order. */
  forEach(fn: (id: number, count: number, weight: number) => void): void {
    for (let k = 0; k < this.#size; k++) {
      const slot = this.#used[k] ?? 0;
      fn(this.#ids[slot] ?? 0, this.#counts[slot] ?? 0, this.#weights[slot] ?? 0);
    }
  }

  clear(): void {
    for (let k = 0; k < this.#size; k++) this.#counts[this.#used[k] ?? 0] = 0;
    this.#size = 0;
  }

  #grow(): void {
    const entries: [number, number, number][] = [];
    this.forEach((id, count, weight) => entries.push([id, count, weight]));
    const capacity = this.#ids.length * 2;
    this.#ids = new Int32Array(capacity);
    this.#counts = new Int32Array(capacity);
    this.#weights = new Float32Array(capacity);
    this.#used = new Int32Array(capacity);
    this.#size = 0;
    for (const [id, count, weight] of entries) {
      this.add(id, weight);
      this.#counts[this.#used[this.#size - 1] ?? 0] = count;
    }
  }
}
