/**
 * Builds the Telegram bot around an `App`. The bot only routes, guards and
 * formats; answers, sources and re-indexing are the app's. Run it with
 * `runBot` (long polling through @grammyjs/runner).
 *
 * Routes, in order (per chat sequential, across chats concurrent):
 * - `/start` `/help` `/sources` `/status`, `/reindex` `/remove` (admins), `/ask 问题`
 * - list pages, /remove and upload-choice buttons (admin ones gated), 新问题, citation buttons (`callback_query`)
 * - documents addressed to the bot → upload (admins)
 * - text addressed to the bot (private: all; groups: mention or reply) → question
 *
 * @example
 * const bot = createBot(app, config, { logger });
 * await runBot(bot, app, { logger, adminUserIds: config.adminUserIds });
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, Composer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { App } from '../types.js';
import { addressedText, startsWithCommand } from './addressing.js';
import { AnswerConversations } from './answer-conversations.js';
import { BotMetrics } from './bot-metrics.js';
import { NEW_CONVERSATION_DATA } from './callback-data.js';
import type { BotContext } from './context.js';
import { countApiErrors } from './count-api-errors.js';
import { downloadFile } from './download-file.js';
import { floodWait } from './flood-wait.js';
import { askHandler } from './handlers/ask.js';
import { citationCallbackHandler } from './handlers/citation-callback.js';
import { reindexHandler } from './handlers/reindex.js';
import { removeButtonHandler } from './handlers/remove.js';
import { reportListHandler, reportPageHandler } from './handlers/report-list.js';
import { newConversationButtonHandler, newConversationHandler } from './handlers/new-conversation.js';
import { helpHandler, startHandler } from './handlers/start-help.js';
import { statusHandler } from './handlers/status.js';
import { uploadChoiceHandler, uploadHandler } from './handlers/upload.js';
import { logApiFailures } from './log-api-failures.js';
import { maskSecret } from './mask-logger.js';
import { MSG } from './messages.js';
import { adminOnly, adminOnlyButton } from './middleware/admin-only.js';
import { logBotError, replyWithApology } from './middleware/error-boundary.js';
import { lengthGuard } from './middleware/length-guard.js';
import { rateLimit, updateFloodGuard } from './middleware/rate-limit.js';
import { PendingUploads } from './pending-uploads.js';
import { ReindexJob } from './reindex-job.js';
import { REMOVE_DATA, REMOVE_PAGE_DATA, SOURCES_PAGE_DATA, UPLOAD_CHOICE_DATA } from './report-callback-data.js';

/** Tunable limits of the bot; see DEFAULT_BOT_LIMITS for the defaults. */
export interface BotLimits {
  /** Longest question accepted, in characters. */
  maxQuestionLength: number;
  /** Questions one user may ask within `rateLimitWindowMs`. */
  rateLimitCount: number;
  rateLimitWindowMs: number;
  /** Updates of any kind one user may send within `updateLimitWindowMs`; more are dropped silently. */
  updateLimitCount: number;
  updateLimitWindowMs: number;
  /** Largest document accepted, in bytes; never more than Telegram's getFile limit. */
  maxUploadBytes: number;
  /** Give up downloading an upload after this long. */
  uploadTimeoutMs: number;
  /** Give up on one answer after this long (the user is told). */
  answerTimeoutMs: number;
  /** How often the typing indicator is re-sent (Telegram shows it ~5 s). */
  typingIntervalMs: number;
  /** Minimum time between edits of the re-index progress message. */
  progressIntervalMs: number;
}

/** Telegram's Bot API serves files up to 20 MB through getFile. */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

export const DEFAULT_BOT_LIMITS: Readonly<BotLimits> = Object.freeze({
  maxQuestionLength: 500,
  rateLimitCount: 5,
  rateLimitWindowMs: 30_000,
  updateLimitCount: 20,
  updateLimitWindowMs: 10_000,
  maxUploadBytes: TELEGRAM_DOWNLOAD_LIMIT,
  uploadTimeoutMs: 120_000,
  answerTimeoutMs: 60_000,
  typingIntervalMs: 4_000,
  progressIntervalMs: 2_500,
});

export interface CreateBotOptions {
  logger?: Logger;
  /** Skips the `getMe` call at start-up (tests, fast restarts). */
  botInfo?: UserFromGetMe;
  limits?: Partial<BotLimits>;
  /** Where the bot counts questions, answers, API errors and re-indexes. Default: a fresh one, seen by no one. */
  metrics?: BotMetrics;
}

export type BotSettings = Pick<Config, 'telegramBotToken' | 'telegramApiRoot' | 'adminUserIds' | 'reportsDir'>;

/**
 * A 5xx is retried three times with backoff (3, 6, 12 s). 429s are left to
 * `floodWait` (retry_after is never ≤ 0 s), network errors are not retried:
 * sendMessage is not idempotent, so a resend after a lost response could
 * duplicate an answer.
 */
const SERVER_ERROR_RETRY = { maxRetryAttempts: 3, maxDelaySeconds: 0, rethrowHttpErrors: true } as const;

/** How long one Bot API call may wait out Telegram's flood control in total. */
const FLOOD_WAIT = { budgetSeconds: 120 } as const;

/** Builds the bot. Throws `CONFIG_INVALID` without a token. Makes no network call. */
export function createBot(app: App, config: BotSettings, opts: CreateBotOptions = {}): Bot<BotContext> {
  const token = config.telegramBotToken;
  if (token === undefined || token === '') {
    throw new AppError('CONFIG_INVALID', 'TELEGRAM_BOT_TOKEN is not set: put it in .env or the environment (get one from @BotFather).');
  }
  const logger = maskSecret(opts.logger ?? silentLogger, token);
  const limits: BotLimits = { ...DEFAULT_BOT_LIMITS, ...opts.limits };
  const maxUploadBytes = Math.min(limits.maxUploadBytes, TELEGRAM_DOWNLOAD_LIMIT);
  const admins = config.adminUserIds;
  const metrics = opts.metrics ?? new BotMetrics(app);

  const bot = new Bot<BotContext>(token, {
    client: { apiRoot: config.telegramApiRoot },
    ...(opts.botInfo !== undefined && { botInfo: opts.botInfo }),
  });
  bot.api.config.use(logApiFailures(logger), countApiErrors(metrics), autoRetry(SERVER_ERROR_RETRY), floodWait(FLOOD_WAIT));
  bot.catch(logBotError(logger));
  bot.use((_ctx, next) => {
    metrics.updateReceived();
    return next();
  });
  bot.use(updateFloodGuard({ max: limits.updateLimitCount, windowMs: limits.updateLimitWindowMs }, logger));
  bot.use(sequentialize((ctx: BotContext) => (ctx.chat === undefined ? undefined : String(ctx.chat.id))));

  const job = new ReindexJob({
    app,
    api: bot.api,
    logger,
    progressIntervalMs: limits.progressIntervalMs,
    redact: (text) => text.split(token).join('***'),
    metrics,
  });
  const fileRoot = `${config.telegramApiRoot}/file/bot${token}/`;
  const limiter = rateLimit({ max: limits.rateLimitCount, windowMs: limits.rateLimitWindowMs });
  const answers = new AnswerConversations();
  const uploads = {
    job,
    reportsDir: config.reportsDir,
    maxBytes: maxUploadBytes,
    download: (filePath: string) => downloadFile(fileRoot + filePath, { maxBytes: maxUploadBytes, timeoutMs: limits.uploadTimeoutMs }),
    logger,
    pending: new PendingUploads(),
  };
  const ask = askHandler({ app, logger, answerTimeoutMs: limits.answerTimeoutMs, typingIntervalMs: limits.typingIntervalMs, answers, metrics });

  const routes = new Composer<BotContext>();
  routes.command('start', startHandler(app));
  routes.command('help', helpHandler(admins));
  routes.command('sources', reportListHandler(app, 'sources'));
  routes.command('status', statusHandler(app));
  routes.command('new', newConversationHandler(app));
  routes.command('reindex', adminOnly(admins), reindexHandler(job, logger));
  routes.command('remove', adminOnly(admins), reportListHandler(app, 'remove'));
  routes.command(
    'ask',
    (ctx, next) => {
      ctx.question = ctx.match;
      return next();
    },
    lengthGuard(limits.maxQuestionLength, MSG.askUsage),
    limiter,
    ask,
  );
  routes.callbackQuery(SOURCES_PAGE_DATA, reportPageHandler(app));
  routes.callbackQuery(REMOVE_PAGE_DATA, adminOnlyButton(admins), reportPageHandler(app));
  routes.callbackQuery(REMOVE_DATA, adminOnlyButton(admins), removeButtonHandler({ app, job, reportsDir: config.reportsDir, logger }));
  routes.callbackQuery(UPLOAD_CHOICE_DATA, adminOnlyButton(admins), uploadChoiceHandler(uploads));
  routes.callbackQuery(NEW_CONVERSATION_DATA, newConversationButtonHandler(app, answers));
  routes.on('callback_query:data', citationCallbackHandler(app, logger));
  routes.on(
    'message:document',
    (ctx, next) => (addressedText(ctx.message, ctx.me) === undefined ? undefined : next()),
    adminOnly(admins),
    uploadHandler(uploads),
  );
  routes.on(
    'message:text',
    async (ctx, next) => {
      const msg = ctx.message;
      if (startsWithCommand(msg)) {
        // Unknown command: a hint in private; in groups it may be meant for another bot.
        if (msg.chat.type === 'private') await ctx.reply(MSG.unknownCommand);
        return;
      }
      const text = addressedText(msg, ctx.me);
      if (text === undefined) return;
      ctx.question = text;
      await next();
    },
    lengthGuard(limits.maxQuestionLength, MSG.emptyQuestion),
    limiter,
    ask,
  );

  bot.errorBoundary(replyWithApology(logger), routes);
  return bot;
}
