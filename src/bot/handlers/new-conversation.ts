/**
 * Ending a conversation, so the next question stands alone: `/new` ends the
 * sender's own; the 新问题 button under an answer ends the conversation that
 * answer belonged to.
 */
import type { MiddlewareFn } from 'grammy';
import type { App } from '../../types.js';
import { conversationKey, type AnswerConversations } from '../answer-conversations.js';
import type { BotContext } from '../context.js';
import { MSG } from '../messages.js';

/** `/new`. */
export function newConversationHandler(app: App): MiddlewareFn<BotContext> {
  return async (ctx) => {
    if (ctx.chat === undefined) return;
    app.forget(conversationKey(ctx.chat, ctx.from?.id));
    await ctx.reply(MSG.newConversation);
  };
}

/** The 新问题 button (callback data NEW_CONVERSATION_DATA). */
export function newConversationButtonHandler(app: App, answers: AnswerConversations): MiddlewareFn<BotContext> {
  return async (ctx) => {
    const message = ctx.callbackQuery?.message;
    // Our buttons sit under chat messages; one on an inline message names no conversation.
    if (message === undefined) {
      await ctx.answerCallbackQuery({ text: MSG.buttonInvalid });
      return;
    }
    app.forget(answers.ofButton(message.chat, message.message_id, ctx.from?.id));
    await ctx.answerCallbackQuery({ text: MSG.newConversationPressed });
  };
}
