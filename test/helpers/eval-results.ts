/**
 * Hand-built eval results, for testing what reads a report (the text report,
 * --compare) without running one. `result` fills in a plain answerable
 * question; a test states only the fields it is about.
 */
import { answerTotals } from '../../src/eval/answer-totals.js';
import type { EvalReport, ModeReport, ModeTotals, QuestionResult } from '../../src/eval/run-eval.js';
import type { RetrievalMode } from '../../src/types.js';

/** An answerable question about a.txt, answered right, with a hit at rank 1. */
export function result(id: string, fields: Partial<QuestionResult> = {}): QuestionResult {
  return {
    id,
    question: `question ${id}`,
    source: 'a.txt',
    evidence: null,
    tags: [],
    answerable: true,
    firstHitRank: 1,
    scores: { hitAt1: 1, recallAtK: 1, reciprocalRank: 1, ndcg: 1 },
    latencyMs: 10,
    found: true,
    retrieved: [],
    answerText: `answer ${id}`,
    citations: [],
    gold: { answerAll: ['108.1亿元'], answerAny: [], sources: ['a.txt'] },
    verdict: { correct: true, problems: [] },
    ...fields,
  };
}

/** A wrong answer: `problems` says why. */
export function wrong(id: string, problems: string[], fields: Partial<QuestionResult> = {}): QuestionResult {
  return result(id, { verdict: { correct: false, problems }, ...fields });
}

/** An unanswerable question, handled ('not found') unless `fields` say otherwise. */
export function unanswerable(id: string, fields: Partial<QuestionResult> = {}): QuestionResult {
  return result(id, {
    source: null,
    answerable: false,
    firstHitRank: null,
    scores: null,
    found: false,
    gold: { answerAll: [], answerAny: [], sources: [] },
    ...fields,
  });
}

/** Retrieval totals of a mode; the answer totals are computed from `results`. */
export function modeReport(mode: RetrievalMode, results: QuestionResult[], totals: Partial<ModeTotals> = {}): ModeReport {
  return {
    mode,
    totals: {
      questions: results.length,
      answerable: results.filter((r) => r.answerable).length,
      unanswerable: results.filter((r) => !r.answerable).length,
      hitAt1: 0.5,
      recallAtK: 0.75,
      mrrAt10: 0.6,
      ndcgAt10: 0.65,
      latencyP50Ms: 10,
      latencyP95Ms: 20,
      unanswerableNotFound: null,
      answerableNotFound: 0,
      beforeRerank: null,
      ...totals,
    },
    answers: answerTotals(results),
    results,
  };
}

export function evalReport(modes: ModeReport[], k = 5): EvalReport {
  return { k, depth: Math.max(k, 10), modes };
}
