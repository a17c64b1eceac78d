/**
 * Runs the real bot (createBot + runBot, i.e. grammY + runner + auto-retry)
 * against a FakeBotApi. Log lines are captured by a logger that masks
 * nothing, so a test can prove the bot never logs its token by itself.
 */
import type { Bot } from 'grammy';
import { createBot, type BotLimits } from '../../src/bot/create-bot.js';
import type { BotContext } from '../../src/bot/context.js';
import { runBot } from '../../src/bot/run-bot.js';
import { createLogger } from '../../src/log.js';
import type { App } from '../../src/types.js';
import { FakeBotApi, type FakeBotApiOptions } from './fake-bot-api.js';

export interface BotHarness {
  readonly api: FakeBotApi;
  readonly bot: Bot<BotContext>;
  readonly logs: string[];
  /** Resolves when runBot has returned. */
  readonly done: Promise<void>;
  /** Stops the bot (like SIGTERM), waits for runBot, closes the server. */
  stop(): Promise<void>;
}

export interface HarnessOptions {
  admins?: readonly number[];
  limits?: Partial<BotLimits>;
  reportsDir?: string;
  shutdownGraceMs?: number;
  /** Options of the fake Bot API server (flood control…). */
  api?: FakeBotApiOptions;
}

export async function startBotHarness(app: App, opts: HarnessOptions = {}): Promise<BotHarness> {
  const api = await FakeBotApi.start(opts.api);
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const adminUserIds = new Set(opts.admins ?? []);
  const bot = createBot(
    app,
    { telegramBotToken: api.token, telegramApiRoot: api.apiRoot, adminUserIds, reportsDir: opts.reportsDir ?? '/nonexistent-reports' },
    { logger, ...(opts.limits !== undefined && { limits: opts.limits }) },
  );
  const abort = new AbortController();
  const done = runBot(bot, app, {
    logger,
    signal: abort.signal,
    handleSignals: false,
    adminUserIds,
    ...(opts.shutdownGraceMs !== undefined && { shutdownGraceMs: opts.shutdownGraceMs }),
  });
  await Promise.race([api.waitForPolling(), done]);
  return {
    api,
    bot,
    logs,
    done,
    async stop() {
      abort.abort();
      try {
        await done;
      } finally {
        await api.close();
      }
    },
  };
}
