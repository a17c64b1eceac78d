/**
 * Remembers the newest update the bot received, so that shutdown can confirm
 * it to Telegram. Telegram forgets updates only when a later getUpdates asks
 * for a higher offset. The runner sends that request right after each batch,
 * but a stop can land before it reaches Telegram (a slow network), and the
 * next start would then get the last batch again and answer the same
 * questions twice. Confirming at shutdown makes delivery at-most-once:
 * updates received are answered within the shutdown grace or dropped.
 */
import type { Api, Transformer } from 'grammy';
import type { Logger } from '../log.js';
import { errorFields } from './middleware/error-boundary.js';

/** Longest wait for the confirming getUpdates at shutdown. */
const CONFIRM_TIMEOUT_MS = 5_000;

export class UpdateOffset {
  #last: number | undefined;

  /** The newest update_id received so far, if any. */
  get last(): number | undefined {
    return this.#last;
  }

  /** An API transformer that watches what getUpdates returns. */
  readonly watch: Transformer = async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (method === 'getUpdates' && res.ok) {
      const newest = newestUpdateId(res.result);
      if (newest !== undefined && (this.#last === undefined || newest > this.#last)) this.#last = newest;
    }
    return res;
  };

  /** Tells Telegram that every update received so far is done; failures are only logged. */
  async confirm(api: Api, logger: Logger): Promise<void> {
    if (this.#last === undefined) return;
    try {
      // grammY types its signal with the abort-controller shim; Node's own signal is what it uses at run time.
      const signal = AbortSignal.timeout(CONFIRM_TIMEOUT_MS) as unknown as Parameters<Api['getUpdates']>[1];
      await api.getUpdates({ offset: this.#last + 1, limit: 1, timeout: 0 }, signal);
    } catch (err) {
      logger.warn('could not confirm the last updates to Telegram; the next start may handle them again', { lastUpdateId: this.#last, ...errorFields(err) });
    }
  }
}

function newestUpdateId(result: unknown): number | undefined {
  if (!Array.isArray(result)) return undefined;
  let newest: number | undefined;
  for (const u of result) {
    const id: unknown = typeof u === 'object' && u !== null && 'update_id' in u ? u.update_id : undefined;
    if (typeof id === 'number' && (newest === undefined || id > newest)) newest = id;
  }
  return newest;
}
