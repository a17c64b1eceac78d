/**
 * An API transformer that logs every Bot API call Telegram refuses or that
 * fails on the network — method and Telegram's description only, never the
 * payload or the URL (which holds the token). Installed innermost, below
 * auto-retry, so each retried attempt is visible.
 */
import type { Transformer } from 'grammy';
import type { Logger } from '../log.js';
import { errorFields } from './middleware/error-boundary.js';

export function logApiFailures(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok) {
        logger.warn('telegram refused a call', { method, code: res.error_code, error: res.description, retryAfter: res.parameters?.retry_after });
      }
      return res;
    } catch (err) {
      if (signal?.aborted !== true) logger.warn('telegram call failed', { method, ...errorFields(err) });
      throw err;
    }
  };
}
