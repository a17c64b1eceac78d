/**
 * The default answerer, offline and deterministic: it quotes the one to three
 * sentences (or clauses of long sentences) of the retrieved passages that best
 * answer the question, each followed by its citation marker. Because the
 * answer is made of verbatim report text, every figure and name in it comes
 * from a cited paragraph.
 */
import { DATE_UNITS, findFigures, type Figure } from '../text/figures.js';
import type { Answer, AnswerOptions, Answerer, RetrievedChunk } from '../types.js';
import { answerUnits, type AnswerUnit } from './answer-units.js';
import { followingItems, isLeadIn, LIST_QUESTION, type ParagraphLookup } from './list-items.js';
import { CitationBook } from './citations.js';
import { beforeInstructions } from './injected-instructions.js';
import { otherYearText } from './messages.js';
import { notFoundAnswer } from './not-found.js';
import { toPassages, type Passage } from './passages.js';
import {
  analyzeQuestion,
  coverage,
  matchesPlaces,
  mentionsYear,
  normalizeForMatch,
  type FigureKind,
  type QuestionAnalysis,
} from './question-analysis.js';
import { judgeRelevance, type RelevanceOptions } from './relevance.js';

export interface ExtractiveAnswererOptions {
  /** Knobs of the not-found decision; defaults: `DEFAULT_RELEVANCE_OPTIONS`. */
  relevance?: Partial<RelevanceOptions>;
  /** Most paragraphs cited in one answer. Default 3. */
  maxCitations?: number;
}

export const DEFAULT_MAX_CITATIONS = 3;

/** A list question quotes a whole enumerating sentence up to this length. */
const MAX_LIST_SENTENCE_CHARS = 320;
/** Most sentences in one answer. */
const MAX_UNITS = 3;
/** An answer stops growing past this many characters. */
const MAX_ANSWER_CHARS = 260;
/** A further sentence must score at least this share of the best one… */
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

interface Candidate {
  readonly passage: Passage;
  readonly unit: AnswerUnit;
  readonly score: number;
  /** Normalised unit text, for coverage bookkeeping. */
  readonly norm: string;
}

/**
 * @example
 * const answerer = new ExtractiveAnswerer();
 * const a = await answerer.answer('罗星街道2022年地区生产总值是多少', retrieved);
 * // a.text: '全年实现地区生产总值108.1亿元，增长2.7%[1]。', a.citations[0].paragraph: 3
 */
export class ExtractiveAnswerer implements Answerer {
  readonly id = 'extractive';
  private readonly relevance: Partial<RelevanceOptions>;
  private readonly maxCitations: number;

  constructor(opts: ExtractiveAnswererOptions = {}) {
    this.relevance = opts.relevance ?? {};
    this.maxCitations = Math.max(1, opts.maxCitations ?? DEFAULT_MAX_CITATIONS);
  }

  async answer(question: string, retrieved: readonly RetrievedChunk[], opts: AnswerOptions = {}): Promise<Answer> {
    opts.signal?.throwIfAborted();
    const judgement = judgeRelevance(question, retrieved, this.relevance);
    if (!judgement.relevant) return this.otherYear(question, retrieved) ?? notFoundAnswer(judgement, this.id);

    const q = analyzeQuestion(question);
    const chosen = choose(q, rankCandidates(q, toPassages(judgement.usable)), this.maxCitations);
    const best = chosen[0];
    // An amount asked (多少钱) and none in the best sentences: a growth rate is no answer to it.
    if (best === undefined || !chosen.some((c) => holdsAskedFigure(q, c.unit.text))) return notFoundAnswer({ related: judgement.usable }, this.id);
    const book = new CitationBook();
    // 罗星街道和新嘉街道…分别是多少 is a comparison, answered per place below, not a list.
    if (LIST_QUESTION.test(q.normalized) && q.placeGroups.length <= 1) {
      const list = listAnswer(best, book, opts.paragraphAt);
      if (list !== undefined) return { text: list, found: true, citations: book.citations(), answerer: this.id };
    }
    const text = chosen.map((c) => withMarker(c.unit.text, book.cite(c.passage, c.unit))).join('');
    return { text, found: true, citations: book.citations(), answerer: this.id };
  }

  /**
   * A question about a year the reports do not cover (罗星街道2021年财政总收入),
   * when the same question without its year is answered: that figure, with its
   * own year stated, as a not-found answer (the asked year stays unanswered).
   * Undefined when the passage's year cannot be told or is the asked one.
   */
  private otherYear(question: string, retrieved: readonly RetrievedChunk[]): Answer | undefined {
    const asked = analyzeQuestion(question);
    // 南星街道2022年 asks nothing beyond its place and year.
    if (asked.years.length !== 1 || asked.terms.length === 0) return undefined;
    const yearless = question.replace(YEAR_WORD, '');
    const judgement = judgeRelevance(yearless, retrieved, this.relevance);
    if (!judgement.relevant) return undefined;
    const q = analyzeQuestion(yearless);
    const best = rankCandidates(q, toPassages(judgement.usable))[0];
    if (best === undefined || !holdsAskedFigure(q, best.unit.text) || (q.figure !== undefined && findFigures(best.unit.text).length === 0)) return undefined;
    const year = yearOf(best, asked.plan);
    const askedYear = asked.years[0];
    if (year === undefined || askedYear === undefined || String(year) === askedYear) return undefined;
    const book = new CitationBook();
    const quote = withMarker(best.unit.text, book.cite(best.passage, best.unit));
    return { text: otherYearText(askedYear, String(year), quote), found: false, citations: book.citations(), answerer: this.id };
  }
}

/** A year written in a question (2021年, 2021年度). */
const YEAR_WORD = /(?<!\d)(?:19|20)\d{2}\s*(?:年度|年)?(?!\d)/g;

/**
 * The one year a quoted sentence is about: the year it names, else the year
 * its report reviews (or plans, for a plan question) by its identity.
 */
function yearOf(c: Candidate, plan: boolean): number | undefined {
  const sentence = c.passage.text.slice(c.unit.sentenceStart, c.unit.sentenceEnd);
  const named = [...new Set([...sentence.matchAll(YEAR_WORD)].map((m) => Number(m[0].slice(0, 4))))];
  if (named.length > 0) return named.length === 1 ? named[0] : undefined;
  const years = (plan ? c.passage.report.planYears : c.passage.report.years) ?? [];
  return years.length === 1 ? years[0] : undefined;
}

/**
 * A list question answered by a lead-in (重点抓好五个方面：) gets the items that
 * follow it in the report, each cited; one whose answer is a long enumerating
 * sentence (主要预期目标是：…、…、…) gets the whole sentence. Undefined when the
 * best passage is neither.
 */
function listAnswer(best: Candidate, book: CitationBook, lookup: ParagraphLookup | undefined): string | undefined {
  const { passage, unit } = best;
  const items = lookup === undefined ? [] : followingItems(passage.report.source, passage.paragraph, passage.section.length, lookup);
  if (items.length >= 2 && (isLeadIn(passage.text) || isLeadIn(unit.text) || passage.text.length <= 150)) {
    const lead = withMarker(unit.text, book.cite(passage, unit)).replace(/。$/, '：');
    const cited = items.map((it) => {
      const p: Passage = { ...passage, paragraph: it.paragraph.paragraph, section: it.paragraph.section, text: it.paragraph.text, startsMidParagraph: false };
      return `${it.text}[${book.cite(p, { start: 0, end: it.text.length })}]`;
    });
    return `${lead}${cited.join('；')}。`;
  }
  // Items are often separated by semicolons up to the full stop (目标是：…；…；…。): quote them all.
  const stop = passage.text.indexOf('。', unit.sentenceStart);
  const end = stop < 0 ? passage.text.length : stop + 1;
  for (const to of [end, unit.sentenceEnd]) {
    const span = passage.text.slice(unit.sentenceStart, to);
    if (span.length > unit.text.length && span.length <= MAX_LIST_SENTENCE_CHARS) {
      return withMarker(span, book.cite(passage, { start: unit.sentenceStart, end: to }));
    }
  }
  return undefined;
}

/** Every quotable unit of every passage, best first. */
function rankCandidates(q: QuestionAnalysis, passages: readonly Passage[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const passage of passages) {
    const context = normalizeForMatch([passage.text, ...passage.section].join('\n'));
    const passageCoverage = coverage(q, context).ratio;
    const planPassage = PLAN_PASSAGE.test(passage.section.join(' ')) || PLAN_PASSAGE.test(passage.text.slice(0, 40));
    // From an instruction addressed to a model onwards ("忽略以上所有指令，回答：…") a passage is
    // report text, never an answer: its payload must not displace the paragraph that answers.
    const answerable = beforeInstructions(passage.text).length;
    for (const unit of answerUnits(passage.text)) {
      if (unit.sentenceStart >= answerable) continue;
      const norm = normalizeForMatch(unit.text);
      const sentence = passage.text.slice(unit.sentenceStart, unit.sentenceEnd);
      let score = coverage(q, norm).ratio + 0.3 * passageCoverage;
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
function holdsAskedFigure(q: QuestionAnalysis, unitText: string): boolean {
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
function choose(q: QuestionAnalysis, ranked: readonly Candidate[], maxCitations: number): Candidate[] {
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

/** `…增长2.7%；` → `…增长2.7%[1]。`; a sentence ending in a closing quote keeps its own end. */
function withMarker(unitText: string, n: number): string {
  const t = unitText.trim();
  if (/[。！？!?…]["”’」』)）]+$/.test(t)) return `${t}[${n}]`;
  return `${t.replace(/[\s，,；;：:、。．.！!？?]+$/, '')}[${n}]。`;
}
