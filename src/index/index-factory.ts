/**
 * The one place that knows the index implementations: everything else (the
 * store, the build, retrieval) holds a `VectorIndex` and a `KeywordIndex`.
 * A vector store is a `VectorIndexKind` in `VECTOR_INDEX_KINDS`, found again
 * at load time by the kind its manifest records; adding one (Qdrant, pgvector)
 * means implementing both interfaces of src/index/vector-index.ts and adding
 * an entry here. The keyword index has one implementation, BM25.
 */
import type { Tokenizer } from '../types.js';
import { Bm25Index } from './bm25-index.js';
import { ExactVectorIndex } from './exact-vector-index.js';
import { verifyHnswFile } from './hnsw-file.js';
import { HnswVectorIndex } from './hnsw-index.js';
import type { KeywordIndex } from './keyword-index.js';
import type { VectorIndexKind } from './vector-index.js';

/** The HNSW graph (hnswlib-node) with its exact scan for cheap queries: the default. */
export const HNSW_VECTORS = Object.freeze<VectorIndexKind>({
  kind: 'hnsw',
  create: (dimensions, params = {}) => HnswVectorIndex.create(dimensions, params),
  load: (file, dimensions, params, live) => HnswVectorIndex.load(file, dimensions, { ...params, live }),
  verify: verifyHnswFile,
});

/** Brute force: exact, no parameters, for small collections and for checking the others. */
export const EXACT_VECTORS = Object.freeze<VectorIndexKind>({
  kind: 'exact',
  create: (dimensions) => new ExactVectorIndex(dimensions),
  load: (file, dimensions, _params, live) => ExactVectorIndex.load(file, dimensions, live),
  verify: (file, dimensions, live) => ExactVectorIndex.verifyFile(file, dimensions, live),
});

export const DEFAULT_VECTOR_KIND = HNSW_VECTORS;

const VECTOR_INDEX_KINDS: ReadonlyMap<string, VectorIndexKind> = new Map([HNSW_VECTORS, EXACT_VECTORS].map((k) => [k.kind, k]));

/** The implementation of `kind` (as `VectorIndex.describe().kind` and the manifest name it), or undefined. */
export function vectorIndexKind(kind: string): VectorIndexKind | undefined {
  return VECTOR_INDEX_KINDS.get(kind);
}

/** An empty keyword index analysing text with `tokenizer`. */
export function createKeywordIndex(tokenizer: Tokenizer): KeywordIndex {
  return new Bm25Index(tokenizer);
}

/** Reads a keyword index `KeywordIndex.save` wrote (see `Bm25Index.load` for what it throws). */
export function loadKeywordIndex(file: string, tokenizer: Tokenizer): Promise<KeywordIndex> {
  return Bm25Index.load(file, tokenizer);
}
