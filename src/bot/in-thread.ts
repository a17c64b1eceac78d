/**
 * Reply options that thread the bot's reply to the message it answers in
 * groups, where many people ask at once: an unthreaded "too many questions"
 * or refusal would not say whom it is for. Private chats need no threading.
 * `allow_sending_without_reply` keeps the reply if the message was deleted.
 */
import type { Context } from 'grammy';
import type { ReplyParameters } from 'grammy/types';

export function inThread(ctx: Context): { reply_parameters?: ReplyParameters } {
  const msg = ctx.msg;
  if (msg === undefined || msg.chat.type === 'private') return {};
  return { reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true } };
}
