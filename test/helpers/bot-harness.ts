/**
 * Runs the real bot (createBot + runBot, i.e. grammY + runner + auto-retry)
 * against a FakeBotApi. Log lines are captured by a logger that masks
 * nothing, so a test can prove the bot never logs its token by itself.
 */
import type { Bot } from 'grammy';
import { expect } from 'vitest';
import type { BotMetrics } from '../../src/bot/bot-metrics.js';
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
  /** Where the bot records its metrics (default: its own, unseen). */
  metrics?: BotMetrics;
}

export async function startBotHarness(app: App, opts: HarnessOptions = {}): Promise<BotHarness> {
  const api = await FakeBotApi.start(opts.api);
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const adminUserIds = new Set(opts.admins ?? []);
  const bot = createBot(
    app,
    { telegramBotToken: api.token, telegramApiRoot: api.apiRoot, adminUserIds, reportsDir: opts.reportsDir ?? '/nonexistent-reports' },
    { logger, ...(opts.limits !== undefined && { limits: opts.limits }), ...(opts.metrics !== undefined && { metrics: opts.metrics }) },
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

/**
 * What every bot test checks once its harness has stopped: the token is in no log line
 * and no Bot API payload (the harness logger masks nothing itself), and no update failed
 * with an unhandled error.
 */
export function expectNoLeaksOrCrashes(harness: BotHarness): void {
  expect(harness.logs.join('\n')).not.toContain(harness.api.token);
  expect(harness.api.calls.some((c) => JSON.stringify(c.payload).includes(harness.api.token))).toBe(false);
  expect(harness.logs.some((l) => l.includes('unhandled error'))).toBe(false);
}
