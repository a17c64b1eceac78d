/**
 * Refuses questions that are empty or longer than a sane length before any
 * work is done. Length counts characters as users see them (code points).
 */
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.js';
import { inThread } from '../in-thread.js';
import { MSG } from '../messages.js';

/**
 * @param max longest question accepted, in characters
 * @param emptyText what to answer when the question is empty (a usage hint)
 */
export function lengthGuard(max: number, emptyText: string): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const question = ctx.question?.trim() ?? '';
    if (question === '') {
      await ctx.reply(emptyText, inThread(ctx));
      return;
    }
    const length = [...question].length;
    if (length > max) {
      await ctx.reply(MSG.tooLong(length, max), inThread(ctx));
      return;
    }
    ctx.question = question;
    await next();
  };
}
