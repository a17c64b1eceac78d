/**
 * Runs a data set through an `App` and scores it per retrieval mode. Questions
 * run one at a time so the measured latencies are not inflated by each other.
 */
import { performance } from 'node:perf_hooks';
import type { App, RetrievalMode, RetrievedChunk } from '../types.js';
import type { EvalQuestion } from './dataset.js';
import { hitAt1, isHit, mean, ndcgAt10, percentile, recallAtK, reciprocalRankAt10 } from './metrics.js';

/** Results kept per question even when k is smaller. */
const KEPT_RESULTS_MIN = 3;

export interface RunEvalOptions {
  /** Depth for recall@k and for the answer step (`app.ask`). */
  k: number;
  modes: readonly RetrievalMode[];
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

/** What one question did in one mode. */
export interface QuestionResult {
  readonly id: string;
  readonly question: string;
  readonly source: string | null;
  readonly evidence: string | null;
  readonly tags: readonly string[];
  /** False when `source` is null (the reports cannot answer it). */
  readonly answerable: boolean;
  /** 1-based rank of the first hit in the retrieved list, null when none. */
  readonly firstHitRank: number | null;
  /** Null for unanswerable questions. */
  readonly scores: QuestionScores | null;
  /** Wall time of `app.retrieve` for this question. */
  readonly latencyMs: number;
  /** The answer step's decision: false means it answered 'not found'. */
  readonly found: boolean;
  /** The top k results of retrieval (at least the top 3, so a miss can show what came instead). */
  readonly retrieved: readonly RetrievedSummary[];
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
}

export interface ModeReport {
  readonly mode: RetrievalMode;
  readonly totals: ModeTotals;
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
 * k results) and `app.ask` once with `k` (its `answer.found` is the 'not found'
 * decision). Before timing a mode it runs one untimed warm-up query so model
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
  const depth = Math.max(k, 10);
  const total = questions.length * modes.length;
  let done = 0;

  const reports: ModeReport[] = [];
  for (const mode of modes) {
    const first = questions[0];
    if (first !== undefined) await app.retrieve(first.question, { k: depth, mode });

    const results: QuestionResult[] = [];
    for (const q of questions) {
      const started = performance.now();
      const retrieved = await app.retrieve(q.question, { k: depth, mode });
      const latencyMs = performance.now() - started;
      const { answer } = await app.ask(q.question, { k, mode });
      results.push(scoreQuestion(q, retrieved, { k, latencyMs, found: answer.found }));
      onProgress?.(++done, total);
    }
    reports.push({ mode, totals: totalsOf(results), results });
  }
  return { k, depth, modes: reports };
}

function scoreQuestion(
  q: EvalQuestion,
  retrieved: readonly RetrievedChunk[],
  run: { k: number; latencyMs: number; found: boolean },
): QuestionResult {
  const answerable = q.source !== null;
  const relevance = retrieved.map((r) => isHit(r.chunk, q));
  const hitIndex = relevance.indexOf(true);
  return {
    id: q.id,
    question: q.question,
    source: q.source,
    evidence: q.evidence,
    tags: q.tags ?? [],
    answerable,
    firstHitRank: hitIndex === -1 ? null : hitIndex + 1,
    scores: answerable
      ? {
          hitAt1: hitAt1(relevance),
          recallAtK: recallAtK(relevance, run.k),
          reciprocalRank: reciprocalRankAt10(relevance),
          ndcg: ndcgAt10(relevance),
        }
      : null,
    latencyMs: run.latencyMs,
    found: run.found,
    retrieved: retrieved.slice(0, Math.max(run.k, KEPT_RESULTS_MIN)).map((r, i) => ({
      rank: i + 1,
      source: r.chunk.source,
      paragraph: r.chunk.paragraph,
      score: r.score,
      text: r.chunk.text,
    })),
  };
}

function totalsOf(results: readonly QuestionResult[]): ModeTotals {
  const scored = results.flatMap((r) => (r.scores === null ? [] : [r.scores]));
  const unanswerable = results.filter((r) => !r.answerable);
  const answerable = results.filter((r) => r.answerable);
  const latencies = results.map((r) => r.latencyMs);
  const avg = (pick: (s: QuestionScores) => number): number | null => orNull(mean(scored.map(pick)));
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
  };
}

/** NaN (an empty average) becomes null, which JSON can represent. */
function orNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
