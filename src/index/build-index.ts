/**
 * Builds or updates the indexes from an ingested folder (src/ingest/ingest-folder.ts):
 * embed → user words → keyword → write, one function a phase, timed and
 * reported by the build's clock (build-clock.ts). src/build-from-reports.ts
 * composes it with the ingest stage.
 *
 * Incremental: chunks of unchanged reports keep their vectors; only the
 * ingest's fresh chunks are embedded, and its dropped chunks leave both
 * indexes. The vector index is updated in a copy (the previous build's graph
 * read from its file, the vectors copied in memory), never in
 * `previous.vectors`, which may be answering questions meanwhile.
 *
 * User words (names the index's tokenizer keeps whole) are extracted from new
 * and changed reports only; unchanged reports reuse theirs from the index. The
 * index gets a tokenizer with its own words (`withWords`); kept chunks keep
 * their keyword entries unless their text holds a word that joined or left the
 * list, since a text's tokens depend only on the user words it contains. This
 * keeps a one-report re-index proportional to that report, not to the
 * collection. A different embedder, tokenizer or chunking makes everything
 * rebuild (`reusablePrevious`). Nothing becomes visible until `writeIndex`
 * swaps the finished build in, so a failure or abort leaves the previous index live.
 *
 * The long synchronous steps (user words, vector and keyword insertion) give
 * the event loop a turn every few tens of milliseconds: the bot answers from
 * the previous index and handles signals while a large collection is indexed
 * (without this, 4,000 new chunks held it for over 8 s).
 */
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { embeddingText, type ChunkOptions } from '../ingest/chunk.js';
import { groupBySource, type IngestedFolder } from '../ingest/ingest-folder.js';
import { describeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { Embedder, IndexedChunk, Report, Tokenizer, UserWordTokenizer } from '../types.js';
import type { BuildClock } from './build-clock.js';
import { fileDigest } from './durable-fs.js';
import { createKeywordIndex, DEFAULT_VECTOR_KIND } from './index-factory.js';
import { INDEX_FILES, INDEX_FORMAT_VERSION, buildDir, newBuildId, writeIndex, type IndexManifest, type IndexSnapshot } from './index-store.js';
import type { KeywordIndex } from './keyword-index.js';
import { loadStopWords } from '../text/stop-words.js';
import { UserWords } from '../text/user-words.js';
import { extractReportWords, mergeUserWords, type ReportWords } from './user-dictionary.js';
import type { VectorIndex, VectorIndexKind, VectorIndexParams } from './vector-index.js';

/** What decides whether a previous index can be updated rather than rebuilt. */
export interface BuildBasis {
  readonly embedder: Embedder;
  /** Given the collection's user words, it makes the index's tokenizer. */
  readonly tokenizer: UserWordTokenizer;
  readonly chunkOptions?: ChunkOptions | undefined;
}

export interface BuildIndexOptions extends BuildBasis {
  readonly indexDir: string;
  /** The folder as ingested against `previous` (same previous, or both undefined). */
  readonly folder: IngestedFolder;
  /** The index to update, as `reusablePrevious` returned it; undefined builds from scratch. */
  readonly previous: IndexSnapshot | undefined;
  readonly clock: BuildClock;
  readonly logger?: Logger | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * The vector index to build and the parameters of a fresh one; default HNSW with
   * DEFAULT_HNSW_OPTIONS. A previous build of the same kind is updated with its own
   * parameters; one of another kind has its vectors copied into a fresh index.
   */
  readonly vectorIndex?: { readonly kind: VectorIndexKind; readonly params?: VectorIndexParams } | undefined;
}

export interface IndexBuild {
  /** The build, live in `indexDir`. */
  readonly snapshot: IndexSnapshot;
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

/** One build's inputs and its shared helpers, handed from phase to phase. */
interface Build {
  readonly opts: BuildIndexOptions;
  readonly folder: IngestedFolder;
  readonly previous: IndexSnapshot | undefined;
  readonly clock: BuildClock;
  readonly logger: Logger;
  readonly signal: AbortSignal | undefined;
  /** What the embedder and the keyword index see of a chunk. */
  readonly text: (chunk: IndexedChunk) => string;
  readonly breathe: () => Promise<void>;
}

/** What the user-words phase decided: the index's words and tokenizer, and which chunks the keyword index must (re)add. */
interface WordsPhase {
  readonly reportWords: Map<string, ReportWords>;
  readonly userWords: string[];
  readonly tokenizer: Tokenizer;
  /** Kept chunks whose keyword entries are rebuilt (see UserWords). */
  readonly stale: readonly IndexedChunk[];
}

export async function buildIndex(opts: BuildIndexOptions): Promise<IndexBuild> {
  const reportBySource = new Map(opts.folder.reports.map((r) => [r.source, r]));
  const build: Build = {
    opts,
    folder: opts.folder,
    previous: opts.previous,
    clock: opts.clock,
    logger: opts.logger ?? silentLogger,
    signal: opts.signal,
    text: (chunk) => indexedText(reportBySource, chunk),
    breathe: breather(),
  };
  const vectors = await embedPhase(build);
  build.signal?.throwIfAborted();
  const words = await userWordsPhase(build);
  const keyword = await keywordPhase(build, words);
  build.signal?.throwIfAborted();
  const snapshot = await writePhase(build, { reports: reportBySource, vectors, keyword, words });
  return { snapshot, retokenized: words.stale.length };
}

/**
 * Embeds the fresh chunks slice by slice, each slice's vectors going into the vector index
 * at once, so that only one slice of embedded vectors exists at a time (all of them at
 * once were ~300 MB at 100k chunks, on top of the index holding their copies).
 */
async function embedPhase(b: Build): Promise<VectorIndex> {
  const { clock, signal, folder } = b;
  const { embedder } = b.opts;
  const fresh = folder.fresh;
  clock.progress('embed', 0, fresh.length);
  const vectorIndex = await startingVectors(b);
  await vectorIndex.remove(folder.dropped);
  vectorIndex.reserve(folder.chunks.size);
  clock.lap('vectors');
  for (let start = 0; start < fresh.length; start += EMBED_SLICE) {
    const slice = fresh.slice(start, start + EMBED_SLICE);
    // Texts are made per slice: all of them at once were ~60 MB at 100k chunks, kept to the end.
    const vectors = await embedder.embedDocuments(slice.map(b.text), {
      ...(signal !== undefined && { signal }),
      onProgress: (done) => clock.progress('embed', start + done, fresh.length),
    });
    if (vectors.length !== slice.length) {
      throw new Error(`embedder ${embedder.id} returned ${vectors.length} vectors for ${slice.length} texts`);
    }
    clock.lap('embed');
    for (const [i, chunk] of slice.entries()) {
      await vectorIndex.add([chunk.chunkId], [vectors[i]!]);
      await b.breathe();
    }
    clock.lap('vectors');
    signal?.throwIfAborted();
  }
  clock.progress('embed', fresh.length, fresh.length);
  return vectorIndex;
}

/** The index's user words: extracted from new and changed reports only (see extractReportWords), reused for kept ones. */
async function userWordsPhase(b: Build): Promise<WordsPhase> {
  const { folder, previous } = b;
  const stopWords = loadStopWords();
  const reportWords = new Map<string, ReportWords>();
  for (const report of folder.reports) {
    const before = folder.kept.has(report.source) ? previous?.reportWords.get(report.source) : undefined;
    reportWords.set(report.source, before ?? extractReportWords(report, { stopWords }));
    await b.breathe();
  }
  const userWords = mergeUserWords(reportWords.values());
  // Kept chunks keep their keyword entries, except those holding a word that joined or left
  // the list: only their tokens can differ under the new tokenizer (see UserWords).
  const before = new Set(previous?.userWords ?? []);
  const now = new Set(userWords);
  const changedWords = new UserWords([...userWords.filter((w) => !before.has(w)), ...[...before].filter((w) => !now.has(w))]);
  const stale = [...folder.chunks.values()].filter((c) => folder.kept.has(c.source) && changedWords.occursIn(b.text(c)));
  b.clock.lap('userWords');
  b.logger.debug('user words', { userWords: userWords.length, changedWords: changedWords.size, retokenized: stale.length });
  return { reportWords, userWords, tokenizer: b.opts.tokenizer.withWords(userWords), stale };
}

/** The keyword index: a fork of the previous one with the dropped and stale chunks replaced, or a new one. */
async function keywordPhase(b: Build, words: WordsPhase): Promise<KeywordIndex> {
  const { folder, previous, clock, signal } = b;
  const adds = previous === undefined ? [...folder.chunks.values()] : [...folder.fresh, ...words.stale];
  clock.progress('index', 0, adds.length);
  const keyword = previous === undefined ? createKeywordIndex(words.tokenizer) : await previous.keyword.fork(words.tokenizer);
  await keyword.remove([...folder.dropped, ...words.stale.map((c) => c.chunkId)]);
  for (let i = 0; i < adds.length; i += KEYWORD_BATCH) {
    await keyword.add(adds.slice(i, i + KEYWORD_BATCH).map((c) => ({ chunkId: c.chunkId, text: b.text(c) })));
    const added = Math.min(i + KEYWORD_BATCH, adds.length);
    if (added % PROGRESS_EVERY === 0 || added === adds.length) {
      clock.progress('index', added, adds.length);
      signal?.throwIfAborted();
    }
    await b.breathe();
  }
  clock.lap('keyword');
  return keyword;
}

/** Writes the build and makes it live; the last point where an abort is honoured is just before it goes live. */
async function writePhase(
  b: Build,
  parts: { reports: ReadonlyMap<string, Report>; vectors: VectorIndex; keyword: KeywordIndex; words: WordsPhase },
): Promise<IndexSnapshot> {
  const { folder, clock, signal } = b;
  const { vectors, keyword, words } = parts;
  clock.progress('write', 0, 1);
  const draft: IndexSnapshot = {
    manifest: manifestFor({
      folder,
      embedder: b.opts.embedder,
      tokenizer: words.tokenizer,
      vectorIndex: vectors,
      chunking: chunkingKey(b.opts.chunkOptions),
    }),
    reports: parts.reports,
    chunks: folder.chunks,
    vectors,
    keyword,
    userWords: words.userWords,
    reportWords: words.reportWords,
  };
  const manifest = await writeIndex(b.opts.indexDir, draft, signal === undefined ? {} : { signal });
  clock.progress('write', 1, 1);
  clock.lap('write');
  return { ...draft, manifest };
}

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

/** The previous snapshot if its vectors and chunks can be reused by a build on `basis`, else undefined (full rebuild). */
export function reusablePrevious(previous: IndexSnapshot | undefined, basis: BuildBasis, logger: Logger): IndexSnapshot | undefined {
  if (previous === undefined) return undefined;
  const m = previous.manifest;
  const { embedder } = basis;
  // The previous words given to this program's tokenizer must give the tokenizer that built it.
  const previousTokenizer = basis.tokenizer.withWords(previous.userWords);
  const reason =
    m.embedder.id !== embedder.id || m.embedder.dimensions !== embedder.dimensions
      ? `embedder changed from ${m.embedder.id} to ${embedder.id}`
      : m.tokenizer !== previousTokenizer.id
        ? `tokenizer changed from ${m.tokenizer} to ${previousTokenizer.id}`
        : m.chunking !== chunkingKey(basis.chunkOptions)
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
async function startingVectors(b: Build): Promise<VectorIndex> {
  const { previous, logger, opts } = b;
  const capacity = b.folder.chunks.size;
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
  folder: IngestedFolder;
  embedder: Embedder;
  tokenizer: Tokenizer;
  vectorIndex: VectorIndex;
  chunking: string;
}): IndexManifest {
  const { reports, chunks, nextChunkId } = p.folder;
  const perReport = groupBySource(chunks.values());
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
      reports: reports.length,
      paragraphs: reports.reduce((s, r) => s + r.paragraphs.length, 0),
      chunks: chunks.size,
    },
    reports: reports.map((r) => ({
      source: r.source,
      title: r.title,
      hash: r.hash,
      paragraphs: r.paragraphs.length,
      chunks: perReport.get(r.source)?.length ?? 0,
      // Who reads the manifest sees what each report is about.
      ...(r.subject !== undefined && { subject: r.subject }),
      ...(r.kind !== undefined && { kind: r.kind }),
      ...(r.years !== undefined && { years: r.years }),
      ...(r.planYears !== undefined && { planYears: r.planYears }),
    })),
    nextChunkId,
    files: {},
  };
}

/** What the embedder and the keyword index see: title, region, section and chunk text. */
function indexedText(reports: ReadonlyMap<string, Report>, chunk: IndexedChunk): string {
  const report = reports.get(chunk.source);
  return report === undefined ? chunk.text : embeddingText(report, chunk);
}

/** The manifest's record of the chunking options: JSON with keys sorted, so equal options always give the same string. */
function chunkingKey(options: ChunkOptions | undefined): string {
  return JSON.stringify(options ?? {}, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
