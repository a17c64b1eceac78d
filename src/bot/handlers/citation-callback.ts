/**
 * The whole-paragraph button. Callback data is validated strictly and
 * resolved through the *current* index by report hash: a button keeps working
 * across re-indexes while its report is unchanged; once the report changed or
 * was removed, the user is told kindly (an alert) instead of being shown a
 * different paragraph.
 *
 * The paragraph is sent as a message replying to the answer (not an alert):
 * alerts hold 200 plain characters, most paragraphs are longer, and a message
 * keeps the title, the section and the formatting.
 */
import type { MiddlewareFn } from 'grammy';
import type { Logger } from '../../log.js';
import type { App, ParagraphView } from '../../types.js';
import { parseParagraphRef } from '../callback-data.js';
import type { BotContext } from '../context.js';
import { paragraphBlocks, splitMessage } from '../format.js';
import { MSG } from '../messages.js';
import { sendParts } from '../send-parts.js';

/** Telegram's limit for `answerCallbackQuery` text. */
const ALERT_LIMIT = 200;

export function citationCallbackHandler(app: App, logger: Logger): MiddlewareFn<BotContext> {
  return async (ctx) => {
    const query = ctx.callbackQuery;
    if (query?.data === undefined) return;
    const ref = parseParagraphRef(query.data);
    if (ref === undefined) {
      logger.warn('invalid callback data', { length: query.data.length });
      await ctx.answerCallbackQuery({ text: MSG.buttonInvalid });
      return;
    }
    const view = findParagraph(app, ref.hashPrefix, ref.paragraph);
    if (view === undefined) {
      await ctx.answerCallbackQuery({ text: MSG.paragraphGone, show_alert: true });
      return;
    }
    const message = query.message;
    if (message === undefined) {
      // A button on an inline message: no chat to write to, so an alert it is.
      await ctx.answerCallbackQuery({ text: clip(`《${view.title}》第${view.paragraph}段：${view.text}`, ALERT_LIMIT), show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery({ text: MSG.paragraphSent });
    await sendParts(ctx.api, message.chat.id, splitMessage(paragraphBlocks(view)), { replyTo: message.message_id });
  };
}

/** The paragraph in the current index whose report hash starts with `hashPrefix`. */
function findParagraph(app: App, hashPrefix: string, paragraph: number): ParagraphView | undefined {
  for (const report of app.sources()) {
    if (!report.hash.toLowerCase().startsWith(hashPrefix)) continue;
    const view = app.paragraph(report.source, paragraph);
    if (view !== undefined) return view;
  }
  return undefined;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
