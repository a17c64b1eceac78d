/**
 * What retrieval and the index store need of a keyword (lexical) index, so that
 * another engine can take the place of the in-memory BM25 index. The index owns
 * its analysis: `add` takes text and so does `search`, which an engine such as
 * a search server does itself too. Methods are async for such engines; the
 * in-memory BM25 index resolves at once. Implementations are chosen in one
 * place, src/index/index-factory.ts.
 */
import type { ChunkFilter, Hit, Tokenizer } from '../types.js';
import type { Digest } from './durable-fs.js';

/** A piece of text to index under its chunk id (the same label the vector index uses). */
export interface KeywordDoc {
  readonly chunkId: number;
  readonly text: string;
}

export interface KeywordIndex {
  /** Indexed documents. */
  readonly size: number;

  /**
   * The `k` best documents for `query` that `filter` accepts, best first, `rank` from 1,
   * every score > 0. `[]` when no query term occurs in the index or `k` < 1.
   */
  search(query: string, k: number, filter?: ChunkFilter): Promise<Hit[]>;

  /**
   * Indexes more documents. Throws `INPUT_INVALID`, adding nothing, when a chunk id is not
   * a non-negative integer or is already indexed (`remove` it first to replace it).
   */
  add(docs: readonly KeywordDoc[]): Promise<void>;

  /** Drops documents; unknown ids are ignored. */
  remove(chunkIds: Iterable<number>): Promise<void>;

  /**
   * An independent copy to update in an incremental build while this index keeps serving; with
   * `tokenizer` (the new build's user words), later documents and queries use it.
   */
  fork(tokenizer?: Tokenizer): Promise<KeywordIndex>;

  /** Writes the index to `file` durably (fsynced) and returns the digest of the bytes written. */
  save(file: string): Promise<Digest>;
}
