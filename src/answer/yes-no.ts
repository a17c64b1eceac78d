/**
 * The verdict said before the quote that answers a yes/no question (是。否。
 * 已经。尚未。), only when the quoted text states it: every content character
 * of the claim (the question without its yes/no words, places, years and
 * quoted names, which relevance checks) is in one quoted unit, every number
 * of the claim is there as written, and the clause that says most of the claim
 * is a plain statement of the past — negated directly before a claim word
 * (未发生, 尚未建成) for 否/尚未, not negated at all for 是/已经. A plan (将,
 * 力争, or any sentence of a report's plan part: 展望新的一年，…), work in
 * progress (推进, 正在), a negation elsewhere in the clause, a denying verb
 * (杜绝, 避免) or units that disagree give no verdict: the quote is left to
 * speak for itself.
 */
import { NEGATION } from '../text/negation.js';
import type { Evidence } from '../types.js';
import { isPlanUnit } from './evidence.js';
import { COMPLETION_VERB, coverage, normalizeForMatch, type QuestionAnalysis } from './question-analysis.js';

/** Words of the future that `isPlanUnit` does not look for (it knows 将, 计划, 力争…). */
const FUTURE = /(?<![主重需必只纲])要(?![求素点闻件])|准备|即将|有望/;
/** Words of work going on: something being built is not built yet. */
const IN_PROGRESS = /正在|推进|加快|加速|启动|着力|谋划|筹建|在建|建设中/;
/** Verbs that deny without a negation word (杜绝发生…事故, 零事故): the clause does not affirm what follows them. */
const DENYING = /杜绝|避免|防止|防范|禁止|严禁|取消|停止|暂停|终止|叫停|否决|拒绝|缺乏|缺少|零(?=[\u4e00-\u9fff])/;
/** A completion followed by 后 (建成后) speaks of a time after it, not of it. */
const AFTER_COMPLETION = new RegExp(`(?:${COMPLETION_VERB.source})后`);
/** Clause ends in folded text (NFKC turns ，；： into ASCII). */
const CLAUSE_END = /[,;:!?。]/;
/** Words between a negation and the claim word it governs (没能建成, 不再发生); in 未能按期建成 按期 is no claim word. */
const NEGATED_AFTER = /^(?:曾|再|能|予|被|有)?/;

type Stance = 'yes' | 'no';

/**
 * `是。`, `否。`, `已经。` or `尚未。` when the quoted units state the answer
 * to the yes/no question `q`; undefined for any other question, a negative
 * question, or units that do not state it.
 *
 * @example
 * yesNoVerdict(analyzeQuestion('新嘉街道2024年发生过民转刑案事件吗？'), decision.evidence)
 * // '否。' for the unit 妥善处置涉众矛盾,全年未发生民转刑案事件,
 */
export function yesNoVerdict(q: QuestionAnalysis, evidence: readonly Evidence[]): string | undefined {
  const yesNo = q.yesNo;
  if (yesNo === undefined || yesNo.negative || q.runs.length === 0) return undefined;
  const stances = evidence
    .map((e) => ({ e, text: normalizeForMatch(e.unit.text) }))
    .filter(({ text }) => statesClaim(q, text))
    .map(({ e, text }) => (!q.plan && isPlanUnit(e) ? undefined : stanceOf(q, yesNo.completion, text)));
  const [first] = stances;
  if (first === undefined || stances.some((s) => s !== first)) return undefined;
  if (yesNo.completion) return first === 'yes' ? '已经。' : '尚未。';
  return first === 'yes' ? '是。' : '否。';
}

/** Every content character and every number (years aside) of the claim is in the unit. */
function statesClaim(q: QuestionAnalysis, text: string): boolean {
  if (coverage(q, text).ratio < 1) return false;
  const numbers = (q.normalized.match(/\d+(?:\.\d+)?%?/g) ?? []).filter((n) => !q.years.includes(n));
  return numbers.every((n) => new RegExp(`(?<![\\d.])${n.replace('.', '\\.')}(?![\\d]|\\.\\d)`).test(text));
}

/** What the clauses that say most of the claim state; undefined when they do not say it plainly or disagree. */
function stanceOf(q: QuestionAnalysis, completion: boolean, text: string): Stance | undefined {
  const clauses = text.split(CLAUSE_END).map((clause) => ({ clause, ratio: coverage(q, clause).ratio }));
  const best = Math.max(...clauses.map((c) => c.ratio));
  const stances = clauses.filter((c) => c.ratio === best).map((c) => clauseStance(q, completion, c.clause));
  const [first] = stances;
  return first !== undefined && stances.every((s) => s === first) ? first : undefined;
}

function clauseStance(q: QuestionAnalysis, completion: boolean, clause: string): Stance | undefined {
  if (!q.plan && FUTURE.test(clause)) return undefined;
  if (DENYING.test(clause) || (completion && (IN_PROGRESS.test(clause) || AFTER_COMPLETION.test(clause)))) return undefined;
  const claimWords = new Set(q.terms.map((t) => t.term));
  const negations = [...clause.matchAll(NEGATION)];
  if (negations.length === 0) return 'yes';
  const governsClaim = (m: RegExpExecArray): boolean => {
    const after = clause.slice(m.index + m[0].length);
    const start = NEGATED_AFTER.exec(after)?.[0].length ?? 0;
    return claimWords.has(after.slice(start, start + 2));
  };
  return negations.every(governsClaim) ? 'no' : undefined;
}
