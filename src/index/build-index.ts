/**
 * Builds or updates the index: read → chunk → embed → index → write.
 *
 * Incremental: a report whose content hash (and metadata) is unchanged since
 * `previous` keeps its chunks, chunkIds and vectors; only added or changed
 * reports are chunked and embedded, and chunks of changed or removed reports
 * leave both indexes. The vector index is updated in a copy (the previous
 * build's graph read from its file, the vectors copied in memory), never in
 * `previous.vectors`, which may be answering questions meanwhile.
 *
 * User words (names the index's tokenizer keeps whole) are extracted from new
 * and changed reports only; unchanged reports reuse theirs from the index. The
 * index gets a tokenizer with its own words (`withWords`); kept chunks keep
 * their keyword entries unless their text holds a word that joined or left the
 * list, since a text's tokens depend only on the user words it contains. This
 * keeps a one-report re-index proportional to that report, not to the
 * collection. A different embedder, tokenizer or chunking
 * makes everything rebuild. Nothing becomes visible until `writeIndex` swaps
 * the finished build in, so a failure or abort leaves the previous index live.
 *
 * The long synchronous steps (user words, vector and keyword insertion) give
 * the event loop a turn every few tens of milliseconds: the bot answers from
 * the previous index and handles signals while a large collection is indexed
 * (without this, 4,000 new chunks held it for over 8 s).
 */
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { chunkReport, embeddingText } from '../ingest/chunk.js';
import { readReports } from '../ingest/read-reports.js';
import { describeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { BuildPhase, BuildProgress, BuildSummary, Embedder, IndexedChunk, Report, Tokenizer, UserWordTokenizer } from '../types.js';
import { fileDigest } from './durable-fs.js';
import { createKeywordIndex, DEFAULT_VECTOR_KIND } from './index-factory.js';
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
import { loadStopWords } from '../text/stop-words.js';
import { UserWords } from '../text/user-words.js';
import { extractReportWords, mergeUserWords, type ReportWords } from './user-dictionary.js';
import type { VectorIndex, VectorIndexKind, VectorIndexParams } from './vector-index.js';

export type ChunkOptions = Parameters<typeof chunkReport>[1];

export interface BuildIndexOptions {
  reportsDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Given the collection's user words, it makes the index's tokenizer. */
  tokenizer: UserWordTokenizer;
  /** The index to update; without it (or when incompatible) everything is built from scratch. */
  previous?: IndexSnapshot;
  logger?: Logger;
  onProgress?: (p: BuildProgress) => void;
  signal?: AbortSignal;
  chunkOptions?: ChunkOptions;
  /**
   * The vector index to build and the parameters of a fresh one; default HNSW with
   * DEFAULT_HNSW_OPTIONS. A previous build of the same kind is updated with its own
   * parameters; one of another kind has its vectors copied into a fresh index.
   */
  vectorIndex?: { readonly kind: VectorIndexKind; readonly params?: VectorIndexParams };
}

/** The steps of a build, finer than its phases (`chunk` is inside `embed`; `userWords`, `vectors` and `keyword` make up `index`). */
export type BuildStep = 'read' | 'chunk' | 'embed' | 'userWords' | 'vectors' | 'keyword' | 'write';

export interface BuildResult {
  readonly snapshot: IndexSnapshot;
  readonly summary: BuildSummary;
  /** Wall time spent in each phase. */
  readonly phaseMs: Readonly<Record<BuildPhase, number>>;
  /** Wall time spent in each step (for the benchmark and the debug log). */
  readonly stepMs: Readonly<Record<BuildStep, number>>;
  /** Chunks of unchanged reports whose keyword entries were rebuilt because a user word they contain joined or left the list. */
  readonly retokenized: number;
}

/** Chunks embedded per embedder call; their vectors go into the index before the next slice. */
const EMBED_SLICE = 512;

/** Progress is reported at most this often inside a phase (plus at its start and end). */
const PROGRESS_EVERY = 256;

/** Chunks tokenized per keyword-index call (a few ms of work between event-loop turns). */
const KEYWORD_BATCH = 32;

/** Longest stretch of synchronous index work before the event loop gets a turn. */
const BREATHE_EVERY_MS = 30;

/**
 * A function to await inside long synchronous loops: it yields to the event
 * loop (other callers' I/O, timers, signals) once `BREATHE_EVERY_MS` passed
 * since the last turn, and costs nothing otherwise.
 */
function breather(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < BREATHE_EVERY_MS) return;
    await nextTurn();
    last = performance.now();
  };
}

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
  const stepMs: Record<BuildStep, number> = { read: 0, chunk: 0, embed: 0, userWords: 0, vectors: 0, keyword: 0, write: 0 };
  let stepStart = started;
  /** Adds the time since the last step ended to `step` (embedding and insertion alternate). */
  const addStep = (step: BuildStep): void => {
    const now = performance.now();
    stepMs[step] += now - stepStart;
    stepStart = now;
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
  const reportBySource = new Map(reports.map((r) => [r.source, r]));
  endPhase('read');
  addStep('read');
  signal?.throwIfAborted();

  // chunk: unchanged reports keep their chunks and ids, the rest get fresh ids
  const previousChunks = groupBySource(previous?.chunks.values() ?? []);
  const chunks = new Map<number, IndexedChunk>();
  const fresh: IndexedChunk[] = [];
  const added: string[] = [];
  const changed: string[] = [];
  /** Sources of unchanged reports: their chunks, vectors and words are reused. */
  const kept = new Set<string>();
  let nextChunkId = previous?.manifest.nextChunkId ?? 0;
  for (const report of reports) {
    const before = previous?.reports.get(report.source);
    if (before !== undefined && sameContent(before, report)) {
      kept.add(report.source);
      for (const c of previousChunks.get(report.source) ?? []) chunks.set(c.chunkId, c);
      continue;
    }
    (before === undefined ? added : changed).push(report.source);
    for (const c of chunkReport(report, opts.chunkOptions)) {
      const chunk: IndexedChunk = { ...c, chunkId: nextChunkId++ };
      chunks.set(chunk.chunkId, chunk);
      fresh.push(chunk);
    }
  }
  const current = new Set(reports.map((r) => r.source));
  const removed = [...(previous?.reports.keys() ?? [])].filter((s) => !current.has(s)).sort();
  const dropped = [...(previous?.chunks.keys() ?? [])].filter((id) => !chunks.has(id));
  addStep('chunk');

  // embed: slice by slice, each slice's vectors going into the vector index at once, so
  // that only one slice of embedded vectors exists at a time (all of them at once were
  // ~300 MB at 100k chunks, on top of the index holding their copies)
  progress('embed', 0, fresh.length);
  const vectorIndex = await startingVectors(opts, previous, chunks.size, logger);
  await vectorIndex.remove(dropped);
  vectorIndex.reserve(chunks.size);
  addStep('vectors');
  const breathe = breather();
  for (let start = 0; start < fresh.length; start += EMBED_SLICE) {
    const slice = fresh.slice(start, start + EMBED_SLICE);
    // Texts are made per slice: all of them at once were ~60 MB at 100k chunks, kept to the end.
    const vectors = await embedder.embedDocuments(slice.map((c) => indexedText(reportBySource, c)), {
      ...(signal !== undefined && { signal }),
      onProgress: (done) => progress('embed', start + done, fresh.length),
    });
    if (vectors.length !== slice.length) {
      throw new Error(`embedder ${embedder.id} returned ${vectors.length} vectors for ${slice.length} texts`);
    }
    addStep('embed');
    for (const [i, chunk] of slice.entries()) {
      await vectorIndex.add([chunk.chunkId], [vectors[i]!]);
      await breathe();
    }
    addStep('vectors');
    signal?.throwIfAborted();
  }
  progress('embed', fresh.length, fresh.length);
  endPhase('embed');
  signal?.throwIfAborted();

  // index: names are extracted from new and changed reports only (see extractReportWords)
  const stopWords = loadStopWords();
  const reportWords = new Map<string, ReportWords>();
  for (const report of reports) {
    const before = kept.has(report.source) ? previous?.reportWords.get(report.source) : undefined;
    reportWords.set(report.source, before ?? extractReportWords(report, { stopWords }));
    await breathe();
  }
  const userWords = mergeUserWords(reportWords.values());
  const indexTokenizer = tokenizer.withWords(userWords);
  // Kept chunks keep their keyword entries, except those holding a word that joined or left
  // the list: only their tokens can differ under the new tokenizer (see UserWords).
  const before = new Set(previous?.userWords ?? []);
  const now = new Set(userWords);
  const changedWords = new UserWords([...userWords.filter((w) => !before.has(w)), ...[...before].filter((w) => !now.has(w))]);
  const stale = [...chunks.values()].filter((c) => kept.has(c.source) && changedWords.occursIn(indexedText(reportBySource, c)));
  const keywordAdds = previous === undefined ? [...chunks.values()] : [...fresh, ...stale];
  progress('index', 0, keywordAdds.length);
  addStep('userWords');

  const keyword = previous === undefined ? createKeywordIndex(indexTokenizer) : await previous.keyword.fork(indexTokenizer);
  await keyword.remove([...dropped, ...stale.map((c) => c.chunkId)]);
  for (let i = 0; i < keywordAdds.length; i += KEYWORD_BATCH) {
    await keyword.add(
      keywordAdds.slice(i, i + KEYWORD_BATCH).map((c) => ({ chunkId: c.chunkId, text: indexedText(reportBySource, c) })),
    );
    const added = Math.min(i + KEYWORD_BATCH, keywordAdds.length);
    if (added % PROGRESS_EVERY === 0 || added === keywordAdds.length) {
      progress('index', added, keywordAdds.length);
      signal?.throwIfAborted();
    }
    await breathe();
  }
  addStep('keyword');
  logger.debug('indexed', { userWords: userWords.length, changedWords: changedWords.size, retokenized: stale.length, stepMs });
  endPhase('index');
  signal?.throwIfAborted();

  // write: the last point where an abort is honoured is just before the new build goes live
  progress('write', 0, 1);
  const draft: IndexSnapshot = {
    manifest: manifestFor({ reports, chunks, embedder, tokenizer: indexTokenizer, vectorIndex, chunking, nextChunkId }),
    reports: reportBySource,
    chunks,
    vectors: vectorIndex,
    keyword,
    userWords,
    reportWords,
  };
  const manifest = await writeIndex(indexDir, draft, signal === undefined ? {} : { signal });
  progress('write', 1, 1);
  endPhase('write');
  addStep('write');

  for (const step of Object.keys(stepMs) as BuildStep[]) stepMs[step] = Math.round(stepMs[step]);
  const summary: BuildSummary = {
    buildId: manifest.buildId,
    added,
    changed,
    removed,
    unchanged: kept.size,
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
  return { snapshot: { ...draft, manifest }, summary, phaseMs, stepMs, retokenized: stale.length };
}

/** The previous snapshot if its vectors and chunks can be reused, else undefined (full rebuild). */
function usablePrevious(
  previous: IndexSnapshot | undefined,
  embedder: Embedder,
  tokenizer: UserWordTokenizer,
  chunking: string,
  logger: Logger,
): IndexSnapshot | undefined {
  if (previous === undefined) return undefined;
  const m = previous.manifest;
  // The previous words given to this program's tokenizer must give the tokenizer that built it.
  const previousTokenizer = tokenizer.withWords(previous.userWords);
  const reason =
    m.embedder.id !== embedder.id || m.embedder.dimensions !== embedder.dimensions
      ? `embedder changed from ${m.embedder.id} to ${embedder.id}`
      : m.tokenizer !== previousTokenizer.id
        ? `tokenizer changed from ${m.tokenizer} to ${previousTokenizer.id}`
        : m.chunking !== chunking
          ? 'chunking options changed'
          : undefined;
  if (reason === undefined) return previous;
  logger.info('rebuilding everything', { reason });
  return undefined;
}

/**
 * The vector index to update: a fork of the serving copy (for HNSW, the previous
 * build's graph read afresh from its file and the vectors copied in memory), so
 * the serving copy stays untouched, once the file's checksum matches the
 * manifest; or, if that file is gone or damaged or the kind changes, a new
 * index filled from the serving copy's vectors (read-only); or an empty one.
 */
async function startingVectors(
  opts: BuildIndexOptions,
  previous: IndexSnapshot | undefined,
  capacity: number,
  logger: Logger,
): Promise<VectorIndex> {
  const dimensions = opts.embedder.dimensions;
  const kind = opts.vectorIndex?.kind ?? DEFAULT_VECTOR_KIND;
  if (previous === undefined) return kind.create(dimensions, opts.vectorIndex?.params);
  const before = previous.vectors.describe();
  const file = path.join(buildDir(opts.indexDir, previous.manifest.buildId), INDEX_FILES.vectors);
  if (before.kind !== kind.kind) {
    logger.info('changing the vector index; copying vectors from the loaded index', { from: before.kind, to: kind.kind });
    return copyVectors(previous, kind.create(dimensions, opts.vectorIndex?.params), capacity);
  }
  const recorded = previous.manifest.files[INDEX_FILES.vectors];
  try {
    // Checked against the manifest first: hnswlib loads some damage silently, and a damaged
    // vector reused here would be written into the new build under a fresh checksum.
    const found = await fileDigest(file);
    if (recorded === undefined || found.crc32 !== recorded.crc32 || found.bytes !== recorded.bytes) {
      throw new Error('the file no longer matches its checksum in the manifest');
    }
    return await previous.vectors.fork(file, capacity);
  } catch (err) {
    logger.warn('previous vector file unusable; copying vectors from the loaded index', { file, reason: describeError(err) });
    return copyVectors(previous, kind.create(dimensions, before.params), capacity);
  }
}

/** Fills `into` with the vectors of `previous`, a slice at a time (all at once would double their memory). */
async function copyVectors(previous: IndexSnapshot, into: VectorIndex, capacity: number): Promise<VectorIndex> {
  into.reserve(capacity);
  const labels = [...previous.chunks.keys()];
  for (let i = 0; i < labels.length; i += EMBED_SLICE) {
    const slice = labels.slice(i, i + EMBED_SLICE);
    await into.add(slice, await previous.vectors.vectors(slice));
  }
  return into;
}

function manifestFor(p: {
  reports: readonly Report[];
  chunks: ReadonlyMap<number, IndexedChunk>;
  embedder: Embedder;
  tokenizer: Tokenizer;
  vectorIndex: VectorIndex;
  chunking: string;
  nextChunkId: number;
}): IndexManifest {
  const perReport = groupBySource(p.chunks.values());
  const { kind, params } = p.vectorIndex.describe();
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    buildId: newBuildId(),
    builtAt: new Date().toISOString(),
    embedder: { id: p.embedder.id, dimensions: p.embedder.dimensions },
    tokenizer: p.tokenizer.id,
    vectorIndex: { kind, params },
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

/** What the embedder and the keyword index see: title, region, section and chunk text. */
function indexedText(reports: ReadonlyMap<string, Report>, chunk: IndexedChunk): string {
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
