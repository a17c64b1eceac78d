/**
 * Approximate nearest-neighbour search over unit vectors with hnswlib-node.
 * The space is inner product, so on unit vectors `score = 1 - distance` is the
 * cosine similarity. Labels are chunkIds. Deletions are hnswlib's
 * `markDelete`; when deleted labels pile up past `maxDeletedShare` the graph is
 * rebuilt from the stored vectors, so searches never wade through tombstones.
 */
import hnswlib from 'hnswlib-node';
import type { Hit } from '../types.js';

export interface HnswOptions {
  /** Links per node (hnswlib `M`). */
  readonly M: number;
  /** Candidate list size while inserting; higher = better graph, slower build. */
  readonly efConstruction: number;
  /** Candidate list size while searching; raised to k when k is larger. */
  readonly efSearch: number;
  /**
   * Share of deleted labels (deleted / (live + deleted)) above which `remove`
   * rebuilds the graph from the live vectors. Default 0.25.
   */
  readonly maxDeletedShare?: number;
}

/**
 * Chosen by measurement (bench/hnsw-params.ts; numbers in the report of
 * issue #3). recall@10 against exact brute force, single-threaded build,
 * 2-core shared machine:
 *
 * TABLE_PLACEHOLDER
 */
export const DEFAULT_HNSW_OPTIONS: Readonly<HnswOptions> = Object.freeze({
  M: 16,
  efConstruction: 200,
  efSearch: 100,
});

export interface HnswLoadOptions extends Partial<HnswOptions> {
  /**
   * The labels that are live. hnswlib keeps deletion marks in its file but
   * cannot list them, so the owner of the labels (the chunk table) says which
   * are live; every other stored label is treated as deleted. Default: all.
   */
  readonly live?: Iterable<number>;
}

const DEFAULT_MAX_DELETED_SHARE = 0.25;
/** Room for this many vectors before the first resize. */
const INITIAL_CAPACITY = 1024;
/** Fixed so that builds are reproducible. */
const RANDOM_SEED = 100;

export class HnswVectorIndex {
  readonly dimensions: number;
  #index: hnswlib.HierarchicalNSW;
  readonly #options: HnswOptions;
  readonly #live: Set<number>;
  /** Labels marked deleted but still stored in the graph. */
  readonly #deleted: Set<number>;

  private constructor(
    index: hnswlib.HierarchicalNSW,
    dimensions: number,
    options: HnswOptions,
    live: Set<number>,
    deleted: Set<number>,
  ) {
    this.#index = index;
    this.dimensions = dimensions;
    this.#options = options;
    this.#live = live;
    this.#deleted = deleted;
    this.#index.setEf(options.efSearch);
  }

  /** An empty index for vectors of `dimensions` components. */
  static create(dimensions: number, opts: Partial<HnswOptions> = {}): HnswVectorIndex {
    const options = resolveOptions(opts);
    return new HnswVectorIndex(newGraph(dimensions, options, INITIAL_CAPACITY), dimensions, options, new Set(), new Set());
  }

  /**
   * Reads an index written by `save`. Throws when the file is missing or not
   * an hnswlib index of `dimensions`, or when a label in `opts.live` is absent.
   * Callers that need integrity guarantees check the file's checksum first:
   * hnswlib does not detect every kind of damage.
   */
  static async load(file: string, dimensions: number, opts: HnswLoadOptions = {}): Promise<HnswVectorIndex> {
    const options = resolveOptions(opts);
    const index = new hnswlib.HierarchicalNSW('ip', dimensions);
    await index.readIndex(file);
    if (index.getNumDimensions() !== dimensions) {
      throw new Error(`HNSW file ${file} has ${index.getNumDimensions()} dimensions, expected ${dimensions}`);
    }
    const stored = new Set(index.getIdsList());
    const live = opts.live === undefined ? new Set(stored) : new Set(opts.live);
    for (const label of live) {
      if (!stored.delete(label)) throw new Error(`HNSW file ${file} has no vector for label ${label}`);
    }
    return new HnswVectorIndex(index, dimensions, options, live, stored);
  }

  /** Number of live (not deleted) vectors. */
  get size(): number {
    return this.#live.size;
  }

  /** Number of deleted labels still occupying the graph. */
  get deletedCount(): number {
    return this.#deleted.size;
  }

  /** The options in force (efSearch as currently set). */
  get options(): Readonly<HnswOptions> {
    return { ...this.#options, efSearch: this.efSearch };
  }

  get efSearch(): number {
    return this.#index.getEf();
  }

  set efSearch(ef: number) {
    if (!Number.isInteger(ef) || ef < 1) throw new RangeError(`efSearch must be a positive integer, got ${ef}`);
    this.#index.setEf(ef);
  }

  has(label: number): boolean {
    return this.#live.has(label);
  }

  /** Live labels, in no particular order. */
  labels(): IterableIterator<number> {
    return this.#live.values();
  }

  /**
   * Adds a unit vector under `label` (a non-negative integer). Re-adding a
   * deleted label brings it back with the new vector; re-adding a live one throws,
   * because silently replacing a chunk's vector hides id bugs.
   */
  add(label: number, v: Float32Array): void {
    this.#checkVector(v);
    if (!Number.isInteger(label) || label < 0 || label > 0xffffffff) {
      throw new RangeError(`HNSW label must be a 32-bit unsigned integer, got ${label}`);
    }
    if (this.#live.has(label)) throw new Error(`HNSW label ${label} is already in the index`);
    if (this.#index.getCurrentCount() >= this.#index.getMaxElements()) {
      this.#index.resizeIndex(Math.max(INITIAL_CAPACITY, this.#index.getMaxElements() * 2));
    }
    this.#index.addPoint(Array.from(v), label);
    this.#live.add(label);
    this.#deleted.delete(label);
  }

  /** Deletes `label`; unknown labels are ignored. May compact the graph (see `maxDeletedShare`). */
  remove(label: number): void {
    this.removeMany([label]);
  }

  /** Deletes every label, then compacts at most once (see `maxDeletedShare`). */
  removeMany(labels: Iterable<number>): void {
    for (const label of labels) {
      if (!this.#live.delete(label)) continue;
      this.#index.markDelete(label);
      this.#deleted.add(label);
    }
    if (this.#deleted.size === 0) return;
    const share = this.#deleted.size / (this.#deleted.size + this.#live.size);
    if (share > (this.#options.maxDeletedShare ?? DEFAULT_MAX_DELETED_SHARE)) this.compact();
  }

  /** Rebuilds the graph from the live vectors, dropping every deleted label. */
  compact(): void {
    if (this.#deleted.size === 0) return;
    const fresh = newGraph(this.dimensions, this.#options, Math.max(INITIAL_CAPACITY, this.#live.size));
    for (const label of this.#live) fresh.addPoint(this.#index.getPoint(label), label);
    fresh.setEf(this.#index.getEf());
    this.#index = fresh;
    this.#deleted.clear();
  }

  /** The stored vector of a live label (a copy). */
  getVector(label: number): Float32Array {
    if (!this.#live.has(label)) throw new Error(`HNSW label ${label} is not in the index`);
    return Float32Array.from(this.#index.getPoint(label));
  }

  /** The `k` most similar live vectors, best first; `score` is the inner product. */
  search(v: Float32Array, k: number): Hit[] {
    this.#checkVector(v);
    const n = Math.min(Math.floor(k), this.#live.size);
    if (n <= 0) return [];
    const { neighbors, distances } = this.#index.searchKnn(Array.from(v), n);
    return neighbors.map((chunkId, i) => ({ chunkId, score: 1 - (distances[i] ?? 1), rank: i + 1 }));
  }

  /** Writes the graph and vectors to `file` (hnswlib's binary format). */
  async save(file: string): Promise<void> {
    await this.#index.writeIndex(file);
  }

  #checkVector(v: Float32Array): void {
    if (v.length !== this.dimensions) {
      throw new RangeError(`vector has ${v.length} dimensions, the index expects ${this.dimensions}`);
    }
  }
}

function resolveOptions(opts: Partial<HnswOptions>): HnswOptions {
  const options: HnswOptions = {
    M: opts.M ?? DEFAULT_HNSW_OPTIONS.M,
    efConstruction: opts.efConstruction ?? DEFAULT_HNSW_OPTIONS.efConstruction,
    efSearch: opts.efSearch ?? DEFAULT_HNSW_OPTIONS.efSearch,
    maxDeletedShare: opts.maxDeletedShare ?? DEFAULT_MAX_DELETED_SHARE,
  };
  for (const key of ['M', 'efConstruction', 'efSearch'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) {
      throw new RangeError(`HNSW option ${key} must be a positive integer, got ${options[key]}`);
    }
  }
  return options;
}

function newGraph(dimensions: number, options: HnswOptions, capacity: number): hnswlib.HierarchicalNSW {
  const index = new hnswlib.HierarchicalNSW('ip', dimensions);
  index.initIndex({ maxElements: capacity, m: options.M, efConstruction: options.efConstruction, randomSeed: RANDOM_SEED });
  return index;
}
