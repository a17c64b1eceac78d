/**
 * The "typing…" indicator. Telegram shows it for about five seconds, so it is
 * re-sent every few seconds until the work is done. Failures only get logged:
 * an indicator is never worth failing an answer for.
 */
import type { Api } from 'grammy';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';

/** Starts sending `typing` to the chat; call the returned function to stop. */
export function startTyping(api: Api, chatId: number, intervalMs: number, logger: Logger, threadId?: number): () => void {
  let stopped = false;
  const send = (): void => {
    if (stopped) return;
    api
      .sendChatAction(chatId, 'typing', threadId === undefined ? {} : { message_thread_id: threadId })
      .catch((err: unknown) => logger.debug('typing indicator failed', { chatId, error: describeError(err) }));
  };
  send();
  const timer = setInterval(send, intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
