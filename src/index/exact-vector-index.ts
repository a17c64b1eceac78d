/**
 * Brute-force inner-product search: exact, O(n·d) per query. It is the ground
 * truth the HNSW index is measured against (tests, benchmark) and the second
 * `VectorIndex` implementation, which proves that retrieval and the store
 * depend on the interface only; too slow to serve a large collection.
 *
 * File (little-endian): the 8 bytes `RQEXACT1`, dimensions and count as
 * uint32, `count` uint32 labels, then the vectors as float32, label by label.
 */
import fs from 'node:fs/promises';
import type { ChunkFilter, Hit } from '../types.js';
import { Checksum, type Digest } from './durable-fs.js';
import type { VectorIndex, VectorIndexDescription } from './vector-index.js';

const MAGIC = 'RQEXACT1';
const HEADER_BYTES = 16;

export class ExactVectorIndex implements VectorIndex {
  readonly dimensions: number;
  /** Label → vector; the vectors are this index's own copies and never change, so forks share them. */
  readonly #vectors: Map<number, Float32Array>;

  constructor(dimensions: number, vectors = new Map<number, Float32Array>()) {
    if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`);
    this.dimensions = dimensions;
    this.#vectors = vectors;
  }

  /** Reads a file `save` wrote, keeping the labels of `live`. Throws when it is damaged or lacks one. */
  static async load(file: string, dimensions: number, live: Iterable<number>): Promise<ExactVectorIndex> {
    const stored = parseFile(await fs.readFile(file), file, dimensions);
    const vectors = new Map<number, Float32Array>();
    for (const label of live) {
      const v = stored.get(label);
      if (v === undefined) throw new Error(`exact vector file ${file} has no vector for label ${label}`);
      vectors.set(label, v);
    }
    return new ExactVectorIndex(dimensions, vectors);
  }

  /** Checks a file `save` wrote (layout, finite vectors, distinct labels, every live one present); returns its digest. */
  static async verifyFile(file: string, dimensions: number, live: Iterable<number>): Promise<Digest> {
    const bytes = await fs.readFile(file);
    const stored = parseFile(bytes, file, dimensions);
    for (const label of live) {
      if (!stored.has(label)) throw new Error(`exact vector file ${file} has no vector for label ${label}`);
    }
    return new Checksum().update(bytes).digest();
  }

  get size(): number {
    return this.#vectors.size;
  }

  async add(labels: readonly number[], vectors: readonly Float32Array[]): Promise<void> {
    if (labels.length !== vectors.length) throw new RangeError(`${labels.length} labels for ${vectors.length} vectors`);
    labels.forEach((label, i) => {
      const v = vectors[i]!;
      if (v.length !== this.dimensions) throw new RangeError(`vector has ${v.length} dimensions, the index expects ${this.dimensions}`);
      if (!Number.isInteger(label) || label < 0 || label > 0xffffffff) {
        throw new RangeError(`vector label must be a 32-bit unsigned integer, got ${label}`);
      }
      if (this.#vectors.has(label)) throw new Error(`vector label ${label} is already in the index`);
      this.#vectors.set(label, v.slice());
    });
  }

  async remove(labels: Iterable<number>): Promise<void> {
    for (const label of labels) this.#vectors.delete(label);
  }

  async vectors(labels: readonly number[]): Promise<Float32Array[]> {
    return labels.map((label) => {
      const v = this.#vectors.get(label);
      if (v === undefined) throw new Error(`vector label ${label} is not in the index`);
      return v.slice();
    });
  }

  /** Nothing to preallocate: a map grows as it goes. */
  reserve(_count: number): void {}

  /** A copy in memory; the file is not needed. */
  async fork(_savedFile: string, _capacity: number): Promise<ExactVectorIndex> {
    return new ExactVectorIndex(this.dimensions, new Map(this.#vectors));
  }

  /** The exact `k` best labels `filter` accepts by inner product (= cosine on unit vectors), ties by label. */
  async search(v: Float32Array, k: number, filter?: ChunkFilter): Promise<Hit[]> {
    if (v.length !== this.dimensions) throw new RangeError(`vector has ${v.length} dimensions, the index expects ${this.dimensions}`);
    const n = Math.min(Math.floor(k), this.#vectors.size);
    if (n <= 0) return [];
    // Keep the n best in a small sorted array: n is ~10-100, so insertion beats a heap here.
    const best: { label: number; score: number }[] = [];
    for (const [label, u] of this.#vectors) {
      if (filter !== undefined && !filter(label)) continue;
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

  async save(file: string): Promise<void> {
    const labels = [...this.#vectors.keys()];
    const bytes = Buffer.alloc(HEADER_BYTES + labels.length * 4 * (1 + this.dimensions));
    bytes.write(MAGIC, 0, 'latin1');
    bytes.writeUInt32LE(this.dimensions, 8);
    bytes.writeUInt32LE(labels.length, 12);
    const dataStart = HEADER_BYTES + labels.length * 4;
    labels.forEach((label, i) => {
      bytes.writeUInt32LE(label, HEADER_BYTES + i * 4);
      this.#vectors.get(label)!.forEach((x, j) => bytes.writeFloatLE(x, dataStart + (i * this.dimensions + j) * 4));
    });
    await fs.writeFile(file, bytes);
  }

  describe(): VectorIndexDescription {
    return { kind: 'exact', dimensions: this.dimensions, size: this.size, params: {} };
  }
}

/** The vectors of a file `save` wrote, by label. Throws an Error naming the file and what is wrong. */
function parseFile(bytes: Buffer, file: string, dimensions: number): Map<number, Float32Array> {
  const bad = (why: string): Error => new Error(`exact vector file ${file}: ${why}`);
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 8) !== MAGIC) throw bad('not an exact vector index file');
  const stored = bytes.readUInt32LE(8);
  if (stored !== dimensions) throw bad(`has ${stored} dimensions, expected ${dimensions}`);
  const count = bytes.readUInt32LE(12);
  const expected = HEADER_BYTES + count * 4 * (1 + dimensions);
  if (bytes.length !== expected) throw bad(`has ${bytes.length} bytes, ${count} vectors need ${expected}`);
  const vectors = new Map<number, Float32Array>();
  const dataStart = HEADER_BYTES + count * 4;
  for (let i = 0; i < count; i++) {
    const label = bytes.readUInt32LE(HEADER_BYTES + i * 4);
    if (vectors.has(label)) throw bad(`label ${label} is stored twice`);
    // A copy: the file's buffer need not be 4-byte aligned for a Float32Array view.
    const v = new Float32Array(dimensions);
    for (let j = 0; j < dimensions; j++) v[j] = bytes.readFloatLE(dataStart + (i * dimensions + j) * 4);
    if (!v.every(Number.isFinite)) throw bad(`the vector of label ${label} is not finite`);
    vectors.set(label, v);
  }
  return vectors;
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
