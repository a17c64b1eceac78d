/**
 * The answers to a decision that the reports do not answer the question: the
 * plain not-found text, naming the closest reports when something weakly
 * related was retrieved; or, for the other-year caveat, the figure of another
 * year quoted with its year. Shared by every answerer so they all refuse alike.
 */
import type { Answer, NotFoundDecision, OtherYearDecision } from '../types.js';
import { CitationBook, withMarker } from './citations.js';
import { notFoundText, otherYearText } from './messages.js';

/** Reports named at most in a not-found reply. */
export const MAX_CLOSEST_REPORTS = 3;

/** The `Answer` (found: false) of a not-found or other-year decision. */
export function refusalAnswer(decision: NotFoundDecision | OtherYearDecision, answerer: string): Answer {
  if (decision.kind === 'other-year') {
    const { passage, unit } = decision.evidence;
    const book = new CitationBook();
    const quote = withMarker(unit.text, book.cite(passage, unit));
    return { text: otherYearText(decision.askedYear, decision.year, quote), found: false, citations: book.citations(), answerer };
  }
  const titles = [...new Set(decision.related.map((c) => c.report.title))].slice(0, MAX_CLOSEST_REPORTS);
  return { text: notFoundText(titles), found: false, citations: [], answerer };
}
