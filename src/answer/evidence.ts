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
const CHANGE_ASKED = /增|减|降|涨|砍|压|节省|省了|省下|少了|多了|变化|提高/;

/** Sentence words that announce a plan or target. */
const PLAN_SENTENCE = /将|计划|力争|展望|目标|下一步|预计|确保|争取|争创|拟|打算|思路/;
/** A sentence setting targets: 主要预期目标是…, 力争…, figures 左右 or 以上 of a plan. */
const TARGET_SENTENCE = /预期目标|目标是|力争|确保|预计|(?:增长|达到|实现)?\d+(?:\.\d+)?%?左右/;
/** Headings of the plan part of a report, or a paragraph opening on the year ahead (展望新的一年，…). */
const PLAN_PASSAGE = /思路|计划|展望|打算|安排|新的一年|明年|下一步|主要目标|目标任务(?!完成)/;

/** A year written in a question or a sentence (2021年, 2021年度, 2021); not an amount (增加2000亿元, 2000余人). */
export const YEAR_WORD = /(?<![\d.])(?:19|20)\d{2}(?:\s*(?:年度|年)|(?!\s*[\d.%万亿千百元个人户家台辆吨件座项次名所条套米亩余多]))/g;

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
    const planPassage = isPlanPassage(passage);
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
      if (q.years.length > 0 && namesOnlyOtherYears(norm, q.years)) score -= 0.5;
      if (AVERAGE.test(norm) && !AVERAGE.test(q.normalized)) score -= 0.3;
      if (q.placeGroups.length > 0 && matchesPlaces(q.placeGroups, norm)) score += 0.1;
      score += 0.3 * q.quoted.filter((name) => norm.includes(name)).length;
      if (q.figure !== undefined) score += figureBonus(q, unit.text) + FIGURE_CLAUSE_WEIGHT * figureClauseScore(q, unit.text);
      if (q.head !== undefined && norm.includes(q.head)) score += 0.3;
      if (q.plan) score += (PLAN_SENTENCE.test(sentence) ? 0.4 : 0) + (planPassage ? 0.3 : 0);
      // A target (粮食产量1300亿斤以上, 增长5%左右) does not answer what a year's figure was.
      else if (q.figure !== undefined && (TARGET_SENTENCE.test(sentence) || planPassage)) score -= 0.3;
      score += stockScore(q, norm) + scopeScore(q, norm);
      score -= 0.04 * (passage.rank - 1);
      if (unit.text.length < 10) score -= 0.3;
      if (unit.text.length > 90) score -= (unit.text.length - 90) / 300;
      candidates.push({ passage, unit, score, norm });
    }
  }
  return candidates.sort((a, b) => b.score - a.score);
}

/** A question asking how many there are in all (一共有多少家, 截至年末): a stock, not what the year added. */
const STOCK_ASKED = /一共|总共|共有|总数|累计|截至|截止|年末|年底|现有/;
/** Words of what a year added (新增上市公司20家). */
const FLOW_WORD = /新增|新建|新开|新引进|新认定/;
/** Words of a stock (年末…总数284家, 年末共有58家). */
const STOCK_WORD = /总数|共有|累计|年末|年底|总量|合计|总计|现有/;

/** Prefers a stock to a flow, or the other way round, as the question asks. */
function stockScore(q: QuestionAnalysis, norm: string): number {
  if (!STOCK_ASKED.test(q.normalized) || FLOW_WORD.test(q.normalized)) return 0;
  return (STOCK_WORD.test(norm) ? 0.15 : 0) - (FLOW_WORD.test(norm) ? 0.15 : 0);
}

/** Budget figures of a part of the area (市级共新增债券67.3亿元, 园区…, 市本级…). */
const PART_SCOPE = /市级|市本级|本级|园区|区级|县级/;
/** Figures of the whole area (全市新增债券459.7亿元). */
const WHOLE_SCOPE = /全市|全省|全区|全县|全国|全州|全盟/;

/** A figure asked of a place, not of a part of it: the whole area's figure outranks the 市级 one. */
function scopeScore(q: QuestionAnalysis, norm: string): number {
  if (q.figure === undefined || PART_SCOPE.test(q.normalized) || WHOLE_SCOPE.test(q.normalized)) return 0;
  return (WHOLE_SCOPE.test(norm) ? 0.1 : 0) - (PART_SCOPE.test(norm) ? 0.2 : 0);
}

function isPlanPassage(passage: Passage): boolean {
  return PLAN_PASSAGE.test(passage.section.join(' ')) || PLAN_PASSAGE.test(passage.text.slice(0, 40));
}

/** True when a unit's sentence announces a plan or target, or its passage is the plan part of a report. */
export function isPlanUnit(c: Evidence): boolean {
  return PLAN_SENTENCE.test(c.passage.text.slice(c.unit.sentenceStart, c.unit.sentenceEnd)) || isPlanPassage(c.passage);
}

/** True when the text names years and none of them is asked. */
export function namesOnlyOtherYears(norm: string, years: readonly string[]): boolean {
  const named = [...norm.matchAll(YEAR_WORD)].map((m) => m[0].slice(0, 4));
  return named.length > 0 && !named.some((y) => years.includes(y));
}

/**
 * Prefers units holding the figure asked for: one written with the question's
 * measure word (`985起` for 多少起), else one of the asked kind (a percentage
 * for 增长, an amount for 多少钱), else any figure; a unit without one loses.
 */
function figureBonus(q: QuestionAnalysis, unitText: string): number {
  const held = askedFigureIn(q, unitText);
  if (held === 'measured') return 0.6;
  if (held === 'kind') return 0.5;
  // A count asked with its measure word (多少台, 几个): growth rates and sums of money are as good as no figure.
  return held === 'other' && (q.figure !== 'quantity' || q.measure === undefined) ? 0.15 : -0.3;
}

/**
 * How well the figures of a unit fit the figure asked: one written with the
 * question's measure word (`measured`), one of the asked kind (`kind`), only
 * others (`other`), none (`none`). Dates and ages are no figures here.
 */
export function askedFigureIn(q: QuestionAnalysis, unitText: string): 'measured' | 'kind' | 'other' | 'none' {
  const amounts = findFigures(unitText).filter((f) => !DATE_UNITS.has(f.unit));
  if (amounts.some((f) => measuredBy(q, unitText, f))) return 'measured';
  if (amounts.some((f) => figureKind(f) === q.figure)) return 'kind';
  return amounts.length > 0 ? 'other' : 'none';
}

/** Clause boundaries: a figure is about what its own clause names. */
const CLAUSE_BOUNDARY = /[，,；;。！？!?\n]/;
/** Heads of a named metric (森林覆盖率, 房地产开发投资, 原煤产量): its modifier says which one. */
const METRIC_HEAD = /(?:率|额|量|值|收入|支出|投资|余额|人口)$/;
/** Questions asking how fast something grew. */
const GROWTH_ASKED = /增速|增长率|增幅|涨幅|增长了?多少|增长几/;
/** Words of a change, in the clause of a growth rate (增长5.6%, 下降0.3%, 提高2个百分点); the 增 of 增加值 names a measure, not a change. */
const CHANGE_WORD = /增(?!加值)|涨|降|减|下滑|回落|提高|上升|提升|回升/;
/** Conjunctions joining several things asked. */
const SEVERAL_ASKED = /[和与及、]|以及/;
/** A metric of at least this many characters has a modifier worth checking. */
const MIN_METRIC_CHARS = 4;

/**
 * The clause of `text` around a figure: what it measures is named there
 * (`全市政府性基金收入788亿元`). A parenthesis the figure is not in is an aside
 * (`土地出让收入67.82亿元（已剔除调入一般公共预算收入的…）`) and is left out.
 */
function clauseAround(text: string, f: Figure): string {
  let start = f.start;
  while (start > 0 && !CLAUSE_BOUNDARY.test(text.charAt(start - 1))) start--;
  let end = f.end;
  while (end < text.length && !CLAUSE_BOUNDARY.test(text.charAt(end))) end++;
  const before = text.slice(start, f.start);
  const after = text.slice(f.end, end);
  const aside = /[（(][^（）()]*[）)]/g;
  // An opening parenthesis before the figure that is not closed before it encloses the figure.
  const inside = /[（(][^）)]*$/.exec(before.replace(aside, ''));
  return inside !== null ? text.slice(start, end) : `${before.replace(aside, '')}${f.raw}${after.replace(aside, '')}`;
}

/** Questions asking a rank or an ordinal. */
const ORDINAL_ASKED = /第几|排名|排第/;
/** Weight of how well the best figure's own clause names what is asked, in a unit's score. */
const FIGURE_CLAUSE_WEIGHT = 0.4;

/** How well the clause of a unit's best figure names what is asked, 0..1.5; 0 without such a figure. */
function figureClauseScore(q: QuestionAnalysis, text: string): number {
  // 第几期 or 排第几 is answered in words (四期, 第二), not by a figure.
  if (ORDINAL_ASKED.test(q.normalized)) return 0;
  return Math.max(0, ...[...askedFigures(q, text)].map((x) => x.score));
}

/**
 * The figure of a text that answers the question best: of the asked kind
 * (any figure for a plain 多少), in the clause that names most of what is
 * asked, a change for a growth question, not a multi-year average.
 * Undefined when the text holds no such figure.
 */
export function bestAskedFigure(q: QuestionAnalysis, text: string): Figure | undefined {
  let best: { f: Figure; score: number } | undefined;
  for (const x of askedFigures(q, text)) if (best === undefined || x.score > best.score) best = x;
  return best?.f;
}

/** The figures of the asked kind in a text, each scored by its clause (see `bestAskedFigure`). */
function* askedFigures(q: QuestionAnalysis, text: string): Generator<{ f: Figure; score: number }> {
  for (const f of findFigures(text)) {
    if (DATE_UNITS.has(f.unit)) continue;
    if (q.figure !== undefined && q.figure !== 'quantity' && figureKind(f) !== q.figure && !measuredBy(q, text, f)) continue;
    if (q.figure === 'quantity' && figureKind(f) === 'percent' && !measuredBy(q, text, f)) continue;
    const clause = clauseAround(text, f);
    let score = coverage(q, normalizeForMatch(clause)).ratio;
    if (GROWTH_ASKED.test(q.normalized) && CHANGE_WORD.test(clause)) score += 0.5;
    if (AVERAGE.test(clause) && !AVERAGE.test(q.normalized)) score -= 0.5;
    // A figure in parentheses is an aside to the clause's own figure.
    if (/[（(][^）)]*$/.test(text.slice(0, f.start))) score -= 0.3;
    yield { f, score };
  }
}

/**
 * False when the question asks a figure of a named metric (森林覆盖率,
 * 房地产开发投资) and no figure of the asked kind in the unit stands in a clause
 * naming part of the metric's modifier: `广播综合人口覆盖率99.36%` measures another
 * 覆盖率, and `受房地产市场下行影响，政府性基金收入788亿元` is no 房地产开发投资.
 * True when the question asks no figure or names no such metric.
 */
export function labelsAskedMetric(q: QuestionAnalysis, unitText: string): boolean {
  // A growth rate asked (增速, 增长了多少): a share (占…比重33.5%) is not one.
  if (q.figure === 'percent' && GROWTH_ASKED.test(q.normalized)) {
    const rates = findFigures(unitText).filter((f) => figureKind(f) === 'percent');
    if (!rates.some((f) => CHANGE_WORD.test(clauseAround(unitText, f)))) return false;
  }
  const metric = q.runs[q.runs.length - 1];
  // Several things asked at once (地区生产总值和财政总收入): the last one is not the whole question.
  if (q.figure === undefined || metric === undefined || !/^\p{Script=Han}+$/u.test(metric) || SEVERAL_ASKED.test(q.normalized)) return true;
  if (metric.length < MIN_METRIC_CHARS || !METRIC_HEAD.test(metric)) return true;
  const modifier = metric.slice(0, -2);
  const head = metric.slice(-2);
  const parts = [...modifier].slice(0, -1).map((c, i) => c + (modifier[i + 1] ?? ''));
  return findFigures(unitText).some((f) => {
    // 多少 alone (quantity) may be answered by any figure; 多少钱 and 比例 by their own kind.
    if (DATE_UNITS.has(f.unit) || (q.figure !== 'quantity' && figureKind(f) !== q.figure && !measuredBy(q, unitText, f))) return false;
    const clause = normalizeForMatch(clauseAround(unitText, f));
    // The modifier in the figure's own clause, or elsewhere in the unit when the clause names
    // the metric's head: `…项目落户海宁，总投资186.8亿元` is the project's 总投资.
    return parts.some((b) => clause.includes(b) || (clause.includes(head) && normalizeForMatch(unitText).includes(b)));
  });
}

function measuredBy(q: QuestionAnalysis, unitText: string, f: Figure): boolean {
  const { measure } = q;
  return measure !== undefined && (f.unit.startsWith(measure) || f.raw.endsWith(measure) || unitText.startsWith(measure, f.end));
}

/** A question asking who holds an office (党工委书记叫什么名字, 市长是谁), and the office. */
const OFFICE_ASKED = /(书记|主任|市长|省长|县长|区长|镇长|乡长|局长|厅长|主席|院长|校长|董事长|总经理|负责人)(?:是谁|叫什么|叫啥|姓什么|的名字)/;

/**
 * False when the question asks who holds an office and the text names no one
 * in it: an office followed by a name (书记王伟表示, 主任李明，) — not
 * 党委书记第一责任, which only names the office.
 */
export function namesAskedOfficeHolder(q: QuestionAnalysis, unitText: string): boolean {
  const office = OFFICE_ASKED.exec(q.normalized)?.[1];
  if (office === undefined) return true;
  return new RegExp(`${office}[\u4e00-\u9fff]{2,3}(?:同志|表示|说|指出|介绍|强调|带领|主持|出席|[，,。：:、（(])`).test(normalizeForMatch(unitText));
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
  if (f.unit === '%' || f.unit === '‰' || f.unit === '个百分点') return 'percent';
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
