/**
 * Sends a reply that may span several messages, in order. Only the first
 * message is threaded as a reply to the user's message; each message carries
 * the buttons of the citations it holds, the last one also those of the whole reply.
 */
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import type { MessagePart } from './format.js';

export interface SendPartsOptions {
  /** Message to reply to (groups), kept even if it was deleted meanwhile. */
  readonly replyTo?: number;
  /** Forum topic to post in. */
  readonly threadId?: number;
  /** Buttons for a message holding the given citation numbers; `last` for the reply's last message. */
  readonly buttons?: (citations: readonly number[], last: boolean) => InlineKeyboardMarkup | undefined;
}

export async function sendParts(api: Api, chatId: number, parts: readonly MessagePart[], opts: SendPartsOptions = {}): Promise<Message.TextMessage[]> {
  const sent: Message.TextMessage[] = [];
  for (const [i, part] of parts.entries()) {
    const markup = opts.buttons?.(part.citations, i === parts.length - 1);
    sent.push(
      await api.sendMessage(chatId, part.html, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(i === 0 && opts.replyTo !== undefined && { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } }),
        ...(opts.threadId !== undefined && { message_thread_id: opts.threadId }),
        ...(markup !== undefined && { reply_markup: markup }),
      }),
    );
  }
  return sent;
}
