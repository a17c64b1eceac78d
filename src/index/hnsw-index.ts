/**
 * Nearest-neighbour search over unit vectors: an hnswlib-node graph (inner
 * product space, so on unit vectors `score = 1 - distance` is the cosine
 * similarity) plus a column-major copy of the vectors for exact search when
 * it is cheap. A query goes to the exact scan when its non-zero components ×
 * stored vectors fit `exactScanBudget` (small collections, and the sparse
 * query vectors of the offline embedder, on which HNSW's recall collapses),
 * else to the graph. Labels are chunkIds. Deletions are hnswlib's
 * `markDelete`; when deleted labels pile up past `maxDeletedShare` the graph is
 * rebuilt from the stored vectors.
 */
import hnswlib from 'hnswlib-node';
import type { ChunkFilter, Hit } from '../types.js';
import { ColumnVectors } from './column-vectors.js';
import { readGraph, readStoredVectors } from './hnsw-file.js';
import type { VectorIndex, VectorIndexDescription } from './vector-index.js';

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
  /**
   * Largest exact scan, in multiply-adds (query non-zeros × stored vectors),
   * done instead of a graph search. Default 4,000,000 (a few ms). 0 = always HNSW.
   */
  readonly exactScanBudget?: number;
}

/**
 * Chosen by measurement (bench/hnsw-params.ts): recall@10 of the graph alone
 * against exact brute force (tie-aware), on a 2-core machine shared with other
 * jobs (load average 4–11: times are inflated several-fold, compare them
 * with each other only).
 *
 * Dense vectors — 100k synthetic 512-d unit vectors around 2,000 topic
 * centres (cosine to centre ≈ 0.7), a stand-in for neural sentence embeddings;
 * 300 held-out queries; exact: ExactVectorIndex 1,102 ms, hnswlib brute force 86 ms:
 *
 * | M  | efC | build s | efSearch | recall@10 | mean ms | p95 ms |
 * |----|-----|---------|----------|-----------|---------|--------|
 * | 8  | 100 | 270     | 64       | 0.927     | 2.8     | 18.0   |
 * | 8  | 100 | 270     | 100      | 0.963     | 4.6     | 21.0   |
 * | 8  | 100 | 270     | 150      | 0.990     | 5.0     | 19.7   |
 * | 16 | 200 | 640     | 40       | 0.993     | 0.8     | 1.1    |
 * | 16 | 200 | 640     | 64       | 0.997     | 1.2     | 1.5    |
 * | 16 | 200 | 640     | 100      | 1.000     | 1.7     | 2.0    |
 * | 16 | 200 | 640     | 200      | 1.000     | 3.3     | 3.6    |
 * | 16 | 100 | 272     | 40       | 0.990     | 0.5     | 0.7    |
 * | 16 | 100 | 272     | 64       | 1.000     | 0.8     | 1.0    |
 * | 16 | 100 | 272     | 100      | 1.000     | 1.1     | 1.3    |
 * (the efC=200 build ran under about twice the load of the efC=100 one.)
 *
 * Sparse query vectors — the offline embedder (768-d) gives documents
 * ~150–300 non-zero components and questions only ~12–28, and the graph's
 * greedy walk gets lost on them whatever the parameters:
 *
 * | data (queries)                               | M  | efSearch 100 | efSearch 1600 |
 * |----------------------------------------------|----|--------------|---------------|
 * | seeds, 560 sentence windows (176 questions)  | 16 | 0.590        | —             |
 * | seeds + corpus, 23,254 chunks (211 questions)| 16 | 0.473        | 0.854         |
 * | seeds + corpus, 23,254 chunks                | 32 | 0.480        | 0.863         |
 * | seeds + corpus, 23,254 chunks                | 48 | 0.500        | 0.866         |
 * | 100k corpus sentence windows (300 questions) | 16 | 0.611        | 0.883         |
 *
 * Hence the exact column scan for queries within `exactScanBudget` (recall
 * 1.000 by construction; offline questions over 100k chunks cost ~2.9M
 * multiply-adds, 11 ms p50 / 18 ms p95 here), and the graph for dense queries
 * over large collections, where M=16, efConstruction=100, efSearch=100 gives
 * recall 1.000 at ~50× the speed of hnswlib's own brute force (60–86 ms) and
 * ~700× ExactVectorIndex; efConstruction 200 bought no recall for a slower
 * build, efSearch 100 keeps a margin over the 64 that already sufficed.
 */
export const DEFAULT_HNSW_OPTIONS: Readonly<HnswOptions> = Object.freeze({
  M: 16,
  efConstruction: 100,
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
const DEFAULT_EXACT_SCAN_BUDGET = 4_000_000;
/** Room for this many vectors before the first resize. */
const INITIAL_CAPACITY = 1024;
/** Fixed so that builds are reproducible. */
const RANDOM_SEED = 100;

export class HnswVectorIndex implements VectorIndex {
  readonly dimensions: number;
  #index: hnswlib.HierarchicalNSW;
  readonly #options: Required<HnswOptions>;
  /** The live vectors; the graph may also hold deleted ones. */
  readonly #vectors: ColumnVectors;
  /** Labels marked deleted but still stored in the graph. */
  readonly #deleted: Set<number>;

  private constructor(
    index: hnswlib.HierarchicalNSW,
    dimensions: number,
    options: Required<HnswOptions>,
    vectors: ColumnVectors,
    deleted: Set<number>,
  ) {
    this.#index = index;
    this.dimensions = dimensions;
    this.#options = options;
    this.#vectors = vectors;
    this.#deleted = deleted;
    this.#index.setEf(options.efSearch);
  }

  /** An empty index for vectors of `dimensions` components. */
  static create(dimensions: number, opts: Partial<HnswOptions> = {}): HnswVectorIndex {
    const options = resolveOptions(opts);
    return new HnswVectorIndex(
      newGraph(dimensions, options, INITIAL_CAPACITY),
      dimensions,
      options,
      new ColumnVectors(dimensions),
      new Set(),
    );
  }

  /**
   * Reads an index written by `save`. Throws when the file is missing or not
   * an hnswlib index of `dimensions`, or when a label in `opts.live` is absent.
   * Callers that need integrity guarantees check the file's checksum first:
   * hnswlib does not detect every kind of damage.
   */
  static async load(file: string, dimensions: number, opts: HnswLoadOptions = {}): Promise<HnswVectorIndex> {
    const options = resolveOptions(opts);
    const { index, live, deleted } = await readGraph(file, dimensions, opts.live);
    const vectors = new ColumnVectors(dimensions, live.size);
    const parsed = await readStoredVectors(file, dimensions, undefined, (label, v) => {
      if (live.has(label)) vectors.set(label, v);
    });
    if (parsed === undefined) {
      // Unknown layout (another hnswlib version): ask the library, slower but always right.
      for (const label of live) vectors.set(label, index.getPoint(label));
    }
    if (vectors.size !== live.size) throw new Error(`HNSW file ${file}: ${live.size - vectors.size} live vectors unreadable`);
    return new HnswVectorIndex(index, dimensions, options, vectors, deleted);
  }

  /**
   * An independent copy to update in an incremental build while this one keeps serving:
   * the graph read from `file`, this index's own file (hnswlib cannot copy a graph in
   * memory), the vectors copied in memory, several times faster than reading them from
   * the file again. Callers check the file's checksum first, as for `load`. Throws when
   * the file does not hold this index's labels. `capacity`: vectors the copy will hold.
   */
  async fork(file: string, capacity = this.size): Promise<HnswVectorIndex> {
    const { index, deleted } = await readGraph(file, this.dimensions, this.#vectors.labels());
    return new HnswVectorIndex(index, this.dimensions, { ...this.#options, efSearch: this.efSearch }, this.#vectors.clone(capacity), deleted);
  }

  /** Number of live (not deleted) vectors. */
  get size(): number {
    return this.#vectors.size;
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

  /** Live labels, in no particular order. */
  labels(): IterableIterator<number> {
    return this.#vectors.labels();
  }

  /**
   * Makes room for `count` live vectors in all, so that a bulk insert grows the graph and
   * the column copy once, to the size needed, instead of doubling (and copying) as it goes.
   */
  reserve(count: number): void {
    // Deleted labels keep their slots in the graph; new labels need new ones.
    const slots = this.#index.getCurrentCount() + Math.max(0, count - this.size);
    // With headroom: the saved file keeps it (at no cost on disk, and untouched memory is
    // not resident), so the next incremental builds add their few chunks without a resize,
    // which copies the whole graph (~1 s at 100k).
    if (slots > this.#index.getMaxElements()) this.#index.resizeIndex(slots + Math.ceil(slots / 16));
    this.#vectors.reserve(count);
  }

  /**
   * Adds unit vectors under their labels (32-bit unsigned integers), in order. Re-adding
   * a deleted label brings it back with the new vector; re-adding a live one throws,
   * because silently replacing a chunk's vector hides id bugs.
   */
  async add(labels: readonly number[], vectors: readonly Float32Array[]): Promise<void> {
    if (labels.length !== vectors.length) throw new RangeError(`${labels.length} labels for ${vectors.length} vectors`);
    labels.forEach((label, i) => this.#add(label, vectors[i]!));
  }

  #add(label: number, v: Float32Array): void {
    this.#checkVector(v);
    if (!Number.isInteger(label) || label < 0 || label > 0xffffffff) {
      throw new RangeError(`HNSW label must be a 32-bit unsigned integer, got ${label}`);
    }
    if (this.#vectors.has(label)) throw new Error(`HNSW label ${label} is already in the index`);
    if (this.#index.getCurrentCount() >= this.#index.getMaxElements()) {
      this.#index.resizeIndex(Math.max(INITIAL_CAPACITY, this.#index.getMaxElements() * 2));
    }
    this.#index.addPoint(Array.from(v), label);
    this.#vectors.set(label, v);
    this.#deleted.delete(label);
  }

  /** Deletes every label (unknown ones are ignored), then compacts at most once (see `maxDeletedShare`). */
  async remove(labels: Iterable<number>): Promise<void> {
    for (const label of labels) {
      if (!this.#vectors.delete(label)) continue;
      this.#index.markDelete(label);
      this.#deleted.add(label);
    }
    if (this.#deleted.size === 0) return;
    const share = this.#deleted.size / (this.#deleted.size + this.#vectors.size);
    if (share > this.#options.maxDeletedShare) this.compact();
  }

  /** Rebuilds the graph from the live vectors, dropping every deleted label. */
  compact(): void {
    if (this.#deleted.size === 0) return;
    const fresh = newGraph(this.dimensions, this.#options, Math.max(INITIAL_CAPACITY, this.#vectors.size));
    for (const label of this.#vectors.labels()) fresh.addPoint(Array.from(this.#vector(label)), label);
    fresh.setEf(this.#index.getEf());
    this.#index = fresh;
    this.#deleted.clear();
  }

  async vectors(labels: readonly number[]): Promise<Float32Array[]> {
    return labels.map((label) => this.#vector(label));
  }

  /** The stored vector of a live label (a copy). */
  #vector(label: number): Float32Array {
    const v = this.#vectors.get(label);
    if (v === undefined) throw new Error(`HNSW label ${label} is not in the index`);
    return v;
  }

  /** The `k` most similar live vectors `filter` accepts, best first; `score` is the inner product. */
  async search(v: Float32Array, k: number, filter?: ChunkFilter): Promise<Hit[]> {
    this.#checkVector(v);
    const n = Math.min(Math.floor(k), this.#vectors.size);
    if (n <= 0) return [];
    if (filter !== undefined || this.#vectors.scanCost(v) <= this.#options.exactScanBudget) {
      // A filtered graph search walks past every rejected node and can come back short: scan instead.
      return this.#vectors.search(v, n, filter);
    }
    const { neighbors, distances } = this.#index.searchKnn(Array.from(v), n);
    return neighbors.map((chunkId, i) => ({ chunkId, score: 1 - (distances[i] ?? 1), rank: i + 1 }));
  }

  /** Writes the graph and vectors to `file` (hnswlib's binary format, checked by `verifyHnswFile`). */
  async save(file: string): Promise<void> {
    await this.#index.writeIndex(file);
  }

  /** Kind `hnsw`; the params are the options in force, what `load` needs to behave the same. */
  describe(): VectorIndexDescription {
    return { kind: 'hnsw', dimensions: this.dimensions, size: this.size, params: { ...this.options } };
  }

  #checkVector(v: Float32Array): void {
    if (v.length !== this.dimensions) {
      throw new RangeError(`vector has ${v.length} dimensions, the index expects ${this.dimensions}`);
    }
  }
}

function resolveOptions(opts: Partial<HnswOptions>): Required<HnswOptions> {
  const options: Required<HnswOptions> = {
    M: opts.M ?? DEFAULT_HNSW_OPTIONS.M,
    efConstruction: opts.efConstruction ?? DEFAULT_HNSW_OPTIONS.efConstruction,
    efSearch: opts.efSearch ?? DEFAULT_HNSW_OPTIONS.efSearch,
    maxDeletedShare: opts.maxDeletedShare ?? DEFAULT_MAX_DELETED_SHARE,
    exactScanBudget: opts.exactScanBudget ?? DEFAULT_EXACT_SCAN_BUDGET,
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
