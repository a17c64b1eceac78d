import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ReadReportsResult, Report, SkippedFile } from '../types.js';
import { assertReportSize, parseReport, reportHash } from './parse-report.js';
import { formatOf } from './report-formats.js';
import { METADATA_FILE, metadataFor, readReportMetadata, type ReportMetaOverride } from './report-metadata.js';

export interface ReportFile {
  /** Path relative to the reports folder, `/` separators. */
  readonly source: string;
  /** Absolute path to read. */
  readonly path: string;
  readonly size: number;
}

/**
 * Report files under `dir`, recursively, sorted by `source` (code-point
 * order). Only the formats in report-formats.ts; reports.json, hidden files and folders
 * (`.name`) and Office lock files (`~$name`) are ignored. Symlinked folders
 * are followed; each real folder is read once, so link cycles end. Throws
 * `REPORTS_DIR_MISSING` when `dir` is not a folder.
 */
export async function listReportFiles(dir: string): Promise<ReportFile[]> {
  const root = path.resolve(dir);
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    throw new AppError('REPORTS_DIR_MISSING', `Reports folder "${dir}" does not exist or is not a folder; create it or set REPORTS_DIR.`);
  }
  const files: ReportFile[] = [];
  await walk(root, '', new Set(), files);
  return files.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

async function walk(absDir: string, prefix: string, visited: Set<string>, out: ReportFile[]): Promise<void> {
  let entries: Dirent[];
  try {
    const real = await realpath(absDir);
    if (visited.has(real)) return;
    visited.add(real);
    entries = await readdir(absDir, { withFileTypes: true });
  } catch {
    return; // an unreadable sub-folder holds nothing we can index
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('~$')) continue;
    const full = path.join(absDir, entry.name);
    const target = entry.isSymbolicLink() ? await stat(full).catch(() => undefined) : entry;
    if (!target) continue; // broken link
    if (target.isDirectory()) {
      await walk(full, `${prefix}${entry.name}/`, visited, out);
    } else if (target.isFile() && isReportName(entry.name)) {
      const { size } = await stat(full);
      out.push({ source: prefix + entry.name, path: full, size });
    }
  }
}

function isReportName(name: string): boolean {
  return name !== METADATA_FILE && formatOf(name) !== undefined;
}

export interface ReadReportsOptions {
  /** Receives `warn('report skipped', { source, reason })` for each skipped file. */
  logger?: Logger;
  /** Called after each file with the number of files handled so far. */
  onProgress?: (done: number, total: number) => void;
  /** Called with each file's hash before parsing; a returned Report is used as is (incremental re-index). */
  reuse?: (source: string, hash: string) => Report | undefined;
  /** Stops between files; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Reads every report under `dir` (see {@link listReportFiles}) with its
 * reports.json entry. Files that cannot be read are returned in `skipped`
 * with a reason and logged; they never abort the run. A broken reports.json
 * is one more skipped entry (`reports.json`). Yields to the event loop between
 * files so a running bot stays responsive. Throws `REPORTS_DIR_MISSING` when
 * the folder is missing, or disappears while it is read.
 */
export async function readReports(dir: string, opts: ReadReportsOptions = {}): Promise<ReadReportsResult> {
  const { logger, onProgress, reuse, signal } = opts;
  signal?.throwIfAborted();
  const files = await listReportFiles(dir);
  const metadata = await readReportMetadata(dir);
  const reports: Report[] = [];
  const skipped: SkippedFile[] = [];
  const skip = (s: SkippedFile): void => {
    skipped.push(s);
    logger?.warn('report skipped', { source: s.source, reason: s.reason });
  };
  if (metadata.warning) skip(metadata.warning);

  for (const [i, file] of files.entries()) {
    signal?.throwIfAborted();
    try {
      reports.push(await readOne(file, metadataFor(metadata, file.source), reuse, signal));
    } catch (err) {
      signal?.throwIfAborted(); // a read cut short by the abort is not a bad file
      skip({ source: file.source, reason: describeError(err) });
    }
    onProgress?.(i + 1, files.length);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Files that vanished with their folder are not reports that were removed: an
  // index built from what was read before would silently drop the rest.
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new AppError(
      'REPORTS_DIR_MISSING',
      `Reports folder "${dir}" disappeared while it was being read (${reports.length} of ${files.length} files read); ` +
        'restore it or set REPORTS_DIR, then re-index.',
    );
  }
  return { reports, skipped };
}

async function readOne(
  file: ReportFile,
  meta: ReportMetaOverride | undefined,
  reuse: ReadReportsOptions['reuse'],
  signal: AbortSignal | undefined,
): Promise<Report> {
  assertReportSize(file.size);
  // With the signal, a shutdown does not wait for a slow read (a network share, a large file).
  const bytes = await readFile(file.path, signal === undefined ? undefined : { signal });
  return reuse?.(file.source, reportHash(bytes, meta)) ?? (await parseReport(file.source, bytes, meta));
}
