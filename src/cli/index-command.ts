import { isAppError } from '../errors.js';
import type { App } from '../types.js';
import { createBuildProgress, formatBuildSummary } from './build-progress.js';
import type { CommandIo } from './command-context.js';

/**
 * Exit code of `report-qa index` when another process holds INDEX_DIR's build
 * lock: EX_TEMPFAIL of sysexits.h, so a cron job can tell "try later" from a failure (1).
 */
export const EXIT_INDEX_LOCKED = 75;

/** `report-qa index`: builds or updates the index, reusing unchanged reports' vectors. */
export async function indexCommand(app: App, io: CommandIo): Promise<number> {
  const view = createBuildProgress(io);
  try {
    const summary = await app.reindex({ onProgress: (p) => view.update(p) });
    view.stop();
    io.out(formatBuildSummary(summary));
    return 0;
  } catch (err) {
    if (!isAppError(err, 'INDEX_LOCKED')) throw err;
    view.stop();
    io.err(`✗ ${err.message}\n`);
    return EXIT_INDEX_LOCKED;
  } finally {
    view.stop();
  }
}
