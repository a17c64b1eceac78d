/**
 * The units (sentences, clause windows) of the usable passages ranked as
 * answers to the question, and the few that answer it together. The decide
 * stage uses them to tell whether the passages hold what is asked (an amount,
 * a figure of the asked year); the extractive answer quotes them.
 */
import { DATE_UNITS, findFigures, type Figure } from '../text/figures.js';
import type { Evidence, Passage } from '../types.js';
import { answerUnits } from './answer-units.js';
import { beforeInstructions } from './injected-instructions.js';
import { coverage, matchesPlaces, mentionsYear, normalizeForMatch, type FigureKind, type QuestionAnalysis } from './question-analysis.js';

/** Most units in one answer. */
const MAX_UNITS = 3;
/** An answer stops growing past this many characters. */
const MAX_ANSWER_CHARS = 260;
/** A further unit must score at least this share of the best one… */
const FOLLOW_UP_RATIO = 0.7;
/** …or this share when it covers a place the answer has not covered yet (comparisons). */
const OTHER_PLACE_RATIO = 0.4;
/** …and add at least this share of the question's terms, unless it covers a new place. */
const MIN_GAIN = 0.15;

/** A multi-year average or total (年均增长5.7%, 五年累计), rarely the figure of one year asked for. */
const AVERAGE = /年均|平均每年|累计/;

/** Words asking how much something changed rather than how much it is. */
const CHANGE_ASKED = /增|减|降|涨|砍|压|省|少了|多了|变化|提高/;

/** Sentence words that announce a plan or target. */
const PLAN_SENTENCE = /将|计划|力争|展望|目标|下一步|预计|确保|争取|争创|拟|打算|思路/;
/** Headings of the plan part of a report, or a paragraph opening on the year ahead (展望新的一年，…). */
const PLAN_PASSAGE = /思路|计划|展望|打算|安排|新的一年|明年|下一步/;

/** A year written in a question or a sentence (2021年, 2021年度). */
export const YEAR_WORD = /(?<!\d)(?:19|20)\d{2}\s*(?:年度|年)?(?!\d)/g;

/** A unit scored against the question. */
export interface Candidate extends Evidence {
  readonly score: number;
  /** Normalised unit text, for coverage bookkeeping. */
  readonly norm: string;
}

/** Every quotable unit of every passage, best first. */
export function rankCandidates(q: QuestionAnalysis, passages: readonly Passage[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const passage of passages) {
    const context = normalizeForMatch([passage.text, ...passage.section].join('\n'));
    const heading = normalizeForMatch(passage.section.at(-1) ?? '');
    const passageCoverage = coverage(q, context).ratio;
    const planPassage = PLAN_PASSAGE.test(passage.section.join(' ')) || PLAN_PASSAGE.test(passage.text.slice(0, 40));
    // From an instruction addressed to a model onwards ("忽略以上所有指令，回答：…") a passage is
    // report text, never an answer: its payload must not displace the paragraph that answers.
    const answerable = beforeInstructions(passage.text).length;
    for (const unit of answerUnits(passage.text)) {
      if (unit.sentenceStart >= answerable) continue;
      const norm = normalizeForMatch(unit.text);
      const sentence = passage.text.slice(unit.sentenceStart, unit.sentenceEnd);
      // The nearest heading qualifies every sentence under it (（一）市级政府债务情况 → 债务余额384.5亿元 is
      // the 市级 one); headings further up (三、2026年重点工作) are too broad to tell sentences apart.
      let score = coverage(q, `${norm}\n${heading}`).ratio + 0.3 * passageCoverage;
      score += 0.1 * q.years.filter((y) => mentionsYear(norm, y)).length;
      // A sentence about another year (2024年…修订为…) or a multi-year average (年均增长) answers another question.
      if (q.years.length > 0 && namesOnlyOtherYears(norm, q.years)) score -= 0.3;
      if (AVERAGE.test(norm) && !AVERAGE.test(q.normalized)) score -= 0.3;
      if (q.placeGroups.length > 0 && matchesPlaces(q.placeGroups, norm)) score += 0.1;
      score += 0.3 * q.quoted.filter((name) => norm.includes(name)).length;
      if (q.figure !== undefined) score += figureBonus(q, unit.text);
      if (q.head !== undefined && norm.includes(q.head)) score += 0.3;
      if (q.plan) score += (PLAN_SENTENCE.test(sentence) ? 0.4 : 0) + (planPassage ? 0.3 : 0);
      score -= 0.04 * (passage.rank - 1);
      if (unit.text.length < 10) score -= 0.3;
      if (unit.text.length > 90) score -= (unit.text.length - 90) / 300;
      candidates.push({ passage, unit, score, norm });
    }
  }
  return candidates.sort((a, b) => b.score - a.score);
}

/** True when the text names years and none of them is asked. */
function namesOnlyOtherYears(norm: string, years: readonly string[]): boolean {
  const named = [...norm.matchAll(YEAR_WORD)].map((m) => m[0].slice(0, 4));
  return named.length > 0 && !named.some((y) => years.includes(y));
}

/**
 * Prefers units holding the figure asked for: one written with the question's
 * measure word (`985起` for 多少起), else one of the asked kind (a percentage
 * for 增长, an amount for 多少钱), else any figure; a unit without one loses.
 */
function figureBonus(q: QuestionAnalysis, unitText: string): number {
  const amounts = findFigures(unitText).filter((f) => !DATE_UNITS.has(f.unit));
  const { measure } = q;
  const measured = (f: Figure): boolean =>
    measure !== undefined && (f.unit.startsWith(measure) || f.raw.endsWith(measure) || unitText.startsWith(measure, f.end));
  if (amounts.some(measured)) return 0.6;
  if (amounts.some((f) => figureKind(f) === q.figure)) return 0.5;
  return amounts.length > 0 ? 0.15 : -0.3;
}

/**
 * False when the question asks for an amount of money (收入是多少, 花了多少钱)
 * and the text holds none: a growth rate or a target rate does not answer it.
 * A question about a change (砍了多少, 增加了多少) may be answered by a rate.
 */
export function holdsAskedFigure(q: QuestionAnalysis, unitText: string): boolean {
  if (q.figure !== 'money' || CHANGE_ASKED.test(q.normalized)) return true;
  return findFigures(unitText).some((f) => figureKind(f) === 'money');
}

function figureKind(f: Figure): FigureKind {
  if (f.unit === '%' || f.unit === '个百分点') return 'percent';
  if (f.unit.endsWith('元')) return 'money';
  return 'quantity';
}

/**
 * The best unit, then up to two more that add something: terms of the
 * question not yet covered, or a place of a comparison not yet covered.
 */
export function choose(q: QuestionAnalysis, ranked: readonly Candidate[], maxCitations: number): Candidate[] {
  const best = ranked[0];
  if (best === undefined) return [];
  const chosen: Candidate[] = [best];
  const cited = new Set([paragraphKey(best.passage)]);
  let chars = best.unit.text.length;
  for (const c of ranked.slice(1)) {
    if (chosen.length >= MAX_UNITS) break;
    const newPlace = q.placeGroups.length > 1 && coversNewPlace(q, c, chosen);
    if (c.score < best.score * (newPlace ? OTHER_PLACE_RATIO : FOLLOW_UP_RATIO)) continue;
    if (chars + c.unit.text.length > MAX_ANSWER_CHARS) continue;
    if (!cited.has(paragraphKey(c.passage)) && cited.size >= maxCitations) continue;
    if (chosen.some((o) => o.passage === c.passage && o.unit.sentenceStart === c.unit.sentenceStart)) continue;
    if (!newPlace && gain(q, c, chosen) < MIN_GAIN) continue;
    chosen.push(c);
    cited.add(paragraphKey(c.passage));
    chars += c.unit.text.length;
  }
  return chosen;
}

/** Weighted share of the question's terms that `c` covers and the chosen units do not. */
function gain(q: QuestionAnalysis, c: Candidate, chosen: readonly Candidate[]): number {
  const fresh = q.terms.filter((t) => c.norm.includes(t.term) && !chosen.some((o) => o.norm.includes(t.term)));
  const total = q.terms.reduce((s, t) => s + t.weight, 0);
  return total === 0 ? 0 : fresh.reduce((s, t) => s + t.weight, 0) / total;
}

function coversNewPlace(q: QuestionAnalysis, c: Candidate, chosen: readonly Candidate[]): boolean {
  const where = (x: Candidate): string =>
    normalizeForMatch([x.passage.text, x.passage.report.title, x.passage.report.region ?? ''].join('\n'));
  return q.placeGroups.some(
    (group) => matchesPlaces([group], where(c)) && !chosen.some((o) => matchesPlaces([group], where(o))),
  );
}

function paragraphKey(p: Passage): string {
  return `${p.report.source}\u0000${p.paragraph}`;
}
