/**
 * A document sent by an admin becomes a report: checked (extension, size),
 * downloaded with a size cap, saved into the reports folder under a safe name
 * without overwriting anything, then indexed by the shared re-index job with
 * the same progress message as `/reindex`. The admin gate runs before this
 * handler, so nothing is downloaded for anyone else. While a re-index runs,
 * uploads are refused before downloading (the running build may already have
 * read the folder, so the file would silently miss the index).
 */
import { GrammyError, type MiddlewareFn } from 'grammy';
import type { Logger } from '../../log.js';
import type { BotContext } from '../context.js';
import { FileTooLargeError } from '../download-file.js';
import { MSG, UPLOAD_EXTENSIONS } from '../messages.js';
import { errorFields } from '../middleware/error-boundary.js';
import type { ReindexJob } from '../reindex-job.js';
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
}

export function uploadHandler(opts: UploadHandlerOptions): MiddlewareFn<BotContext> {
  const { job, logger } = opts;
  return async (ctx) => {
    const msg = ctx.message;
    const doc = msg?.document;
    if (msg === undefined || doc === undefined) return;
    const original = doc.file_name ?? '';
    const name = safeFileName(original);
    if (!UPLOAD_EXTENSIONS.some((ext) => name.endsWith(ext))) {
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

    const saved = await saveUpload(opts.reportsDir, name, bytes);
    logger.info('upload saved', { chatId: msg.chat.id, userId: ctx.from?.id, file: saved.name, status: saved.status, bytes: bytes.byteLength });
    if (saved.status === 'identical') {
      await ctx.reply(MSG.uploadIdentical(saved.name), { parse_mode: 'HTML' });
      return;
    }
    const header = MSG.uploadSaved(saved.name, name);
    const started = await job.start(msg.chat.id, { header, replyTo: msg.message_id });
    if (started === 'busy') await ctx.reply(`${header}\n${MSG.reindexBusy}`, { parse_mode: 'HTML' });
  };
}
