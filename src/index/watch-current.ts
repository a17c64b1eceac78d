/**
 * Notices a new `CURRENT` in INDEX_DIR, written by another process (a cron
 * `report-qa index`), and runs `check`, which loads and swaps in the build.
 * fs.watch on the folder reacts at once; a periodic check catches what it
 * misses (network file systems, an inotify limit, a folder that was
 * replaced). Checks never overlap: a trigger during one runs one more
 * afterwards, so the last `CURRENT` is always seen.
 */
import { watch, type FSWatcher } from 'node:fs';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { CURRENT_FILE } from './index-store.js';

export interface WatchCurrentOptions {
  readonly indexDir: string;
  /** Time between periodic checks; 0 turns them off (fs.watch only). */
  readonly intervalMs: number;
  /** Loads and swaps in the build `CURRENT` names if it is new; a rejection is logged. */
  readonly check: () => Promise<unknown>;
  readonly logger: Logger;
}

export interface CurrentWatch {
  /** Stops watching and waits for a check under way. */
  close(): Promise<void>;
}

export function watchCurrent(opts: WatchCurrentOptions): CurrentWatch {
  const { logger } = opts;
  let closed = false;
  let running: Promise<void> | undefined;
  let again = false;

  const trigger = (): void => {
    if (closed) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await opts.check().catch((err: unknown) => {
          logger.warn('could not load the index built by another process; the loaded index keeps serving', { error: describeError(err) });
        });
      } while (again && !closed);
    })().finally(() => (running = undefined));
  };

  let watcher: FSWatcher | undefined;
  const stopWatching = (err: unknown): void => {
    logger.warn('cannot watch the index folder; relying on the periodic check', {
      indexDir: opts.indexDir,
      intervalMs: opts.intervalMs,
      error: describeError(err),
    });
    watcher?.close();
    watcher = undefined;
  };
  try {
    // Another process replaces CURRENT by renaming a temporary file over it.
    watcher = watch(opts.indexDir, { persistent: false }, (_event, name) => {
      if (name === null || name === CURRENT_FILE) trigger();
    });
    watcher.on('error', stopWatching);
  } catch (err) {
    stopWatching(err);
  }
  const timer = opts.intervalMs > 0 ? setInterval(trigger, opts.intervalMs) : undefined;
  timer?.unref();

  return {
    async close() {
      closed = true;
      watcher?.close();
      clearInterval(timer);
      await running;
    },
  };
}
