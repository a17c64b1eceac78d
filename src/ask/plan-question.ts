/**
 * The understand stage: a message and the conversation's previous turn in,
 * what to retrieve and answer out. The message is understood
 * (src/understand/understand.ts: script, pleasantries, place names,
 * follow-ups), then split into parts when it is compound
 * (src/understand/decompose.ts), each part with its own search and the
 * reports it must be answered from. Pure.
 */
import { splitQuestion } from '../understand/decompose.js';
import type { TurnSlots } from '../understand/follow-up.js';
import type { SubjectCatalog } from '../understand/subject-catalog.js';
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
export type UnderstandStage = (message: string, catalog: SubjectCatalog, previous?: TurnSlots) => QuestionPlan;

/**
 * @example planQuestion('苏州和郑州谁的常住人口多？', catalog).parts.map((p) => p.label) // ['苏州', '郑州']
 */
export function planQuestion(message: string, catalog: SubjectCatalog, previous?: TurnSlots): QuestionPlan {
  const understood = understand(message, catalog, previous);
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
 * The reports a question's answer must come from: those about the subjects
 * it names (郑州 → 郑州市's reports). A question naming no indexed subject
 * searches everything, and the decision then checks the places it names.
 */
function subjectSources(u: Understanding): { sources?: ReadonlySet<string> } {
  if (u.subjects.length === 0 || u.unknownPlaces.length > 0) return {};
  // Of a subject's many reports (52 State Council reports), those about the year asked, when some are.
  const years = u.slots.years;
  const sources = u.subjects.flatMap((s) => {
    const dated = years.length === 0 ? [] : s.sources.filter((src) => years.some((y) => s.years.get(src)?.includes(y)));
    return dated.length > 0 ? dated : s.sources;
  });
  return { sources: new Set(sources) };
}
