/**
 * The ask pipeline, one stage after another: understand (src/ask/plan-question.ts)
 * → retrieve candidates (src/retrieve/retriever.ts, a wider list than k) →
 * rerank (src/ask/rerank.ts; the default keeps the order) → decide
 * (src/ask/decide.ts) → answer (extractive or LLM, src/answer/). Each stage
 * can be replaced through `AppOverrides`; this module only runs them in
 * order, splits a compound question's parts and merges their answers, and
 * keeps each conversation's last turn for follow-ups.
 */
import { compareFigures } from '../answer/compare-figures.js';
import { mergeAnswers } from '../answer/merge-answers.js';
import { ENGLISH_TEXT, SMALL_TALK_TEXT } from '../answer/messages.js';
import type { Retriever } from '../retrieve/retriever.js';
import { Conversations } from '../understand/conversations.js';
import type { SubjectCatalog } from '../understand/subject-catalog.js';
import type {
  Answer,
  Answerer,
  AskOptions,
  AskResult,
  Decider,
  Paragraph,
  ReportSummary,
  Reranker,
  RetrievalOptions,
  RetrievedChunk,
} from '../types.js';
import type { PlannedPart, QuestionPlan, UnderstandStage } from './plan-question.js';
import { firstK, RERANK_CANDIDATES } from './rerank.js';

/** Number of passages retrieved for an answer when the caller does not say. */
export const DEFAULT_K = 5;

/** The retrieve stage: what the pipeline uses of a `Retriever`. */
export type CandidateRetriever = Pick<Retriever, 'retrieve'>;

/** The stages, in the order they run (retrieval belongs to the index: see `AskIndex`). */
export interface AskStages {
  readonly understand: UnderstandStage;
  readonly reranker: Reranker;
  readonly decider: Decider;
  readonly answerer: Answerer;
}

/** What one question is answered from: one loaded index, the same for all its parts. */
export interface AskIndex {
  readonly catalog: SubjectCatalog;
  readonly retriever: CandidateRetriever;
  readonly sources: readonly ReportSummary[];
  paragraphAt(source: string, paragraph: number): Paragraph | undefined;
}

/** The parts' answers merged, with the comparison line the question asks for (谁更多, 相差, 合计) under them. */
function withComparison(question: string, parts: readonly PlannedPart[], each: readonly (Answered & { label?: string })[]): Answer {
  const merged = mergeAnswers(each);
  if (!merged.found) return merged;
  const line = compareFigures(
    question,
    each.map((p, i) => ({ ...(p.label !== undefined && { label: p.label }), question: parts[i]?.question ?? '', text: p.answer.text, found: p.answer.found })),
  );
  return line === undefined ? merged : { ...merged, text: `${merged.text}
${line}` };
}

interface Answered {
  readonly answer: Answer;
  readonly retrieved: RetrievedChunk[];
}

export class AskPipeline {
  readonly #stages: AskStages;
  readonly #conversations = new Conversations();

  constructor(stages: AskStages) {
    this.#stages = stages;
  }

  async ask(index: AskIndex, message: string, opts: AskOptions = {}): Promise<AskResult> {
    const key = opts.conversation;
    const plan = await this.#understand(index, message, key, opts.signal);
    const understood = plan.understanding;
    if (understood.kind !== 'question') {
      const text = understood.kind === 'small-talk' ? SMALL_TALK_TEXT : ENGLISH_TEXT;
      return { question: message, answer: { text, found: false, citations: [], answerer: this.#stages.answerer.id }, retrieved: [], sources: index.sources };
    }
    let answered: Answered;
    const [only] = plan.parts;
    if (plan.parts.length === 1 && only !== undefined) {
      answered = await this.#answerPart(index, only, opts);
    } else {
      const each = [];
      for (const part of plan.parts) each.push({ ...(part.label !== undefined && { label: part.label }), ...(await this.#answerPart(index, part, opts)) });
      answered = { answer: withComparison(understood.text, plan.parts, each), retrieved: each.flatMap((p) => p.retrieved) };
    }
    if (key !== undefined) this.#conversations.record(key, { question: understood.text, slots: understood.slots });
    return {
      question: message,
      ...answered,
      sources: index.sources,
      ...(understood.rewritten && { understood: understood.text }),
      ...(understood.followUp && { followUp: true }),
    };
  }

  /** The ranking `ask` would answer a question from, as one search (a compound question is not split). */
  async retrieve(index: AskIndex, message: string, opts: RetrievalOptions = {}): Promise<RetrievedChunk[]> {
    const key = opts.conversation;
    const { whole } = await this.#understand(index, message, key, opts.signal);
    return whole === undefined ? [] : this.#rank(index, whole, opts);
  }

  /** Forgets a conversation (/new). */
  forget(conversation: string): void {
    this.#conversations.reset(conversation);
  }

  /** Runs the understand stage with the conversation's last turns; it may wait for an LLM (withLlmFollowUps). */
  #understand(index: AskIndex, message: string, key: string | undefined, signal: AbortSignal | undefined): Promise<QuestionPlan> {
    const history = key === undefined ? [] : this.#conversations.history(key);
    return Promise.resolve(this.#stages.understand(message, index.catalog, history, signal === undefined ? {} : { signal }));
  }

  async #answerPart(index: AskIndex, part: PlannedPart, opts: AskOptions): Promise<Answered> {
    const retrieved = await this.#rank(index, part, opts);
    const decision = this.#stages.decider.decide(part.question, retrieved);
    const answer = await this.#stages.answerer.answer(decision, {
      paragraphAt: (source, n) => index.paragraphAt(source, n),
      ...(opts.signal !== undefined && { signal: opts.signal }),
    });
    return { answer, retrieved };
  }

  /** Retrieve the candidates, rerank them (unless `rerank: false`), keep the first k. */
  async #rank(index: AskIndex, part: PlannedPart, opts: RetrievalOptions): Promise<RetrievedChunk[]> {
    const k = opts.k ?? DEFAULT_K;
    const candidates = await index.retriever.retrieve(part.searchFor, {
      k: Math.max(k, RERANK_CANDIDATES),
      mode: opts.mode ?? 'hybrid',
      ...(part.sources !== undefined && { sources: part.sources }),
    });
    const ordered = opts.rerank === false ? candidates : await this.#stages.reranker.rerank(part.question, candidates);
    return firstK(ordered, k);
  }
}
