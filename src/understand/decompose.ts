/**
 * Compound questions, split into parts that are each answered on their own:
 * people ask several things at once (郑州2025年末常住人口有多少？城镇化率多少？),
 * compare subjects (苏州和郑州谁的常住人口多？) or years (河南2024年和2025年GDP
 *分别增长了多少？). One retrieval for such a question lets one report or one
 * figure crowd out the others; one per part gives each its own evidence. Pure:
 * a question and the subject catalog in, the parts out.
 */
import { onlyCounterparts, resolveFollowUp, slotsOf, type TurnSlots } from './follow-up.js';
import type { NamedPlace, SubjectCatalog } from './subject-catalog.js';

/** One part of a compound question. */
export interface QuestionPart {
  /** Put before the part's answer (苏州：…) when parts differ by subject or year. */
  readonly label?: string;
  /** The part as a question of its own. */
  readonly text: string;
}

/** Most parts a question is split into; more is a list question, not a comparison. */
export const MAX_PARTS = 4;

/** Clause ends that separate questions asked one after another. */
const CLAUSE_END = /[？?；;]+/;
/** Text between two names or two years that makes them alternatives (A和B, 2024年、2025年). */
const JOINER = /^(?:和|与|及|以及|、|跟|同|或|还是|对比|比|相比|，|,)$/;
const YEAR = /(?<!\d)(?:19|20)\d{2}年?(?:度|末|底)?(?!\d)/g;
/** Comparative asks (谁的…多, 哪个…高) become plain asks for the figure in each part. */
const WHO = /谁的|谁|哪个的|哪个|哪一个|哪家/g;
const EACH = /分别|各自|各(?=是|有|为|多|增|达|占|完成)/g;
const ASKS_WHO = /谁|哪个|哪一个|哪家/;
/** The end of a difference asked (…比苏州多多少, …比苏州的增速高了几个百分点). */
const DIFFERENCE_TAIL = /(?:多|少|高|低|快|慢|大|小)了?(?:多少|几)[^？?]*[？?]?$/;
const COMPARATIVE_TAIL = /(?:更|比较|最)?(?:多|高|快|大|(?<!多)少|低|慢|小|强|好)(?:一些|一点)?$/;
/** Words that ask rather than name a topic: a clause made only of them continues the previous one. */
const ASK_WORDS = /各自|各|分别|都|又|是|有|为|多少|几|什么|哪些|怎么样|如何|情况|呢|吗|的|了|年末|年底|末|底|个|人|元|[，,\s]/g;

/**
 * The parts of `text`, or one part (the text itself) when it is not compound.
 *
 * @example splitQuestion('苏州和郑州谁的常住人口多？', catalog)
 * // [{ label: '苏州', text: '苏州常住人口是多少？' }, { label: '郑州', text: '郑州常住人口是多少？' }]
 */
export function splitQuestion(text: string, catalog: SubjectCatalog): QuestionPart[] {
  const parts = clauses(text, catalog)
    .flatMap((c) => byComparedSubject(c, catalog) ?? bySubject(c, catalog))
    .flatMap(byYear);
  return parts.length > MAX_PARTS ? [{ text }] : parts;
}

/**
 * Questions asked one after another; a later clause without a topic of its own
 * (2025年末各是多少？) stays with the one before, and one without a place or
 * year takes them from the first (城镇化率多少 → 郑州2025年城镇化率多少).
 */
function clauses(text: string, catalog: SubjectCatalog): string[] {
  const pieces: string[] = [];
  for (const piece of text.split(CLAUSE_END).map((s) => bare(plainAsk(s.trim()))).filter((s) => s.length > 1)) {
    const previous = pieces[pieces.length - 1];
    if (previous !== undefined && !hasOwnTopic(piece, catalog.findPlaces(piece))) pieces[pieces.length - 1] = `${previous}，${piece}`;
    else pieces.push(piece);
  }
  if (pieces.length < 2) return [pieces.length === 1 && pieces[0] !== bare(text) ? asQuestion(pieces[0] ?? text) : text];
  let context: TurnSlots | undefined;
  return pieces.map((piece) => {
    const slots = slotsOf(piece, catalog.findPlaces(piece));
    const resolved = context === undefined ? piece : completed(piece, slots, context);
    context ??= slots;
    return asQuestion(bare(resolved));
  });
}

/** A later clause completed from the first: its missing place and year, or its topic for a bare change (增速多少). */
function completed(piece: string, slots: TurnSlots, first: TurnSlots): string {
  const resolution = resolveFollowUp(piece, slots, first, { continued: true });
  if (resolution.followUp) return resolution.text;
  const years = slots.years.length > 0 || first.years.length === 0 ? '' : first.years.map((y) => `${y}年`).join('和');
  return years === '' ? piece : `${slots.places.join('和')}${years}${slots.topic}`;
}

/** At least two Chinese characters of content besides places, years and ask words (a tag like #ok is none), not only qualifiers. */
function hasOwnTopic(piece: string, places: readonly NamedPlace[]): boolean {
  const slots = slotsOf(piece, places);
  const content = slots.topic.replace(WHO, '').replace(ASK_WORDS, '').replace(COMPARATIVE_TAIL, '');
  // 城镇和农村分别多少 asks the topic before of each.
  return (content.match(/[\u4e00-\u9fff]/g) ?? []).length >= 2 && !onlyCounterparts(content);
}

/**
 * One subject measured against another (郑州常住人口比苏州多多少): one part per
 * subject asking the figure, the first subject first (the difference is
 * first minus second). Undefined when the clause is not of that form.
 */
function byComparedSubject(clause: string, catalog: SubjectCatalog): QuestionPart[] | undefined {
  const places = catalog.findPlaces(clause).sort((x, y) => x.start - y.start);
  const [a, b] = places;
  if (places.length !== 2 || a === undefined || b === undefined || clause.charAt(b.start - 1) !== '比') return undefined;
  const tail = clause.slice(b.end);
  if (!DIFFERENCE_TAIL.test(tail)) return undefined;
  const asked = clause.slice(0, b.start - 1) + tail.replace(DIFFERENCE_TAIL, '是多少');
  return [
    { label: a.written, text: asQuestion(bare(asked)) },
    { label: b.written, text: asQuestion(bare(asked.slice(0, a.start) + b.written + asked.slice(a.end))) },
  ];
}

/** A comparison of subjects named side by side (苏州和郑州…): one part per subject. */
function bySubject(clause: string, catalog: SubjectCatalog): QuestionPart[] {
  const run = joinedRun(clause, catalog.findPlaces(clause));
  if (new Set(run.map((p) => p.subject?.name ?? p.written)).size < 2) return [{ text: clause }];
  return split(clause, run, (p) => p.written, (p) => p.written);
}

/** Years named side by side (2024年和2025年): one part per year. */
function byYear(part: QuestionPart): QuestionPart[] {
  const years = [...part.text.matchAll(YEAR)].map((m) => ({ written: m[0], start: m.index, end: m.index + m[0].length }));
  const run = joinedRun(part.text, years);
  if (new Set(run.map((y) => y.written.slice(0, 4))).size < 2) return [part];
  const asYear = (y: Span): string => (/[年度末底]$/.test(y.written) ? y.written : `${y.written}年`);
  return split(part.text, run, asYear, (y) => `${part.label ?? ''}${asYear(y)}`);
}

interface Span {
  readonly written: string;
  readonly start: number;
  readonly end: number;
}

/** The longest run of spans each joined to the next by a conjunction (A和B、C). */
function joinedRun<T extends Span>(text: string, spans: readonly T[]): T[] {
  let best: T[] = [];
  let run: T[] = [];
  for (const s of spans) {
    const prev = run[run.length - 1];
    run = prev !== undefined && JOINER.test(text.slice(prev.end, s.start)) ? [...run, s] : [s];
    if (run.length > best.length) best = run;
  }
  return best;
}

/** One part per span of the run, the whole run replaced by that span. */
function split<T extends Span>(text: string, run: readonly T[], write: (s: T) => string, label: (s: T) => string): QuestionPart[] {
  const first = run[0];
  const last = run[run.length - 1];
  if (first === undefined || last === undefined) return [{ text }];
  // 分别/各 asked of the whole run; each part asks one thing.
  const rest = text.slice(last.end).replace(EACH, '');
  return run.map((s) => ({ label: label(s), text: plainAsk(text.slice(0, first.start) + write(s) + rest) }));
}

/** 谁的常住人口多 → 常住人口是多少: each part asks for its own figure. */
function plainAsk(text: string): string {
  const body = bare(text);
  if (!ASKS_WHO.test(body)) return asQuestion(body);
  const plain = body.replace(WHO, '').replace(COMPARATIVE_TAIL, '');
  return asQuestion(/多少|几|什么/.test(plain) ? plain : `${plain}是多少`);
}

function bare(text: string): string {
  return text.replace(/[？?。！!]+$/, '');
}

function asQuestion(text: string): string {
  return /[？?]$/.test(text) ? text : `${text}？`;
}
