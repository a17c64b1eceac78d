/**
 * The hand-off from the webhook server to the runner. The server acknowledges
 * an update to Telegram as soon as it is queued here; the runner takes queued
 * updates in arrival order as if getUpdates had returned them, so webhook
 * updates go through the same concurrent sink and per-chat `sequentialize`
 * as polled ones.
 *
 * The inbox is bounded: it counts every update it accepted until the runner
 * reports it `finished`, queued or in flight, and refuses more beyond
 * `maxPending`. Telegram keeps a refused update and delivers it again later,
 * so a flood waits at Telegram instead of in this process's memory.
 */
import type { Update } from 'grammy/types';

/** The part of an abort signal `take` needs (the runner passes its own signal type). */
interface Abortable {
  readonly aborted: boolean;
  addEventListener(type: 'abort', fn: () => void): void;
  removeEventListener(type: 'abort', fn: () => void): void;
}

export class WebhookInbox {
  readonly #maxPending: number;
  readonly #queue: Update[] = [];
  /** Taken by the runner, not finished yet. */
  #inFlight = 0;
  #wake: (() => void) | undefined;

  constructor(maxPending: number) {
    if (!Number.isSafeInteger(maxPending) || maxPending < 1) throw new RangeError(`maxPending must be a positive integer, not ${maxPending}`);
    this.#maxPending = maxPending;
  }

  /** Updates acknowledged to Telegram that the runner has not taken yet. */
  get size(): number {
    return this.#queue.length;
  }

  /** Updates accepted and not finished: queued plus in flight. */
  get pending(): number {
    return this.#queue.length + this.#inFlight;
  }

  /** Queues `update`; false (nothing queued) when `maxPending` updates are pending already. */
  push(update: Update): boolean {
    if (this.pending >= this.#maxPending) return false;
    this.#queue.push(update);
    this.#wake?.();
    return true;
  }

  /**
   * Resolves with up to `limit` (at least one) updates as soon as any are
   * queued; rejects when `signal` aborts, which is how the runner stops.
   * The runner has one `take` pending at a time. Each update taken must be
   * reported `finished` once handled.
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
    const taken = this.#queue.splice(0, Math.max(1, limit));
    this.#inFlight += taken.length;
    return taken;
  }

  /** One update taken has been handled (answered or failed): it no longer counts as pending. */
  finished(): void {
    if (this.#inFlight === 0) throw new Error('WebhookInbox.finished called more often than updates were taken');
    this.#inFlight--;
  }
}
