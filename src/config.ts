/**
 * Settings from the environment (README, "Configuration"). `loadConfig` is pure:
 * dotenv is loaded only by the CLI, so tests pass their own env objects.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { ConfigError } from './errors.js';
import { LOG_LEVELS, type LogLevel } from './log.js';

export const EMBEDDER_KINDS = ['auto', 'neural', 'offline'] as const;
export type EmbedderKind = (typeof EMBEDDER_KINDS)[number];

export interface LlmConfig {
  readonly baseUrl: string;
  /** Optional: local servers such as Ollama need none. */
  readonly apiKey?: string;
  readonly model: string;
}

export interface Config {
  readonly telegramBotToken?: string;
  readonly telegramApiRoot: string;
  readonly adminUserIds: ReadonlySet<number>;
  /** Absolute path of the reports folder. */
  readonly reportsDir: string;
  /** Absolute path of the index folder. */
  readonly indexDir: string;
  readonly embeddingModel: string;
  /** Absolute path of the local model folder. */
  readonly modelDir: string;
  readonly embedder: EmbedderKind;
  readonly llm?: LlmConfig;
  readonly logLevel: LogLevel;
  /** Port of the health and metrics server on 127.0.0.1; unset: no server. */
  readonly metricsPort?: number;
  /** Webhook mode (TELEGRAM_WEBHOOK_URL set); unset: long polling. */
  readonly webhook?: WebhookConfig;
  /** How often the bot checks INDEX_DIR for a build made by another process (besides watching it); 0: only watch. */
  readonly indexCheckSeconds: number;
}

/** Where Telegram posts updates and where the bot listens for them behind a reverse proxy. */
export interface WebhookConfig {
  /** Public HTTPS URL given to Telegram; its path is the one the bot serves. */
  readonly url: string;
  /** Address the bot's plain-HTTP server binds (the proxy's upstream). */
  readonly host: string;
  readonly port: number;
  /** Unset: a random one per start (the bot registers it with Telegram itself). */
  readonly secret?: string;
  /** Updates acknowledged and not yet answered (queued or in flight) beyond which requests get 503. */
  readonly maxPending: number;
}

/** Ports Telegram delivers webhooks to. */
export const TELEGRAM_WEBHOOK_PORTS: readonly number[] = [443, 80, 88, 8443];

/** 1000 pending updates are a few MB, and at Telegram's ~30 messages a second already half a minute of replies. */
export const DEFAULT_WEBHOOK = { host: '127.0.0.1', port: 8080, maxPending: 1000 } as const;

/** Defaults of the README's configuration table; relative paths resolve against the working directory. */
export const DEFAULT_CONFIG = {
  telegramApiRoot: 'https://api.telegram.org',
  reportsDir: 'seeds',
  indexDir: 'embeddings',
  embeddingModel: 'Xenova/bge-small-zh-v1.5',
  modelDir: 'embeddings/models',
  embedder: 'auto',
  logLevel: 'info',
  indexCheckSeconds: '30',
} as const satisfies Partial<Record<keyof Config, string>>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates every setting. Throws `ConfigError` naming the first bad
 * setting. `cwd` anchors relative folders (default: the process's).
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Readonly<Config> {
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const dir = (name: string, fallback: string): string => path.resolve(cwd, get(name) ?? fallback);

  const token = get('TELEGRAM_BOT_TOKEN');
  if (token !== undefined && !/^\d+:[\w-]{20,}$/.test(token)) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN', 'expected the form 123456:ABC-DEF… given by @BotFather');
  }

  const metricsPort = get('METRICS_PORT');
  const llmBase = get('LLM_BASE_URL');
  const llmModel = get('LLM_MODEL');
  const llmKey = get('LLM_API_KEY');
  if ((llmBase === undefined) !== (llmModel === undefined)) {
    throw new ConfigError(
      llmBase === undefined ? 'LLM_BASE_URL' : 'LLM_MODEL',
      'LLM_BASE_URL and LLM_MODEL must be set together (LLM_API_KEY is optional)',
    );
  }
  if (llmKey !== undefined && llmBase === undefined) {
    throw new ConfigError('LLM_BASE_URL', 'LLM_API_KEY is set but LLM_BASE_URL is not');
  }

  const webhook = parseWebhook(get);

  return Object.freeze({
    ...(token !== undefined && { telegramBotToken: token }),
    telegramApiRoot: parseUrl('TELEGRAM_API_ROOT', get('TELEGRAM_API_ROOT') ?? DEFAULT_CONFIG.telegramApiRoot),
    adminUserIds: parseIds('ADMIN_USER_IDS', get('ADMIN_USER_IDS')),
    reportsDir: dir('REPORTS_DIR', DEFAULT_CONFIG.reportsDir),
    indexDir: dir('INDEX_DIR', DEFAULT_CONFIG.indexDir),
    embeddingModel: parseModelId(get('EMBEDDING_MODEL') ?? DEFAULT_CONFIG.embeddingModel),
    modelDir: dir('MODEL_DIR', DEFAULT_CONFIG.modelDir),
    embedder: parseChoice('EMBEDDER', get('EMBEDDER') ?? DEFAULT_CONFIG.embedder, EMBEDDER_KINDS),
    ...(llmBase !== undefined &&
      llmModel !== undefined && {
        llm: { baseUrl: parseUrl('LLM_BASE_URL', llmBase), model: llmModel, ...(llmKey !== undefined && { apiKey: llmKey }) },
      }),
    logLevel: parseChoice('LOG_LEVEL', get('LOG_LEVEL')?.toLowerCase() ?? DEFAULT_CONFIG.logLevel, LOG_LEVELS),
    ...(metricsPort !== undefined && { metricsPort: parsePort('METRICS_PORT', metricsPort) }),
    ...(webhook !== undefined && { webhook }),
    indexCheckSeconds: parseSeconds('INDEX_CHECK_SECONDS', get('INDEX_CHECK_SECONDS') ?? DEFAULT_CONFIG.indexCheckSeconds),
  });
}

/** TELEGRAM_WEBHOOK_URL turns webhook mode on; the other WEBHOOK_* settings mean nothing without it. */
function parseWebhook(get: (name: string) => string | undefined): WebhookConfig | undefined {
  const rawUrl = get('TELEGRAM_WEBHOOK_URL');
  const host = get('WEBHOOK_HOST');
  const port = get('WEBHOOK_PORT');
  const secret = get('WEBHOOK_SECRET');
  const maxPending = get('WEBHOOK_MAX_PENDING');
  if (rawUrl === undefined) {
    const stray = (['WEBHOOK_HOST', 'WEBHOOK_PORT', 'WEBHOOK_SECRET', 'WEBHOOK_MAX_PENDING'] as const).find((name) => get(name) !== undefined);
    if (stray !== undefined) throw new ConfigError(stray, `${stray} is set but TELEGRAM_WEBHOOK_URL is not (unset it to use long polling)`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ConfigError('TELEGRAM_WEBHOOK_URL', `"${rawUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:') throw new ConfigError('TELEGRAM_WEBHOOK_URL', `"${rawUrl}" must start with https:// (Telegram posts to HTTPS only)`);
  const publicPort = url.port === '' ? 443 : Number(url.port);
  if (!TELEGRAM_WEBHOOK_PORTS.includes(publicPort)) {
    throw new ConfigError('TELEGRAM_WEBHOOK_URL', `port ${publicPort} is not one Telegram posts to (${TELEGRAM_WEBHOOK_PORTS.join(', ')})`);
  }
  if (url.hash !== '') throw new ConfigError('TELEGRAM_WEBHOOK_URL', `"${rawUrl}" must not have a #fragment`);
  if (host !== undefined && isIP(host) === 0) throw new ConfigError('WEBHOOK_HOST', `"${host}" is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 in a container)`);
  // Telegram's rule for secret_token is 1–256 of these characters; fewer than 16 would be guessable.
  if (secret !== undefined && !/^[A-Za-z0-9_-]{16,256}$/.test(secret)) {
    throw new ConfigError('WEBHOOK_SECRET', 'expected 16–256 characters A–Z, a–z, 0–9, _ or - (e.g. `openssl rand -hex 32`)');
  }
  return {
    url: url.href,
    host: host ?? DEFAULT_WEBHOOK.host,
    port: port === undefined ? DEFAULT_WEBHOOK.port : parsePort('WEBHOOK_PORT', port),
    ...(secret !== undefined && { secret }),
    maxPending: maxPending === undefined ? DEFAULT_WEBHOOK.maxPending : parseCount('WEBHOOK_MAX_PENDING', maxPending),
  };
}

function parseIds(setting: string, raw: string | undefined): ReadonlySet<number> {
  const ids = new Set<number>();
  if (raw === undefined) return ids;
  for (const part of raw.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    if (!/^\d{1,15}$/.test(p)) throw new ConfigError(setting, `"${p}" is not a Telegram user id (a positive integer)`);
    ids.add(Number(p));
  }
  return ids;
}

function parsePort(setting: string, raw: string): number {
  const port = Number(raw);
  if (!/^\d{1,5}$/.test(raw) || port < 1 || port > 65535) throw new ConfigError(setting, `"${raw}" is not a TCP port (1–65535)`);
  return port;
}

function parseCount(setting: string, raw: string): number {
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1) throw new ConfigError(setting, `"${raw}" is not a whole number from 1 to 9999999`);
  return Number(raw);
}

function parseSeconds(setting: string, raw: string): number {
  if (!/^\d{1,6}$/.test(raw)) throw new ConfigError(setting, `"${raw}" is not a whole number of seconds (0 turns it off)`);
  return Number(raw);
}

function parseUrl(setting: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(setting, `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(setting, `"${raw}" must start with http:// or https://`);
  }
  return raw.replace(/\/+$/, '');
}

function parseModelId(raw: string): string {
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(raw) || raw.includes('..')) {
    throw new ConfigError('EMBEDDING_MODEL', `"${raw}" is not a model id like Xenova/bge-small-zh-v1.5`);
  }
  return raw;
}

function parseChoice<T extends string>(setting: string, raw: string, choices: readonly T[]): T {
  const found = choices.find((c) => c === raw);
  if (found === undefined) throw new ConfigError(setting, `"${raw}" is not one of ${choices.join(', ')}`);
  return found;
}
