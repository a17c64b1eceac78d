/**
 * Retries Bot API calls that Telegram's flood control refused (429) after its
 * `retry_after`, for as long as a time budget allows. A 429 means the call
 * had no effect, so repeating it can never send a message twice. The limit is
 * time, not a number of attempts: when many chats wait at once they all retry
 * together and most lose again, so a busy bot needs more than a few attempts
 * (the load test lost answers with three).
 */
import type { Transformer } from 'grammy';

export interface FloodWaitOptions {
  /** Longest total wait for one call, in seconds; a 429 that would exceed it is returned. */
  readonly budgetSeconds: number;
}

export function floodWait(opts: FloodWaitOptions): Transformer {
  return async (prev, method, payload, signal) => {
    let waited = 0;
    for (;;) {
      const res = await prev(method, payload, signal);
      const retryAfter = res.ok ? undefined : res.parameters?.retry_after;
      if (retryAfter === undefined || waited + retryAfter > opts.budgetSeconds) return res;
      await pause(retryAfter * 1000, signal);
      waited += retryAfter;
    }
  };
}

/** The part of an abort signal `pause` needs (grammY passes its own signal type). */
interface Abortable {
  readonly aborted: boolean;
  addEventListener(type: 'abort', fn: () => void): void;
  removeEventListener(type: 'abort', fn: () => void): void;
}

/** Waits `ms`; rejects early when the call is aborted (e.g. polling stopped). */
function pause(ms: number, signal: Abortable | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted while waiting for flood control'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    if (signal?.aborted === true) aborted();
    else signal?.addEventListener('abort', aborted);
  });
}
