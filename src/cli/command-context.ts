import { loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import type { App } from '../types.js';

/** Where a command writes and what it may touch; tests pass their own. */
export interface CommandIo {
  /** Command output (stdout): answers, tables, JSON. */
  out(text: string): void;
  /** Progress and diagnostics (stderr). */
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars only there). */
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export type AppFactory = (config: Config, logger: Logger) => Promise<App>;

export interface CommandContext {
  readonly io: CommandIo;
  readonly makeApp: AppFactory;
}

/** Config from the environment plus command-line overrides of REPORTS_DIR / INDEX_DIR / TELEGRAM_WEBHOOK_URL. */
export function configFor(io: CommandIo, overrides: { reports?: string; index?: string; webhook?: string } = {}): Config {
  return loadConfig(
    {
      ...io.env,
      ...(overrides.reports !== undefined && { REPORTS_DIR: overrides.reports }),
      ...(overrides.index !== undefined && { INDEX_DIR: overrides.index }),
      ...(overrides.webhook !== undefined && { TELEGRAM_WEBHOOK_URL: overrides.webhook }),
    },
    io.cwd,
  );
}

/** A logger on stderr at the configured level that masks the configured secrets. */
export function loggerFor(io: CommandIo, config: Config): Logger {
  return createLogger({
    level: config.logLevel,
    secrets: [config.telegramBotToken, config.llm?.apiKey, config.webhook?.secret],
    write: (line) => io.err(line + '\n'),
  });
}
