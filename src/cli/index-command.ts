import type { App } from '../types.js';
import { createBuildProgress, formatBuildSummary } from './build-progress.js';
import type { CommandIo } from './command-context.js';

/** `report-qa index`: builds or updates the index, reusing unchanged reports' vectors. */
export async function indexCommand(app: App, io: CommandIo): Promise<number> {
  const view = createBuildProgress(io);
  try {
    const summary = await app.reindex({ onProgress: (p) => view.update(p) });
    view.stop();
    io.out(formatBuildSummary(summary));
    return 0;
  } finally {
    view.stop();
  }
}
