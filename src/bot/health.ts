/**
 * What `GET /healthz` reports: whether an index is loaded (the bot can
 * answer), which build and how old it is, and when Telegram last delivered an
 * update (a bot whose polling silently stalled shows an ever older time).
 */
import { isAppError } from '../errors.js';
import type { App, IndexStatus } from '../types.js';

export interface Health {
  /** `ok` when an index is loaded; `no_index` while the first build runs or after it failed. */
  readonly status: 'ok' | 'no_index';
  readonly indexLoaded: boolean;
  readonly buildId: string | null;
  readonly builtAt: string | null;
  readonly indexAgeSeconds: number | null;
  readonly reindexing: boolean;
  /** ISO time of the last update received from Telegram; null before the first. */
  readonly lastUpdateAt: string | null;
}

export function health(app: Pick<App, 'status' | 'reindexing'>, lastUpdateAt: Date | undefined, now: Date = new Date()): Health {
  const index = loadedIndex(app);
  return {
    status: index === undefined ? 'no_index' : 'ok',
    indexLoaded: index !== undefined,
    buildId: index?.buildId ?? null,
    builtAt: index?.builtAt ?? null,
    indexAgeSeconds: index === undefined ? null : ageSeconds(index.builtAt, now),
    reindexing: app.reindexing,
    lastUpdateAt: lastUpdateAt?.toISOString() ?? null,
  };
}

/** The loaded index's status, or undefined while none is loaded. */
export function loadedIndex(app: Pick<App, 'status'>): IndexStatus | undefined {
  try {
    return app.status();
  } catch (err) {
    if (isAppError(err, 'INDEX_MISSING')) return undefined;
    throw err;
  }
}

/** Whole seconds from an ISO time to `now`, never negative (clocks differ between hosts). */
export function ageSeconds(iso: string, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
}
