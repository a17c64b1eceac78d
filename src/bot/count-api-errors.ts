/**
 * An API transformer that counts Bot API calls Telegram refuses (by error
 * code) or that get no response (`network`). Installed beside
 * `logApiFailures`, below auto-retry, so the count matches the log lines.
 */
import type { Transformer } from 'grammy';
import type { BotMetrics } from './bot-metrics.js';

export function countApiErrors(metrics: BotMetrics): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok) metrics.telegramError(res.error_code);
      return res;
    } catch (err) {
      // An aborted call (shutdown, a long poll stopped) is not Telegram's failure.
      if (signal?.aborted !== true) metrics.telegramError('network');
      throw err;
    }
  };
}
