/**
 * The inline buttons under an answer: one per citation, each opening the
 * whole cited paragraph, and under the answer's last message 新问题, which
 * ends the conversation. A citation button names its report by content hash
 * (see callback-data.ts), looked up from the sources the answer came from.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Citation, ReportSummary } from '../types.js';
import { encodeParagraphRef, NEW_CONVERSATION_DATA } from './callback-data.js';
import { MSG } from './messages.js';

const BUTTONS_PER_ROW = 3;

/** The keyboard of one message of an answer holding the citations numbered `ns`; `last` adds 新问题. */
export function answerKeyboard(
  citations: readonly Citation[],
  sources: readonly ReportSummary[],
  ns: readonly number[],
  last: boolean,
): InlineKeyboardMarkup | undefined {
  const rows = citationKeyboard(citations, sources, ns)?.inline_keyboard ?? [];
  if (!last) return rows.length === 0 ? undefined : { inline_keyboard: rows };
  return { inline_keyboard: [...rows, [{ text: MSG.newConversationButton, callback_data: NEW_CONVERSATION_DATA }]] };
}

/**
 * Buttons for the citations numbered `ns`, or undefined when none can be made
 * (a citation whose report is no longer indexed gets no button).
 */
export function citationKeyboard(
  citations: readonly Citation[],
  sources: readonly ReportSummary[],
  ns: readonly number[],
): InlineKeyboardMarkup | undefined {
  const hashOf = new Map(sources.map((s) => [s.source, s.hash]));
  const buttons: InlineKeyboardButton[] = [];
  for (const n of ns) {
    const c = citations.find((x) => x.n === n);
    const hash = c === undefined ? undefined : hashOf.get(c.source);
    if (c === undefined || hash === undefined) continue;
    buttons.push({ text: MSG.citationButton(c.n, c.paragraph), callback_data: encodeParagraphRef(hash, c.paragraph) });
  }
  if (buttons.length === 0) return undefined;
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) rows.push(buttons.slice(i, i + BUTTONS_PER_ROW));
  return { inline_keyboard: rows };
}
