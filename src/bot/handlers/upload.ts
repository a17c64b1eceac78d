/**
 * A document sent by an admin becomes a report: checked (extension, size),
 * downloaded with a size cap, saved into the reports folder under a safe name,
 * then indexed by the shared re-index job with the same progress message as
 * `/reindex`. The admin gate runs before these handlers, so nothing is
 * downloaded for anyone else. While a re-index runs, uploads are refused
 * before downloading (the running build may already have read the folder, so
 * the file would silently miss the index).
 *
 * When a different file already has the name, the admin chooses with buttons:
 * replace it (the old file kept as a backup until the re-index succeeded,
 * restored if it failed), save under a new name (`name (2).ext`), or cancel.
 * Until then the upload waits in PendingUploads; nothing is written.
 */
import { GrammyError, type MiddlewareFn } from 'grammy';
import { formatOf } from '../../ingest/report-formats.js';
import type { Logger } from '../../log.js';
import { logAdminChange, settleBackup } from '../admin-change.js';
import { readPress } from '../button-press.js';
import type { BotContext } from '../context.js';
import { FileTooLargeError } from '../download-file.js';
import { editMessage } from '../edit-message.js';
import { MSG } from '../messages.js';
import { errorFields } from '../middleware/error-boundary.js';
import type { PendingUploads } from '../pending-uploads.js';
import type { ReindexJob } from '../reindex-job.js';
import { encodeUploadChoice, parseUploadChoice } from '../report-callback-data.js';
import { differentFileAt, replaceWithBackup } from '../report-files.js';
import { safeFileName } from '../safe-file-name.js';
import { saveUpload } from '../save-upload.js';

export interface UploadHandlerOptions {
  readonly job: ReindexJob;
  readonly reportsDir: string;
  /** Largest file accepted, in bytes (already capped at what getFile serves). */
  readonly maxBytes: number;
  /** Downloads a Telegram `file_path` with the size cap applied. */
  readonly download: (filePath: string) => Promise<Uint8Array>;
  readonly logger: Logger;
  /** Uploads whose name is taken, waiting for the admin's choice. */
  readonly pending: PendingUploads;
}

export function uploadHandler(opts: UploadHandlerOptions): MiddlewareFn<BotContext> {
  const { job, logger } = opts;
  return async (ctx) => {
    const msg = ctx.message;
    const doc = msg?.document;
    if (msg === undefined || doc === undefined) return;
    const original = doc.file_name ?? '';
    const name = safeFileName(original);
    if (formatOf(name)?.upload !== true) {
      await ctx.reply(MSG.uploadUnsupported(original === '' ? '无文件名' : original), { parse_mode: 'HTML' });
      return;
    }
    if (doc.file_size !== undefined && doc.file_size > opts.maxBytes) {
      await ctx.reply(MSG.uploadTooLarge(doc.file_size, opts.maxBytes));
      return;
    }
    if (job.running) {
      await ctx.reply(MSG.uploadBusy);
      return;
    }

    let bytes: Uint8Array;
    try {
      const file = await ctx.api.getFile(doc.file_id);
      if (file.file_path === undefined) throw new Error('getFile returned no file_path');
      bytes = await opts.download(file.file_path);
    } catch (err) {
      logger.warn('upload download failed', { chatId: msg.chat.id, ...errorFields(err) });
      if (err instanceof FileTooLargeError) await ctx.reply(MSG.uploadTooLarge(err.bytes, opts.maxBytes));
      else if (err instanceof GrammyError && /too big/i.test(err.description)) await ctx.reply(MSG.uploadTooLarge(doc.file_size ?? opts.maxBytes + 1, opts.maxBytes));
      else await ctx.reply(MSG.uploadFailed);
      return;
    }

    if (await differentFileAt(opts.reportsDir, name, bytes)) {
      const token = opts.pending.add({ name, bytes });
      await ctx.reply(MSG.uploadConflict(name), {
        parse_mode: 'HTML',
        reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true },
        reply_markup: {
          inline_keyboard: [
            [
              { text: MSG.uploadReplaceButton, callback_data: encodeUploadChoice(token, 'replace') },
              { text: MSG.uploadRenameButton, callback_data: encodeUploadChoice(token, 'rename') },
            ],
            [{ text: MSG.cancelButton, callback_data: encodeUploadChoice(token, 'cancel') }],
          ],
        },
      });
      return;
    }
    await saveAndIndex(ctx, opts, name, bytes, msg.message_id);
  };
}

/** A press on 替换原文件 / 另存为新文件 / 取消 under an upload whose name was taken. */
export function uploadChoiceHandler(opts: UploadHandlerOptions): MiddlewareFn<BotContext> {
  const { job, logger } = opts;
  return async (ctx) => {
    const press = await readPress(ctx, parseUploadChoice);
    if (press === undefined) return;
    const { data: button, message } = press;
    const upload = opts.pending.get(button.token);
    if (upload === undefined) {
      await ctx.answerCallbackQuery({ text: MSG.uploadChoiceExpired, show_alert: true });
      return;
    }
    const chatId = message.chat.id;
    if (button.choice === 'cancel') {
      opts.pending.delete(button.token);
      await editMessage(ctx.api, chatId, message.message_id, MSG.uploadCancelled(upload.name));
      await ctx.answerCallbackQuery();
      return;
    }
    // The upload stays held, so the admin can press again once the re-index is done.
    if (job.running) {
      await ctx.answerCallbackQuery({ text: MSG.uploadBusy, show_alert: true });
      return;
    }
    opts.pending.delete(button.token);
    await editMessage(ctx.api, chatId, message.message_id, MSG.uploadChoiceMade(upload.name, button.choice === 'replace'));
    await ctx.answerCallbackQuery();
    const backup = button.choice === 'replace' ? await replaceWithBackup(opts.reportsDir, upload.name, upload.bytes) : undefined;
    // Saving under a new name, or the old file is gone meanwhile: an ordinary upload.
    if (backup === undefined) {
      await saveAndIndex(ctx, opts, upload.name, upload.bytes, message.message_id);
      return;
    }
    logAdminChange(logger, ctx, 'replace', upload.name, { bytes: upload.bytes.byteLength, backup: backup.kept });
    const header = MSG.uploadReplaced(upload.name);
    // The job owns the backup from here: it restores it itself when it cannot run.
    const started = await job.start(chatId, { header, replyTo: message.message_id, settle: settleBackup(backup, logger, ctx.from?.id) });
    if (started === 'busy') await ctx.reply(MSG.uploadBusy);
  };
}

/** Saves the upload without overwriting anything (a taken name gets a number) and indexes it. */
async function saveAndIndex(ctx: BotContext, opts: UploadHandlerOptions, name: string, bytes: Uint8Array, replyTo: number): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  const saved = await saveUpload(opts.reportsDir, name, bytes);
  if (saved.status === 'identical') {
    await ctx.reply(MSG.uploadIdentical(saved.name), { parse_mode: 'HTML' });
    return;
  }
  logAdminChange(opts.logger, ctx, 'upload', saved.name, { bytes: bytes.byteLength });
  const header = MSG.uploadSaved(saved.name, name);
  const started = await opts.job.start(chatId, { header, replyTo });
  if (started === 'busy') await ctx.reply(`${header}\n${MSG.reindexBusy}`, { parse_mode: 'HTML' });
}
