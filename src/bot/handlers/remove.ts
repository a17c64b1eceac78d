/**
 * The buttons of `/remove` (admins only; the gate runs first): a report
 * picked from the list is shown with 确认删除 / 取消; on confirmation its file
 * moves to the backup folder and the shared re-index job runs — the backup is
 * deleted once the re-index succeeded, moved back if it failed. A button
 * whose report has since changed, been renamed or removed is refused kindly.
 */
import type { MiddlewareFn } from 'grammy';
import type { Logger } from '../../log.js';
import type { App } from '../../types.js';
import { logAdminChange, settleBackup } from '../admin-change.js';
import { readPress } from '../button-press.js';
import type { BotContext } from '../context.js';
import { editMessage } from '../edit-message.js';
import { MSG } from '../messages.js';
import type { ReindexJob } from '../reindex-job.js';
import { encodeRemove, parseRemove, REMOVE_CANCEL_DATA, reportKey } from '../report-callback-data.js';
import { moveToBackup } from '../report-files.js';

export interface RemoveHandlerOptions {
  readonly app: App;
  readonly job: ReindexJob;
  readonly reportsDir: string;
  readonly logger: Logger;
}

export function removeButtonHandler(opts: RemoveHandlerOptions): MiddlewareFn<BotContext> {
  const { app, job, logger } = opts;
  return async (ctx) => {
    const press = await readPress(ctx, parseRemove);
    if (press === undefined) return;
    const { data: button, message } = press;
    const chatId = message.chat.id;
    if (button.action === 'cancel') {
      await editMessage(ctx.api, chatId, message.message_id, MSG.removeCancelled);
      await ctx.answerCallbackQuery();
      return;
    }
    const report = app.sources().find((r) => reportKey(r) === button.key);
    if (report === undefined) {
      await ctx.answerCallbackQuery({ text: MSG.removeStale, show_alert: true });
      return;
    }
    if (button.action === 'pick') {
      await editMessage(ctx.api, chatId, message.message_id, MSG.removeConfirm(report), {
        inline_keyboard: [
          [
            { text: MSG.confirmRemoveButton, callback_data: encodeRemove('confirm', button.key) },
            { text: MSG.cancelButton, callback_data: REMOVE_CANCEL_DATA },
          ],
        ],
      });
      await ctx.answerCallbackQuery();
      return;
    }
    // Checked before moving anything; the job's own check covers a race with another chat.
    if (job.running) {
      await ctx.answerCallbackQuery({ text: MSG.reindexBusy, show_alert: true });
      return;
    }
    const backup = await moveToBackup(opts.reportsDir, report.source);
    if (backup === undefined) {
      await editMessage(ctx.api, chatId, message.message_id, MSG.removeFileMissing(report.source));
      await ctx.answerCallbackQuery();
      return;
    }
    logAdminChange(logger, ctx, 'remove', report.source, { backup: backup.kept });
    // The job owns the backup from here: it restores it itself when it cannot run.
    const header = MSG.removeStarted(report.source);
    const started = await job.start(chatId, { header, replyTo: message.message_id, settle: settleBackup(backup, logger, ctx.from?.id) });
    if (started === 'busy') {
      await ctx.answerCallbackQuery({ text: MSG.reindexBusy, show_alert: true });
      return;
    }
    await editMessage(ctx.api, chatId, message.message_id, MSG.removeConfirmed(report));
    await ctx.answerCallbackQuery();
  };
}
