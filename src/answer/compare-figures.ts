/**
 * The comparison line under a compound question's answers: 谁更多 / 哪个快
 * orders the parts' figures, 比…多多少 / 相差 subtracts them, 加起来 / 合计 adds
 * them. Only figures quoted in the parts' own answers are used, the
 * arithmetic is shown, and nothing is computed across different units (万人
 * and 亿元), across a missing part, or — for a sum — across years.
 */
import type { Figure } from '../text/figures.js';
import { bestAskedFigure } from './evidence.js';
import { analyzeQuestion } from './question-analysis.js';

/** What the question asks to do with the parts' figures. */
export type Comparison = 'order' | 'difference' | 'sum';

/** A part's label and answer, as merged (src/answer/merge-answers.ts). */
export interface ComparedPart {
  readonly label?: string;
  /** The part as asked on its own (苏州常住人口是多少？). */
  readonly question: string;
  readonly text: string;
  readonly found: boolean;
}

const SUM = /加起来|加在一起|合计|合起来|总共|一共|共计|总和|之和/;
const DIFFERENCE = /[多高快少低慢大小]了?多少|相差|差了?多少|差距|差额|差几/;
const ORDER = /谁|哪个|哪一个|哪家|哪里/;
/** The adjective of an ordering question, and whether it asks for the smaller one. */
const ADJECTIVE = /(多|高|快|大|强|少|低|慢|小|弱)(?:一些|一点|些)?[？?。！!]*$/;
const SMALLER = new Set(['少', '低', '慢', '小', '弱']);
const YEAR_LABEL = /^(?:19|20)\d{2}年/;
const MARKER = /\[\d+\]/g;

/** The comparison a compound question asks for, if any. */
export function comparisonAsked(question: string): Comparison | undefined {
  if (SUM.test(question)) return 'sum';
  if (DIFFERENCE.test(question) && /比|相比|和|与|跟/.test(question)) return 'difference';
  if (ORDER.test(question) && ADJECTIVE.test(question.replace(/[？?。！!\s]+$/, ''))) return 'order';
  return undefined;
}

/**
 * The line to add under the parts' answers, or undefined when the question
 * asks for no comparison.
 *
 * @example compareFigures('苏州和郑州谁的常住人口多？', [苏州 …1304.77万人, 郑州 …1313.8万人])
 * // '比较：苏州1304.77万人，郑州1313.8万人，郑州更多（相差9.03万人）。'
 */
export function compareFigures(question: string, parts: readonly ComparedPart[]): string | undefined {
  const kind = comparisonAsked(question);
  if (kind === undefined || parts.length < 2) return undefined;
  const missing = parts.find((p) => !p.found);
  if (missing !== undefined) return `无法比较：报告中没有找到${missing.label ?? '其中一项'}的数字。`;
  const figures = parts.map((p) => ({ label: p.label ?? '', figure: askedFigure(p) }));
  const unknown = figures.find((f) => f.figure === undefined);
  if (unknown !== undefined) return `无法比较：${unknown.label}的回答中没有可比的数字。`;
  const known = figures as { label: string; figure: Figure }[];
  const units = [...new Set(known.map((f) => f.figure.unit))];
  if (units.length > 1) return `无法比较：单位不同（${known.map((f) => f.figure.raw).join('、')}）。`;
  if (kind === 'sum' && known.every((f) => YEAR_LABEL.test(f.label))) return '不同年份的数字不相加。';
  const written = known.map((f) => `${f.label}${f.figure.raw}`);
  const scale = scaleOf(known[0]?.figure);
  const decimals = Math.max(...known.map((f) => (f.figure.number.split('.')[1] ?? '').length));
  const show = (value: number): string => `${(value / scale.factor).toFixed(decimals)}${scale.suffix}`;
  if (kind === 'sum') {
    const total = known.reduce((s, f) => s + f.figure.value, 0);
    return `合计：${written.join(' + ')} = ${show(total)}。`;
  }
  const [a, b] = known;
  if (a === undefined || b === undefined) return undefined;
  if (kind === 'difference') {
    return `相差：${written[0]} − ${written[1]} = ${showDifference(a.figure, b.figure, show)}。`;
  }
  const adjective = ADJECTIVE.exec(question.replace(/[？?。！!\s]+$/, ''))?.[1] ?? '多';
  const sorted = [...known].sort((x, y) => (SMALLER.has(adjective) ? x.figure.value - y.figure.value : y.figure.value - x.figure.value));
  const [first, second] = sorted;
  if (first === undefined || second === undefined) return undefined;
  if (first.figure.value === second.figure.value) return `比较：${written.join('，')}，两者相同。`;
  const gap = showDifference(first.figure, second.figure, (v) => show(Math.abs(v))).replace(/^-/, '');
  return `比较：${written.join('，')}，${first.label}更${adjective}（相差${gap}）。`;
}

/** The figure of a part's answer that answers its question (src/answer/evidence.ts `bestAskedFigure`). */
function askedFigure(part: ComparedPart): Figure | undefined {
  return bestAskedFigure(analyzeQuestion(part.question), part.text.replace(MARKER, ''));
}

/** The difference of two figures: in 个百分点 for rates, else in the first figure's scale. */
function showDifference(a: Figure, b: Figure, show: (value: number) => string): string {
  if (a.unit === '%') return `${round(a.value - b.value, a, b).replace(/^-(?=[\d.]+$)/, '-')}个百分点`;
  return show(a.value - b.value);
}

function round(value: number, a: Figure, b: Figure): string {
  const decimals = Math.max((a.number.split('.')[1] ?? '').length, (b.number.split('.')[1] ?? '').length);
  return value.toFixed(decimals);
}

/** The scale a figure is written in (`1304.77万人` → ×10⁴, `万人`), so results read alike. */
function scaleOf(f: Figure | undefined): { factor: number; suffix: string } {
  if (f === undefined) return { factor: 1, suffix: '' };
  const written = Number(f.number);
  const factor = written === 0 ? 1 : f.value / written;
  const suffix = f.raw.replace(/^[^\d]*[\d.,]+\s*/, '').replace(/^[余多]/, '');
  return { factor, suffix };
}
