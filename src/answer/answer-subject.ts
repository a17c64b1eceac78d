/**
 * The subject and year an answer is about, said before a quote that does not
 * say them: reports write 全市 and 全年, not the city's name and the year, so
 * `年末全市常住人口1313.8万人` alone does not tell the reader whose figure it
 * is. `郑州市（2025年）：年末全市常住人口1313.8万人[1]。`
 */
import type { Evidence } from '../types.js';
import { isPlanUnit } from './evidence.js';
import { mentionsYear, normalizeForMatch, type QuestionAnalysis } from './question-analysis.js';

/** Suffixes a subject's name may be written without (郑州市 → 郑州). */
const SUFFIX = /(?:市|省|县|区|街道|镇|乡|自治区|特别行政区)$/;

/**
 * `郑州市（2025年）：` (or `郑州市：` when the quote has the year) for a quote that
 * does not name its subject; `''` when it does, when the subject is unknown,
 * or when the evidence comes from reports about different subjects (then each
 * quote stands for itself).
 */
export function answerSubjectPrefix(q: QuestionAnalysis, evidence: readonly Evidence[], quoted: string): string {
  const subjects = new Set(evidence.map((e) => e.passage.report.subject));
  const first = evidence[0];
  if (first === undefined || subjects.size !== 1) return '';
  const { report } = first.passage;
  const text = normalizeForMatch(quoted);
  const subject = report.subject;
  const named =
    subject === undefined ||
    [subject, subject.replace(SUFFIX, ''), ...(report.aliases ?? [])].some((n) => n.length >= 2 && text.includes(normalizeForMatch(n)));
  if (named) return '';
  const year = yearOf(q, first);
  const dated = year === undefined || mentionsYear(text, String(year));
  return `${subject}${dated ? '' : `（${year}年）`}：`;
}

/** The year asked, else the one year the report reviews (or plans, for a plan question or a quoted plan). */
function yearOf(q: QuestionAnalysis, e: Evidence): number | undefined {
  if (q.years.length === 1) return Number(q.years[0]);
  if (q.years.length > 1) return undefined;
  const { report } = e.passage;
  const years = (q.plan || isPlanUnit(e) ? report.planYears : report.years) ?? [];
  return years.length === 1 ? years[0] : undefined;
}
