/**
 * One error class with codes. Messages are English and say what to do; the
 * bot maps codes to Chinese text in bot/messages.ts.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 'A setting is invalid.',
  INDEX_MISSING: 'No index has been built yet.',
  INDEX_INCOMPATIBLE: 'The index was built with different settings.',
  INDEX_CORRUPT: 'The index files are damaged.',
  REINDEX_RUNNING: 'A re-index is already running.',
  INDEX_LOCKED: 'Another process is building the index.',
  REINDEX_ABORTED: 'The re-index was stopped before it finished.',
  REINDEX_FAILED: 'The re-index failed; the previous index keeps serving.',
  MODEL_UNAVAILABLE: 'The embedding model cannot be loaded.',
  REPORTS_DIR_MISSING: 'The reports folder does not exist.',
  REPORT_UNREADABLE: 'A report file cannot be read.',
  DATASET_INVALID: 'The evaluation data set is malformed.',
  EVAL_REGRESSION: 'The evaluation scored worse than its baseline.',
  INPUT_INVALID: 'The input was refused.',
  LLM_FAILED: 'The LLM endpoint failed.',
  UPLOAD_REFUSED: 'The uploaded file was refused.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string = ERROR_CODES[code], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** A setting that failed validation; carries the setting's name. */
export class ConfigError extends AppError {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super('CONFIG_INVALID', `Invalid setting ${setting}: ${message}`);
    this.name = 'ConfigError';
    this.setting = setting;
  }
}

/** True when `err` is an AppError with the given code. */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/** A short, safe description of any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
