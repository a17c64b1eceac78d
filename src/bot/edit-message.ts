/**
 * Replacing a bot message's text and buttons (page turns, confirmations).
 * Telegram refuses an edit that changes nothing — e.g. a page button pressed
 * twice, or a stale ▶ that now shows the same last page — which is fine here.
 */
import { GrammyError, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';

/** True for Telegram's refusal of an edit that would change nothing. */
export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.description.includes('message is not modified');
}

/** Shows `html` (and `keyboard`; without one the buttons go) in the message. */
export async function editMessage(api: Api, chatId: number, messageId: number, html: string, keyboard?: InlineKeyboardMarkup): Promise<void> {
  try {
    await api.editMessageText(chatId, messageId, html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(keyboard !== undefined && { reply_markup: keyboard }),
    });
  } catch (err) {
    if (!isNotModified(err)) throw err;
  }
}
