import { createHash } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../errors.js';
import type { Report } from '../types.js';
import { extensionList, formatOf } from './report-formats.js';
import { METADATA_FIELDS, type ReportMetaOverride } from './report-metadata.js';
import { inferIdentity, regionOf } from './report-identity.js';
import { structureText } from './structure-text.js';

/**
 * Version of the ingestion rules. Bump it whenever decoding, cleaning or
 * paragraph rules change, so every report hash changes and indexes rebuild.
 */
export const INGEST_VERSION = 'ingest-4';

/** Files larger than this are skipped (a report is a few hundred kB at most). */
export const MAX_REPORT_BYTES = 20 * 1024 * 1024;

/**
 * sha256 (hex) over {@link INGEST_VERSION}, the report's reports.json entry and
 * its bytes: a changed file, a changed entry or changed ingestion rules all
 * give a new hash, so an unchanged hash means the old chunks and vectors can be
 * reused.
 */
export function reportHash(bytes: Uint8Array, meta?: ReportMetaOverride): string {
  const entry = JSON.stringify(METADATA_FIELDS.map((field) => meta?.[field] ?? null));
  return createHash('sha256').update(INGEST_VERSION).update('\0').update(entry).update('\0').update(bytes).digest('hex');
}

/**
 * Reads one report file's bytes into a {@link Report}: lines extracted by the
 * format its extension names (report-formats.ts), then
 * cleaning and paragraph structure (see structure-text.ts), then what the
 * report is about (report-identity.ts). reports.json's fields (title, date,
 * region, subject, kind, years, planYears) win over what the document says
 * and what is inferred; the region defaults to the subject (with its county
 * and city for a 街道/镇). Throws
 * `REPORT_UNREADABLE` with a reason fit for a SkippedFile.
 */
export async function parseReport(source: string, bytes: Uint8Array, meta?: ReportMetaOverride): Promise<Report> {
  assertReportSize(bytes.length);
  const format = formatOf(source);
  if (format === undefined) {
    const ext = path.posix.extname(source).toLowerCase();
    throw new AppError('REPORT_UNREADABLE', `unsupported file type "${ext || '(none)'}"; use ${extensionList(undefined, ', ')}`);
  }
  const structured = structureText(await format.extract(bytes));
  if (structured.paragraphs.length === 0) throw new AppError('REPORT_UNREADABLE', 'no text found');

  const date = meta?.date ?? structured.date;
  const publisher = structured.publisher;
  // The entry's title and date are the report's, not the document's; the rest is identity.
  const { title: _title, date: _date, ...claimed } = meta ?? {};
  const { title, ...identity } = inferIdentity({ source, ...structured, ...claimed });
  const region = meta?.region ?? regionOf(identity);
  return {
    source,
    title: meta?.title ?? title,
    ...(date !== undefined && { date }),
    ...(region !== undefined && { region }),
    ...(publisher !== undefined && { publisher }),
    ...identity,
    hash: reportHash(bytes, meta),
    paragraphs: structured.paragraphs,
  };
}

/** Throws `REPORT_UNREADABLE` for a file over {@link MAX_REPORT_BYTES}, before it is read. */
export function assertReportSize(size: number): void {
  if (size > MAX_REPORT_BYTES) {
    throw new AppError('REPORT_UNREADABLE', `file too large (${mb(size)} MB; the limit is ${mb(MAX_REPORT_BYTES)} MB)`);
  }
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
