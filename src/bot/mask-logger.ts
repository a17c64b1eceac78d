/**
 * A logger wrapper that masks one secret in every message and field. The bot
 * wraps whatever logger it is given with its token, so a token can never
 * reach a log line through the bot — even from an error message written by
 * someone else (an app error quoting a URL) or with a logger that masks
 * nothing by itself.
 */
import type { LogFields, Logger } from '../log.js';

export function maskSecret(logger: Logger, secret: string): Logger {
  const mask = (text: string): string => text.split(secret).join('***');
  const fields = (f: LogFields | undefined): LogFields | undefined => {
    if (f === undefined) return undefined;
    const json = JSON.stringify(f, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v));
    return json.includes(secret) ? (JSON.parse(mask(json)) as LogFields) : f;
  };
  return {
    debug: (m, f) => logger.debug(mask(m), fields(f)),
    info: (m, f) => logger.info(mask(m), fields(f)),
    warn: (m, f) => logger.warn(mask(m), fields(f)),
    error: (m, f) => logger.error(mask(m), fields(f)),
    child: (scope) => maskSecret(logger.child(scope), secret),
  };
}
