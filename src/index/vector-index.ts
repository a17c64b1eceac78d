/**
 * What retrieval and the index store need of a nearest-neighbour index over
 * the chunks' unit vectors, so that another store (a server such as Qdrant or
 * pgvector, or the exact brute-force index) can take the place of the HNSW
 * graph. Methods are async because a server-backed store answers over the
 * network; the in-memory implementations resolve at once. Labels are chunkIds.
 * Implementations are chosen in one place, src/index/index-factory.ts.
 */
import type { ChunkFilter, Hit } from '../types.js';
import type { Digest } from './durable-fs.js';

/** An implementation's tuning parameters, as recorded in the manifest (all numbers, so they are easy to check). */
export type VectorIndexParams = Readonly<Record<string, number>>;

/** What `describe()` tells: enough to record the index in the manifest and to report it. */
export interface VectorIndexDescription {
  /** The implementation, a key of the factory's registry: `hnsw`, `exact`. */
  readonly kind: string;
  readonly dimensions: number;
  /** Live vectors. */
  readonly size: number;
  /** What `VectorIndexKind.create` and `load` need to make an index that behaves the same. */
  readonly params: VectorIndexParams;
}

export interface VectorIndex {
  readonly dimensions: number;
  /** Live vectors. */
  readonly size: number;

  /**
   * The `k` live vectors most similar to `vector` that `filter` accepts, best first,
   * `rank` from 1, `score` the inner product (= cosine on unit vectors). Fewer when
   * fewer are live. Throws a RangeError for a vector of other dimensions.
   */
  search(vector: Float32Array, k: number, filter?: ChunkFilter): Promise<Hit[]>;

  /**
   * Adds `vectors[i]` under `labels[i]` (non-negative integers). Throws, adding nothing
   * of the offending pair, when a label is already live (replacing a chunk's vector
   * silently would hide id bugs: `remove` it first) or a vector has other dimensions.
   */
  add(labels: readonly number[], vectors: readonly Float32Array[]): Promise<void>;

  /** Deletes these labels; unknown ones are ignored. */
  remove(labels: Iterable<number>): Promise<void>;

  /** Copies of the stored vectors of `labels`, in that order. Throws for a label that is not live. */
  vectors(labels: readonly number[]): Promise<Float32Array[]>;

  /**
   * A hint before a bulk insert: room for `count` live vectors in all, so that storage
   * grows once instead of doubling as it goes. Stores without preallocation ignore it.
   */
  reserve(count: number): void;

  /**
   * An independent copy to update in an incremental build while this index keeps
   * serving. `savedFile` is the file this index was loaded from or saved to, whose
   * checksum the caller has checked: an implementation may read it rather than copy
   * state in memory. `capacity`: live vectors the copy will hold.
   */
  fork(savedFile: string, capacity: number): Promise<VectorIndex>;

  /**
   * Writes the index to `file` (the store fsyncs it and then has the kind's `verify`
   * check it). A server-backed store writes what `load` needs to find its data again.
   */
  save(file: string): Promise<void>;

  describe(): VectorIndexDescription;
}

/** Makes, loads and checks the indexes of one implementation: an entry of the factory's registry. */
export interface VectorIndexKind {
  readonly kind: string;
  /** An empty index. Throws a RangeError for invalid params. */
  create(dimensions: number, params?: VectorIndexParams): VectorIndex;
  /**
   * Reads an index written by `save`, holding exactly the labels of `live` (the chunk
   * table is the authority on which labels are live). Throws when the file is missing,
   * unreadable or of other dimensions, or a live label is absent.
   */
  load(file: string, dimensions: number, params: VectorIndexParams, live: Iterable<number>): Promise<VectorIndex>;
  /**
   * Checks a file `save` has just written without keeping an index of it — its layout,
   * finite vectors of `dimensions`, every label of `live` present — and returns its
   * digest. Throws an Error saying what is wrong.
   */
  verify(file: string, dimensions: number, live: Iterable<number>): Promise<Digest>;
}
