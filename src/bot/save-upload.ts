/**
 * Writes an uploaded report into the reports folder atomically and without
 * ever overwriting: the bytes go to a hidden temporary file first, which is
 * then hard-linked under the wanted name — `link` fails if the name exists,
 * so no check-then-write race can clobber a report. When the name is taken by
 * a different file, the upload is saved as `name (2).ext`, `name (3).ext`, …
 * (the caller tells the admin); when it is taken by the same bytes, nothing is
 * written. An index build never sees a half-written report: it skips hidden
 * files and `.part` is not a report extension.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { writeFileDurable } from '../index/durable-fs.js';
import { numberedName } from './safe-file-name.js';

export type SaveResult =
  /** Written under `name` (the requested one, or a numbered alternative). */
  | { readonly status: 'saved'; readonly name: string }
  /** A file with exactly these bytes already exists under `name`; nothing written. */
  | { readonly status: 'identical'; readonly name: string };

/** Alternatives tried (`name (2)` … `name (100)`) before giving up. */
const MAX_ALTERNATIVES = 100;

/**
 * Saves `bytes` as `dir/name` (a name already made safe by `safeFileName`),
 * creating `dir` if needed.
 */
export async function saveUpload(dir: string, name: string, bytes: Uint8Array): Promise<SaveResult> {
  if (name !== path.basename(name) || name.startsWith('.')) throw new RangeError(`not a safe file name: "${name}"`);
  await fs.mkdir(dir, { recursive: true });
  const digest = sha256(bytes);
  const tmp = path.join(dir, `.upload-${randomBytes(6).toString('hex')}.part`);
  await writeFileDurable(tmp, bytes, { exclusive: true });
  try {
    for (let n = 1; n <= MAX_ALTERNATIVES; n++) {
      const candidate = n === 1 ? name : numberedName(name, n);
      const target = path.join(dir, candidate);
      if (await hasDigest(target, digest)) return { status: 'identical', name: candidate };
      if (await linkNew(tmp, target)) return { status: 'saved', name: candidate };
    }
    throw new AppError('UPLOAD_REFUSED', `"${name}" and ${MAX_ALTERNATIVES - 1} numbered variants already exist in ${dir}; rename the file.`);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Links `tmp` to `target` unless `target` exists; false when it exists. */
async function linkNew(tmp: string, target: string): Promise<boolean> {
  try {
    await fs.link(tmp, target);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  }
}

async function hasDigest(file: string, digest: string): Promise<boolean> {
  try {
    return sha256(await fs.readFile(file)) === digest;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'EISDIR') return false;
    throw err;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
