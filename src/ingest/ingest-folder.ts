/**
 * The ingest stage of a build: reads the reports folder and chunks it,
 * reusing what an earlier index holds of each unchanged report (its parsed
 * Report, its chunks and their ids), so only added and changed reports are
 * parsed and chunked. What it returns tells the index build which chunks are
 * new (to embed) and which left (to remove from both indexes).
 */
import type { Logger } from '../log.js';
import type { IndexedChunk, ReadReportsResult, Report } from '../types.js';
import { chunkReport, type ChunkOptions } from './chunk.js';
import { readReports } from './read-reports.js';

/** What an earlier index holds of the folder. */
export interface IngestedBefore {
  readonly reports: ReadonlyMap<string, Report>;
  readonly chunks: ReadonlyMap<number, IndexedChunk>;
  /** The id the next new chunk gets: ids are never reused, so a stale id cannot name another chunk. */
  readonly nextChunkId: number;
}

/** The folder as chunks, and how it changed since `IngestedBefore`. */
export interface IngestedFolder {
  /** Sorted by source (code-point order). */
  readonly reports: readonly Report[];
  readonly skipped: ReadReportsResult['skipped'];
  /** Every chunk of the folder by id: kept ones with their old ids, new ones with fresh ids. */
  readonly chunks: ReadonlyMap<number, IndexedChunk>;
  /** Chunks of added and changed reports: these need embedding and indexing. */
  readonly fresh: readonly IndexedChunk[];
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Sources of unchanged reports: their chunks, vectors and words are reused. */
  readonly kept: ReadonlySet<string>;
  /** Ids of the earlier chunks that are gone (their report changed or was removed). */
  readonly dropped: readonly number[];
  readonly nextChunkId: number;
}

export interface ReadFolderOptions {
  readonly before?: IngestedBefore | undefined;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Every report of `dir`, sorted by source; a file whose hash is unchanged since `before` is not parsed again. */
export async function readFolder(dir: string, opts: ReadFolderOptions = {}): Promise<ReadReportsResult> {
  const { before } = opts;
  const { reports, skipped } = await readReports(dir, {
    ...(opts.logger !== undefined && { logger: opts.logger }),
    ...(opts.signal !== undefined && { signal: opts.signal }),
    ...(opts.onProgress !== undefined && { onProgress: opts.onProgress }),
    ...(before !== undefined && {
      reuse: (source: string, hash: string) => {
        const r = before.reports.get(source);
        return r?.hash === hash ? r : undefined;
      },
    }),
  });
  return { reports: [...reports].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)), skipped };
}

/** Chunks the reports read: unchanged reports keep their chunks and ids, the rest get fresh ids. */
export function chunkFolder(read: ReadReportsResult, before: IngestedBefore | undefined, chunkOptions?: ChunkOptions): IngestedFolder {
  const previousChunks = groupBySource(before?.chunks.values() ?? []);
  const chunks = new Map<number, IndexedChunk>();
  const fresh: IndexedChunk[] = [];
  const added: string[] = [];
  const changed: string[] = [];
  const kept = new Set<string>();
  let nextChunkId = before?.nextChunkId ?? 0;
  for (const report of read.reports) {
    const earlier = before?.reports.get(report.source);
    if (earlier !== undefined && sameContent(earlier, report)) {
      kept.add(report.source);
      for (const c of previousChunks.get(report.source) ?? []) chunks.set(c.chunkId, c);
      continue;
    }
    (earlier === undefined ? added : changed).push(report.source);
    for (const c of chunkReport(report, chunkOptions)) {
      const chunk: IndexedChunk = { ...c, chunkId: nextChunkId++ };
      chunks.set(chunk.chunkId, chunk);
      fresh.push(chunk);
    }
  }
  const current = new Set(read.reports.map((r) => r.source));
  return {
    reports: read.reports,
    skipped: read.skipped,
    chunks,
    fresh,
    added,
    changed,
    removed: [...(before?.reports.keys() ?? [])].filter((s) => !current.has(s)).sort(),
    kept,
    dropped: [...(before?.chunks.keys() ?? [])].filter((id) => !chunks.has(id)),
    nextChunkId,
  };
}

/** Same bytes and same metadata: the stored chunks and vectors still describe this report. */
function sameContent(a: Report, b: Report): boolean {
  return a.hash === b.hash && a.title === b.title && a.region === b.region && a.date === b.date && a.publisher === b.publisher;
}

/** Chunks grouped by their report's source. */
export function groupBySource(chunks: Iterable<IndexedChunk>): Map<string, IndexedChunk[]> {
  const out = new Map<string, IndexedChunk[]>();
  for (const c of chunks) {
    const list = out.get(c.source);
    if (list === undefined) out.set(c.source, [c]);
    else list.push(c);
  }
  return out;
}
