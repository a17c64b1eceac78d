/**
 * The hand-off from the webhook server to the runner. The server acknowledges
 * an update to Telegram as soon as it is queued here; the runner takes queued
 * updates in arrival order as if getUpdates had returned them, so webhook
 * updates go through the same concurrent sink and per-chat `sequentialize`
 * as polled ones.
 */
import type { Update } from 'grammy/types';

/** The part of an abort signal `take` needs (the runner passes its own signal type). */
interface Abortable {
  readonly aborted: boolean;
  addEventListener(type: 'abort', fn: () => void): void;
  removeEventListener(type: 'abort', fn: () => void): void;
}

export class WebhookInbox {
  readonly #queue: Update[] = [];
  #wake: (() => void) | undefined;

  /** Updates acknowledged to Telegram that the runner has not taken yet. */
  get size(): number {
    return this.#queue.length;
  }

  push(update: Update): void {
    this.#queue.push(update);
    this.#wake?.();
  }

  /**
   * Resolves with up to `limit` (at least one) updates as soon as any are
   * queued; rejects when `signal` aborts, which is how the runner stops.
   * The runner has one `take` pending at a time.
   */
  async take(limit: number, signal: Abortable): Promise<Update[]> {
    while (this.#queue.length === 0) {
      if (signal.aborted) throw new Error('the webhook inbox was closed');
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          this.#wake = undefined;
          resolve();
        };
        signal.addEventListener('abort', done);
        this.#wake = done;
      });
    }
    return this.#queue.splice(0, Math.max(1, limit));
  }
}
