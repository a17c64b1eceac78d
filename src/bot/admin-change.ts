/**
 * Bookkeeping of admins' changes to the reports and the index: each change is
 * logged (action, user id, file — who changed what; never a token), and one
 * that moved a report into a backup is settled once its re-index has ended:
 * the backup is deleted on success and moved back on failure.
 */
import type { Context } from 'grammy';
import type { LogFields, Logger } from '../log.js';
import { MSG } from './messages.js';
import { errorFields } from './middleware/error-boundary.js';
import type { Backup } from './report-files.js';

export type AdminAction = 'upload' | 'replace' | 'remove' | 'reindex';

/** Logs one change made by the sender of `ctx`. */
export function logAdminChange(logger: Logger, ctx: Context, action: AdminAction, file?: string, extra: LogFields = {}): void {
  logger.info('admin change', { action, userId: ctx.from?.id, chatId: ctx.chat?.id, ...(file !== undefined && { file }), ...extra });
}

/**
 * The `settle` of the re-index that confirms `backup` (see ReindexJob): what
 * to do with the backup, and the note (HTML) for the admin.
 */
export function settleBackup(backup: Backup, logger: Logger, userId: number | undefined): (succeeded: boolean) => Promise<string | undefined> {
  return async (succeeded) => {
    try {
      if (succeeded) {
        await backup.discard();
        return undefined;
      }
      await backup.restore();
      logger.info('admin change undone', { userId, file: backup.source, reason: 're-index did not succeed' });
      return MSG.restored(backup.source);
    } catch (err) {
      logger.error('could not settle a backup', { userId, file: backup.source, kept: backup.kept, succeeded, ...errorFields(err) });
      return succeeded ? undefined : MSG.restoreFailed(backup.source, backup.kept);
    }
  };
}
