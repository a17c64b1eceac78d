/**
 * One call to an OpenAI-compatible chat completions endpoint (Ollama, vLLM,
 * DeepSeek, Qwen…) with global fetch. Every failure becomes `LLM_FAILED` with
 * a message that names the endpoint but never the API key; an abort by the
 * caller is rethrown as is, so callers can tell it from a timeout.
 */
import type { LlmConfig } from '../config.js';
import { AppError, describeError } from '../errors.js';

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ChatOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Defaults to the global fetch; tests may pass their own. */
  readonly fetch?: typeof fetch;
  /** Upper bound on the reply length, in tokens. Default 600. */
  readonly maxTokens?: number;
}

/** Longest piece of an error body quoted in a message. */
const BODY_EXCERPT = 200;

/**
 * Sends `messages` and returns the first choice's text.
 *
 * @example await chatCompletion({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5' }, msgs, { timeoutMs: 20000 })
 */
export async function chatCompletion(llm: LlmConfig, messages: readonly ChatMessage[], opts: ChatOptions): Promise<string> {
  const url = `${llm.baseUrl}/chat/completions`;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (llm.apiKey !== undefined) headers.authorization = `Bearer ${llm.apiKey}`;
  const body = JSON.stringify({ model: llm.model, messages, temperature: 0, stream: false, max_tokens: opts.maxTokens ?? 600 });

  let raw: string;
  let status: number;
  try {
    const res = await (opts.fetch ?? fetch)(url, { method: 'POST', headers, body, signal });
    status = res.status;
    raw = await res.text();
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (timeout.aborted) throw new AppError('LLM_FAILED', `${url} did not answer within ${opts.timeoutMs} ms`, { cause: err });
    throw new AppError('LLM_FAILED', `Cannot reach ${url}: ${describeCause(err)}`, { cause: err });
  }
  // Some servers echo the key they refused; it must not reach a log line.
  const excerpt = (): string => (llm.apiKey === undefined ? raw : raw.split(llm.apiKey).join('***')).slice(0, BODY_EXCERPT);
  if (status < 200 || status >= 300) {
    throw new AppError('LLM_FAILED', `${url} answered HTTP ${status}: ${excerpt()}`);
  }
  const content = firstChoice(raw);
  if (content === undefined) {
    throw new AppError('LLM_FAILED', `${url} returned no choices[0].message.content: ${excerpt()}`);
  }
  return content;
}

function firstChoice(raw: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const choices = field(parsed, 'choices');
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  const content = field(field(first, 'message'), 'content');
  return typeof content === 'string' ? content : undefined;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Object.getOwnPropertyDescriptor(value, name)?.value : undefined;
}

/** fetch wraps network errors as `TypeError: fetch failed` with the real reason in `cause`. */
function describeCause(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause === undefined ? describeError(err) : `${describeError(err)} (${describeError(cause)})`;
}
