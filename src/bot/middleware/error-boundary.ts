/**
 * The bot's two catch sites. `replyWithApology` is the error boundary around
 * all handlers: it logs the failure and answers the user (an AppError by its
 * code's Chinese text, a network failure with a note that the reply may not
 * have arrived, anything else with a short apology), so one failing
 * update never stops the bot. `logBotError` is the `bot.catch` safety net for
 * whatever escapes the boundary — grammY's default handler would stop polling.
 */
import { GrammyError, HttpError, type BotError, type Context } from 'grammy';
import { AppError, describeError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { ERROR_TEXT, MSG } from '../messages.js';

/** Error handler for `composer.errorBoundary`. */
export function replyWithApology(logger: Logger): (err: BotError<Context>) => Promise<void> {
  return async ({ error, ctx }) => {
    const fields = { updateId: ctx.update.update_id, chatId: ctx.chat?.id, ...errorFields(error) };
    if (error instanceof AppError) logger.warn('update refused by the app', fields);
    else logger.error('update failed', fields);
    // A network failure may have happened after Telegram delivered the reply
    // (sendMessage is not idempotent, so it is never re-sent): say it may be lost.
    const text = error instanceof AppError ? ERROR_TEXT[error.code] : error instanceof HttpError ? MSG.deliveryFailed : MSG.apology;
    try {
      if (ctx.callbackQuery !== undefined) await ctx.answerCallbackQuery({ text, show_alert: true });
      else if (ctx.chat !== undefined) await ctx.reply(text);
    } catch (replyError) {
      logger.warn('could not send the apology', { updateId: ctx.update.update_id, ...errorFields(replyError) });
    }
  };
}

/** Handler for `bot.catch`: logs and keeps the bot running. */
export function logBotError(logger: Logger): (err: BotError<Context>) => void {
  return ({ error, ctx }) => {
    logger.error('unhandled error in the bot', { updateId: ctx.update.update_id, ...errorFields(error) });
  };
}

/**
 * Log fields that tell Telegram's refusals from network failures. grammY
 * already strips the token from its errors; nothing here adds a URL.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) return { kind: 'telegram', method: error.method, code: error.error_code, error: error.description };
  if (error instanceof HttpError) return { kind: 'network', error: error.message };
  if (error instanceof AppError) return { kind: 'app', code: error.code, error: error.message };
  return { kind: 'bug', error: describeError(error), stack: error instanceof Error ? error.stack : undefined };
}
