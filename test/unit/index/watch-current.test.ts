/**
 * watchCurrent with the periodic check on fake timers (only setInterval and
 * clearInterval are faked, so fs.watch and I/O stay real) and checks that
 * finish when the test says so.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchCurrent, type CurrentWatch } from '../../../src/index/watch-current.js';
import { createLogger, silentLogger, type Logger } from '../../../src/log.js';

const INTERVAL = 60_000;

let indexDir: string;
let watch: CurrentWatch | undefined;
beforeEach(async () => {
  indexDir = await fs.mkdtemp(path.join(os.tmpdir(), 'watch-current-test-'));
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});
afterEach(async () => {
  await watch?.close();
  watch = undefined;
  vi.useRealTimers();
  await fs.rm(indexDir, { recursive: true, force: true });
});

/** A `check` whose calls the test counts, awaits and finishes one by one. */
function controlledCheck() {
  const finishers: Array<(err?: Error) => void> = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let active = 0;
  let maxActive = 0;
  const check = (): Promise<void> => {
    active++;
    maxActive = Math.max(maxActive, active);
    const done = new Promise<void>((resolve, reject) => finishers.push((err) => (err === undefined ? resolve() : reject(err))));
    for (const w of waiters.filter((w) => w.n <= finishers.length)) w.resolve();
    return done.finally(() => active--);
  };
  return {
    check,
    get calls() {
      return finishers.length;
    },
    get maxActive() {
      return maxActive;
    },
    /** Resolves once `check` has been called `n` times. */
    called(n: number): Promise<void> {
      return n <= finishers.length ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }));
    },
    /** Settles call `n` (1-based). */
    finish(n: number, err?: Error): void {
      finishers[n - 1]!(err);
    },
  };
}

/** Lets settled promises run their continuations (setImmediate is not faked). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function start(check: () => Promise<unknown>, opts: { intervalMs?: number; logger?: Logger; dir?: string } = {}): CurrentWatch {
  watch = watchCurrent({ indexDir: opts.dir ?? indexDir, intervalMs: opts.intervalMs ?? INTERVAL, check, logger: opts.logger ?? silentLogger });
  return watch;
}

describe('watchCurrent', () => {
  it('checks when another process renames a new CURRENT into the folder', async () => {
    let seen!: () => void;
    const checked = new Promise<void>((resolve) => (seen = resolve));
    start(async () => seen(), { intervalMs: 0 });
    await fs.writeFile(path.join(indexDir, 'CURRENT.tmp-1'), 'build\n');
    await fs.rename(path.join(indexDir, 'CURRENT.tmp-1'), path.join(indexDir, 'CURRENT'));
    await checked; // no timer runs (intervalMs 0): only the watcher can call check
  });

  it('checks on every period, without any file change', async () => {
    const c = controlledCheck();
    start(c.check);
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(c.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(c.calls).toBe(1);
    c.finish(1);
    await settle();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(c.calls).toBe(2);
    c.finish(2);
  });

  it('never overlaps checks: triggers during one run exactly one more afterwards', async () => {
    const c = controlledCheck();
    start(c.check);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(c.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(3 * INTERVAL); // three triggers while the first check runs
    expect(c.calls).toBe(1);
    c.finish(1);
    await c.called(2);
    c.finish(2);
    await settle();
    expect(c.calls).toBe(2);
    expect(c.maxActive).toBe(1);
  });

  it('logs a failed check and checks again on the next period', async () => {
    const lines: string[] = [];
    const c = controlledCheck();
    start(c.check, { logger: createLogger({ level: 'warn', write: (l) => lines.push(l) }) });
    await vi.advanceTimersByTimeAsync(INTERVAL);
    c.finish(1, new Error('chunks.json is damaged'));
    await settle();
    expect(lines).toEqual([expect.stringContaining('could not load the index built by another process')]);
    expect(lines[0]).toContain('chunks.json is damaged');
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(c.calls).toBe(2);
    c.finish(2);
  });

  it('falls back to the periodic check when the folder cannot be watched', async () => {
    const lines: string[] = [];
    const c = controlledCheck();
    start(c.check, { dir: path.join(indexDir, 'missing'), logger: createLogger({ level: 'warn', write: (l) => lines.push(l) }) });
    expect(lines).toEqual([expect.stringContaining('cannot watch the index folder; relying on the periodic check')]);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(c.calls).toBe(1);
    c.finish(1);
  });

  it('close waits for the check under way and stops all checks', async () => {
    const c = controlledCheck();
    const w = start(c.check);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    await vi.advanceTimersByTimeAsync(INTERVAL); // queues one more run
    let closed = false;
    const closing = w.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    c.finish(1);
    await closing;
    await fs.writeFile(path.join(indexDir, 'CURRENT'), 'build\n');
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    await settle();
    expect(c.calls).toBe(1); // neither the queued run, nor the file change, nor the timer
  });
});
