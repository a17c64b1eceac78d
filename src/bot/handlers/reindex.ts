/**
 * `/reindex` (admins only; the gate runs first). Starts the shared job and
 * returns at once: the build runs detached and reports by editing its
 * progress message. A second request while one runs is refused.
 */
import type { MiddlewareFn } from 'grammy';
import type { Logger } from '../../log.js';
import { logAdminChange } from '../admin-change.js';
import type { BotContext } from '../context.js';
import { MSG } from '../messages.js';
import type { ReindexJob } from '../reindex-job.js';

export function reindexHandler(job: ReindexJob, logger: Logger): MiddlewareFn<BotContext> {
  return async (ctx) => {
    const msg = ctx.message;
    if (msg === undefined) return;
    const started = await job.start(msg.chat.id, { replyTo: msg.message_id });
    if (started === 'busy') await ctx.reply(MSG.reindexBusy, { reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true } });
    else logAdminChange(logger, ctx, 'reindex');
  };
}
