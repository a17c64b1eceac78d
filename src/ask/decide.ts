/**
 * The decide stage: from the question and its ranked chunks, whether it is
 * answered and from what — the passages that may answer (the relevance
 * judgement, src/answer/relevance.ts), the units that answer it, whether they
 * hold the kind of figure asked, and, when the asked year is not answered,
 * whether the same question about another year is (the other-year caveat).
 * Made once, before any answerer runs, so every answerer writes up the same
 * decision. Pure and deterministic.
 */
import {
  askedFigureIn,
  choose,
  holdsAskedFigure,
  isPlanUnit,
  labelsAskedMetric,
  namesAskedOfficeHolder,
  namesOnlyOtherYears,
  rankCandidates,
  YEAR_WORD,
  type Candidate,
} from '../answer/evidence.js';
import { toPassages } from '../answer/passages.js';
import { analyzeQuestion, coverage, type QuestionAnalysis } from '../answer/question-analysis.js';
import { judgeRelevance, type RelevanceOptions } from '../answer/relevance.js';
import { findFigures } from '../text/figures.js';
import type { Decider, Decision, NotFoundDecision, OtherYearDecision, RetrievedChunk } from '../types.js';

export interface DecideOptions {
  /** Knobs of the relevance judgement; defaults: `DEFAULT_RELEVANCE_OPTIONS`. */
  relevance?: Partial<RelevanceOptions>;
  /** Most paragraphs the evidence of one answer comes from. Default 3. */
  maxCitations?: number;
}

export const DEFAULT_MAX_CITATIONS = 3;

/**
 * @example
 * decide('罗星街道2022年地区生产总值是多少', retrieved)
 * // { kind: 'answer', usable: [...], evidence: [{ passage, unit: { text: '全年实现地区生产总值108.1亿元，增长2.7%；', … } }], … }
 */
export function decide(question: string, ranked: readonly RetrievedChunk[], opts: DecideOptions = {}): Decision {
  const relevance = opts.relevance ?? {};
  const judgement = judgeRelevance(question, ranked, relevance);
  const q = analyzeQuestion(question);
  if (!judgement.relevant) {
    return (
      figureAnswer(q, question, judgement.fitting) ??
      otherYear(question, ranked, relevance) ??
      notFound(question, judgement.reason, judgement.related)
    );
  }
  const evidence = choose(q, rankCandidates(q, toPassages(judgement.usable)), Math.max(1, opts.maxCitations ?? DEFAULT_MAX_CITATIONS));
  if (evidence.length === 0) return notFound(question, 'no quotable sentence in the usable chunks', judgement.usable);
  // An amount asked (多少钱) and none in the best units: a growth rate is no answer to it.
  if (!evidence.some((c) => holdsAskedFigure(q, c.unit.text))) {
    return notFound(question, 'the amount asked is in none of the best sentences', judgement.usable);
  }
  if (!evidence.some((c) => labelsAskedMetric(q, c.unit.text))) {
    return notFound(question, 'no figure of the best sentences measures the asked metric', judgement.usable);
  }
  // 党工委书记叫什么名字: a sentence about the office (党委书记第一责任) does not name its holder.
  if (!evidence.some((c) => namesAskedOfficeHolder(q, c.unit.text))) {
    return notFound(question, 'no best sentence names who holds the asked office', judgement.usable);
  }
  return { kind: 'answer', question, reason: judgement.reason, usable: judgement.usable, evidence: evidence.map(asEvidence) };
}

/** A figure answer is looked for in the chunks ranked this high only: retrieval's own judgement that they are on topic. */
const FIGURE_RANKS = 2;
/** Weighted share of the question's content the figure's unit must cover. */
const FIGURE_UNIT_COVERAGE = 0.3;

/**
 * A figure question that shares few words with its answer (出生了多少小孩 for
 * 出生人口9.55万人, 花在民生上的钱占…比例 for 民生支出占…比重73.8%): answered when
 * one of the first chunks, meeting every constraint of the question, holds in
 * one unit a figure of the asked kind next to part of what is asked.
 */
function figureAnswer(q: QuestionAnalysis, question: string, fitting: readonly RetrievedChunk[]): Decision | undefined {
  if (q.figure === undefined) return undefined;
  const top = fitting.filter((c) => c.rank <= FIGURE_RANKS);
  const best = rankCandidates(q, toPassages(top)).find((c) => {
    const held = askedFigureIn(q, c.unit.text);
    return (
      (held === 'measured' || held === 'kind') &&
      holdsAskedFigure(q, c.unit.text) &&
      labelsAskedMetric(q, c.unit.text) &&
      coverage(q, c.norm).ratio >= FIGURE_UNIT_COVERAGE &&
      // A target is asked (增长目标): a result of the year before does not answer it; nor a figure of another year.
      (!q.plan || isPlanUnit(c)) &&
      !(q.years.length > 0 && namesOnlyOtherYears(c.norm, q.years))
    );
  });
  if (best === undefined) return undefined;
  return { kind: 'answer', question, reason: 'a figure of the asked kind next to the asked terms', usable: top, evidence: [asEvidence(best)] };
}

/** `decide` with fixed options, for `AppOverrides.decider` and the default pipeline. */
export function createDecider(opts: DecideOptions = {}): Decider {
  return { decide: (question, ranked) => decide(question, ranked, opts) };
}

function notFound(question: string, reason: string, related: readonly RetrievedChunk[]): NotFoundDecision {
  return { kind: 'not-found', question, reason, related };
}

/**
 * A question about a year the reports do not cover (罗星街道2021年财政总收入),
 * when the same question without its year is answered: that figure, with its
 * own year. Undefined when the unit's year cannot be told or is the asked one.
 */
function otherYear(question: string, ranked: readonly RetrievedChunk[], relevance: Partial<RelevanceOptions>): OtherYearDecision | undefined {
  const asked = analyzeQuestion(question);
  // 南星街道2022年 asks nothing beyond its place and year.
  if (asked.years.length !== 1 || asked.terms.length === 0) return undefined;
  const yearless = question.replace(YEAR_WORD, '');
  const judgement = judgeRelevance(yearless, ranked, relevance);
  if (!judgement.relevant) return undefined;
  const q = analyzeQuestion(yearless);
  const best = rankCandidates(q, toPassages(judgement.usable))[0];
  if (best === undefined || !holdsAskedFigure(q, best.unit.text) || (q.figure !== undefined && findFigures(best.unit.text).length === 0)) return undefined;
  const year = yearOf(best, asked.plan);
  const askedYear = asked.years[0];
  if (year === undefined || askedYear === undefined || String(year) === askedYear) return undefined;
  return {
    kind: 'other-year',
    question,
    reason: `year ${askedYear} not answered; the question without it is, for ${year}`,
    askedYear,
    year: String(year),
    evidence: asEvidence(best),
  };
}

/**
 * The one year a unit is about: the year its sentence names, else the year
 * its report reviews (or plans, for a plan question or a sentence of a plan:
 * 今年赤字率拟按3%安排) by its identity.
 */
function yearOf(c: Candidate, plan: boolean): number | undefined {
  const sentence = c.passage.text.slice(c.unit.sentenceStart, c.unit.sentenceEnd);
  const named = [...new Set([...sentence.matchAll(YEAR_WORD)].map((m) => Number(m[0].slice(0, 4))))];
  if (named.length > 0) return named.length === 1 ? named[0] : undefined;
  const years = (plan || isPlanUnit(c) ? c.passage.report.planYears : c.passage.report.years) ?? [];
  return years.length === 1 ? years[0] : undefined;
}

/** The evidence part of a scored candidate (its score is ranking bookkeeping). */
function asEvidence(c: Candidate): { passage: Candidate['passage']; unit: Candidate['unit'] } {
  return { passage: c.passage, unit: c.unit };
}
