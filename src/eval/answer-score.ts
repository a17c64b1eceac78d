/**
 * Answer-level scoring of one question, by the rule of the data set format
 * (README.md, "Evaluation"): pure, so it is tested on hand-written answers.
 *
 * - An answerable question with gold strings is right when the answer says it
 *   found something, contains every `answer_all` string and one `answer_any`
 *   string (when given), and cites the source, or every one of `sources`.
 * - An unanswerable question is right when the answer says not found, or, for
 *   a year trap, when it names `near_year` together with `near_answer`.
 * - An answerable question without gold strings is not scored at answer level.
 *
 * Text is compared after NFKC with all whitespace removed, on both sides.
 */
import type { EvalQuestion } from './dataset.js';
import { hasGold } from './dataset.js';
import { normalizeForMatch } from './metrics.js';

/** What scoring reads of an answer (an `Answer` fits). */
export interface ScoredAnswer {
  readonly text: string;
  readonly found: boolean;
  readonly citations: readonly { readonly source: string }[];
}

export type AnswerVerdict =
  | { readonly scored: false }
  | { readonly scored: true; readonly correct: boolean; readonly problems: readonly string[] };

/**
 * Scores `answer` for `q`; `problems` says in English what is wrong (empty
 * when correct), for the miss list.
 *
 * @example scoreAnswer(q, { text: '…108.1亿元[1]。', found: true, citations: [{ source: '000.txt' }] })
 * // { scored: true, correct: true, problems: [] }
 */
export function scoreAnswer(q: EvalQuestion, answer: ScoredAnswer): AnswerVerdict {
  const text = normalizeForMatch(answer.text);
  const has = (s: string): boolean => text.includes(normalizeForMatch(s));
  if (!q.answerable) {
    if (!answer.found) return verdict([]);
    if (q.nearAnswer !== undefined && q.nearYear !== undefined && has(q.nearAnswer) && has(q.nearYear)) return verdict([]);
    return verdict(['answered a question the reports cannot answer']);
  }
  if (!hasGold(q)) return { scored: false };
  if (!answer.found) return verdict(['refused (not found)']);
  const problems: string[] = [];
  const missing = q.answerAll.filter((s) => !has(s));
  if (missing.length > 0) problems.push(`missing ${missing.map((s) => `"${s}"`).join(', ')}`);
  if (q.answerAny.length > 0 && !q.answerAny.some(has)) problems.push(`none of ${q.answerAny.map((s) => `"${s}"`).join(' / ')}`);
  const cited = new Set(answer.citations.map((c) => c.source));
  const uncited = q.sources.filter((s) => !cited.has(s));
  if (uncited.length > 0) problems.push(`does not cite ${uncited.join(', ')}`);
  return verdict(problems);
}

function verdict(problems: readonly string[]): AnswerVerdict {
  return { scored: true, correct: problems.length === 0, problems };
}
