import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireBuildLock, BUILD_LOCK_FILE, BuildLockedError, readBuildLock, type BuildLockHolder } from '../../../src/index/build-lock.js';
import { thisProcess } from '../../../src/index/process-identity.js';
import { createLogger, silentLogger } from '../../../src/log.js';
import { deadPid } from '../../helpers/dead-pid.js';

let indexDir: string;
let lockFile: string;
beforeEach(async () => {
  indexDir = await fs.mkdtemp(path.join(os.tmpdir(), 'build-lock-test-'));
  lockFile = path.join(indexDir, BUILD_LOCK_FILE);
});
afterEach(async () => {
  await fs.rm(indexDir, { recursive: true, force: true });
});

function holder(over: Partial<BuildLockHolder>): BuildLockHolder {
  return { pid: process.ppid, hostname: os.hostname(), token: 'abcdef01', startedAt: '2026-01-02T03:04:05.000Z', ...over };
}

async function writeLock(h: BuildLockHolder): Promise<string> {
  const text = JSON.stringify(h) + '\n';
  await fs.writeFile(lockFile, text);
  return text;
}

async function refusal(p: Promise<unknown>): Promise<BuildLockedError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BuildLockedError);
  return err as BuildLockedError;
}

describe('acquireBuildLock', () => {
  it('creates the folder and a lock naming this process, and release removes it', async () => {
    const dir = path.join(indexDir, 'not-yet');
    const lock = await acquireBuildLock(dir, silentLogger);
    const seen = await readBuildLock(dir);
    expect(seen).toMatchObject(thisProcess());
    expect(Number.isNaN(Date.parse(seen!.startedAt))).toBe(false);
    await lock.release();
    await expect(fs.stat(path.join(dir, BUILD_LOCK_FILE))).rejects.toThrow(/ENOENT/);
    expect(await readBuildLock(dir)).toBeUndefined();
    await lock.release(); // twice is harmless
  });

  it('refuses a second acquirer, by this process too, with an error naming the holder and the file', async () => {
    const lock = await acquireBuildLock(indexDir, silentLogger);
    const err = await refusal(acquireBuildLock(indexDir, silentLogger));
    expect(err.code).toBe('INDEX_LOCKED');
    expect(err.holder).toMatchObject(thisProcess());
    expect(err.message).toContain(`PID ${process.pid} on ${os.hostname()}`);
    expect(err.message).toContain(lockFile);
    await lock.release();
    const again = await acquireBuildLock(indexDir, silentLogger);
    await again.release();
  });

  it('lets exactly one of two concurrent acquirers win', async () => {
    const results = await Promise.allSettled([acquireBuildLock(indexDir, silentLogger), acquireBuildLock(indexDir, silentLogger)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(BuildLockedError);
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  });

  it('respects a lock of another live process and leaves its file alone', async () => {
    const text = await writeLock(holder({}));
    const err = await refusal(acquireBuildLock(indexDir, silentLogger));
    expect(err.holder).toEqual(holder({}));
    expect(err.message).toContain('started 2026-01-02T03:04:05.000Z');
    expect(await fs.readFile(lockFile, 'utf8')).toBe(text);
  });

  it('respects a lock of another host, whose pid cannot be checked', async () => {
    await writeLock(holder({ pid: deadPid(), hostname: `not-${os.hostname()}` }));
    await refusal(acquireBuildLock(indexDir, silentLogger));
  });

  it('respects a lock that does not name its holder (its writer may not have written it yet)', async () => {
    for (const text of ['', '{"pid":', '{"pid":"12"}', 'null']) {
      await fs.writeFile(lockFile, text);
      const err = await refusal(acquireBuildLock(indexDir, silentLogger));
      expect(err.holder).toBeUndefined();
      expect(err.message).toContain(`${lockFile} exists but does not name its holder`);
      expect(await fs.readFile(lockFile, 'utf8')).toBe(text);
    }
  });

  it.each([
    ['a process that is gone', () => holder({ pid: deadPid() })],
    ['an earlier process with our pid (a restarted container)', () => holder({ pid: process.pid, token: 'ffffffff' })],
  ])('takes over the stale lock of %s, with a warning', async (_what, stale) => {
    const old = stale();
    await writeLock(old);
    const lines: string[] = [];
    const lock = await acquireBuildLock(indexDir, createLogger({ level: 'warn', write: (l) => lines.push(l) }));
    expect(await readBuildLock(indexDir)).toMatchObject(thisProcess());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('taking over the build lock of a process that is gone');
    expect(lines[0]).toContain(`"pid":${old.pid}`);
    expect((await fs.readdir(indexDir)).sort()).toEqual([BUILD_LOCK_FILE]); // nothing left aside
    await lock.release();
  });

  it('release leaves alone a lock that is no longer ours', async () => {
    const lock = await acquireBuildLock(indexDir, silentLogger);
    const other = await writeLock(holder({})); // e.g. an admin removed ours and another builder locked
    await lock.release();
    expect(await fs.readFile(lockFile, 'utf8')).toBe(other);
  });
});
