/**
 * Turns zod's validation issues into the messages this project prints: they
 * name the field as a user would find it in the file (`field "tags[1]"`) and
 * show the offending value, shortened, instead of zod's generic wording.
 */
import type { z } from 'zod';

/** A path such as `["tags", 1]` as `tags[1]`, `["counts", "chunks"]` as `counts.chunks`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, key) => (typeof key === 'number' ? `${s}[${key}]` : s === '' ? String(key) : `${s}.${String(key)}`), '');
}

/**
 * One issue as `missing field "id"`, `field "id" must be a string, got 7`, or
 * `field "question" is empty` (a refinement's own message). Parse with
 * `{ reportInput: true }` so the offending value can be shown.
 *
 * @example describeIssue(schema.safeParse(v, { reportInput: true }).error.issues[0])
 */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = `field "${formatPath(issue.path)}"`;
  const input = 'input' in issue ? issue.input : undefined;
  if (issue.code === 'invalid_type') {
    if (input === undefined) return `missing ${field}`;
    return `${field} must be ${article(issue.expected)}, got ${shorten(input)}`;
  }
  if (issue.code === 'invalid_union') return `${field} has the wrong type, got ${shorten(input)}`;
  if (issue.code === 'custom') return `${field} ${issue.message}`;
  return `${field}: ${issue.message}${input === undefined ? '' : `, got ${shorten(input)}`}`;
}

function article(expected: string): string {
  const name = expected === 'int' ? 'integer' : expected;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** The offending value as JSON, shortened so one bad line cannot flood the message. */
function shorten(v: unknown): string {
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}
