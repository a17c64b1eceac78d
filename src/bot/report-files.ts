/**
 * Changes to the reports folder that a re-index has to confirm. A report is
 * moved aside into the hidden `.backup/` folder (index builds skip hidden
 * folders) — to remove it, or to put an upload in its place — and stays there
 * until the re-index succeeded (then the backup is deleted) or failed (then it
 * is moved back, matching the old index that keeps serving). Every step is one
 * rename inside the reports folder, so each is atomic.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileDurable } from '../index/durable-fs.js';

/** Where moved reports wait, inside the reports folder. */
export const BACKUP_DIR = '.backup';

/** A report moved into the backup folder. */
export interface Backup {
  /** The report's path relative to the reports folder. */
  readonly source: string;
  /** Where it waits, relative to the reports folder (for the admin, should a restore fail). */
  readonly kept: string;
  /** Moves it back, over whatever took its place. */
  restore(): Promise<void>;
  /** Deletes it for good. */
  discard(): Promise<void>;
}

/** True when `dir/name` is a file whose content differs from `bytes`. */
export async function differentFileAt(dir: string, name: string, bytes: Uint8Array): Promise<boolean> {
  try {
    return !(await fs.readFile(inside(dir, name))).equals(bytes);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'EISDIR') return false;
    throw err;
  }
}

/** Moves the report `source` into the backup folder; undefined when there is no such file. */
export async function moveToBackup(dir: string, source: string): Promise<Backup | undefined> {
  const file = inside(dir, source);
  const kept = path.join(BACKUP_DIR, `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}-${path.basename(file)}`);
  await fs.mkdir(path.join(dir, BACKUP_DIR), { recursive: true });
  try {
    await fs.rename(file, path.join(dir, kept));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  return {
    source,
    kept,
    async restore() {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.rename(path.join(dir, kept), file);
    },
    async discard() {
      await fs.rm(path.join(dir, kept), { force: true });
    },
  };
}

/**
 * Puts `bytes` in place of the report `name`, the old file kept as a backup.
 * Undefined, with nothing written, when there is no old file. The bytes are
 * written completely (hidden, fsynced) before the old file moves, so the
 * folder never holds a half-written report.
 */
export async function replaceWithBackup(dir: string, name: string, bytes: Uint8Array): Promise<Backup | undefined> {
  const target = inside(dir, name);
  const tmp = path.join(dir, `.upload-${randomBytes(6).toString('hex')}.part`);
  await writeFileDurable(tmp, bytes, { exclusive: true });
  try {
    const backup = await moveToBackup(dir, name);
    if (backup === undefined) return undefined;
    try {
      await fs.rename(tmp, target);
    } catch (err) {
      await backup.restore();
      throw err;
    }
    return backup;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** `dir/source`, refusing anything that would leave the folder or reach into the backups. */
function inside(dir: string, source: string): string {
  const file = path.resolve(dir, source);
  const rel = path.relative(path.resolve(dir), file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep)[0] === BACKUP_DIR) {
    throw new RangeError(`not a report inside the reports folder: "${source}"`);
  }
  return file;
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
