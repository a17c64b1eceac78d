/**
 * Answers `ctx.question`: typing indicator while the app works, then the
 * answer and its citations as HTML, split to Telegram's limit, with a
 * whole-paragraph button per citation and a 新问题 button. The question
 * routes and guards run before this handler; app errors go to the error
 * boundary. A reply to one of the bot's answers continues that answer's
 * conversation (answer-conversations.ts).
 */
import type { MiddlewareFn } from 'grammy';
import type { Logger } from '../../log.js';
import type { App, AskResult } from '../../types.js';
import type { AnswerConversations } from '../answer-conversations.js';
import type { AnswerOutcome, BotMetrics } from '../bot-metrics.js';
import { answerKeyboard } from '../citation-keyboard.js';
import type { BotContext } from '../context.js';
import { understoodLine } from '../../answer/messages.js';
import { answerBlocks, splitMessage } from '../format.js';
import { escapeHtml } from '../html.js';
import { MSG } from '../messages.js';
import { sendParts } from '../send-parts.js';
import { startTyping } from '../typing.js';

export interface AskHandlerOptions {
  readonly app: App;
  readonly logger: Logger;
  /** Give up on an answer after this long (the user is told). */
  readonly answerTimeoutMs: number;
  readonly typingIntervalMs: number;
  /** Where each answer's conversation is remembered, so replies to it continue that conversation. */
  readonly answers: AnswerConversations;
  readonly metrics: BotMetrics;
}

export function askHandler(opts: AskHandlerOptions): MiddlewareFn<BotContext> {
  const { app, logger, metrics } = opts;
  return async (ctx) => {
    const question = ctx.question;
    const msg = ctx.message;
    if (question === undefined || msg === undefined) return;
    metrics.questionAsked();
    // Anything that throws before the reply is sent counts as an error.
    let outcome: AnswerOutcome = 'error';
    let seconds: number | undefined;
    try {
      const chatId = msg.chat.id;
      const threadId = msg.is_topic_message === true ? msg.message_thread_id : undefined;
      const started = performance.now();
      const conversation = opts.answers.ofMessage(msg);
      const stopTyping = startTyping(ctx.api, chatId, opts.typingIntervalMs, logger, threadId);
      let result: AskResult | 'timeout';
      try {
        result = await askWithDeadline(app, question, conversation, opts.answerTimeoutMs);
      } finally {
        stopTyping();
      }
      const replyTo = msg.chat.type === 'private' ? undefined : msg.message_id;
      if (result === 'timeout') {
        logger.warn('answer timed out', { chatId, ms: opts.answerTimeoutMs });
        await ctx.reply(MSG.answerTimeout, replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } });
        outcome = 'timeout';
        return;
      }
      // The buttons name reports of the index that answered, not of one swapped in since.
      const { answer, sources } = result;
      const understood = result.understood === undefined ? [] : [{ html: escapeHtml(understoodLine(result.understood)) }];
      const sent = await sendParts(ctx.api, chatId, splitMessage([...understood, ...answerBlocks(answer)]), {
        ...(replyTo !== undefined && { replyTo }),
        ...(threadId !== undefined && { threadId }),
        buttons: (ns, last) => answerKeyboard(answer.citations, sources, ns, last),
      });
      opts.answers.record(chatId, sent.map((m) => m.message_id), conversation);
      const ms = performance.now() - started;
      outcome = answer.found ? 'found' : 'not_found';
      seconds = ms / 1000;
      logger.info('question answered', {
        chatId,
        userId: ctx.from?.id,
        found: answer.found,
        citations: answer.citations.length,
        ms: Math.round(ms),
      });
    } finally {
      metrics.questionEnded(outcome, seconds);
    }
  };
}

/** Asks the app, aborting it and resolving `'timeout'` once `ms` have passed. */
async function askWithDeadline(app: App, question: string, conversation: string, ms: number): Promise<AskResult | 'timeout'> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve('timeout');
    }, ms);
  });
  try {
    return await Promise.race([app.ask(question, { signal: abort.signal, conversation }), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
