/**
 * hnswlib's index file, read without the library where that is faster or safer:
 * the level-0 block's vectors and labels streamed straight from the file (for
 * loading and copying), and a full structural check of a file just written
 * (hnswlib writes it itself and does not detect every kind of damage when
 * reading it back). The layout is that of hnswlib's `saveIndex` on x86-64.
 */
import fs from 'node:fs/promises';
import hnswlib from 'hnswlib-node';
import { Checksum, type Digest } from './durable-fs.js';

/**
 * Reads the graph of an index file and splits its labels into `live` (all of them by
 * default) and the rest, which count as deleted. Throws when the file is not an index of
 * `dimensions` or lacks a live label.
 */
export async function readGraph(
  file: string,
  dimensions: number,
  liveLabels: Iterable<number> | undefined,
): Promise<{ index: hnswlib.HierarchicalNSW; live: Set<number>; deleted: Set<number> }> {
  const index = new hnswlib.HierarchicalNSW('ip', dimensions);
  await index.readIndex(file);
  if (index.getNumDimensions() !== dimensions) {
    throw new Error(`HNSW file ${file} has ${index.getNumDimensions()} dimensions, expected ${dimensions}`);
  }
  const deleted = new Set(index.getIdsList());
  const live = new Set(liveLabels ?? deleted);
  for (const label of live) {
    if (!deleted.delete(label)) throw new Error(`HNSW file ${file} has no vector for label ${label}`);
  }
  return { index, live, deleted };
}


/** Size of the header hnswlib's `saveIndex` writes before the level-0 block (x86-64). */
const HEADER_BYTES = 96;

/** hnswlib's deletion flag bit. */
const DELETE_MARK = 0x01;

/** Bytes read at a time by `readStoredVectors` (whole elements): bounds the memory a load needs beside the index. */
const READ_BYTES = 8 * 1024 * 1024;

/** What `readStoredVectors` learned of a file besides its vectors. */
export interface StoredLayout {
  readonly count: number;
  readonly maxElements: number;
  /** hnswlib's maxM_: links per element on the upper levels. */
  readonly maxM: number;
  readonly enterPoint: number;
  /** Where the level-0 block ends and the upper-level link lists begin. */
  readonly levelZeroEnd: number;
  readonly fileBytes: number;
}

/**
 * Calls `visit` with each (label, vector) of an hnswlib index file, read straight from its
 * level-0 block (layout of hnswlib's `saveIndex`: a 96-byte header, then per element its
 * links, its `dim` float32 values and its 8-byte label), a few MB at a time. Reading the
 * file is ~100× faster than `getPoint` per label, and streaming it keeps a load from
 * holding a second and third copy of every vector. `visit` gets a view that is reused:
 * copy what it keeps. Returns undefined, before any visit, when the header does not
 * describe vectors of `dimensions` floats, so an unexpected layout falls back to the library.
 */
export async function readStoredVectors(
  file: string,
  dimensions: number,
  /** Fed every byte up to the end of the level-0 block, in file order. */
  checksum: Checksum | undefined,
  visit: (label: number, v: Float32Array, deleted: boolean) => void,
): Promise<StoredLayout | undefined> {
  const handle = await fs.open(file, 'r');
  try {
    const header = new Uint8Array(HEADER_BYTES);
    if ((await readAt(handle, header, HEADER_BYTES, 0)) < HEADER_BYTES) return undefined;
    checksum?.update(header);
    const view = new DataView(header.buffer);
    const u64 = (at: number): number => Number(view.getBigUint64(at, true));
    const count = u64(16);
    const perElement = u64(24);
    const labelOffset = u64(32);
    const dataOffset = u64(40);
    const fileBytes = (await handle.stat()).size;
    const layoutOk =
      u64(0) === 0 &&
      labelOffset === dataOffset + dimensions * 4 &&
      perElement === labelOffset + 8 &&
      dataOffset % 4 === 0 &&
      perElement % 4 === 0 &&
      HEADER_BYTES + count * perElement <= fileBytes;
    if (!layoutOk) return undefined;
    // A buffer of whole elements starting at offset 0, so vectors can be read as aligned Float32Array views.
    const perRead = Math.max(1, Math.floor(READ_BYTES / perElement));
    const block = new Uint8Array(Math.min(perRead, Math.max(1, count)) * perElement);
    const floats = new Float32Array(block.buffer);
    const blockView = new DataView(block.buffer);
    for (let first = 0; first < count; first += perRead) {
      const n = Math.min(perRead, count - first);
      if ((await readAt(handle, block, n * perElement, HEADER_BYTES + first * perElement)) < n * perElement) {
        throw new Error(`HNSW file ${file} ends inside element ${first}`);
      }
      checksum?.update(block.subarray(0, n * perElement));
      for (let i = 0; i < n; i++) {
        const base = i * perElement;
        const label = Number(blockView.getBigUint64(base + labelOffset, true));
        // hnswlib marks a deleted element in the third byte of its level-0 link list header.
        const deleted = ((block[base + 2] ?? 0) & DELETE_MARK) !== 0;
        visit(label, floats.subarray((base + dataOffset) / 4, (base + dataOffset) / 4 + dimensions), deleted);
      }
    }
    return {
      count,
      maxElements: u64(8),
      maxM: u64(56),
      enterPoint: view.getUint32(52, true),
      levelZeroEnd: HEADER_BYTES + count * perElement,
      fileBytes,
    };
  } finally {
    await handle.close();
  }
}

/** Reads `length` bytes at `position` into the start of `into`; fewer only at the end of the file. */
async function readAt(handle: fs.FileHandle, into: Uint8Array, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(into, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/**
 * Checks a file written by `HnswVectorIndex.save` without building an index from it: hnswlib's layout
 * (header, level-0 block, then one link list per element whose sizes account for every
 * byte up to the end of the file), vectors of `dimensions` finite values, distinct
 * labels, and every label of `live` present and not marked deleted. Streams the file, so it needs a few MB
 * where `load` needs the graph and a second copy of the vectors: the index store uses
 * it to validate a build it has just written. Returns the file's digest, computed in the
 * same pass. Throws an Error saying what is wrong.
 */
export async function verifyHnswFile(file: string, dimensions: number, live: Iterable<number>): Promise<Digest> {
  const labels = new Set<number>();
  const deleted = new Set<number>();
  let problem: string | undefined;
  const checksum = new Checksum();
  const layout = await readStoredVectors(file, dimensions, checksum, (label, v, isDeleted) => {
    if (problem !== undefined) return;
    if (labels.has(label)) problem = `label ${label} is stored twice`;
    labels.add(label);
    if (isDeleted) deleted.add(label);
    for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j])) problem = `the vector of label ${label} is not finite`;
  });
  const bad = (why: string): Error => new Error(`HNSW file ${file}: ${why}`);
  if (layout === undefined) throw bad(`not an hnswlib index of ${dimensions}-dimensional vectors`);
  if (problem !== undefined) throw bad(problem);
  if (layout.count > layout.maxElements || (layout.count > 0 && layout.enterPoint >= layout.count)) {
    throw bad(`inconsistent header (${layout.count} elements of ${layout.maxElements}, entry point ${layout.enterPoint})`);
  }
  // The upper-level link lists: a 4-byte size per element, then that many bytes.
  const tail = new Uint8Array(layout.fileBytes - layout.levelZeroEnd);
  const handle = await fs.open(file, 'r');
  try {
    await readAt(handle, tail, tail.length, layout.levelZeroEnd);
  } finally {
    await handle.close();
  }
  checksum.update(tail);
  const tailView = new DataView(tail.buffer);
  const linksPerLevel = layout.maxM * 4 + 4;
  let at = 0;
  for (let i = 0; i < layout.count; i++) {
    if (at + 4 > tail.length) throw bad(`ends inside the link lists (element ${i})`);
    const size = tailView.getUint32(at, true);
    if (size % linksPerLevel !== 0) throw bad(`element ${i} has a link list of ${size} bytes`);
    at += 4 + size;
  }
  if (at !== tail.length) throw bad(`${tail.length - at} bytes after the last link list`);
  for (const label of live) {
    if (!labels.has(label)) throw bad(`no vector for label ${label}`);
    if (deleted.has(label)) throw bad(`label ${label} is marked deleted`);
  }
  return checksum.digest();
}
