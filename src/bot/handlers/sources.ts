/** `/sources`: the indexed reports (title, region, date, paragraphs), split if long. */
import type { MiddlewareFn } from 'grammy';
import type { App } from '../../types.js';
import type { BotContext } from '../context.js';
import { lineBlocks, splitMessage } from '../format.js';
import { MSG } from '../messages.js';
import { sendParts } from '../send-parts.js';

export function sourcesHandler(app: App): MiddlewareFn<BotContext> {
  return async (ctx) => {
    if (ctx.chat === undefined) return;
    await sendParts(ctx.api, ctx.chat.id, splitMessage(lineBlocks(MSG.sources(app.sources()))));
  };
}
