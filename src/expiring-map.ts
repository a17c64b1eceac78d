/**
 * A map whose entries expire a while after they were last set, holding at
 * most a fixed number of entries (the least recently set is dropped first):
 * memory for chats that must not grow without bound in a long-running bot.
 */
export interface ExpiringMapOptions {
  readonly ttlMs: number;
  readonly maxEntries: number;
  /** Injected clock, for tests. */
  readonly now?: () => number;
}

export class ExpiringMap<V> {
  readonly #entries = new Map<string, { value: V; at: number }>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: ExpiringMapOptions) {
    this.#ttlMs = opts.ttlMs;
    this.#max = Math.max(1, opts.maxEntries);
    this.#now = opts.now ?? Date.now;
  }

  /** The value under `key`, unless it has expired. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() - entry.at > this.#ttlMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key); // re-inserted last: Map order is the eviction order
    this.#entries.set(key, { value, at: this.#now() });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
