/**
 * Optional LLM rewrite of a follow-up (那平顶山呢？ → 平顶山市2025年GDP是多少？)
 * with the conversation's last turns as context, for when an LLM is
 * configured. The rules (follow-up.ts) stay the judge: a rewrite is used only
 * when `checkRewrite` accepts it — it keeps every place, year and topic the
 * message names itself, and what it adds comes from the earlier turns (a
 * subject it adds is an indexed subject named there). A failing, unreachable or slow LLM, or a
 * refused rewrite, gives undefined (the caller keeps the rules' rewrite), and
 * the reason is logged.
 */
import { escapeDelimiters, DEFAULT_PROMPTS_DIR, readPromptFile } from '../answer/answer-prompts.js';
import { analyzeQuestion, normalizeForMatch } from '../answer/question-analysis.js';
import { chatCompletion } from '../answer/llm-client.js';
import type { LlmConfig } from '../config.js';
import { AppError, describeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { PreviousTurn } from './conversations.js';
import { hasTopic, namesRelativeYear, topicCore } from './follow-up.js';
import type { SubjectCatalog } from './subject-catalog.js';
import { understand, type Understanding } from './understand.js';

/** What the understand stage asks of a rewriter. */
export interface RewriteRequest {
  /** The message as typed. */
  readonly message: string;
  /** The conversation's last turns, oldest first. */
  readonly history: readonly PreviousTurn[];
  readonly catalog: SubjectCatalog;
  /** How the rules understood the message (a follow-up). */
  readonly rules: Understanding;
}

export interface FollowUpRewriter {
  /** The complete question the message asks, or undefined to keep the rules' rewrite. */
  rewrite(request: RewriteRequest, signal?: AbortSignal): Promise<string | undefined>;
}

export interface LlmFollowUpOptions {
  readonly llm: LlmConfig;
  readonly logger?: Logger;
  /** Time allowed for the call; the question waits for it. Default 5 000 ms. */
  readonly timeoutMs?: number;
  /** Folder holding follow-up-system.md and follow-up-user.md. Default: the project's prompts/. */
  readonly promptsDir?: string;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

export const DEFAULT_REWRITE_TIMEOUT_MS = 5_000;
export const FOLLOW_UP_SYSTEM_FILE = 'follow-up-system.md';
export const FOLLOW_UP_USER_FILE = 'follow-up-user.md';
/** A rewrite longer than this is no question but an answer or an explanation. */
export const MAX_REWRITE_CHARS = 200;
/** A completed question is short: the reply needs few tokens. */
const MAX_REWRITE_TOKENS = 120;
const PLACEHOLDERS = ['{{history}}', '{{message}}'] as const;

/**
 * @example
 * const rewriter = new LlmFollowUp({ llm: config.llm, logger });
 * await rewriter.rewrite({ message: '那平顶山呢？', history, catalog, rules }) // '平顶山2025年GDP是多少？' or undefined
 */
export class LlmFollowUp implements FollowUpRewriter {
  readonly #opts: LlmFollowUpOptions;
  readonly #logger: Logger;
  readonly #system: string;
  readonly #userTemplate: string;

  /** Reads the prompt files now; throws `CONFIG_INVALID` when one is missing or lacks a placeholder. */
  constructor(opts: LlmFollowUpOptions) {
    this.#opts = opts;
    this.#logger = opts.logger ?? silentLogger;
    const dir = opts.promptsDir ?? DEFAULT_PROMPTS_DIR;
    this.#system = readPromptFile(dir, FOLLOW_UP_SYSTEM_FILE);
    this.#userTemplate = readPromptFile(dir, FOLLOW_UP_USER_FILE);
    const missing = PLACEHOLDERS.filter((p) => !this.#userTemplate.includes(p));
    if (this.#system === '' || missing.length > 0) {
      throw new AppError(
        'CONFIG_INVALID',
        this.#system === '' ? `The prompt file ${FOLLOW_UP_SYSTEM_FILE} in ${dir} is empty` : `The prompt template ${FOLLOW_UP_USER_FILE} in ${dir} lacks ${missing.join(' and ')}`,
      );
    }
  }

  async rewrite(request: RewriteRequest, signal?: AbortSignal): Promise<string | undefined> {
    if (request.history.length === 0) return undefined;
    const started = Date.now();
    let reply: string;
    try {
      reply = await chatCompletion(
        this.#opts.llm,
        [
          { role: 'system', content: this.#system },
          { role: 'user', content: renderFollowUpPrompt(this.#userTemplate, request.message, request.history) },
        ],
        {
          timeoutMs: this.#opts.timeoutMs ?? DEFAULT_REWRITE_TIMEOUT_MS,
          maxTokens: MAX_REWRITE_TOKENS,
          ...(signal !== undefined && { signal }),
          ...(this.#opts.fetch !== undefined && { fetch: this.#opts.fetch }),
        },
      );
    } catch (err) {
      if (signal?.aborted) throw err;
      this.#logger.warn('llm follow-up rewrite not used, keeping the rules', { model: this.#opts.llm.model, reason: describeError(err) });
      return undefined;
    }
    const checked = checkRewrite(reply, request);
    if (!checked.ok) {
      this.#logger.warn('llm follow-up rewrite refused, keeping the rules', { model: this.#opts.llm.model, reason: checked.reason });
      return undefined;
    }
    this.#logger.debug('llm follow-up rewrite used', { model: this.#opts.llm.model, ms: Date.now() - started });
    return checked.text;
  }
}

/** The user message: the template with the earlier questions, numbered, and the new message; replacement is literal. */
export function renderFollowUpPrompt(template: string, message: string, history: readonly PreviousTurn[]): string {
  const turns = history.map((t, i) => `${i + 1}. ${escapeDelimiters(t.question)}`).join('\n');
  return template.replace(/\{\{history\}\}|\{\{message\}\}/g, (ph) => (ph === '{{history}}' ? turns : escapeDelimiters(message)));
}

export type RewriteCheck = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/**
 * Whether the LLM's reply is a rewrite of the message that may be answered
 * instead of the rules' one: one line, a question with a topic; it keeps
 * every subject, unindexed place, year and topic the message names; a subject
 * it adds is indexed and named in an earlier turn, and so is every other word
 * it adds (no made-up topic); a relative year (去年) comes out as the rules
 * count it. Pure.
 */
export function checkRewrite(reply: string, request: RewriteRequest): RewriteCheck {
  const { message, history, catalog, rules } = request;
  const text = firstLine(reply);
  if (text === '') return refuse('empty reply');
  if (text.length > MAX_REWRITE_CHARS) return refuse(`reply of ${text.length} characters is no question`);
  const own = understand(message, catalog);
  const rewrite = understand(text, catalog);
  if (rewrite.kind !== 'question') return refuse('the reply is no question');
  if (!hasTopic(rewrite.slots.topic)) return refuse('the reply asks nothing');

  const earlier = new Set(history.flatMap((t) => t.slots.places.map((p) => catalog.get(p)?.name ?? p)));
  const ownSubjects = new Set(own.subjects.map((s) => s.name));
  const ownWritten = new Set(own.places.map((p) => p.written));
  for (const p of rewrite.places) {
    if (p.subject === undefined ? !ownWritten.has(p.written) : !ownSubjects.has(p.subject.name) && !earlier.has(p.subject.name)) {
      return refuse(`adds ${p.written}, ${p.subject === undefined ? 'which no indexed report is about' : 'which the conversation never named'}`);
    }
  }
  const rewriteSubjects = new Set(rewrite.subjects.map((s) => s.name));
  const rewriteWritten = new Set(rewrite.places.map((p) => p.written));
  const dropped = own.places.find((p) => (p.subject === undefined ? !rewriteWritten.has(p.written) : !rewriteSubjects.has(p.subject.name)));
  if (dropped !== undefined) return refuse(`drops the place ${dropped.written}`);
  const years = new Set(rewrite.slots.years);
  const droppedYear = own.slots.years.find((y) => !years.has(y));
  if (droppedYear !== undefined) return refuse(`drops the year ${droppedYear}`);
  if (namesRelativeYear(own.slots.topic) && own.slots.years.length === 0 && rewrite.slots.years.join() !== rules.slots.years.join()) {
    return refuse(`counts the relative year as ${rewrite.slots.years.join('、') || 'none'}, not ${rules.slots.years.join('、')}`);
  }
  const missing = missingTopic(topicCore(own.slots.topic), rewrite.text);
  if (missing !== undefined) return refuse(`drops “${missing}” of the message's topic`);
  const invented = inventedContent(rewrite.text, [message, ...history.map((t) => t.question)]);
  if (invented !== undefined) return refuse(`“${invented}” is in neither the message nor the conversation`);
  return { ok: true, text };
}

/**
 * A character of the rewrite's content (its words without places, years and
 * ask words; synonyms folded) that the message and the earlier questions do
 * not hold: a topic the LLM made up. Undefined when there is none.
 */
function inventedContent(rewrite: string, sources: readonly string[]): string | undefined {
  const known = normalizeForMatch(sources.join('\n'));
  return [...analyzeQuestion(rewrite).runs.join('')].find((ch) => !known.includes(ch));
}

/** The first part of `core` the rewrite lacks (by character pairs, synonyms folded), or undefined. */
function missingTopic(core: string, rewrite: string): string | undefined {
  const within = normalizeForMatch(rewrite).replace(/的/g, '');
  const folded = normalizeForMatch(core);
  if (folded.length === 1) return within.includes(folded) ? undefined : folded;
  for (let i = 0; i + 2 <= folded.length; i++) {
    const pair = folded.slice(i, i + 2);
    if (!within.includes(pair)) return pair;
  }
  return undefined;
}

/** The reply's first non-empty line, without a reasoning block, a label (改写：) or quotes. */
function firstLine(reply: string): string {
  const line =
    reply
      .replace(/<think>[\s\S]*?<\/think>/g, '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  return line
    .replace(/^(?:改写后的问题|改写后|改写|完整问题|问题)\s*[:：]\s*/, '')
    .replace(/^["“「『'‘]+|["”」』'’]+$/g, '')
    .trim();
}

function refuse(reason: string): RewriteCheck {
  return { ok: false, reason };
}
