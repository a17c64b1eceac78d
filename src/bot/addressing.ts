/**
 * Decides whether a message is meant for the bot. In a private chat every
 * message is; in a group only a message that mentions the bot (@username
 * anywhere, case-insensitive) or replies to one of the bot's own messages.
 * Other group chatter gets no reply at all.
 */
import type { Message, UserFromGetMe } from 'grammy/types';

/**
 * The message's text (or caption) when it is addressed to the bot, with the
 * bot's @mention removed; `undefined` when the bot should stay silent.
 */
export function addressedText(msg: Message, me: UserFromGetMe): string | undefined {
  const text = msg.text ?? msg.caption ?? '';
  switch (msg.chat.type) {
    case 'private':
      return text;
    case 'group':
    case 'supergroup': {
      const stripped = stripMention(text, me.username);
      if (stripped !== undefined) return stripped;
      return msg.reply_to_message?.from?.id === me.id ? text : undefined;
    }
    default:
      return undefined;
  }
}

/** The text without `@username` mentions, or `undefined` when it does not mention it. */
export function stripMention(text: string, username: string): string | undefined {
  const mention = new RegExp(`(^|[^A-Za-z0-9_])@${username.replace(/[^A-Za-z0-9_]/g, '')}(?![A-Za-z0-9_])`, 'gi');
  if (!mention.test(text)) return undefined;
  return text
    .replace(mention, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** True when the message starts with a bot command (`/word`). */
export function startsWithCommand(msg: Message): boolean {
  return (msg.entities ?? []).some((e) => e.type === 'bot_command' && e.offset === 0);
}
