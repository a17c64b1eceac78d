/**
 * The evaluation data set (PRODUCT.md, "Evaluation data set"): JSON Lines, one
 * question per line. Parsing is strict and names `file:line` on every error,
 * because a silently skipped or mistyped question would skew every score.
 */
import { AppError, describeError } from '../errors.js';

/**
 * One evaluation question. `source` and `evidence` are `null` for a question
 * the reports cannot answer. A question with a `source` but no `evidence`
 * counts any result from that report as a hit.
 */
export interface EvalQuestion {
  readonly id: string;
  readonly question: string;
  /** Report file name relative to the reports folder, or `null` when unanswerable. */
  readonly source: string | null;
  /** Exact text from the report (compared without whitespace), or `null`. */
  readonly evidence: string | null;
  /** Optional categories, e.g. `figure`, `paraphrase`, `shared-topic`, `unanswerable`. */
  readonly tags?: readonly string[];
  /** Any other fields of the line, kept as written (notes, expected answers…). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const KNOWN_FIELDS = new Set(['id', 'question', 'source', 'evidence', 'tags']);

/**
 * Parses a JSON Lines data set. Blank lines are ignored; a UTF-8 BOM and CRLF
 * line ends are accepted. `file` is only used in error messages.
 *
 * @throws AppError `DATASET_INVALID` with `file:line: …` for malformed JSON, a
 *   missing or wrongly typed field, evidence without a source, a duplicate id
 *   (naming both lines), or a file without questions.
 * @example parseDataset('{"id":"q1","question":"…","source":null,"evidence":null}', 'qa.jsonl')
 */
export function parseDataset(text: string, file: string): EvalQuestion[] {
  const questions: EvalQuestion[] = [];
  const firstLineOfId = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);

  lines.forEach((raw, i) => {
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
    if (!isRecord(value)) return fail('expected a JSON object like {"id", "question", "source", "evidence"}');

    const id = requireText(value, 'id', fail);
    const question = requireText(value, 'question', fail);
    const source = requireNullableText(value, 'source', fail);
    const evidence = requireNullableText(value, 'evidence', fail);
    if (evidence !== null && source === null) {
      fail(`question "${id}" has evidence but no source; set "source" to the report file name, or both to null`);
    }
    const tags = optionalTags(value, fail);

    const earlier = firstLineOfId.get(id);
    if (earlier !== undefined) fail(`duplicate id "${id}" (first used on line ${earlier}); ids must be unique`);
    firstLineOfId.set(id, lineNo);

    const extraEntries = Object.entries(value).filter(([key]) => !KNOWN_FIELDS.has(key));
    questions.push({
      id,
      question,
      source,
      evidence,
      ...(tags !== undefined && { tags }),
      ...(extraEntries.length > 0 && { extra: Object.fromEntries(extraEntries) }),
    });
  });

  if (questions.length === 0) {
    throw new AppError('DATASET_INVALID', `${file}: contains no questions; expected one JSON object per line`);
  }
  return questions;
}

type Fail = (what: string) => never;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireText(obj: Record<string, unknown>, key: string, fail: Fail): string {
  if (!(key in obj)) return fail(`missing field "${key}"`);
  const v = obj[key];
  if (typeof v !== 'string') return fail(`field "${key}" must be a string, got ${describe(v)}`);
  if (v.trim() === '') return fail(`field "${key}" is empty`);
  return v;
}

function requireNullableText(obj: Record<string, unknown>, key: string, fail: Fail): string | null {
  if (!(key in obj)) return fail(`missing field "${key}" (use null for a question the reports cannot answer)`);
  const v = obj[key];
  if (v === null) return null;
  if (typeof v !== 'string') return fail(`field "${key}" must be a string or null, got ${describe(v)}`);
  if (v.trim() === '') return fail(`field "${key}" is empty; use null instead`);
  return v;
}

function optionalTags(obj: Record<string, unknown>, fail: Fail): string[] | undefined {
  const v = obj.tags;
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((t): t is string => typeof t === 'string')) {
    return fail(`field "tags" must be an array of strings, got ${describe(v)}`);
  }
  return v;
}

/** The offending value as JSON, shortened so one bad line cannot flood the message. */
function describe(v: unknown): string {
  const json = JSON.stringify(v);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}
