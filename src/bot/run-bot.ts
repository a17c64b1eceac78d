/**
 * Runs a bot through @grammyjs/runner, fed by long polling or, with
 * `webhook`, by the webhook server: either way updates of different chats are
 * handled concurrently by the runner's sink (the bot sequentializes per chat),
 * so one slow answer never holds up another chat. Stops on SIGINT/SIGTERM or
 * when `signal` aborts: no more updates are taken from Telegram, answers in
 * flight get a bounded time to finish, then the app is closed (which stops a
 * running re-index). Polling confirms the updates received to Telegram at the
 * end (so the next start does not handle them again); the webhook server has
 * acknowledged each one on arrival and answers 503 from the stop on.
 *
 * Telegram's side: polling starts with deleteWebhook (pending updates are
 * kept), webhook mode with setWebhook. A stop leaves the webhook set, so
 * Telegram keeps and retries updates while the bot is down.
 */
import { randomBytes } from 'node:crypto';
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Bot, Context } from 'grammy';
import { DEFAULT_WEBHOOK } from '../config.js';
import { ConfigError, describeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { App } from '../types.js';
import { maskSecret } from './mask-logger.js';
import { ADMIN_COMMANDS, BOT_COMMANDS } from './messages.js';
import { errorFields } from './middleware/error-boundary.js';
import { UpdateOffset } from './update-offset.js';
import { WebhookInbox } from './webhook-inbox.js';
import { startWebhookServer, type WebhookServer } from './webhook-server.js';

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
  /** Receive updates by webhook instead of long polling. */
  webhook?: WebhookOptions;
}

/** The webhook settings (see `WebhookConfig`); `port` 0 picks a free one. */
export interface WebhookOptions {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Default: a random one for this run; setWebhook registers it either way. */
  readonly secret?: string;
  /** Updates acknowledged and not yet answered beyond which requests get 503. Default DEFAULT_WEBHOOK.maxPending. */
  readonly maxPending?: number;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** The updates the bot handles, asked for by getUpdates and setWebhook alike. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** How often the sink is checked while draining at shutdown. */
const DRAIN_POLL_MS = 25;

/** Where updates come from, and what starting and stopping mean to Telegram. */
interface Transport {
  /** Tells Telegram where updates go and starts the runner on them. */
  start(): Promise<RunnerHandle>;
  /** Updates received from Telegram that the runner has not taken yet. */
  queued(): number;
  /** At shutdown, before the runner drains: take no more updates from Telegram. */
  stopReceiving(): void;
  /** After the runner stopped (also when `start` failed). */
  finish(): Promise<void>;
}

/** Resolves after a clean shutdown; rejects if the bot cannot start or polling dies. */
export async function runBot<C extends Context>(bot: Bot<C>, app: App, opts: RunBotOptions = {}): Promise<void> {
  const webhook =
    opts.webhook === undefined
      ? undefined
      : { maxPending: DEFAULT_WEBHOOK.maxPending, ...opts.webhook, secret: opts.webhook.secret ?? randomBytes(32).toString('base64url') };
  const logger = webhook === undefined ? (opts.logger ?? silentLogger) : maskSecret(opts.logger ?? silentLogger, webhook.secret);
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

  const transport = webhook === undefined ? pollingTransport(bot, opts.pollTimeoutSeconds ?? 30, logger) : webhookTransport(bot, webhook, logger);
  let handle: RunnerHandle | undefined;
  try {
    await bot.init();
    await registerCommands(bot, opts.adminUserIds ?? new Set(), logger);
    if (stop.signal.aborted) return;
    handle = await transport.start();
    const task = handle.task();
    // A stop may have come while start-up was under way.
    const stopped = new Promise<void>((resolve) => (stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve(), { once: true })));
    await Promise.race([stopped, task]);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    transport.stopReceiving();
    if (handle !== undefined) await stopWithin(handle, transport.queued, opts.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS, logger);
    await transport.finish();
    await app.close();
    logger.info('bot stopped');
  }
}

function pollingTransport<C extends Context>(bot: Bot<C>, pollTimeoutSeconds: number, logger: Logger): Transport {
  const offset = new UpdateOffset();
  bot.api.config.use(offset.watch);
  return {
    async start() {
      // getUpdates fails while a webhook is set; pending updates are kept.
      await bot.api.deleteWebhook();
      const handle = run(bot, { runner: { silent: true, fetch: { timeout: pollTimeoutSeconds, allowed_updates: ALLOWED_UPDATES } } });
      logger.info('bot is polling', { username: bot.botInfo.username });
      return handle;
    },
    queued: () => 0,
    stopReceiving() {}, // the runner's stop ends the poll
    finish: () => offset.confirm(bot.api, logger),
  };
}

/**
 * The runner reads from the webhook inbox instead of getUpdates, so the sink,
 * its concurrency and `sequentialize` are the same as with polling.
 */
function webhookTransport<C extends Context>(bot: Bot<C>, webhook: Required<WebhookOptions>, logger: Logger): Transport {
  const inbox = new WebhookInbox(webhook.maxPending);
  let server: WebhookServer | undefined;
  return {
    async start() {
      const { host, port } = webhook;
      try {
        server = await startWebhookServer({ host, port, path: new URL(webhook.url).pathname, secret: webhook.secret, onUpdate: (u) => inbox.push(u), logger });
      } catch (err) {
        throw new ConfigError('WEBHOOK_PORT', `cannot listen on ${host}:${port} (${describeError(err)})`);
      }
      // Listening first, so Telegram's first delivery finds the server.
      await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: ALLOWED_UPDATES });
      const handle = run({
        init: () => bot.init(),
        handleUpdate: (update) => bot.handleUpdate(update).finally(() => inbox.finished()),
        errorHandler: (err: Parameters<Bot<C>['errorHandler']>[0]) => bot.errorHandler(err),
        api: { getUpdates: (args, signal) => inbox.take(args.limit, signal) },
      }, { runner: { silent: true } });
      logger.info('bot receives updates by webhook', { username: bot.botInfo.username, url: webhook.url, listen: server.origin });
      return handle;
    },
    queued: () => inbox.size,
    stopReceiving: () => server?.stopAccepting(),
    finish: async () => server?.close(),
  };
}

/**
 * Stops the runner, then waits for in-flight updates, but not forever.
 * Updates still `queued` (acknowledged to Telegram by the webhook server, not
 * yet taken by the runner) are let into the sink first, since Telegram will
 * not send them again. The runner's `stop()` resolves when its source ends,
 * not when its concurrent sink is empty, so the sink's size is watched until
 * it drains.
 */
async function stopWithin(handle: RunnerHandle, queued: () => number, graceMs: number, logger: Logger): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (queued() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
  await handle.stop();
  while (handle.size() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
  const running = handle.size() + queued();
  if (running > 0) logger.warn('updates still running at shutdown were abandoned', { graceMs, running });
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
