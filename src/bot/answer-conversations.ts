/**
 * Which conversation a message continues. One per private chat, and per user
 * in a group (two people asking in one group do not complete each other's
 * questions) — except that a reply to one of the bot's answers, or a button
 * under it, belongs to the conversation that answer came from, whoever sends
 * it: replying to an answer is how people say "about that".
 *
 * The bot remembers the conversation of each answer message for as long as a
 * conversation lives, up to a cap (the oldest are forgotten first); an answer
 * no longer remembered falls back to the sender's own conversation.
 */
import { ExpiringMap } from '../expiring-map.js';
import { DEFAULT_CONVERSATION_TTL_MS } from '../understand/conversations.js';

/** Default number of answer messages remembered. */
const DEFAULT_MAX_ANSWERS = 20_000;

interface ChatRef {
  readonly id: number;
  readonly type: string;
}

/** The sender's own conversation in `chat`. */
export function conversationKey(chat: ChatRef, userId: number | undefined): string {
  return chat.type === 'private' || userId === undefined ? `chat:${chat.id}` : `chat:${chat.id}:user:${userId}`;
}

export interface AnswerConversationsOptions {
  /** Default: the conversations' time-to-live (30 minutes). */
  readonly ttlMs?: number;
  readonly maxAnswers?: number;
  readonly now?: () => number;
}

export class AnswerConversations {
  readonly #byMessage: ExpiringMap<string>;

  constructor(opts: AnswerConversationsOptions = {}) {
    this.#byMessage = new ExpiringMap({
      ttlMs: opts.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS,
      maxEntries: opts.maxAnswers ?? DEFAULT_MAX_ANSWERS,
      ...(opts.now !== undefined && { now: opts.now }),
    });
  }

  /** Remembers that the bot's messages `messageIds` in chat `chatId` answered in conversation `key`. */
  record(chatId: number, messageIds: readonly number[], key: string): void {
    for (const id of messageIds) this.#byMessage.set(`${chatId}:${id}`, key);
  }

  /** The conversation a message continues: that of the answer it replies to, else the sender's own. */
  ofMessage(msg: { chat: ChatRef; from?: { id: number }; reply_to_message?: { message_id: number } }): string {
    const replied = msg.reply_to_message;
    return (replied === undefined ? undefined : this.#ofAnswer(msg.chat, replied.message_id)) ?? conversationKey(msg.chat, msg.from?.id);
  }

  /** The conversation of a button pressed under the bot's message `messageId`: that answer's, else the presser's own. */
  ofButton(chat: ChatRef, messageId: number, userId: number | undefined): string {
    return this.#ofAnswer(chat, messageId) ?? conversationKey(chat, userId);
  }

  #ofAnswer(chat: ChatRef, messageId: number): string | undefined {
    return this.#byMessage.get(`${chat.id}:${messageId}`);
  }
}
