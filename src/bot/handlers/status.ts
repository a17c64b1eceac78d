/** `/status`: what the index holds, which embedder and answerer serve it, when it was built. */
import type { MiddlewareFn } from 'grammy';
import type { App } from '../../types.js';
import type { BotContext } from '../context.js';
import { MSG } from '../messages.js';

export function statusHandler(app: App): MiddlewareFn<BotContext> {
  return async (ctx) => {
    // app.status() throws INDEX_MISSING before the first build; the error boundary words it.
    await ctx.reply(MSG.status(app.status(), app.reindexing), { parse_mode: 'HTML' });
  };
}
