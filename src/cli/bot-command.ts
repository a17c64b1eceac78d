/**
 * `report-qa bot` (also `npm start`): loads the index (building it on first
 * use), then runs the Telegram bot until SIGINT/SIGTERM, by long polling or,
 * with TELEGRAM_WEBHOOK_URL / `--webhook`, by webhook. Without a token it
 * explains how to set one and exits 1; so does a token Telegram rejects, a
 * webhook URL it refuses, a webhook port that cannot be bound or a Bot API
 * server that cannot be reached at start-up. With METRICS_PORT the
 * health and metrics server starts before the index is loaded, so /healthz
 * answers 503 during a first build rather than not at all. Once the index is
 * loaded, builds other processes make live (a cron `report-qa index`) are
 * picked up: INDEX_DIR is watched, and checked every INDEX_CHECK_SECONDS.
 */
import { GrammyError, HttpError } from 'grammy';
import { BotMetrics } from '../bot/bot-metrics.js';
import { createBot } from '../bot/create-bot.js';
import { OPS_HOST, startOpsServer, type OpsServer } from '../bot/ops-server.js';
import { runBot } from '../bot/run-bot.js';
import type { Config } from '../config.js';
import { ConfigError, describeError } from '../errors.js';
import { watchCurrent, type CurrentWatch } from '../index/watch-current.js';
import type { Logger } from '../log.js';
import type { App, BuildPhase } from '../types.js';

export const NO_TOKEN_HELP = [
  '✗ TELEGRAM_BOT_TOKEN is not set, so the bot cannot start.',
  '  Get a token from @BotFather in Telegram, then either add it to .env:',
  '      TELEGRAM_BOT_TOKEN=123456789:AA...',
  '  or set it in the environment:',
  '      TELEGRAM_BOT_TOKEN=123456789:AA... report-qa bot',
  '  To use a local Bot API server, also set TELEGRAM_API_ROOT.',
  '  `report-qa chat` and `report-qa ask "问题"` work without a token.',
  '',
].join('\n');

/** Runs the bot; resolves the process exit code. */
export async function botCommand(
  config: Config,
  logger: Logger,
  makeApp: () => Promise<App>,
  err: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
  if (config.telegramBotToken === undefined) {
    err(NO_TOKEN_HELP);
    return 1;
  }
  const log = logger.child('bot');
  const app = await makeApp();
  const metrics = new BotMetrics(app);
  let ops: OpsServer | undefined;
  let watch: CurrentWatch | undefined;
  try {
    if (config.metricsPort !== undefined) ops = await startMetricsServer(config.metricsPort, app, metrics, log);
    let phase: BuildPhase | undefined;
    await app.ready({
      onProgress: (p) => {
        if (p.phase === phase) return;
        phase = p.phase;
        log.info('building the index before the bot starts', { phase: p.phase, done: p.done, total: p.total });
      },
    });
    watch = watchCurrent({ indexDir: config.indexDir, intervalMs: config.indexCheckSeconds * 1000, check: () => app.pickUpCurrent(), logger: log });
    const bot = createBot(app, config, { logger: log, metrics });
    await runBot(bot, app, { logger: log, adminUserIds: config.adminUserIds, ...(config.webhook !== undefined && { webhook: config.webhook }) });
    return 0;
  } catch (e) {
    if (e instanceof GrammyError && e.error_code === 401) {
      err('✗ Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather.\n');
      return 1;
    }
    if (e instanceof GrammyError && e.method === 'setWebhook') {
      err(`✗ Telegram refused the webhook URL ${config.webhook?.url ?? ''} (${e.description}); check TELEGRAM_WEBHOOK_URL and that it is reachable.\n`);
      return 1;
    }
    if (e instanceof HttpError) {
      err(`✗ Cannot reach the Telegram Bot API at ${config.telegramApiRoot} (${e.message}); check the network or TELEGRAM_API_ROOT.\n`);
      return 1;
    }
    throw e;
  } finally {
    await watch?.close();
    await ops?.close();
    await app.close();
  }
}

/** Starts the ops server; a port that cannot be bound is a setting to fix, not a bug. */
async function startMetricsServer(port: number, app: App, metrics: BotMetrics, logger: Logger): Promise<OpsServer> {
  try {
    return await startOpsServer({ port, app, metrics, logger: logger.child('ops') });
  } catch (err) {
    throw new ConfigError('METRICS_PORT', `cannot listen on ${OPS_HOST}:${port} (${describeError(err)})`);
  }
}
