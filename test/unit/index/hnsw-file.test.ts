import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileDigest } from '../../../src/index/durable-fs.js';
import { verifyHnswFile } from '../../../src/index/hnsw-file.js';
import { HnswVectorIndex } from '../../../src/index/hnsw-index.js';
import { randomUnitVectors } from '../../helpers/random-vectors.js';

const DIM = 32;

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hnsw-file-test-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('verifyHnswFile', () => {
  /** A saved index of 300 vectors (two deleted) and its layout numbers from the header. */
  async function saved(): Promise<{ file: string; live: number[]; perElement: number; labelOffset: number; dataOffset: number }> {
    const vectors = randomUnitVectors(300, DIM, 14);
    const hnsw = HnswVectorIndex.create(DIM, { maxDeletedShare: 0.5 });
    await hnsw.add(vectors.map((_, i) => i), vectors);
    await hnsw.remove([4, 5]);
    const file = path.join(dir, 'v.hnsw');
    await hnsw.save(file);
    const header = new DataView((await fs.readFile(file)).buffer);
    const u64 = (at: number): number => Number(header.getBigUint64(at, true));
    return { file, live: [...hnsw.labels()], perElement: u64(24), labelOffset: u64(32), dataOffset: u64(40) };
  }
  const patch = async (file: string, at: number, bytes: Uint8Array): Promise<void> => {
    const buf = await fs.readFile(file);
    buf.set(bytes, at);
    await fs.writeFile(file, buf);
  };

  it('accepts what save wrote and returns the digest of the whole file', async () => {
    const { file, live } = await saved();
    expect(await verifyHnswFile(file, DIM, live)).toEqual(await fileDigest(file));
  });

  it.each<[string, (f: Awaited<ReturnType<typeof saved>>) => Promise<void>, RegExp]>([
    ['a file cut inside the link lists', async ({ file }) => fs.truncate(file, (await fs.stat(file)).size - 3), /link lists|after the last/],
    ['a file cut inside the vectors', async ({ file, perElement }) => fs.truncate(file, 96 + perElement * 10), /not an hnswlib index/],
    ['bytes after the end', async ({ file }) => fs.appendFile(file, Buffer.alloc(8)), /8 bytes after the last link list/],
    ['a vector that is not finite', async ({ file, perElement, dataOffset }) => patch(file, 96 + perElement * 7 + dataOffset + 8, new Uint8Array(new Float32Array([NaN]).buffer)), /not finite/],
    ['a label stored twice', async ({ file, perElement, labelOffset }) => {
      const buf = await fs.readFile(file);
      await patch(file, 96 + perElement * 9 + labelOffset, buf.subarray(96 + perElement * 8 + labelOffset, 96 + perElement * 8 + labelOffset + 8));
    }, /stored twice/],
  ])('throws for %s', async (_name, damage, message) => {
    const layout = await saved();
    await damage(layout);
    await expect(verifyHnswFile(layout.file, DIM, layout.live)).rejects.toThrow(message);
  });

  it('throws for other dimensions or a missing live label', async () => {
    const { file, live } = await saved();
    await expect(verifyHnswFile(file, DIM * 2, live)).rejects.toThrow(/not an hnswlib index of 64-dimensional/);
    await expect(verifyHnswFile(file, DIM, [...live, 999])).rejects.toThrow(/no vector for label 999/);
    await expect(verifyHnswFile(file, DIM, [...live, 4])).rejects.toThrow(/label 4 is marked deleted/);
  });
});
