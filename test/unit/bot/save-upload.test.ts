import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveUpload } from '../../../src/bot/save-upload.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'save-upload-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('saveUpload', () => {
  it('creates the folder and writes the bytes, leaving no temporary file', async () => {
    const target = path.join(dir, 'reports');
    expect(await saveUpload(target, '报告.txt', Buffer.from('内容'))).toEqual({ status: 'saved', name: '报告.txt' });
    expect(await fs.readdir(target)).toEqual(['报告.txt']);
    expect(await fs.readFile(path.join(target, '报告.txt'), 'utf8')).toBe('内容');
  });

  it('never overwrites a different file: numbers the new one', async () => {
    await fs.writeFile(path.join(dir, 'a.md'), 'one');
    await fs.writeFile(path.join(dir, 'a (2).md'), 'two');
    expect(await saveUpload(dir, 'a.md', Buffer.from('three'))).toEqual({ status: 'saved', name: 'a (3).md' });
    expect(await fs.readFile(path.join(dir, 'a.md'), 'utf8')).toBe('one');
    expect(await fs.readFile(path.join(dir, 'a (3).md'), 'utf8')).toBe('three');
  });

  it('writes nothing when the same bytes already exist under the name or a numbered one', async () => {
    await fs.writeFile(path.join(dir, 'a.md'), 'one');
    await fs.writeFile(path.join(dir, 'a (2).md'), 'two');
    expect(await saveUpload(dir, 'a.md', Buffer.from('two'))).toEqual({ status: 'identical', name: 'a (2).md' });
    expect((await fs.readdir(dir)).sort()).toEqual(['a (2).md', 'a.md']);
  });

  it('saves concurrent uploads of the same name under distinct names', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((i) => saveUpload(dir, 'r.txt', Buffer.from(`v${i}`))));
    const names = results.map((r) => r.name);
    expect(new Set(names).size).toBe(4);
    const contents = await Promise.all(names.map((n) => fs.readFile(path.join(dir, n), 'utf8')));
    expect(contents.sort()).toEqual(['v1', 'v2', 'v3', 'v4']);
  });

  it.each(['../x.txt', 'a/b.txt', '.hidden.txt'])('refuses the unsafe name %j', async (name) => {
    await expect(saveUpload(dir, name, Buffer.from('x'))).rejects.toThrow(RangeError);
    expect(await fs.readdir(dir)).toEqual([]);
  });
});
