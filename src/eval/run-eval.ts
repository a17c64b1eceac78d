/**
 * Runs a data set through an `App` and scores it per retrieval mode. Questions
 * run one at a time so the measured latencies are not inflated by each other.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { App, AskResult, RetrievalMode, RetrievedChunk } from '../types.js';
import { scoreAnswer } from './answer-score.js';
import { answerTotals, type AnswerTotals } from './answer-totals.js';
import type { EvalQuestion } from './dataset.js';
import { hitAt1, isHit, mean, ndcgAt10, percentile, recallAtK, reciprocalRankAt10 } from './metrics.js';

/** Results kept per question even when k is smaller. */
const KEPT_RESULTS_MIN = 3;

export interface RunEvalOptions {
  /** Depth for recall@k and for the answer step (`app.ask`). */
  k: number;
  modes: readonly RetrievalMode[];
  /** Names this run in dialogue conversation keys (default: a random id), so runs never share a conversation. */
  runId?: string;
  /** Called after each question in each mode; `total` = questions × modes. */
  onProgress?: (done: number, total: number) => void;
}

/** One retrieved result as kept in the report. */
export interface RetrievedSummary {
  readonly rank: number;
  readonly source: string;
  readonly paragraph: number;
  readonly score: number;
  readonly text: string;
}

/** Retrieval scores of one answerable question (see metrics.ts). */
export interface QuestionScores {
  readonly hitAt1: number;
  readonly recallAtK: number;
  readonly reciprocalRank: number;
  readonly ndcg: number;
}

/** A citation of the answer as kept in the report (the cited paragraph, for the miss list). */
export interface CitedSummary {
  readonly n: number;
  readonly source: string;
  readonly paragraph: number;
  readonly text: string;
}

/** The answer-level gold of a question, as the data set gives it. */
export interface Gold {
  readonly answerAll: readonly string[];
  readonly answerAny: readonly string[];
  readonly sources: readonly string[];
  readonly nearAnswer?: string;
  readonly nearYear?: string;
}

/** What one question did in one mode. */
export interface QuestionResult {
  readonly id: string;
  readonly question: string;
  readonly source: string | null;
  readonly evidence: string | null;
  readonly tags: readonly string[];
  /** Whether the reports answer it (the data set's `answerable`). */
  readonly answerable: boolean;
  /** 1-based rank of the first hit in the retrieved list, null when none. */
  readonly firstHitRank: number | null;
  /** Retrieval scores; null without a `source` (unanswerable, or a comparison over `sources`). */
  readonly scores: QuestionScores | null;
  /** The scores of the retriever's own order, when the rerank stage changed it. */
  readonly scoresBeforeRerank?: QuestionScores;
  /** Wall time of `app.retrieve` for this question. */
  readonly latencyMs: number;
  /** The answer step's decision: false means it answered 'not found'. */
  readonly found: boolean;
  /** The top k results of retrieval (at least the top 3, so a miss can show what came instead). */
  readonly retrieved: readonly RetrievedSummary[];
  readonly kind?: string;
  readonly dialogue?: string;
  readonly turn?: number;
  /** The question as the app understood it, when it says so. */
  readonly understood?: string;
  /** Set when the app completed the question from the conversation's previous turn. */
  readonly followUp?: true;
  readonly answerText: string;
  readonly citations: readonly CitedSummary[];
  readonly gold: Gold;
  /** The answer-level verdict (scoreAnswer); null when the question has no gold strings. */
  readonly verdict: { readonly correct: boolean; readonly problems: readonly string[] } | null;
}

/** Totals of one mode. Means are over answerable questions; null when there are none. */
export interface ModeTotals {
  readonly questions: number;
  readonly answerable: number;
  readonly unanswerable: number;
  readonly hitAt1: number | null;
  readonly recallAtK: number | null;
  readonly mrrAt10: number | null;
  readonly ndcgAt10: number | null;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  /** Share of unanswerable questions answered 'not found' (higher is better). */
  readonly unanswerableNotFound: number | null;
  /** Share of answerable questions wrongly answered 'not found' (lower is better). */
  readonly answerableNotFound: number | null;
  /**
   * The retrieval means of the retriever's order, before the rerank stage;
   * null when the reranker changed no question's ranking (the default keeps it).
   */
  readonly beforeRerank: { readonly hitAt1: number | null; readonly recallAtK: number | null; readonly mrrAt10: number | null; readonly ndcgAt10: number | null } | null;
}

export interface ModeReport {
  readonly mode: RetrievalMode;
  readonly totals: ModeTotals;
  readonly answers: AnswerTotals;
  readonly results: readonly QuestionResult[];
}

export interface EvalReport {
  readonly k: number;
  /** Retrieval depth used for MRR@10 and nDCG@10: max(k, 10). */
  readonly depth: number;
  readonly modes: readonly ModeReport[];
}

/**
 * Evaluates `questions` in each of `opts.modes`. Per question and mode it calls
 * `app.retrieve` once with depth max(k, 10) (timed; recall@k looks at the first
 * k results), once more without the rerank stage (untimed; scored only when
 * the order differs) and `app.ask` once with `k` (its `answer.found` is the 'not found'
 * decision, and the answer scored by scoreAnswer). Turns of a dialogue are
 * asked in `turn` order with the conversation key
 * `eval:<run id>:<mode>:<dialogue>`, so follow-ups see their earlier turns;
 * the other questions are asked one after another in the conversation
 * `eval:<run id>:<mode>`, as a user asks in one chat, so a single question the
 * follow-up logic completes from the one before shows (`followUp`). Before timing a mode it runs one untimed warm-up query so model
 * loading and JIT do not land in the first question's latency.
 *
 * @throws whatever the app throws (e.g. AppError `INDEX_MISSING`).
 */
export async function runEval(
  app: App,
  questions: readonly EvalQuestion[],
  opts: RunEvalOptions,
): Promise<EvalReport> {
  const { k, modes, onProgress } = opts;
  const runId = opts.runId ?? randomUUID().slice(0, 8);
  const depth = Math.max(k, 10);
  const ordered = askingOrder(questions);
  const total = ordered.length * modes.length;
  let done = 0;

  const reports: ModeReport[] = [];
  for (const mode of modes) {
    const first = ordered[0];
    if (first !== undefined) await app.retrieve(first.question, { k: depth, mode });

    const results: QuestionResult[] = [];
    for (const q of ordered) {
      // Single questions share one conversation too, as in a chat: none of them may be taken for a follow-up.
      const conversation = `eval:${runId}:${mode}${q.dialogue === undefined ? '' : `:${q.dialogue}`}`;
      const started = performance.now();
      const retrieved = await app.retrieve(q.question, { k: depth, mode, conversation });
      const latencyMs = performance.now() - started;
      const unranked = await app.retrieve(q.question, { k: depth, mode, rerank: false, conversation });
      const asked = await app.ask(q.question, { k, mode, conversation });
      results.push(scoreQuestion(q, retrieved, { k, latencyMs, asked, unranked }));
      onProgress?.(++done, total);
    }
    reports.push({ mode, totals: totalsOf(results), answers: answerTotals(results), results });
  }
  return { k, depth, modes: reports };
}

/**
 * The data set's order, except that each dialogue's turns are moved together
 * to where its first line is and sorted by `turn` (stable), so a conversation
 * is never interleaved with other questions or asked out of order.
 */
export function askingOrder(questions: readonly EvalQuestion[]): EvalQuestion[] {
  const dialogues = new Map<string, EvalQuestion[]>();
  for (const q of questions) {
    if (q.dialogue !== undefined) dialogues.set(q.dialogue, [...(dialogues.get(q.dialogue) ?? []), q]);
  }
  return questions.flatMap((q) => {
    if (q.dialogue === undefined) return [q];
    const turns = dialogues.get(q.dialogue) ?? [];
    if (turns[0] !== q) return [];
    return [...turns].sort((a, b) => (a.turn ?? 0) - (b.turn ?? 0));
  });
}

function scoreQuestion(
  q: EvalQuestion,
  retrieved: readonly RetrievedChunk[],
  run: { k: number; latencyMs: number; asked: AskResult; unranked: readonly RetrievedChunk[] },
): QuestionResult {
  const { answer, understood, followUp } = run.asked;
  const verdict = scoreAnswer(q, answer);
  const { answerable } = q;
  const relevance = retrieved.map((r) => isHit(r.chunk, q));
  const hitIndex = relevance.indexOf(true);
  const reordered = q.source !== null && !sameOrder(retrieved, run.unranked);
  return {
    id: q.id,
    question: q.question,
    source: q.source,
    evidence: q.evidence,
    tags: q.tags ?? [],
    answerable,
    firstHitRank: hitIndex === -1 ? null : hitIndex + 1,
    scores: q.source !== null ? scoresOf(relevance, run.k) : null,
    ...(reordered && { scoresBeforeRerank: scoresOf(run.unranked.map((r) => isHit(r.chunk, q)), run.k) }),
    latencyMs: run.latencyMs,
    found: answer.found,
    retrieved: retrieved.slice(0, Math.max(run.k, KEPT_RESULTS_MIN)).map((r, i) => ({
      rank: i + 1,
      source: r.chunk.source,
      paragraph: r.chunk.paragraph,
      score: r.score,
      text: r.chunk.text,
    })),
    ...(q.kind !== undefined && { kind: q.kind }),
    ...(q.dialogue !== undefined && { dialogue: q.dialogue }),
    ...(q.turn !== undefined && { turn: q.turn }),
    ...(understood !== undefined && { understood }),
    ...(followUp === true && { followUp }),
    answerText: answer.text,
    citations: answer.citations.map(({ n, source, paragraph, text }) => ({ n, source, paragraph, text })),
    gold: {
      answerAll: q.answerAll,
      answerAny: q.answerAny,
      sources: q.sources,
      ...(q.nearAnswer !== undefined && { nearAnswer: q.nearAnswer }),
      ...(q.nearYear !== undefined && { nearYear: q.nearYear }),
    },
    verdict: verdict.scored ? { correct: verdict.correct, problems: verdict.problems } : null,
  };
}

function scoresOf(relevance: readonly boolean[], k: number): QuestionScores {
  return { hitAt1: hitAt1(relevance), recallAtK: recallAtK(relevance, k), reciprocalRank: reciprocalRankAt10(relevance), ndcg: ndcgAt10(relevance) };
}

/** Whether two rankings hold the same passages in the same order. */
function sameOrder(a: readonly RetrievedChunk[], b: readonly RetrievedChunk[]): boolean {
  const at = (r: RetrievedChunk | undefined): string => (r === undefined ? '' : `${r.chunk.source}#${r.chunk.paragraph}@${r.chunk.start}`);
  return a.length === b.length && a.every((r, i) => at(r) === at(b[i]));
}

function totalsOf(results: readonly QuestionResult[]): ModeTotals {
  const scored = results.flatMap((r) => (r.scores === null ? [] : [r.scores]));
  const unanswerable = results.filter((r) => !r.answerable);
  const answerable = results.filter((r) => r.answerable);
  const latencies = results.map((r) => r.latencyMs);
  const avg = (pick: (s: QuestionScores) => number, of = scored): number | null => orNull(mean(of.map(pick)));
  // Before the rerank stage: a question it left alone scores as after it.
  const before = results.flatMap((r) => (r.scores === null ? [] : [r.scoresBeforeRerank ?? r.scores]));
  const notFoundShare = (rs: readonly QuestionResult[]): number | null =>
    orNull(mean(rs.map((r) => (r.found ? 0 : 1))));
  return {
    questions: results.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    hitAt1: avg((s) => s.hitAt1),
    recallAtK: avg((s) => s.recallAtK),
    mrrAt10: avg((s) => s.reciprocalRank),
    ndcgAt10: avg((s) => s.ndcg),
    latencyP50Ms: orNull(percentile(latencies, 50)),
    latencyP95Ms: orNull(percentile(latencies, 95)),
    unanswerableNotFound: notFoundShare(unanswerable),
    answerableNotFound: notFoundShare(answerable),
    beforeRerank: results.some((r) => r.scoresBeforeRerank !== undefined)
      ? { hitAt1: avg((s) => s.hitAt1, before), recallAtK: avg((s) => s.recallAtK, before), mrrAt10: avg((s) => s.reciprocalRank, before), ndcgAt10: avg((s) => s.ndcg, before) }
      : null,
  };
}

/** NaN (an empty average) becomes null, which JSON can represent. */
function orNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
