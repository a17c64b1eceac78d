/**
 * Written answers from an OpenAI-compatible LLM, used when LLM_BASE_URL is set.
 * The LLM only writes: the decision (src/ask/decide.ts) is made before it, so
 * a not-found or other-year decision is written up exactly as the extractive
 * answerer does, without a call; for an answer the model sees only the usable
 * passages, numbered, and its answer is checked (see `checkLlmAnswer`).
 * A yes/no question's verdict and the subject-and-year label come from the
 * decision's evidence, as in the extractive answer, and are put first unless
 * the model's text starts with its own verdict (or names the subject). A
 * compound question's comparison line is added by the pipeline from the
 * parts' texts, whichever answerer wrote them.
 * Whenever the call fails or the answer is refused, the fallback (extractive)
 * answer of the same decision is returned and the reason logged.
 */
import type { LlmConfig } from '../config.js';
import { describeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { splitSentences } from '../text/sentences.js';
import type { Answer, AnswerDecision, AnswerOptions, Answerer, Decision } from '../types.js';
import { loadAnswerPrompts, renderUserPrompt, type AnswerPrompts } from './answer-prompts.js';
import { answerSubjectPrefix } from './answer-subject.js';
import { checkLlmAnswer } from './llm-answer-check.js';
import { chatCompletion } from './llm-client.js';
import { refusalAnswer } from './not-found.js';
import { toPassages } from './passages.js';
import { analyzeQuestion } from './question-analysis.js';
import { yesNoVerdict } from './yes-no.js';

export interface LlmAnswererOptions {
  llm: LlmConfig;
  /** Answers when the LLM cannot: normally an `ExtractiveAnswerer`. */
  fallback: Answerer;
  logger?: Logger;
  /** Time allowed for one LLM call. Default 30 000 ms. */
  timeoutMs?: number;
  /** Folder holding answer-system.md and answer-user.md. Default: the project's prompts/. */
  promptsDir?: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

export const DEFAULT_LLM_TIMEOUT_MS = 30_000;
/** Passages shown to the model at most. */
export const MAX_LLM_PASSAGES = 5;
/** System prompt sentences at least this long are refused in an answer (shorter ones, like 没有找到, may occur honestly). */
const MIN_PROMPT_SENTENCE = 12;
/** A written answer that already says yes or no (是的，…, 尚未…, 没有…). */
const OWN_VERDICT = /^(?:是|否|已|尚未|没有|不|未)/;

/**
 * @example
 * const answerer = new LlmAnswerer({ llm: config.llm, fallback: new ExtractiveAnswerer(), logger });
 * answerer.id // 'llm:qwen2.5'
 */
export class LlmAnswerer implements Answerer {
  readonly id: string;
  private readonly opts: LlmAnswererOptions;
  private readonly prompts: AnswerPrompts;
  private readonly logger: Logger;
  /** What an answer must never repeat: the API key and the system prompt's sentences. */
  private readonly forbidden: readonly string[];

  /** Reads the prompt files now; throws `CONFIG_INVALID` when one is missing. */
  constructor(opts: LlmAnswererOptions) {
    this.opts = opts;
    this.id = `llm:${opts.llm.model}`;
    this.logger = opts.logger ?? silentLogger;
    this.prompts = loadAnswerPrompts(opts.promptsDir);
    this.forbidden = [
      ...(opts.llm.apiKey === undefined ? [] : [opts.llm.apiKey]),
      ...promptSentences(this.prompts.system),
    ];
  }

  async answer(decision: Decision, opts: AnswerOptions = {}): Promise<Answer> {
    opts.signal?.throwIfAborted();
    if (decision.kind !== 'answer') return refusalAnswer(decision, this.id);

    const { question } = decision;
    const passages = toPassages(decision.usable).slice(0, MAX_LLM_PASSAGES);
    let content: string;
    const started = Date.now();
    try {
      content = await chatCompletion(
        this.opts.llm,
        [
          { role: 'system', content: this.prompts.system },
          { role: 'user', content: renderUserPrompt(this.prompts.userTemplate, question, passages) },
        ],
        {
          timeoutMs: this.opts.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
          ...(opts.signal !== undefined && { signal: opts.signal }),
          ...(this.opts.fetch !== undefined && { fetch: this.opts.fetch }),
        },
      );
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      return this.fallBack(decision, opts, describeError(err));
    }
    const checked = checkLlmAnswer(content, passages, question, { forbidden: this.forbidden });
    if (!checked.ok) return this.fallBack(decision, opts, checked.reason);
    this.logger.debug('llm answer used', { model: this.opts.llm.model, ms: Date.now() - started, citations: checked.citations.length });
    const q = analyzeQuestion(question);
    const verdict = yesNoVerdict(q, decision.evidence);
    // As in the extractive answer, the subject and year go before a text that says 全市 and 全年 only;
    // an answer that starts with its own 是/否 is left as written.
    const text = OWN_VERDICT.test(checked.text) ? checked.text : (verdict ?? '') + answerSubjectPrefix(q, decision.evidence, checked.text) + checked.text;
    return { text, found: true, citations: checked.citations, answerer: this.id };
  }

  private fallBack(decision: AnswerDecision, opts: AnswerOptions, reason: string): Promise<Answer> {
    this.logger.warn('llm answer not used, answering extractively', { model: this.opts.llm.model, reason });
    return this.opts.fallback.answer(decision, opts);
  }
}

/** The system prompt's sentences worth refusing in an answer, without list numbers and end punctuation. */
function promptSentences(system: string): string[] {
  return system
    .split('\n')
    .flatMap((line) => splitSentences(line.replace(/^\s*\d+\.\s*/, '')))
    .map((s) => s.text.trim().replace(/[。！？；!?;]+$/, ''))
    .filter((s) => s.length >= MIN_PROMPT_SENTENCE);
}
