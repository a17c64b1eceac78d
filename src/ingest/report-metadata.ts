import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { describeError } from '../errors.js';
import type { SkippedFile } from '../types.js';
import { decodeText } from './decode-text.js';

/** One reports.json entry: values that replace what the document says about itself (and what report-identity.ts infers). */
export interface ReportMetaOverride {
  readonly title?: string;
  readonly date?: string;
  readonly region?: string;
  /** The place or organisation the report is about (罗星街道, 国务院); wins over the region's most specific place. */
  readonly subject?: string;
  /** 政府工作报告, 统计公报, 预算报告, 工作总结, 新闻报道… */
  readonly kind?: string;
  /** Years whose results the report gives. */
  readonly years?: readonly number[];
  /** Years the report plans for. */
  readonly planYears?: readonly number[];
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

/** A year a report covers: a number or its digits. */
const YEAR = z.union([z.number().int(), z.string().trim().regex(/^\d{4}$/).transform(Number)]).pipe(z.number().int().min(1900).max(2200));
/** One year or a list of them (`2024`, `"2024"`, `[2024, 2025]`), sorted and deduplicated. */
const YEARS = z.union([YEAR.transform((y) => [y]), z.array(YEAR)]).transform((ys) => [...new Set(ys)].sort((a, b) => a - b));

/** Each field's schema and what it must be (for the warning); a field that fails is ignored alone, unknown fields are allowed. */
const FIELDS = {
  title: [TEXT, 'a string'],
  date: [z.union([TEXT, z.number().transform(String)]), 'a string'],
  region: [TEXT, 'a string'],
  subject: [TEXT, 'a string'],
  kind: [TEXT, 'a string'],
  years: [YEARS, 'a year or a list of years'],
  planYears: [YEARS, 'a year or a list of years'],
} as const;

/** The fields of an entry, in the order they are documented. */
export const METADATA_FIELDS = Object.keys(FIELDS) as readonly (keyof ReportMetaOverride)[];

/**
 * Reads `<dir>/reports.json`: `{ "<source>": { "title"?, "date"?, "region"?, "subject"?, "kind"?, "years"?, "planYears"? } }`.
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
  if (!isRecord(data)) return withWarning(new Map(), `must be a JSON object mapping file names to { ${METADATA_FIELDS.join(', ')} }`);

  const entries = new Map<string, ReportMetaOverride>();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!isRecord(value)) {
      problems.push(`"${key}" is not an object`);
      continue;
    }
    const entry: Record<string, unknown> = {};
    for (const field of METADATA_FIELDS) {
      if (value[field] === undefined) continue;
      const [schema, expected] = FIELDS[field];
      const parsed = schema.safeParse(value[field]);
      if (!parsed.success) problems.push(`"${key}".${field} is not ${expected}`);
      else if (parsed.data !== undefined) entry[field] = parsed.data;
    }
    entries.set(key.replace(/\\/g, '/'), entry as ReportMetaOverride);
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
