/**
 * The grounding rule for figures: every number in an answer must be found in
 * the paragraphs it cites. Amounts are compared by value and unit (`108.1亿元`
 * equals `1081000万元`), years and other dates and bare numbers by their digits.
 */
import { DATE_UNITS, findFigures, type Figure } from '../text/figures.js';

/** Citation markers `[n]`, removed before looking for figures (the `1` of `[1]` is no figure). */
const MARKERS = /\[\d+\]/g;

/**
 * The figures of `answerText` (as written) that none of `sources` contains.
 *
 * @example figuresMissingFrom('总值108.1亿元[1]', ['……生产总值108.1亿元……']) // []
 */
export function figuresMissingFrom(answerText: string, sources: readonly string[]): string[] {
  const known = sources.flatMap((s) => findFigures(s));
  const canonical = new Set(known.map((f) => f.canonical));
  const numbers = new Set(known.map((f) => f.number));
  return findFigures(answerText.replace(MARKERS, ' '))
    .filter((f) => !(byDigits(f) ? numbers.has(f.number) : canonical.has(f.canonical)))
    .map((f) => f.raw);
}

function byDigits(f: Figure): boolean {
  return f.unit === '' || DATE_UNITS.has(f.unit);
}
