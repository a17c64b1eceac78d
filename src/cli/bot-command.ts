/**
 * `report-qa bot` (also `npm start`): loads the index (building it on first
 * use), then runs the Telegram bot until SIGINT/SIGTERM. Without a token it
 * explains how to set one and exits 1; so does a token Telegram rejects or a
 * Bot API server that cannot be reached at start-up.
 */
import { GrammyError, HttpError } from 'grammy';
import { createBot } from '../bot/create-bot.js';
import { runBot } from '../bot/run-bot.js';
import type { Config } from '../config.js';
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
  try {
    let phase: BuildPhase | undefined;
    await app.ready({
      onProgress: (p) => {
        if (p.phase === phase) return;
        phase = p.phase;
        log.info('building the index before the bot starts', { phase: p.phase, done: p.done, total: p.total });
      },
    });
    const bot = createBot(app, config, { logger: log });
    await runBot(bot, app, { logger: log, adminUserIds: config.adminUserIds });
    return 0;
  } catch (e) {
    if (e instanceof GrammyError && e.error_code === 401) {
      err('✗ Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather.\n');
      return 1;
    }
    if (e instanceof HttpError) {
      err(`✗ Cannot reach the Telegram Bot API at ${config.telegramApiRoot} (${e.message}); check the network or TELEGRAM_API_ROOT.\n`);
      return 1;
    }
    throw e;
  } finally {
    await app.close();
  }
}
