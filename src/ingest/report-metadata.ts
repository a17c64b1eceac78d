import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { describeError } from '../errors.js';
import type { SkippedFile } from '../types.js';
import { decodeText } from './decode-text.js';

/** One reports.json entry: values that replace what the document says about itself. */
export interface ReportMetaOverride {
  readonly title?: string;
  readonly date?: string;
  readonly region?: string;
}

/** Name of the optional metadata file at the top of the reports folder. */
export const METADATA_FILE = 'reports.json';

export interface ReportMetadata {
  /** Entries keyed as written in reports.json (a source path or a bare file name). */
  readonly entries: ReadonlyMap<string, ReportMetaOverride>;
  /** Set when reports.json was unreadable or partly invalid; never fatal. */
  readonly warning?: SkippedFile;
}

/** A field's text; blank or null counts as absent. */
const TEXT = z.union([z.string(), z.null()]).transform((v) => (v === null || v.trim() === '' ? undefined : v.trim()));

/** Each field's schema; a field that fails is ignored alone, unknown fields are allowed. */
const FIELDS = {
  title: TEXT,
  date: z.union([TEXT, z.number().transform(String)]),
  region: TEXT,
} as const;

/**
 * Reads `<dir>/reports.json`: `{ "<source>": { "title"?, "date"?, "region"? } }`.
 * A missing file gives no entries; a malformed file, or entries and fields of
 * the wrong type, give a warning (a SkippedFile with source `reports.json`)
 * and are ignored — the rest of the file still applies.
 */
export async function readReportMetadata(dir: string): Promise<ReportMetadata> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.join(dir, METADATA_FILE));
  } catch (err) {
    if (isMissing(err)) return { entries: new Map() };
    return withWarning(new Map(), `cannot read: ${describeError(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(decodeText(bytes).text);
  } catch (err) {
    return withWarning(new Map(), `not valid JSON (${describeError(err)}); fix it or remove it`);
  }
  if (!isRecord(data)) return withWarning(new Map(), 'must be a JSON object mapping file names to { title, date, region }');

  const entries = new Map<string, ReportMetaOverride>();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!isRecord(value)) {
      problems.push(`"${key}" is not an object`);
      continue;
    }
    const entry: { -readonly [F in keyof ReportMetaOverride]: string } = {};
    for (const [field, schema] of Object.entries(FIELDS) as [keyof typeof FIELDS, (typeof FIELDS)[keyof typeof FIELDS]][]) {
      if (value[field] === undefined) continue;
      const parsed = schema.safeParse(value[field]);
      if (!parsed.success) problems.push(`"${key}".${field} is not a string`);
      else if (parsed.data !== undefined) entry[field] = parsed.data;
    }
    entries.set(key.replace(/\\/g, '/'), entry);
  }
  return problems.length > 0 ? withWarning(entries, `entries ignored: ${problems.join('; ')}`) : { entries };
}

/** The entry for `source`: by its exact relative path, else by its bare file name. */
export function metadataFor(metadata: ReportMetadata, source: string): ReportMetaOverride | undefined {
  return metadata.entries.get(source) ?? metadata.entries.get(path.posix.basename(source));
}

function withWarning(entries: Map<string, ReportMetaOverride>, reason: string): ReportMetadata {
  return { entries, warning: { source: METADATA_FILE, reason } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isMissing(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}
