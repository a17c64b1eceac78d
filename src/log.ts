/**
 * A small structured logger. Lines go to stderr so stdout stays clean for
 * command output (`ask --json`). Secrets handed to `createLogger` are masked
 * in every message and field, so a token can never reach a log line.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines carry `scope` (e.g. `ingest`, `search`, `bot`). */
  child(scope: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Strings that must never be printed (bot token, API keys). */
  secrets?: readonly (string | undefined)[];
  /** Where lines go; default stderr. */
  write?: (line: string) => void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const mask = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);

  const make = (scope: string | undefined): Logger => {
    const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields): void => {
      if (RANK[lvl] < RANK[level]) return;
      const head = `${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)}${scope ? ` [${scope}]` : ''} ${msg}`;
      const tail = fields && Object.keys(fields).length > 0 ? ' ' + safeJson(fields) : '';
      write(mask(head + tail));
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (s) => make(scope ? `${scope}:${s}` : s),
    };
  };
  return make(undefined);
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = createLogger({ level: 'silent' });

function safeJson(fields: LogFields): string {
  try {
    return JSON.stringify(fields, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v));
  } catch {
    return '[unserialisable fields]';
  }
}
