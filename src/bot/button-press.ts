/**
 * The common start of every report-list and admin button handler: the press's
 * data parsed strictly, and the chat message the button sits under. Data that
 * does not parse (forged, outdated) and buttons on inline messages (no chat to
 * act in) are answered as invalid here, so handlers only see good presses.
 */
import type { CallbackQuery } from 'grammy/types';
import type { BotContext } from './context.js';
import { MSG } from './messages.js';

export interface ButtonPress<T> {
  readonly data: T;
  readonly message: NonNullable<CallbackQuery['message']>;
}

/** The parsed press, or undefined once the press was answered as invalid. */
export async function readPress<T>(ctx: BotContext, parse: (data: string) => T | undefined): Promise<ButtonPress<T> | undefined> {
  const query = ctx.callbackQuery;
  const data = parse(query?.data ?? '');
  const message = query?.message;
  if (data === undefined || message === undefined) {
    await ctx.answerCallbackQuery({ text: MSG.buttonInvalid });
    return undefined;
  }
  return { data, message };
}
