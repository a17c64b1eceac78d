/**
 * Builds or updates the index: read → chunk → embed → index → write.
 *
 * Incremental: a report whose content hash (and metadata) is unchanged since
 * `previous` keeps its chunks, chunkIds and vectors; only added or changed
 * reports are chunked and embedded, and chunks of changed or removed reports
 * leave both indexes. The previous vectors are loaded afresh from the previous
 * build's file and mutated there, never in `previous.vectors`, which may be
 * answering questions meanwhile. A different embedder, tokenizer or chunking
 * makes everything rebuild. Nothing becomes visible until `writeIndex` swaps
 * the finished build in, so a failure or abort leaves the previous index live.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { chunkReport, embeddingText } from '../ingest/chunk.js';
import { readReports } from '../ingest/read-reports.js';
import { describeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { BuildPhase, BuildProgress, BuildSummary, Embedder, IndexedChunk, Report, Tokenizer } from '../types.js';
import { Bm25Index } from './bm25-index.js';
import { HnswVectorIndex, type HnswOptions } from './hnsw-index.js';
import {
  INDEX_FILES,
  INDEX_FORMAT_VERSION,
  buildDir,
  cleanupIndexDir,
  newBuildId,
  writeIndex,
  type IndexManifest,
  type IndexSnapshot,
} from './index-store.js';
import { extractUserWords } from './user-dictionary.js';

/** A tokenizer whose dictionary can learn the collection's own words (place names, projects). */
export interface DictionaryTokenizer extends Tokenizer {
  addWords(words: readonly string[]): void;
}

export type ChunkOptions = Parameters<typeof chunkReport>[1];

export interface BuildIndexOptions {
  reportsDir: string;
  indexDir: string;
  embedder: Embedder;
  tokenizer: DictionaryTokenizer;
  /** The index to update; without it (or when incompatible) everything is built from scratch. */
  previous?: IndexSnapshot;
  logger?: Logger;
  onProgress?: (p: BuildProgress) => void;
  signal?: AbortSignal;
  chunkOptions?: ChunkOptions;
  /** HNSW parameters of a fresh graph; default DEFAULT_HNSW_OPTIONS. */
  hnsw?: Partial<HnswOptions>;
}

export interface BuildResult {
  readonly snapshot: IndexSnapshot;
  readonly summary: BuildSummary;
  /** Wall time spent in each phase. */
  readonly phaseMs: Readonly<Record<BuildPhase, number>>;
}

/** Progress is reported at most this often inside a phase (plus at its start and end). */
const PROGRESS_EVERY = 256;

export async function buildIndex(opts: BuildIndexOptions): Promise<BuildResult> {
  const { embedder, tokenizer, signal, indexDir } = opts;
  const logger = opts.logger ?? silentLogger;
  const started = performance.now();
  const phaseMs: Record<BuildPhase, number> = { read: 0, embed: 0, index: 0, write: 0 };
  let phaseStart = started;
  const progress = (phase: BuildPhase, done: number, total: number): void =>
    opts.onProgress?.({ phase, done, total, elapsedMs: Math.round(performance.now() - started) });
  const endPhase = (phase: BuildPhase): void => {
    const now = performance.now();
    phaseMs[phase] = Math.round(now - phaseStart);
    phaseStart = now;
  };

  signal?.throwIfAborted();
  await cleanupIndexDir(indexDir);
  const chunking = stableJson(opts.chunkOptions ?? {});
  const previous = usablePrevious(opts.previous, embedder, tokenizer, chunking, logger);

  // read
  progress('read', 0, 0);
  const { reports: read, skipped } = await readReports(opts.reportsDir, {
    logger,
    ...(signal !== undefined && { signal }),
    onProgress: (done, total) => progress('read', done, total),
    ...(previous !== undefined && {
      reuse: (source: string, hash: string) => {
        const r = previous.reports.get(source);
        return r?.hash === hash ? r : undefined;
      },
    }),
  });
  const reports = [...read].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  endPhase('read');
  signal?.throwIfAborted();

  // chunk: unchanged reports keep their chunks and ids, the rest get fresh ids
  const previousChunks = groupBySource(previous?.chunks.values() ?? []);
  const chunks = new Map<number, IndexedChunk>();
  const fresh: IndexedChunk[] = [];
  const freshTexts: string[] = [];
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  let nextChunkId = previous?.manifest.nextChunkId ?? 0;
  for (const report of reports) {
    const before = previous?.reports.get(report.source);
    if (before !== undefined && sameContent(before, report)) {
      unchanged += 1;
      for (const c of previousChunks.get(report.source) ?? []) chunks.set(c.chunkId, c);
      continue;
    }
    (before === undefined ? added : changed).push(report.source);
    for (const c of chunkReport(report, opts.chunkOptions)) {
      const chunk: IndexedChunk = { ...c, chunkId: nextChunkId++ };
      chunks.set(chunk.chunkId, chunk);
      fresh.push(chunk);
      freshTexts.push(embeddingText(report, c));
    }
  }
  const current = new Set(reports.map((r) => r.source));
  const removed = [...(previous?.reports.keys() ?? [])].filter((s) => !current.has(s)).sort();
  const dropped = [...(previous?.chunks.keys() ?? [])].filter((id) => !chunks.has(id));

  // embed
  progress('embed', 0, fresh.length);
  const vectors =
    fresh.length === 0
      ? []
      : await embedder.embedDocuments(freshTexts, {
          ...(signal !== undefined && { signal }),
          onProgress: (done, total) => progress('embed', done, total),
        });
  if (vectors.length !== fresh.length) {
    throw new Error(`embedder ${embedder.id} returned ${vectors.length} vectors for ${fresh.length} texts`);
  }
  progress('embed', fresh.length, fresh.length);
  endPhase('embed');
  signal?.throwIfAborted();

  // index
  const wordsStart = performance.now();
  const userWords = extractUserWords(reports);
  tokenizer.addWords(userWords);
  const userWordsMs = Math.round(performance.now() - wordsStart);
  const reuseKeyword = previous !== undefined && isDeepStrictEqual([...previous.userWords], userWords);
  const keywordAdds = reuseKeyword ? fresh : [...chunks.values()];
  const indexTotal = fresh.length + keywordAdds.length;
  progress('index', 0, indexTotal);

  const vectorStart = performance.now();
  const vectorIndex = await startingVectors(opts, previous, logger);
  vectorIndex.removeMany(dropped);
  for (const [i, chunk] of fresh.entries()) {
    const v = vectors[i];
    if (v === undefined) throw new Error(`embedder ${embedder.id} returned no vector for chunk ${chunk.chunkId}`);
    vectorIndex.add(chunk.chunkId, v);
    if ((i + 1) % PROGRESS_EVERY === 0) {
      progress('index', i + 1, indexTotal);
      signal?.throwIfAborted();
    }
  }

  const vectorMs = Math.round(performance.now() - vectorStart);
  const keyword =
    previous !== undefined && reuseKeyword ? Bm25Index.fromJSON(previous.keyword.toJSON(), tokenizer) : new Bm25Index(tokenizer);
  if (reuseKeyword) keyword.remove(dropped);
  const reportBySource = new Map(reports.map((r) => [r.source, r]));
  for (let i = 0; i < keywordAdds.length; i += PROGRESS_EVERY) {
    keyword.add(
      keywordAdds.slice(i, i + PROGRESS_EVERY).map((c) => ({ chunkId: c.chunkId, text: keywordText(reportBySource, c) })),
    );
    progress('index', fresh.length + Math.min(i + PROGRESS_EVERY, keywordAdds.length), indexTotal);
    signal?.throwIfAborted();
  }
  logger.debug('indexed', {
    userWords: userWords.length,
    userWordsMs,
    vectorMs,
    keywordMs: Math.round(performance.now() - vectorStart) - vectorMs,
    reuseKeyword,
  });
  endPhase('index');
  signal?.throwIfAborted();

  // write: the last point where an abort is honoured is just before the new build goes live
  progress('write', 0, 1);
  const draft: IndexSnapshot = {
    manifest: manifestFor({ reports, chunks, embedder, tokenizer, hnsw: vectorIndex.options, chunking, nextChunkId }),
    reports: reportBySource,
    chunks,
    vectors: vectorIndex,
    keyword,
    userWords,
  };
  const manifest = await writeIndex(indexDir, draft, signal === undefined ? {} : { signal });
  progress('write', 1, 1);
  endPhase('write');

  const summary: BuildSummary = {
    buildId: manifest.buildId,
    added,
    changed,
    removed,
    unchanged,
    reports: manifest.counts.reports,
    paragraphs: manifest.counts.paragraphs,
    chunks: manifest.counts.chunks,
    embedded: fresh.length,
    skipped,
    durationMs: Math.round(performance.now() - started),
  };
  logger.info('index built', {
    ...summary,
    added: added.length,
    changed: changed.length,
    removed: removed.length,
    skipped: skipped.length,
    phaseMs,
  });
  return { snapshot: { ...draft, manifest }, summary, phaseMs };
}

/** The previous snapshot if its vectors and chunks can be reused, else undefined (full rebuild). */
function usablePrevious(
  previous: IndexSnapshot | undefined,
  embedder: Embedder,
  tokenizer: Tokenizer,
  chunking: string,
  logger: Logger,
): IndexSnapshot | undefined {
  if (previous === undefined) return undefined;
  const m = previous.manifest;
  const reason =
    m.embedder.id !== embedder.id || m.embedder.dimensions !== embedder.dimensions
      ? `embedder changed from ${m.embedder.id} to ${embedder.id}`
      : m.tokenizer !== tokenizer.id
        ? `tokenizer changed from ${m.tokenizer} to ${tokenizer.id}`
        : m.chunking !== chunking
          ? 'chunking options changed'
          : undefined;
  if (reason === undefined) return previous;
  logger.info('rebuilding everything', { reason });
  return undefined;
}

/**
 * The vector index to update: the previous build's file loaded afresh (so the
 * serving copy stays untouched), or, if that file is gone or damaged, a new
 * graph filled from the serving copy's vectors (read-only), or an empty one.
 */
async function startingVectors(opts: BuildIndexOptions, previous: IndexSnapshot | undefined, logger: Logger): Promise<HnswVectorIndex> {
  const dimensions = opts.embedder.dimensions;
  if (previous === undefined) return HnswVectorIndex.create(dimensions, opts.hnsw);
  const file = path.join(buildDir(opts.indexDir, previous.manifest.buildId), INDEX_FILES.vectors);
  try {
    return await HnswVectorIndex.load(file, dimensions, { ...previous.vectors.options, live: previous.chunks.keys() });
  } catch (err) {
    logger.warn('previous vector file unusable; copying vectors from the loaded index', { file, reason: describeError(err) });
    const copy = HnswVectorIndex.create(dimensions, previous.vectors.options);
    for (const label of previous.vectors.labels()) copy.add(label, previous.vectors.getVector(label));
    return copy;
  }
}

function manifestFor(p: {
  reports: readonly Report[];
  chunks: ReadonlyMap<number, IndexedChunk>;
  embedder: Embedder;
  tokenizer: Tokenizer;
  hnsw: HnswOptions;
  chunking: string;
  nextChunkId: number;
}): IndexManifest {
  const perReport = groupBySource(p.chunks.values());
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    buildId: newBuildId(),
    builtAt: new Date().toISOString(),
    embedder: { id: p.embedder.id, dimensions: p.embedder.dimensions },
    tokenizer: p.tokenizer.id,
    hnsw: p.hnsw,
    chunking: p.chunking,
    counts: {
      reports: p.reports.length,
      paragraphs: p.reports.reduce((s, r) => s + r.paragraphs.length, 0),
      chunks: p.chunks.size,
    },
    reports: p.reports.map((r) => ({
      source: r.source,
      title: r.title,
      hash: r.hash,
      paragraphs: r.paragraphs.length,
      chunks: perReport.get(r.source)?.length ?? 0,
    })),
    nextChunkId: p.nextChunkId,
    files: {},
  };
}

/** What the keyword index sees: the same text as the embedder (title, region, section and chunk). */
function keywordText(reports: ReadonlyMap<string, Report>, chunk: IndexedChunk): string {
  const report = reports.get(chunk.source);
  return report === undefined ? chunk.text : embeddingText(report, chunk);
}

/** Same bytes and same metadata: the stored chunks and vectors still describe this report. */
function sameContent(a: Report, b: Report): boolean {
  return a.hash === b.hash && a.title === b.title && a.region === b.region && a.date === b.date && a.publisher === b.publisher;
}

function groupBySource(chunks: Iterable<IndexedChunk>): Map<string, IndexedChunk[]> {
  const out = new Map<string, IndexedChunk[]>();
  for (const c of chunks) {
    const list = out.get(c.source);
    if (list === undefined) out.set(c.source, [c]);
    else list.push(c);
  }
  return out;
}

/** JSON with object keys sorted, so equal options always give the same string. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
