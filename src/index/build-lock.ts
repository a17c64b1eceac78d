/**
 * One builder per INDEX_DIR: `build.lock` there is created exclusively
 * (O_EXCL, `open(…, 'wx')`) by the process that builds, holds its pid,
 * hostname, token and start time as JSON, and is removed when the build ends
 * (done, failed or aborted). Two builds at once would each prune the other's
 * builds and race to name theirs in `CURRENT`; a cron `report-qa index` and
 * the bot's `/reindex` are the usual pair.
 *
 * A lock left by a process that died (same host, pid gone, or our own pid
 * with another token: a restarted container) is stale and taken over. A lock
 * of another host, or one that cannot be read (its holder may be between
 * creating and writing it), is respected; the error names the file so an
 * admin can remove it when no build runs.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { isOwnerAlive, PROCESS_TOKEN, thisProcess, type ProcessOwner } from './process-identity.js';

export const BUILD_LOCK_FILE = 'build.lock';

export interface BuildLockHolder extends ProcessOwner {
  /** ISO 8601. */
  readonly startedAt: string;
}

/** `INDEX_LOCKED`: another process builds; `holder` is undefined when the lock file cannot be read. */
export class BuildLockedError extends AppError {
  readonly holder: BuildLockHolder | undefined;

  constructor(file: string, holder: BuildLockHolder | undefined) {
    const who =
      holder === undefined
        ? `${file} exists but does not name its holder`
        : `PID ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}`;
    super(
      'INDEX_LOCKED',
      `Another process is building the index in ${path.dirname(file)} (${who}); try again when it has finished. ` +
        `If no build is running, remove ${file}.`,
    );
    this.name = 'BuildLockedError';
    this.holder = holder;
  }
}

export interface BuildLock {
  /** Removes the lock if it is still ours. */
  release(): Promise<void>;
}

/** Takeover attempts before giving up (each lost only to another builder taking the same stale lock). */
const ATTEMPTS = 3;

/**
 * Takes the build lock of `indexDir` (creating the folder), taking over a
 * stale one. Throws `BuildLockedError` while another live process holds it.
 */
export async function acquireBuildLock(indexDir: string, logger: Logger): Promise<BuildLock> {
  await fs.mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, BUILD_LOCK_FILE);
  const text = JSON.stringify({ ...thisProcess(), startedAt: new Date().toISOString() } satisfies BuildLockHolder) + '\n';
  let holder: BuildLockHolder | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusive(file, text)) {
      return {
        async release() {
          if ((await readIfExists(file)) === text) await fs.rm(file, { force: true });
        },
      };
    }
    const seen = await readIfExists(file);
    if (seen === undefined) continue; // released meanwhile
    holder = parseHolder(seen);
    if (holder === undefined || isOwnerAlive(holder)) break;
    logger.warn('taking over the build lock of a process that is gone', { file, pid: holder.pid, startedAt: holder.startedAt });
    await removeIfUnchanged(file, seen);
  }
  throw new BuildLockedError(file, holder);
}

/** The holder named by `indexDir`'s lock, if any (for status displays; not a check before building). */
export async function readBuildLock(indexDir: string): Promise<BuildLockHolder | undefined> {
  const seen = await readIfExists(path.join(indexDir, BUILD_LOCK_FILE));
  return seen === undefined ? undefined : parseHolder(seen);
}

/** Creates `file` with `text` unless it exists; false when it does. */
async function createExclusive(file: string, text: string): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(file, { force: true });
    throw err;
  }
  await handle.close();
  return true;
}

/**
 * Removes a stale lock, but only the one judged stale: it is first moved
 * aside, and if what moved is a fresh lock (another builder took the stale
 * one over between our read and the move), that lock is linked back.
 */
async function removeIfUnchanged(file: string, stale: string): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${PROCESS_TOKEN}`;
  try {
    await fs.rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    if ((await fs.readFile(aside, 'utf8')) !== stale) await fs.link(aside, file);
  } catch (err) {
    // EEXIST: a third builder locked meanwhile, and it is the holder now.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await fs.rm(aside, { force: true });
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseHolder(text: string): BuildLockHolder | undefined {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof x !== 'object' || x === null) return undefined;
  const r = x as Record<string, unknown>;
  const ok =
    Number.isInteger(r.pid) && typeof r.hostname === 'string' && typeof r.token === 'string' && typeof r.startedAt === 'string';
  return ok ? { pid: r.pid as number, hostname: r.hostname as string, token: r.token as string, startedAt: r.startedAt as string } : undefined;
}
