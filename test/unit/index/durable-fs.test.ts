import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileDigest, writeJsonDurable } from '../../../src/index/durable-fs.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'durable-fs-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('writeJsonDurable', () => {
  // Over a megabyte of two-byte text, so the array is written in several pieces.
  const big = Array.from({ length: 20_000 }, (_, i) => ({ i, text: '罗星街道'.repeat(i % 40), gone: undefined, none: null }));

  it.each<[string, unknown]>([
    ['a large array', big],
    ['an empty array', []],
    ['an array holding undefined and a function', [1, undefined, () => 2, 'x']],
    ['an object', { words: ['罗星街道'], reports: { a: ['b'] } }],
    ['a string', '108.1亿元'],
  ])('writes exactly JSON.stringify of %s and returns the digest of the file', async (_name, value) => {
    const file = path.join(dir, 'out.json');
    const digest = await writeJsonDurable(file, value);
    expect(await fs.readFile(file, 'utf8')).toBe(JSON.stringify(value));
    expect(digest).toEqual(await fileDigest(file));
  });

  it('replaces what the file held before', async () => {
    const file = path.join(dir, 'out.json');
    await fs.writeFile(file, 'x'.repeat(10_000));
    await writeJsonDurable(file, [1, 2]);
    expect(await fs.readFile(file, 'utf8')).toBe('[1,2]');
  });
});
