import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKUP_DIR, differentFileAt, moveToBackup, replaceWithBackup } from '../../../src/bot/report-files.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'report-files-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const read = (name: string) => fs.readFile(path.join(dir, name), 'utf8');

describe('moveToBackup', () => {
  it('moves a report into the hidden backup folder; restore puts it back, discard deletes it', async () => {
    await fs.mkdir(path.join(dir, 'sub'));
    await fs.writeFile(path.join(dir, 'sub', 'a.txt'), 'old');
    const backup = (await moveToBackup(dir, 'sub/a.txt'))!;
    expect(await fs.readdir(path.join(dir, 'sub'))).toEqual([]);
    expect(backup.kept.startsWith(BACKUP_DIR + path.sep)).toBe(true);
    expect(await read(backup.kept)).toBe('old');
    await backup.restore();
    expect(await read('sub/a.txt')).toBe('old');
    expect(await fs.readdir(path.join(dir, BACKUP_DIR))).toEqual([]);

    const again = (await moveToBackup(dir, 'sub/a.txt'))!;
    await again.discard();
    expect(await fs.readdir(path.join(dir, BACKUP_DIR))).toEqual([]);
    expect(await fs.readdir(path.join(dir, 'sub'))).toEqual([]);
  });

  it('gives undefined for a missing file and refuses paths outside the folder or into the backups', async () => {
    expect(await moveToBackup(dir, 'nope.txt')).toBeUndefined();
    for (const bad of ['../x.txt', '/etc/passwd', `${BACKUP_DIR}/x.txt`, '.', '']) await expect(moveToBackup(dir, bad)).rejects.toThrow(RangeError);
  });
});

describe('replaceWithBackup', () => {
  it('writes the new bytes in place and keeps the old file until settled', async () => {
    await fs.writeFile(path.join(dir, 'a.md'), 'old');
    const backup = (await replaceWithBackup(dir, 'a.md', Buffer.from('new')))!;
    expect(await read('a.md')).toBe('new');
    expect(await read(backup.kept)).toBe('old');
    expect((await fs.readdir(dir)).sort()).toEqual([BACKUP_DIR, 'a.md']); // no temporary file left
    await backup.restore();
    expect(await read('a.md')).toBe('old');
  });

  it('writes nothing when there is no old file', async () => {
    expect(await replaceWithBackup(dir, 'a.md', Buffer.from('new'))).toBeUndefined();
    expect((await fs.readdir(dir)).filter((n) => n !== BACKUP_DIR)).toEqual([]);
  });
});

describe('differentFileAt', () => {
  it('is true only for an existing file with other bytes', async () => {
    await fs.writeFile(path.join(dir, 'a.md'), 'old');
    await fs.mkdir(path.join(dir, 'folder.md'));
    expect(await differentFileAt(dir, 'a.md', Buffer.from('new'))).toBe(true);
    expect(await differentFileAt(dir, 'a.md', Buffer.from('old'))).toBe(false);
    expect(await differentFileAt(dir, 'b.md', Buffer.from('x'))).toBe(false);
    expect(await differentFileAt(dir, 'folder.md', Buffer.from('x'))).toBe(false);
  });
});
