/**
 * `/sources [关键词]` (everyone) and `/remove [关键词]` (admins; the gate runs
 * first): one page of the matching reports with ◀ ▶ buttons, and under
 * /remove a button per report. A page button edits its message into the
 * requested page of the current index.
 */
import type { MiddlewareFn } from 'grammy';
import type { App } from '../../types.js';
import { readPress } from '../button-press.js';
import type { BotContext } from '../context.js';
import { editMessage } from '../edit-message.js';
import { inThread } from '../in-thread.js';
import { MSG } from '../messages.js';
import { keywordFits, parseListPage, type ListKind } from '../report-callback-data.js';
import { normalizeKeyword, renderPage } from '../report-list.js';

/** The command: page 1, filtered by the text after it. */
export function reportListHandler(app: App, kind: ListKind): MiddlewareFn<BotContext> {
  return async (ctx) => {
    const keyword = normalizeKeyword(typeof ctx.match === 'string' ? ctx.match : '');
    if (!keywordFits(keyword)) {
      await ctx.reply(MSG.keywordTooLong, inThread(ctx));
      return;
    }
    const page = renderPage(app.sources(), { kind, page: 1, keyword });
    await ctx.reply(page.html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...inThread(ctx),
      ...(page.keyboard !== undefined && { reply_markup: page.keyboard }),
    });
  };
}

/** A ◀ ▶ press (for /remove's list the admin gate runs first). */
export function reportPageHandler(app: App): MiddlewareFn<BotContext> {
  return async (ctx) => {
    const press = await readPress(ctx, parseListPage);
    if (press === undefined) return;
    const { data: want, message } = press;
    const page = renderPage(app.sources(), want);
    await editMessage(ctx.api, message.chat.id, message.message_id, page.html, page.keyboard);
    await ctx.answerCallbackQuery();
  };
}
