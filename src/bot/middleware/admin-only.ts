/**
 * Admin gate. An admin is a *sender* whose user id is in ADMIN_USER_IDS —
 * never a chat id or a username, which others can share or change, never the
 * original author of a forwarded message, and never a message sent on behalf
 * of a chat (a channel, an anonymous group admin: `sender_chat`), whatever
 * its `from` says.
 */
import type { Context, MiddlewareFn } from 'grammy';
import { inThread } from '../in-thread.js';
import { MSG } from '../messages.js';

/** True when the update's sender is an admin. */
export function isAdmin(adminUserIds: ReadonlySet<number>, ctx: Context): boolean {
  if (ctx.msg?.sender_chat !== undefined) return false;
  const id = ctx.from?.id;
  return id !== undefined && adminUserIds.has(id);
}

/** Lets admins through; anyone else gets a refusal and nothing further runs. */
export function adminOnly<C extends Context>(adminUserIds: ReadonlySet<number>): MiddlewareFn<C> {
  return async (ctx, next) => {
    if (isAdmin(adminUserIds, ctx)) return next();
    await ctx.reply(MSG.adminOnly, inThread(ctx));
  };
}

/**
 * The same gate for inline buttons: a press by anyone else is refused with an
 * alert and changes nothing (the buttons sit in chats others can see).
 */
export function adminOnlyButton<C extends Context>(adminUserIds: ReadonlySet<number>): MiddlewareFn<C> {
  return async (ctx, next) => {
    if (isAdmin(adminUserIds, ctx)) return next();
    await ctx.answerCallbackQuery({ text: MSG.adminOnlyButton, show_alert: true });
  };
}
