/**
 * The understand stage: a message and the conversation's last turns in,
 * what to retrieve and answer out. The message is understood
 * (src/understand/understand.ts: script, pleasantries, place names,
 * follow-ups), then split into parts when it is compound
 * (src/understand/decompose.ts), each part with its own search and the
 * reports it must be answered from. `planQuestion` is pure; with an LLM
 * configured, `withLlmFollowUps` lets it rewrite the follow-ups.
 */
import { splitQuestion } from '../understand/decompose.js';
import type { PreviousTurn } from '../understand/conversations.js';
import type { FollowUpRewriter } from '../understand/llm-follow-up.js';
import { analyzeQuestion } from '../answer/question-analysis.js';
import type { ReportYears, SubjectCatalog } from '../understand/subject-catalog.js';
import { understand, type Understanding } from '../understand/understand.js';

/** One question to retrieve for and answer. */
export interface PlannedPart {
  /** Put before the part's answer (苏州：…) when a compound question's parts differ by subject or year. */
  readonly label?: string;
  /** The question the decision and the answer are about. */
  readonly question: string;
  /** What retrieval searches for. */
  readonly searchFor: string;
  /** Only these reports may answer (by source); undefined: all. */
  readonly sources?: ReadonlySet<string>;
}

export interface QuestionPlan {
  readonly understanding: Understanding;
  /** The question as one search, what `App.retrieve` ranks; undefined unless `understanding.kind` is 'question'. */
  readonly whole?: PlannedPart;
  /** What is answered, each part on its own: one part, or one per part of a compound question; empty unless a question. */
  readonly parts: readonly PlannedPart[];
}

/** The understand stage's signature, which `AppOverrides.understand` may replace. */
export type UnderstandStage = (
  message: string,
  catalog: SubjectCatalog,
  history?: readonly PreviousTurn[],
  opts?: { readonly signal?: AbortSignal },
) => QuestionPlan | Promise<QuestionPlan>;

/**
 * @example planQuestion('苏州和郑州谁的常住人口多？', catalog).parts.map((p) => p.label) // ['苏州', '郑州']
 */
export function planQuestion(message: string, catalog: SubjectCatalog, history: readonly PreviousTurn[] = []): QuestionPlan {
  const understood = understand(message, catalog, history.at(-1)?.slots);
  if (understood.kind !== 'question') return { understanding: understood, parts: [] };
  const whole = { question: understood.query, searchFor: understood.query, ...subjectSources(understood) };
  const parts = splitQuestion(understood.text, catalog);
  if (parts.length > 1) {
    // Each part of a compound question gets its own retrieval, so one subject or figure cannot crowd out the others.
    const planned = parts.map((part): PlannedPart => {
      const u = understand(part.text, catalog);
      // A later clause (城镇化率多少？) is searched for with the whole question, which holds its context.
      const searchFor = part.label === undefined ? `${u.query} ${understood.query}` : u.query;
      return { ...(part.label !== undefined && { label: part.label }), question: u.query, searchFor, ...subjectSources(u) };
    });
    return { understanding: understood, whole, parts: planned };
  }
  // A question that needed no rewriting goes on as typed (width folding aside, it is the same question).
  const question = understood.rewritten || understood.query !== understood.text ? understood.query : message;
  return { understanding: understood, whole, parts: [{ question, searchFor: question, ...subjectSources(understood) }] };
}

/**
 * The understand stage with the follow-ups the rules found rewritten by an
 * LLM (src/understand/llm-follow-up.ts) when it is reachable and its rewrite
 * passes the checks; else the rules' plan. Whether a message continues the
 * conversation stays with the rules, so a question that stands alone is
 * never sent to the LLM.
 */
export function withLlmFollowUps(rewriter: FollowUpRewriter): UnderstandStage {
  return async (message, catalog, history = [], opts = {}) => {
    const ruled = planQuestion(message, catalog, history);
    if (!ruled.understanding.followUp) return ruled;
    const rewrite = await rewriter.rewrite({ message, history, catalog, rules: ruled.understanding }, opts.signal);
    if (rewrite === undefined) return ruled;
    // The rewrite stands alone: planned without the conversation, then marked as the follow-up it is.
    const planned = planQuestion(rewrite, catalog);
    return { ...planned, understanding: { ...planned.understanding, rewritten: true, followUp: true } };
  };
}

/**
 * The reports a question's answer must come from: those about the subjects
 * it names (郑州 → 郑州市's reports). A question naming no indexed subject
 * searches everything, and the decision then checks the places it names.
 */
function subjectSources(u: Understanding): { sources?: ReadonlySet<string> } {
  if (u.subjects.length === 0 || u.unknownPlaces.length > 0) return {};
  const years = u.slots.years;
  const sources = u.subjects.flatMap((s) => {
    if (years.length === 0) return s.sources;
    const about = (known: (y: ReportYears) => readonly number[]): string[] =>
      s.sources.filter((src) => {
        const of = s.years.get(src);
        return of !== undefined && years.some((y) => known(of).includes(y));
      });
    const preferred = about(yearsAsked(u.text));
    const dated = preferred.length > 0 ? preferred : about((y) => [...y.reviewed, ...y.planned]);
    return dated.length > 0 ? dated : s.sources;
  });
  return { sources: new Set(sources) };
}

/** A year written as part of a report's name (2025年政府工作报告), not as the year asked about. */
const REPORT_YEAR = /(?:19|20)\d{2}年度?[\u4e00-\u9fff]{0,6}(?:报告|公报|总结)/;

/**
 * Which of a report's years the question's year means. Of a subject's many
 * reports (52 State Council reports) those about the year asked answer it:
 * a plan question (目标, 力争) those planning it, any other question those
 * reviewing it — 2025's outcome is in the 2026 work report, its target in the
 * 2025 one. A year naming a report may be either.
 */
function yearsAsked(question: string): (y: ReportYears) => readonly number[] {
  if (REPORT_YEAR.test(question)) return (y) => [...y.reviewed, ...y.planned];
  return analyzeQuestion(question).plan ? (y) => y.planned : (y) => y.reviewed;
}
