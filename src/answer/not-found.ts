/**
 * The answers to a decision that the reports do not answer the question: the
 * plain not-found text, followed by the one or two paragraphs that came
 * closest (`可能相关：…[1]`) when something related was retrieved, and by
 * nothing for a question nothing is related to; or, for the other-year caveat,
 * the figure of another year quoted with its year. Shared by every answerer
 * so they all refuse alike.
 */
import type { Answer, NotFoundDecision, OtherYearDecision } from '../types.js';
import { CitationBook, withMarker } from './citations.js';
import { rankCandidates, type Candidate } from './evidence.js';
import { notFoundText, otherYearText } from './messages.js';
import { toPassages } from './passages.js';
import { analyzeQuestion, coverage } from './question-analysis.js';

/** Related paragraphs quoted at most in a not-found reply. */
export const MAX_RELATED_QUOTES = 2;
/**
 * A related unit must cover this weighted share of the question: below it, a
 * paragraph shares a word or two (预算 for 火星基地的年度预算) and is no help.
 */
const MIN_QUOTE_COVERAGE = 0.3;
/** Shorter units (a byline, a heading) are not quoted as related. */
const MIN_QUOTE_CHARS = 12;

/** The `Answer` (found: false) of a not-found or other-year decision. */
export function refusalAnswer(decision: NotFoundDecision | OtherYearDecision, answerer: string): Answer {
  if (decision.kind === 'other-year') {
    const { passage, unit } = decision.evidence;
    const book = new CitationBook();
    const quote = withMarker(unit.text, book.cite(passage, unit));
    return { text: otherYearText(decision.askedYear, decision.year, quote), found: false, citations: book.citations(), answerer };
  }
  const q = analyzeQuestion(decision.question);
  const book = new CitationBook();
  // Each related paragraph by its sentence closest to the question, in retrieval order.
  const quotes = toPassages(decision.related)
    .map((passage) => rankCandidates(q, [passage])[0])
    .filter((c): c is Candidate => c !== undefined && c.unit.text.length >= MIN_QUOTE_CHARS && coverage(q, c.norm).ratio >= MIN_QUOTE_COVERAGE)
    .slice(0, MAX_RELATED_QUOTES)
    .map((c) => withMarker(c.unit.text, book.cite(c.passage, c.unit)));
  return { text: notFoundText(quotes), found: false, citations: book.citations(), answerer };
}
