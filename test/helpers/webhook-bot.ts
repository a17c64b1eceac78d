/**
 * Runs the real bot in webhook mode (createBot + runBot with `webhook`)
 * against a FakeBotApi, on a free 127.0.0.1 port. Unlike the polling harness
 * it leaves the FakeBotApi open on stop, so a test can start the bot again on
 * the same "Telegram" and see which updates it still holds.
 */
import type { BotMetrics } from '../../src/bot/bot-metrics.js';
import { createBot, type BotLimits } from '../../src/bot/create-bot.js';
import { runBot } from '../../src/bot/run-bot.js';
import { createLogger } from '../../src/log.js';
import type { App } from '../../src/types.js';
import type { FakeBotApi } from './fake-bot-api.js';
import { freePort } from './free-port.js';

export const WEBHOOK_URL = 'https://bot.example.org/telegram/hook';

export interface WebhookBot {
  /** Where the bot's webhook server listens, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  readonly logs: string[];
  /** Resolves when runBot has returned. */
  readonly done: Promise<void>;
  /** Begins the shutdown (like SIGTERM) without waiting for it. */
  beginStop(): void;
  /** Stops the bot and waits for runBot. */
  stop(): Promise<void>;
}

export interface WebhookBotOptions {
  /** Default: none, so runBot makes one up (read it from the fake's webhook). */
  secret?: string;
  limits?: Partial<BotLimits>;
  shutdownGraceMs?: number;
  metrics?: BotMetrics;
  /** runBot's bound on unanswered updates; default its own. */
  maxPending?: number;
}

export async function startWebhookBot(api: FakeBotApi, app: App, opts: WebhookBotOptions = {}): Promise<WebhookBot> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const bot = createBot(
    app,
    { telegramBotToken: api.token, telegramApiRoot: api.apiRoot, adminUserIds: new Set(), reportsDir: '/nonexistent-reports' },
    { logger, ...(opts.limits !== undefined && { limits: opts.limits }), ...(opts.metrics !== undefined && { metrics: opts.metrics }) },
  );
  const port = await freePort();
  const abort = new AbortController();
  const setWebhooks = api.callsOf('setWebhook').length;
  const done = runBot(bot, app, {
    logger,
    signal: abort.signal,
    handleSignals: false,
    webhook: {
      url: WEBHOOK_URL,
      host: '127.0.0.1',
      port,
      ...(opts.secret !== undefined && { secret: opts.secret }),
      ...(opts.maxPending !== undefined && { maxPending: opts.maxPending }),
    },
    ...(opts.shutdownGraceMs !== undefined && { shutdownGraceMs: opts.shutdownGraceMs }),
  });
  await Promise.race([api.waitForCall((c) => c.method === 'setWebhook' && api.callsOf('setWebhook').length > setWebhooks), done]);
  return {
    origin: `http://127.0.0.1:${port}`,
    logs,
    done,
    beginStop: () => abort.abort(),
    async stop() {
      abort.abort();
      await done;
    },
  };
}
