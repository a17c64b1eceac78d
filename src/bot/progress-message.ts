/**
 * One message that is edited to show progress. Edits are throttled (at most
 * one per `minIntervalMs`, latest text wins), never overlap, and skip
 * unchanged text — Telegram refuses an edit that changes nothing and rate
 * limits frequent edits. `finish` waits for any edit in flight, then writes
 * the final text at once.
 */
import type { Api } from 'grammy';
import type { Logger } from '../log.js';
import { isNotModified } from './edit-message.js';
import { errorFields } from './middleware/error-boundary.js';

/** The two Bot API methods a progress message needs. */
export type ProgressApi = Pick<Api, 'editMessageText' | 'sendMessage'>;

export class ProgressMessage {
  readonly #api: ProgressApi;
  readonly #chatId: number;
  readonly #messageId: number;
  readonly #minIntervalMs: number;
  readonly #logger: Logger;
  #shown: string;
  #lastEditAt = Date.now();
  #pending: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #finished = false;

  /** @param shown the HTML the message shows now (it was just sent: the first edit waits an interval) */
  constructor(api: ProgressApi, chatId: number, messageId: number, shown: string, minIntervalMs: number, logger: Logger) {
    this.#api = api;
    this.#chatId = chatId;
    this.#messageId = messageId;
    this.#shown = shown;
    this.#minIntervalMs = minIntervalMs;
    this.#logger = logger;
  }

  /** Schedules `html` to be shown; intermediate texts may be skipped. */
  update(html: string): void {
    if (this.#finished) return;
    this.#pending = html;
    this.#schedule();
  }

  /** Shows the final text now (after any edit in flight); later updates are ignored. */
  async finish(html: string): Promise<void> {
    this.#finished = true;
    this.#pending = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
    await this.#edit(html);
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#inFlight !== undefined) return;
    const wait = this.#lastEditAt + this.#minIntervalMs - Date.now();
    if (wait <= 0) this.#flush();
    else this.#timer = setTimeout(() => this.#flush(), wait);
  }

  #flush(): void {
    this.#timer = undefined;
    const html = this.#pending;
    this.#pending = undefined;
    if (html === undefined || this.#finished) return;
    this.#inFlight = this.#edit(html).finally(() => {
      this.#inFlight = undefined;
      if (this.#pending !== undefined && !this.#finished) this.#schedule();
    });
  }

  async #edit(html: string): Promise<void> {
    if (html === this.#shown) return;
    this.#lastEditAt = Date.now();
    try {
      await this.#api.editMessageText(this.#chatId, this.#messageId, html, { parse_mode: 'HTML' });
      this.#shown = html;
    } catch (err) {
      if (isNotModified(err)) {
        this.#shown = html;
        return;
      }
      this.#logger.warn('progress edit failed', { chatId: this.#chatId, ...errorFields(err) });
      if (this.#finished) await this.#sendInstead(html);
    }
  }

  /** The final text must reach the admin even if the message can no longer be edited. */
  async #sendInstead(html: string): Promise<void> {
    try {
      await this.#api.sendMessage(this.#chatId, html, { parse_mode: 'HTML' });
      this.#shown = html;
    } catch (err) {
      this.#logger.warn('could not send the final progress text', { chatId: this.#chatId, ...errorFields(err) });
    }
  }
}
