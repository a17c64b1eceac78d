/**
 * The bot's context type. Question routes (private text, `/ask`, mentions,
 * replies) put the extracted question on the context, so the guards and the
 * answer handler read one field instead of re-parsing the message each.
 */
import type { Context } from 'grammy';

export interface QuestionFlavor {
  /** The question as the user asked it, bot mention removed; set by the question routes. */
  question?: string;
}

export type BotContext = Context & QuestionFlavor;
