/**
 * The evaluation data set: JSON Lines, one question per line (the format is
 * documented in README.md, "Evaluation", and in `report-qa eval --help`).
 * Parsing is strict and names `file:line` on every error, because a silently
 * skipped or mistyped question would skew every score.
 */
import { z } from 'zod';
import { AppError, describeError } from '../errors.js';
import { describeIssue } from '../schema.js';

/**
 * One evaluation question. Only `id`, `question`, `source` and `evidence` are
 * required; the optional fields turn on answer-level scoring.
 */
export interface EvalQuestion {
  readonly id: string;
  readonly question: string;
  /** Report file name relative to the reports folder, or `null` (unanswerable, or a comparison: see `sources`). */
  readonly source: string | null;
  /** Exact text from the report (compared without whitespace), or `null`: any paragraph of `source` is a hit. */
  readonly evidence: string | null;
  /** Whether the reports answer it; default `source !== null || sources.length > 0`. */
  readonly answerable: boolean;
  /** Every report a correct answer must cite: `[source]`, or the `sources` of a comparison. */
  readonly sources: readonly string[];
  /** Strings a correct answer contains, all of them. */
  readonly answerAll: readonly string[];
  /** Strings of which a correct answer contains one (when not empty). */
  readonly answerAny: readonly string[];
  /** Year traps: the figure the reports give for `nearYear`, which an answer may offer with that year named. */
  readonly nearAnswer?: string;
  readonly nearYear?: string;
  /** Turns of one conversation share `dialogue` and are asked in `turn` order (1, 2, …) on adjacent lines. */
  readonly dialogue?: string;
  readonly turn?: number;
  /** Any label; results are broken down by it. */
  readonly kind?: string;
  readonly tags?: readonly string[];
  /** Any other fields of the line, kept as written (notes, absent terms…). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** True when the question has gold strings, so its answer can be scored. */
export function hasGold(q: Pick<EvalQuestion, 'answerAll' | 'answerAny'>): boolean {
  return q.answerAll.length > 0 || q.answerAny.length > 0;
}

const text = z.string().refine((s) => s.trim() !== '', 'is empty');
const nullableText = z.string().refine((s) => s.trim() !== '', 'is empty; use null instead').nullable();
const strings = z.array(text);

const LINE = z.looseObject({
  id: text,
  question: text,
  source: nullableText,
  evidence: nullableText,
  answerable: z.boolean().optional(),
  sources: strings.optional(),
  answer_all: strings.optional(),
  answer_any: strings.optional(),
  near_answer: text.optional(),
  near_year: z.union([text, z.number().int()]).optional(),
  dialogue: text.optional(),
  turn: z.number().int().positive().optional(),
  kind: text.optional(),
  tags: z.array(z.string()).optional(),
});

const KNOWN_FIELDS = new Set(Object.keys(LINE.shape));

/** Hints for the most common mistakes, appended to the schema's message. */
const HINTS: Readonly<Record<string, string>> = {
  source: ' (use null for a question the reports cannot answer)',
  evidence: ' (use null when any paragraph of the source counts)',
};

/**
 * Parses a JSON Lines data set. Blank lines are ignored; a UTF-8 BOM and CRLF
 * line ends are accepted. `file` is only used in error messages.
 *
 * @throws AppError `DATASET_INVALID` with `file:line: …` for malformed JSON, a
 *   missing or wrongly typed field, evidence without a source, a duplicate id
 *   (naming both lines), dialogue turns out of order, or a file without questions.
 * @example parseDataset('{"id":"q1","question":"…","source":null,"evidence":null}', 'qa.jsonl')
 */
export function parseDataset(content: string, file: string): EvalQuestion[] {
  const questions: EvalQuestion[] = [];
  const firstLineOfId = new Map<string, number>();
  /** The dialogue of the previous question and its turn, to check that turns are adjacent and in order. */
  let open: { dialogue: string; turn: number } | undefined;
  const seenDialogues = new Set<string>();

  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const lineNo = i + 1;
      if (raw.trim() === '') return;
      const fail = (what: string): never => {
        throw new AppError('DATASET_INVALID', `${file}:${lineNo}: ${what}`);
      };

      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (err) {
        return fail(`not valid JSON (${describeError(err)}); each line must hold one JSON object`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail('expected a JSON object like {"id", "question", "source", "evidence"}');
      }
      const parsed = LINE.safeParse(value, { reportInput: true });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = String(issue?.path[0] ?? '');
        return fail(issue === undefined ? 'invalid line' : describeIssue(issue) + (HINTS[field] ?? ''));
      }
      const line = parsed.data;
      const sources = line.sources ?? (line.source === null ? [] : [line.source]);
      if (line.evidence !== null && line.source === null) {
        fail(`question "${line.id}" has evidence but no source; set "source" to the report file name, or both to null`);
      }
      if ((line.dialogue === undefined) !== (line.turn === undefined)) {
        fail(`question "${line.id}" needs both "dialogue" and "turn", or neither`);
      }
      if (line.dialogue !== undefined && line.turn !== undefined) {
        const continues = open?.dialogue === line.dialogue;
        if (continues ? line.turn !== (open?.turn ?? 0) + 1 : line.turn !== 1 || seenDialogues.has(line.dialogue)) {
          fail(`dialogue "${line.dialogue}": turn ${line.turn} is out of order; a dialogue's turns are 1, 2, 3… on adjacent lines`);
        }
        seenDialogues.add(line.dialogue);
        open = { dialogue: line.dialogue, turn: line.turn };
      } else {
        open = undefined;
      }

      const earlier = firstLineOfId.get(line.id);
      if (earlier !== undefined) fail(`duplicate id "${line.id}" (first used on line ${earlier}); ids must be unique`);
      firstLineOfId.set(line.id, lineNo);

      const extraEntries = Object.entries(line).filter(([key]) => !KNOWN_FIELDS.has(key));
      questions.push({
        id: line.id,
        question: line.question,
        source: line.source,
        evidence: line.evidence,
        answerable: line.answerable ?? sources.length > 0,
        sources,
        answerAll: line.answer_all ?? [],
        answerAny: line.answer_any ?? [],
        ...(line.near_answer !== undefined && { nearAnswer: line.near_answer }),
        ...(line.near_year !== undefined && { nearYear: String(line.near_year) }),
        ...(line.dialogue !== undefined && { dialogue: line.dialogue }),
        ...(line.turn !== undefined && { turn: line.turn }),
        ...(line.kind !== undefined && { kind: line.kind }),
        ...(line.tags !== undefined && { tags: line.tags }),
        ...(extraEntries.length > 0 && { extra: Object.fromEntries(extraEntries) }),
      });
    });

  if (questions.length === 0) {
    throw new AppError('DATASET_INVALID', `${file}: contains no questions; expected one JSON object per line`);
  }
  return questions;
}
