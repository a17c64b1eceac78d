import { AppError } from '../errors.js';
import type { App, RetrievalMode } from '../types.js';
import { formatAnswerText, toAskJson } from './ask-output.js';
import { createBuildProgress } from './build-progress.js';
import type { CommandIo } from './command-context.js';

export interface AskCommandOptions {
  json?: boolean;
  k?: number;
  mode?: RetrievalMode;
}

/** `report-qa ask "问题"`: answers one question; builds the index first if there is none. */
export async function askCommand(app: App, question: string, opts: AskCommandOptions, io: CommandIo): Promise<number> {
  const q = question.trim();
  if (q === '') throw new AppError('INPUT_INVALID', 'The question is empty: pass it in quotes, e.g. report-qa ask "2024年地区生产总值是多少？"');
  await readyWithProgress(app, io);
  const result = await app.ask(q, { ...(opts.k !== undefined && { k: opts.k }), ...(opts.mode !== undefined && { mode: opts.mode }) });
  io.out(opts.json === true ? JSON.stringify(toAskJson(result), null, 2) + '\n' : formatAnswerText(result));
  return 0;
}

/** Loads the index; when none exists it is built first, with progress on stderr. */
export async function readyWithProgress(app: App, io: CommandIo): Promise<void> {
  const view = createBuildProgress(io);
  let built = false;
  try {
    await app.ready({
      onProgress: (p) => {
        if (!built) io.err('No index yet: building it from the reports folder (first use only).\n');
        built = true;
        view.update(p);
      },
    });
  } finally {
    view.stop();
  }
  if (built) {
    const status = app.status();
    io.err(`Index built: ${status.reports} reports, ${status.chunks} chunks (${status.embedder.id}).\n`);
  }
}
