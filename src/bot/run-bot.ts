/**
 * Runs a bot with long polling through @grammyjs/runner: updates of different
 * chats are handled concurrently (the bot sequentializes per chat), so one
 * slow answer never holds up another chat. Stops on SIGINT/SIGTERM or when
 * `signal` aborts: polling stops, answers in flight get a bounded time to
 * finish, the updates received are confirmed to Telegram (so the next start
 * does not handle them again), then the app is closed (which stops a running
 * re-index).
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Bot, Context } from 'grammy';
import { silentLogger, type Logger } from '../log.js';
import type { App } from '../types.js';
import { ADMIN_COMMANDS, BOT_COMMANDS } from './messages.js';
import { errorFields } from './middleware/error-boundary.js';
import { UpdateOffset } from './update-offset.js';

export interface RunBotOptions {
  logger?: Logger;
  /** Stops the bot when aborted (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Admins get the command menu with /reindex in their private chat. Default: none. */
  adminUserIds?: ReadonlySet<number>;
  /** How long in-flight updates may take to finish on shutdown. Default 10 s. */
  shutdownGraceMs?: number;
  /** Long-polling timeout of getUpdates, in seconds. Default 30. */
  pollTimeoutSeconds?: number;
  /** Listen for SIGINT/SIGTERM. Default true. */
  handleSignals?: boolean;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** How often the sink is checked while draining at shutdown. */
const DRAIN_POLL_MS = 25;

/** Resolves after a clean shutdown; rejects if the bot cannot start or polling dies. */
export async function runBot<C extends Context>(bot: Bot<C>, app: App, opts: RunBotOptions = {}): Promise<void> {
  const logger = opts.logger ?? silentLogger;
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    logger.info('shutting down', { signal: sig });
    stop.abort();
  };
  const onAbort = (): void => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted === true) stop.abort();
  if (opts.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  const offset = new UpdateOffset();
  bot.api.config.use(offset.watch);
  let handle: RunnerHandle | undefined;
  try {
    await bot.init();
    // getUpdates fails while a webhook is set; pending updates are kept.
    await bot.api.deleteWebhook();
    await registerCommands(bot, opts.adminUserIds ?? new Set(), logger);
    if (stop.signal.aborted) return;
    handle = run(bot, {
      runner: {
        silent: true,
        fetch: { timeout: opts.pollTimeoutSeconds ?? 30, allowed_updates: ['message', 'callback_query'] },
      },
    });
    logger.info('bot is polling', { username: bot.botInfo.username });
    const task = handle.task();
    const stopped = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([stopped, task]);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (handle !== undefined) {
      await stopWithin(handle, opts.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS, logger);
      await offset.confirm(bot.api, logger);
    }
    await app.close();
    logger.info('bot stopped');
  }
}

/**
 * Stops polling, then waits for in-flight updates, but not forever. The
 * runner's `stop()` resolves when polling ends, not when its concurrent sink
 * is empty, so the sink's size is watched until it drains.
 */
async function stopWithin(handle: RunnerHandle, graceMs: number, logger: Logger): Promise<void> {
  const deadline = Date.now() + graceMs;
  await handle.stop();
  while (handle.size() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
  if (handle.size() > 0) logger.warn('updates still running at shutdown were abandoned', { graceMs, running: handle.size() });
}

/** The command menu: everyone sees the public commands; each admin's private chat adds /reindex. */
async function registerCommands<C extends Context>(bot: Bot<C>, adminUserIds: ReadonlySet<number>, logger: Logger): Promise<void> {
  // A menu is a convenience: a bot without one still works, so failures are only logged.
  try {
    await bot.api.setMyCommands(BOT_COMMANDS);
  } catch (err) {
    logger.warn('could not register the command menu', errorFields(err));
  }
  for (const id of adminUserIds) {
    try {
      await bot.api.setMyCommands(ADMIN_COMMANDS, { scope: { type: 'chat', chat_id: id } });
    } catch (err) {
      // Telegram refuses a chat scope until the admin has opened a chat with the bot.
      logger.warn('could not register the admin command menu', { userId: id, ...errorFields(err) });
    }
  }
}
