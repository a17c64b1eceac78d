/**
 * Runs a re-index detached from the update that asked for it: `start` returns
 * once the progress message is posted, while the build goes on in the
 * background (the runner keeps serving other updates, and the app keeps
 * answering from the old index until the new one is swapped in). One job at a
 * time: the flag is taken synchronously, so two `/reindex` racing in different
 * chats cannot both start. `/reindex` and admin uploads share one job.
 */
import type { Api } from 'grammy';
import { describeError, isAppError } from '../errors.js';
import { BuildLockedError } from '../index/build-lock.js';
import type { Logger } from '../log.js';
import type { App, BuildProgress } from '../types.js';
import type { BotMetrics, ReindexResult } from './bot-metrics.js';
import { MSG, type ProgressState } from './messages.js';
import { errorFields } from './middleware/error-boundary.js';
import { ProgressMessage } from './progress-message.js';

export interface ReindexJobOptions {
  readonly app: App;
  readonly api: Api;
  readonly logger: Logger;
  /** Minimum time between progress edits. */
  readonly progressIntervalMs: number;
  /** Removes secrets from error details before they are shown in the chat. */
  readonly redact: (text: string) => string;
  readonly metrics: BotMetrics;
}

export interface StartOptions {
  /** HTML shown above the progress (e.g. which uploaded file triggered it). */
  readonly header?: string;
  readonly replyTo?: number;
  /**
   * Runs exactly once with whether a build succeeded: after the build ended,
   * or at once when none was started (busy, progress message not sent). For
   * changes the build must confirm (a report moved to a backup). Its HTML is
   * added to the final message.
   */
  readonly settle?: (succeeded: boolean) => Promise<string | undefined>;
}

export class ReindexJob {
  readonly #opts: ReindexJobOptions;
  #current: Promise<void> | undefined;

  constructor(opts: ReindexJobOptions) {
    this.#opts = opts;
  }

  /** True while a job of this bot, or any re-index of the app, runs. */
  get running(): boolean {
    return this.#current !== undefined || this.#opts.app.reindexing;
  }

  /**
   * Posts a progress message in `chatId` and starts the build without waiting
   * for it. Resolves `'busy'` (and posts nothing) when a re-index already runs.
   */
  async start(chatId: number, opts: StartOptions = {}): Promise<'started' | 'busy'> {
    if (this.running) {
      this.#opts.metrics.reindexEnded('busy');
      await this.#settle(opts.settle, false);
      return 'busy';
    }
    let done!: () => void;
    this.#current = new Promise<void>((resolve) => (done = resolve));
    const release = (): void => {
      this.#current = undefined;
      done();
    };
    const header = opts.header === undefined ? '' : `${opts.header}\n`;
    let progress: ProgressMessage;
    try {
      const first = header + MSG.reindexStarting;
      const sent = await this.#opts.api.sendMessage(chatId, first, {
        parse_mode: 'HTML',
        ...(opts.replyTo !== undefined && { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } }),
      });
      progress = new ProgressMessage(this.#opts.api, chatId, sent.message_id, first, this.#opts.progressIntervalMs, this.#opts.logger);
    } catch (err) {
      release();
      await this.#settle(opts.settle, false);
      throw err;
    }
    void this.#run(progress, header, chatId, opts.settle).finally(release);
    return 'started';
  }

  /** Resolves when no job of this bot is running (shutdown, tests). */
  async idle(): Promise<void> {
    await this.#current;
  }

  async #run(progress: ProgressMessage, header: string, chatId: number, settle: StartOptions['settle']): Promise<void> {
    const { app, logger, metrics } = this.#opts;
    let state: ProgressState | undefined;
    logger.info('re-index started', { chatId });
    const started = performance.now();
    let final: { succeeded: boolean; text: string };
    try {
      const summary = await app.reindex({
        onProgress: (p) => {
          state = nextProgressState(state, p);
          progress.update(header + MSG.reindexProgress(state));
        },
      });
      logger.info('re-index finished', { chatId, reports: summary.reports, chunks: summary.chunks, embedded: summary.embedded, ms: summary.durationMs });
      metrics.reindexEnded('done', (performance.now() - started) / 1000);
      final = { succeeded: true, text: MSG.reindexDone(summary) };
    } catch (err) {
      logger.warn('re-index failed', { chatId, ...errorFields(err) });
      const result = reindexResult(err);
      metrics.reindexEnded(result, result === 'busy' ? undefined : (performance.now() - started) / 1000);
      final = { succeeded: false, text: this.#failureText(result, err) };
    }
    const note = await this.#settle(settle, final.succeeded);
    await progress.finish(header + final.text + (note === undefined ? '' : `\n${note}`));
  }

  /** Runs `settle`; a failure there is logged, never thrown: the build's outcome stands. */
  async #settle(settle: StartOptions['settle'], succeeded: boolean): Promise<string | undefined> {
    if (settle === undefined) return undefined;
    try {
      return await settle(succeeded);
    } catch (err) {
      this.#opts.logger.error('settling a re-index failed', { succeeded, ...errorFields(err) });
      return undefined;
    }
  }

  #failureText(result: Exclude<ReindexResult, 'done'>, err: unknown): string {
    if (err instanceof BuildLockedError) return MSG.reindexLocked(err.holder);
    if (result === 'busy') return MSG.reindexBusy;
    if (result === 'aborted') return MSG.reindexInterrupted;
    return MSG.reindexFailed(isAppError(err) ? err.code : undefined, this.#opts.redact(describeError(err)));
  }
}

/** How a re-index that threw ended: another build (ours or another process's) got there first, it was stopped (the app is closing), or it failed. */
function reindexResult(err: unknown): Exclude<ReindexResult, 'done'> {
  if (isAppError(err, 'REINDEX_RUNNING') || isAppError(err, 'INDEX_LOCKED')) return 'busy';
  if (isAppError(err, 'REINDEX_ABORTED')) return 'aborted';
  return 'failed';
}

/** Folds one progress event into the accumulated state: read and embed counts survive later phases; a count of nothing (total 0) is not shown. */
export function nextProgressState(prev: ProgressState | undefined, p: BuildProgress): ProgressState {
  return {
    ...prev,
    phase: p.phase,
    elapsedMs: p.elapsedMs,
    ...(p.phase === 'read' && p.total > 0 && { read: { done: p.done, total: p.total } }),
    ...(p.phase === 'embed' && p.total > 0 && { embed: { done: p.done, total: p.total } }),
  };
}
