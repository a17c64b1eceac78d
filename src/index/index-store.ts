/**
 * The index on disk. Layout of INDEX_DIR (only `CURRENT`, `builds/`, `leases/`
 * and `build.lock` are ours; anything else there, such as `models/`, is never touched):
 *
 *   CURRENT                   the live build's id, replaced atomically (tmp + rename + fsync)
 *   build.lock                held by the one process building (build-lock.ts)
 *   leases/<buildId>.<owner>  a running process has that build loaded (build-leases.ts)
 *   builds/<buildId>/         one complete build:
 *     manifest.json           format version, embedder, tokenizer, counts, per-report hashes, file checksums
 *     vectors.hnsw            the HNSW graph and vectors (label = chunkId)
 *     chunks.json             IndexedChunk[]
 *     reports.json            Report[] with every paragraph (whole-paragraph view, reuse of unchanged reports)
 *     keyword.json            the BM25 index
 *     user-words.json         the names the tokenizer keeps whole, and each report's share of them
 *   builds/.tmp-<id>-<pid>-<token>/   a build being written
 *
 * A build is written into a temporary folder, fsynced, its vector file (written
 * by hnswlib, not by us) checked, renamed into `builds/`, and only then named by
 * `CURRENT`. A crash at any
 * point leaves the previous `CURRENT` and its folder intact. Loading checks the
 * manifest against the running embedder and tokenizer and every file's size and
 * checksum before parsing anything, so damage is reported, never served.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { AppError, describeError, isAppError } from '../errors.js';
import type { IndexedChunk, Paragraph, Report, Tokenizer, UserWordTokenizer } from '../types.js';
import { Bm25Index } from './bm25-index.js';
import { fileDigest, fsyncPath, replaceFileAtomic, writeFileDurable, writeJsonDurable, type Digest } from './durable-fs.js';
import { leasedBuilds } from './build-leases.js';
import { HnswVectorIndex, type HnswOptions } from './hnsw-index.js';
import { isLocalOwnerAlive, PROCESS_TOKEN } from './process-identity.js';
import { mergeUserWords, type ReportWords } from './user-dictionary.js';

/**
 * Bumped whenever the layout or a file's shape changes; older builds are then re-indexed.
 * 2: user-words.json holds each report's words beside the merged list.
 * 3: file checksums are CRC-32 (`crc32`) instead of sha256.
 */
export const INDEX_FORMAT_VERSION = 3;

export interface ManifestReport {
  readonly source: string;
  readonly title: string;
  readonly hash: string;
  readonly paragraphs: number;
  readonly chunks: number;
}

/** A file's size and checksum, as recorded in the manifest. */
export type FileEntry = Digest;

export interface IndexManifest {
  readonly formatVersion: number;
  readonly buildId: string;
  /** ISO 8601. */
  readonly builtAt: string;
  readonly embedder: { readonly id: string; readonly dimensions: number };
  readonly tokenizer: string;
  readonly hnsw: HnswOptions;
  /**
   * What chunking settings produced the chunks (a stable JSON string); a change
   * means stored chunks cannot be reused.
   */
  readonly chunking: string;
  readonly counts: { readonly reports: number; readonly paragraphs: number; readonly chunks: number };
  readonly reports: readonly ManifestReport[];
  /** The next free chunkId: ids are never reused, so a stale id can never point at new text. */
  readonly nextChunkId: number;
  /** Every data file of the build (not the manifest itself) with its size and checksum. */
  readonly files: Readonly<Record<string, FileEntry>>;
}

/** A loaded (or freshly built) index: everything retrieval and citations need. */
export interface IndexSnapshot {
  readonly manifest: IndexManifest;
  readonly reports: ReadonlyMap<string, Report>;
  readonly chunks: ReadonlyMap<number, IndexedChunk>;
  readonly vectors: HnswVectorIndex;
  readonly keyword: Bm25Index;
  /** The names the keyword index's tokenizer keeps whole: `mergeUserWords(reportWords.values())`. */
  readonly userWords: readonly string[];
  /** Each report's names (by source), reused for unchanged reports by the next build. */
  readonly reportWords: ReadonlyMap<string, ReportWords>;
}

/** What the running program expects of an index; a mismatch is INDEX_INCOMPATIBLE. */
export interface IndexExpectation {
  readonly embedderId: string;
  readonly dimensions: number;
  /** Given the index's user words, it must make the tokenizer the manifest names. */
  readonly tokenizer: UserWordTokenizer;
}

export const CURRENT_FILE = 'CURRENT';
const BUILDS_DIR = 'builds';
const MANIFEST_FILE = 'manifest.json';
const TMP_PREFIX = '.tmp-';
export const INDEX_FILES = {
  vectors: 'vectors.hnsw',
  chunks: 'chunks.json',
  reports: 'reports.json',
  keyword: 'keyword.json',
  userWords: 'user-words.json',
} as const;
const BUILD_ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

/** A new, sortable build id: UTC time to the millisecond plus randomness. */
export function newBuildId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}

/** Folder of a build inside INDEX_DIR. */
export function buildDir(indexDir: string, buildId: string): string {
  return path.join(indexDir, BUILDS_DIR, buildId);
}

/**
 * Loads the live build. Throws AppError INDEX_MISSING (nothing built yet),
 * INDEX_INCOMPATIBLE (other format version, embedder or tokenizer) or
 * INDEX_CORRUPT (missing file, size or checksum mismatch, unparsable content).
 */
export async function loadIndex(indexDir: string, expect: IndexExpectation): Promise<IndexSnapshot> {
  const buildId = await readCurrent(indexDir);
  return loadBuild(buildDir(indexDir, buildId), expect);
}

/** Reads `CURRENT`: the live build id. Throws like `loadIndex`. */
export async function readCurrent(indexDir: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(path.join(indexDir, CURRENT_FILE), 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      throw new AppError('INDEX_MISSING', `No index has been built in ${indexDir} yet: run \`report-qa index\` to build it.`);
    }
    throw corrupt(indexDir, `cannot read ${CURRENT_FILE}: ${describeError(err)}`, err);
  }
  const buildId = text.trim();
  if (!BUILD_ID.test(buildId)) throw corrupt(indexDir, `${CURRENT_FILE} holds "${buildId.slice(0, 60)}", not a build id`);
  return buildId;
}

/** Loads and validates one build folder: checksums, every file's content, counts. */
async function loadBuild(dir: string, expect: IndexExpectation): Promise<IndexSnapshot> {
  const parts = await readBuild(dir, expect);
  let vectors: HnswVectorIndex;
  try {
    vectors = await HnswVectorIndex.load(path.join(dir, INDEX_FILES.vectors), parts.manifest.embedder.dimensions, {
      ...parts.manifest.hnsw,
      live: parts.chunks.keys(),
    });
  } catch (err) {
    throw corrupt(dir, `${INDEX_FILES.vectors}: ${describeError(err)}`, err);
  }
  checkConsistency(dir, parts, vectors.size);
  const { manifest, reports, chunks, keyword, userWords, reportWords } = parts;
  return { manifest, reports, chunks, vectors, keyword, userWords, reportWords };
}

/** Everything of a build but its vectors, each part parsed and checked on its own. */
interface BuildParts {
  readonly manifest: IndexManifest;
  readonly reports: ReadonlyMap<string, Report>;
  readonly paragraphs: number;
  readonly chunks: ReadonlyMap<number, IndexedChunk>;
  /** Entries in the chunk list (more than `chunks.size` when a chunk id repeats). */
  readonly chunkEntries: number;
  readonly keyword: Bm25Index;
  readonly userWords: readonly string[];
  readonly reportWords: ReadonlyMap<string, ReportWords>;
}

async function readBuild(dir: string, expect: IndexExpectation): Promise<BuildParts> {
  const manifest = await readManifest(dir);
  checkCompatible(dir, manifest, expect);
  await verifyFiles(dir, manifest);

  const fail = (file: string, why: string, cause?: unknown): AppError => corrupt(dir, `${file}: ${why}`, cause);
  const parse = async (file: string): Promise<unknown> => {
    try {
      return JSON.parse(await fs.readFile(path.join(dir, file), 'utf8'));
    } catch (err) {
      throw fail(file, describeError(err), err);
    }
  };

  const words = await parse(INDEX_FILES.userWords);
  if (!isUserWordsFile(words)) throw fail(INDEX_FILES.userWords, 'not { words, reports } of user words');
  const userWords = words.words;
  const reportWords = new Map(Object.entries(words.reports));
  const tokenizer = expect.tokenizer.withWords(userWords);
  // Before the large files: a build by another tokenizer is refused without parsing them.
  checkTokenizer(dir, manifest, tokenizer);

  const reportList = await parse(INDEX_FILES.reports);
  if (!Array.isArray(reportList) || !reportList.every(isReport)) throw fail(INDEX_FILES.reports, 'not a list of reports');
  const reports = new Map(reportList.map((r) => [r.source, r]));

  const chunkList = await parse(INDEX_FILES.chunks);
  if (!Array.isArray(chunkList) || !chunkList.every(isIndexedChunk)) throw fail(INDEX_FILES.chunks, 'not a list of chunks');
  const chunks = new Map(chunkList.map((c) => [c.chunkId, c]));

  let keyword: Bm25Index;
  try {
    keyword = Bm25Index.fromJSON(await parse(INDEX_FILES.keyword), tokenizer);
  } catch (err) {
    throw isAppError(err) ? err : fail(INDEX_FILES.keyword, describeError(err), err);
  }

  const paragraphs = sum(reportList, (r) => r.paragraphs.length);
  return { manifest, reports, paragraphs, chunks, chunkEntries: chunkList.length, keyword, userWords, reportWords };
}

/**
 * What no single file can show: every chunk's paragraph exists, each report has its
 * words and the word list is their merge, and the manifest's counts match the reports,
 * chunks, vectors and keyword entries. Run on a build as loaded and on a snapshot
 * before it is written, so an inconsistent index is never published.
 */
function checkConsistency(dir: string, parts: BuildParts, vectorCount: number): void {
  const { manifest, reports, chunks, keyword, reportWords, userWords } = parts;
  const fail = (file: string, why: string): AppError => corrupt(dir, `${file}: ${why}`);
  for (const c of chunks.values()) {
    const paragraph = reports.get(c.source)?.paragraphs[c.paragraph - 1];
    if (paragraph === undefined) throw fail(INDEX_FILES.chunks, `chunk ${c.chunkId} points at missing ${c.source} ¶${c.paragraph}`);
  }
  const unlisted = [...reports.keys()].find((source) => !reportWords.has(source));
  if (unlisted !== undefined || reportWords.size !== reports.size) {
    throw fail(INDEX_FILES.userWords, `the reports' words do not match reports.json (${unlisted ?? 'extra entries'})`);
  }
  if (!isDeepStrictEqual(mergeUserWords(reportWords.values()), userWords)) {
    throw fail(INDEX_FILES.userWords, "the word list is not the merge of the reports' words");
  }
  const counts = { reports: reports.size, paragraphs: parts.paragraphs, chunks: chunks.size };
  if (
    counts.reports !== manifest.counts.reports ||
    counts.paragraphs !== manifest.counts.paragraphs ||
    counts.chunks !== manifest.counts.chunks ||
    chunks.size !== parts.chunkEntries ||
    vectorCount !== chunks.size ||
    keyword.size !== chunks.size
  ) {
    throw corrupt(
      dir,
      `counts disagree: manifest ${JSON.stringify(manifest.counts)}, files ${JSON.stringify(counts)}, ` +
        `${vectorCount} vectors, ${keyword.size} keyword entries`,
    );
  }
}

async function readManifest(dir: string): Promise<IndexManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
  } catch (err) {
    throw corrupt(dir, `${MANIFEST_FILE}: ${describeError(err)}`, err);
  }
  if (isRecord(raw) && raw.formatVersion !== INDEX_FORMAT_VERSION && typeof raw.formatVersion === 'number') {
    throw new AppError(
      'INDEX_INCOMPATIBLE',
      `The index in ${dir} has format version ${raw.formatVersion}, this program reads version ${INDEX_FORMAT_VERSION}: ` +
        'run `report-qa index` to re-index.',
    );
  }
  if (!isManifest(raw)) throw corrupt(dir, `${MANIFEST_FILE} is not a valid manifest`);
  return raw;
}

function checkCompatible(dir: string, m: IndexManifest, expect: IndexExpectation): void {
  if (m.embedder.id !== expect.embedderId || m.embedder.dimensions !== expect.dimensions) {
    throw new AppError(
      'INDEX_INCOMPATIBLE',
      `The index in ${dir} was built with embedder ${m.embedder.id} (${m.embedder.dimensions} dimensions), ` +
        `but the configured embedder is ${expect.embedderId} (${expect.dimensions} dimensions): ` +
        'run `report-qa index` to re-index.',
    );
  }
}

/** The tokenizer made from the index's own words must be the one that built it. */
function checkTokenizer(dir: string, m: IndexManifest, tokenizer: Tokenizer): void {
  if (m.tokenizer !== tokenizer.id) {
    throw new AppError(
      'INDEX_INCOMPATIBLE',
      `The index in ${dir} was built with tokenizer ${m.tokenizer}, but this program uses ${tokenizer.id}: ` +
        'run `report-qa index` to re-index.',
    );
  }
}

async function verifyFiles(dir: string, m: IndexManifest): Promise<void> {
  for (const file of Object.values(INDEX_FILES)) {
    const want = m.files[file];
    if (want === undefined) throw corrupt(dir, `${MANIFEST_FILE} does not list ${file}`);
    let got: FileEntry;
    try {
      const stat = await fs.stat(path.join(dir, file));
      if (stat.size !== want.bytes) throw corrupt(dir, `${file} has ${stat.size} bytes, the manifest says ${want.bytes}`);
      got = await fileDigest(path.join(dir, file));
    } catch (err) {
      throw isAppError(err) ? err : corrupt(dir, `${file}: ${describeError(err)}`, err);
    }
    if (got.crc32 !== want.crc32) throw corrupt(dir, `${file} fails its checksum`);
  }
}

/**
 * Writes `snapshot` as a new build and makes it live: temporary folder →
 * fsync → check the vector file → rename into `builds/` → replace
 * `CURRENT` atomically → prune old builds. Returns the manifest as written
 * (with file checksums). On failure, or when `signal` aborts before the swap,
 * the temporary folder is removed and the previous build stays live; once
 * `CURRENT` names the new build, nothing fails the write any more.
 */
export async function writeIndex(
  indexDir: string,
  snapshot: IndexSnapshot,
  opts: { signal?: AbortSignal } = {},
): Promise<IndexManifest> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const { buildId } = snapshot.manifest;
  if (!BUILD_ID.test(buildId)) throw new Error(`invalid build id "${buildId}": use newBuildId()`);
  const builds = path.join(indexDir, BUILDS_DIR);
  await fs.mkdir(builds, { recursive: true });
  const tmp = path.join(builds, `${TMP_PREFIX}${buildId}-${process.pid}-${PROCESS_TOKEN}`);
  const { reports, chunks, keyword, userWords, reportWords } = snapshot;
  const paragraphs = sum([...reports.values()], (r) => r.paragraphs.length);
  checkConsistency(
    tmp,
    { manifest: snapshot.manifest, reports, paragraphs, chunks, chunkEntries: chunks.size, keyword, userWords, reportWords },
    snapshot.vectors.size,
  );
  let manifest: IndexManifest;
  try {
    await fs.mkdir(tmp);
    const contents: [string, () => unknown][] = [
      [INDEX_FILES.reports, () => [...snapshot.reports.values()]],
      [INDEX_FILES.chunks, () => [...snapshot.chunks.values()]],
      [INDEX_FILES.keyword, () => snapshot.keyword.toJSON()],
      [INDEX_FILES.userWords, (): UserWordsFile => ({ words: snapshot.userWords, reports: Object.fromEntries(snapshot.reportWords) })],
    ];
    // Checksums come from the bytes as they are written; the vector file, which hnswlib writes
    // itself, is checked (layout, vectors, labels) and hashed in one streaming pass.
    const files: Record<string, FileEntry> = {};
    for (const [file, value] of contents) {
      files[file] = await writeJsonDurable(path.join(tmp, file), value());
      signal?.throwIfAborted();
    }
    const vectorFile = path.join(tmp, INDEX_FILES.vectors);
    await snapshot.vectors.save(vectorFile);
    await fsyncPath(vectorFile);
    try {
      files[INDEX_FILES.vectors] = await HnswVectorIndex.verifyFile(vectorFile, snapshot.vectors.dimensions, snapshot.chunks.keys());
    } catch (err) {
      throw corrupt(tmp, `${INDEX_FILES.vectors}: ${describeError(err)}`, err);
    }
    manifest = { ...snapshot.manifest, formatVersion: INDEX_FORMAT_VERSION, files };
    await writeFileDurable(path.join(tmp, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    await fsyncPath(tmp);
    signal?.throwIfAborted();
    await fs.rename(tmp, buildDir(indexDir, buildId));
    await fsyncPath(builds);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  try {
    await replaceFileAtomic(path.join(indexDir, CURRENT_FILE), buildId + '\n', `${TMP_PREFIX}${process.pid}-${PROCESS_TOKEN}`);
  } catch (err) {
    // A step after the rename (the folder's fsync) may fail once every reader already sees
    // the new build: then it is live and must be reported as such, not as a failure.
    if ((await readCurrent(indexDir).catch(() => undefined)) !== buildId) throw err;
  }
  // Best effort once live: what cannot be removed now is retried by the next build's cleanup.
  await cleanupIndexDir(indexDir).catch(() => undefined);
  return manifest;
}

/**
 * Removes what killed or superseded builds left behind: temporary folders and
 * `CURRENT` temp files of processes that are gone, and builds older than the
 * one before the live build (that one is kept as a fallback), unless a running
 * process holds a lease on them (build-leases.ts; stale leases go too). Builds
 * newer than the live one are left alone: another process may be about to
 * switch to it. Nothing outside `CURRENT*`, `builds/` and `leases/` is touched.
 */
export async function cleanupIndexDir(indexDir: string): Promise<void> {
  const top = await readDirIfExists(indexDir);
  for (const name of top) {
    if (name.startsWith(CURRENT_FILE + TMP_PREFIX) && isAbandoned(name.slice(CURRENT_FILE.length + TMP_PREFIX.length))) {
      await fs.rm(path.join(indexDir, name), { force: true });
    }
  }
  const builds = path.join(indexDir, BUILDS_DIR);
  const entries = await readDirIfExists(builds);
  for (const name of entries) {
    if (name.startsWith(TMP_PREFIX) && isAbandoned(name.slice(TMP_PREFIX.length).replace(/^[^-]+-[^-]+-/, ''))) {
      await fs.rm(path.join(builds, name), { recursive: true, force: true });
    }
  }
  let current: string;
  try {
    current = await readCurrent(indexDir);
  } catch {
    return; // no valid pointer: nothing can be called old, so keep every build
  }
  const older = entries.filter((n) => BUILD_ID.test(n) && n < current).sort();
  const leased = await leasedBuilds(indexDir);
  for (const name of older.slice(0, -1)) {
    if (!leased.has(name)) await fs.rm(path.join(builds, name), { recursive: true, force: true });
  }
}

/** True when `pidToken` (`<pid>-<token>`) names a writer that no longer runs. */
function isAbandoned(pidToken: string): boolean {
  const match = /^(\d+)-([0-9a-f]+)$/.exec(pidToken);
  if (match === null) return true;
  return !isLocalOwnerAlive(Number(match[1]), match[2]!);
}

async function readDirIfExists(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
}

function corrupt(dir: string, why: string, cause?: unknown): AppError {
  return new AppError(
    'INDEX_CORRUPT',
    `The index in ${dir} is damaged (${why}): run \`report-qa index\` to rebuild it.`,
    cause === undefined ? undefined : { cause },
  );
}

function errnoCode(err: unknown): string | undefined {
  return isRecord(err) && typeof err.code === 'string' ? err.code : undefined;
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  return xs.reduce((s, x) => s + f(x), 0);
}

// --- shape checks for what is read back (the checksums prove the bytes, these the format) ---

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

/** The shape of user-words.json. */
interface UserWordsFile {
  readonly words: readonly string[];
  readonly reports: Readonly<Record<string, ReportWords>>;
}

function isReportWords(x: unknown): x is ReportWords {
  return isRecord(x) && isStringArray(x.sure) && isRecord(x.unsure) && Object.values(x.unsure).every(isCount);
}

function isUserWordsFile(x: unknown): x is UserWordsFile {
  return isRecord(x) && isStringArray(x.words) && isRecord(x.reports) && Object.values(x.reports).every(isReportWords);
}

const isCount = (x: unknown): x is number => Number.isInteger(x) && typeof x === 'number' && x >= 0;
const isOptionalString = (x: unknown): boolean => x === undefined || typeof x === 'string';

function isParagraph(x: unknown): x is Paragraph {
  return (
    isRecord(x) &&
    isCount(x.paragraph) &&
    typeof x.text === 'string' &&
    (x.kind === 'heading' || x.kind === 'text') &&
    isStringArray(x.section)
  );
}

function isReport(x: unknown): x is Report {
  return (
    isRecord(x) &&
    typeof x.source === 'string' &&
    typeof x.title === 'string' &&
    typeof x.hash === 'string' &&
    isOptionalString(x.date) &&
    isOptionalString(x.region) &&
    isOptionalString(x.publisher) &&
    Array.isArray(x.paragraphs) &&
    x.paragraphs.every(isParagraph)
  );
}

function isIndexedChunk(x: unknown): x is IndexedChunk {
  return (
    isRecord(x) &&
    isCount(x.chunkId) &&
    typeof x.source === 'string' &&
    isCount(x.paragraph) &&
    isCount(x.start) &&
    isCount(x.end) &&
    typeof x.text === 'string' &&
    isStringArray(x.section)
  );
}

function isHnswOptions(x: unknown): x is HnswOptions {
  return isRecord(x) && isCount(x.M) && isCount(x.efConstruction) && isCount(x.efSearch);
}

function isManifestReport(x: unknown): x is ManifestReport {
  return (
    isRecord(x) &&
    typeof x.source === 'string' &&
    typeof x.title === 'string' &&
    typeof x.hash === 'string' &&
    isCount(x.paragraphs) &&
    isCount(x.chunks)
  );
}

function isFileEntry(x: unknown): x is FileEntry {
  return isRecord(x) && isCount(x.bytes) && typeof x.crc32 === 'string';
}

function isManifest(x: unknown): x is IndexManifest {
  return (
    isRecord(x) &&
    x.formatVersion === INDEX_FORMAT_VERSION &&
    typeof x.buildId === 'string' &&
    typeof x.builtAt === 'string' &&
    isRecord(x.embedder) &&
    typeof x.embedder.id === 'string' &&
    isCount(x.embedder.dimensions) &&
    typeof x.tokenizer === 'string' &&
    isHnswOptions(x.hnsw) &&
    typeof x.chunking === 'string' &&
    isRecord(x.counts) &&
    isCount(x.counts.reports) &&
    isCount(x.counts.paragraphs) &&
    isCount(x.counts.chunks) &&
    Array.isArray(x.reports) &&
    x.reports.every(isManifestReport) &&
    isCount(x.nextChunkId) &&
    isRecord(x.files) &&
    Object.values(x.files).every(isFileEntry)
  );
}
