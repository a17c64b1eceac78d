/**
 * The answer given when the reports do not answer the question: the plain
 * not-found text, naming the closest reports when something weakly related
 * was retrieved. Shared by every answerer so they all refuse alike.
 */
import type { Answer } from '../types.js';
import { notFoundText } from './messages.js';
import type { RelevanceJudgement } from './relevance.js';

/** Reports named at most in a not-found reply. */
export const MAX_CLOSEST_REPORTS = 3;

/** Builds the not-found `Answer` from a negative relevance judgement. */
export function notFoundAnswer(judgement: Pick<RelevanceJudgement, 'related'>, answerer: string): Answer {
  const titles = [...new Set(judgement.related.map((c) => c.report.title))].slice(0, MAX_CLOSEST_REPORTS);
  return { text: notFoundText(titles), found: false, citations: [], answerer };
}
