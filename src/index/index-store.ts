/**
 * The index on disk. Layout of INDEX_DIR (only `CURRENT`, `builds/`, `leases/`
 * and `build.lock` are ours; anything else there, such as `models/`, is never touched):
 *
 *   CURRENT                   the live build's id, replaced atomically (tmp + rename + fsync)
 *   build.lock                held by the one process building (build-lock.ts)
 *   leases/<buildId>.<owner>  a running process has that build loaded (build-leases.ts)
 *   builds/<buildId>/         one complete build:
 *     manifest.json           format version, embedder, tokenizer, counts, per-report hashes, file checksums
 *     vectors.hnsw            the vector index (label = chunkId): for kind hnsw, the graph and vectors
 *     chunks.json             IndexedChunk[]
 *     reports.json            Report[] with every paragraph (whole-paragraph view, reuse of unchanged reports)
 *     keyword.json            the BM25 index
 *     user-words.json         the names the tokenizer keeps whole, and each report's share of them
 *   builds/.tmp-<id>-<pid>-<token>/   a build being written
 *
 * A build is written into a temporary folder, fsynced, its vector file (written
 * by the vector index, hnswlib's own format for HNSW) checked by its kind,
 * renamed into `builds/`, and only then named by `CURRENT`. A crash at any
 * point leaves the previous `CURRENT` and its folder intact. Loading checks the
 * manifest against the running embedder and tokenizer and every file's size and
 * checksum before parsing anything, so damage is reported, never served.
 *
 * The store holds the indexes through their interfaces (VectorIndex,
 * KeywordIndex); which implementation reads a build is the factory's business
 * (index-factory.ts), told by the vector kind the manifest records.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { AppError, describeError, isAppError } from '../errors.js';
import { describeIssue } from '../schema.js';
import type { IndexedChunk, Report, ReportIdentity, Tokenizer, UserWordTokenizer } from '../types.js';
import { fileDigest, fsyncPath, replaceFileAtomic, writeFileDurable, writeJsonDurable, type Digest } from './durable-fs.js';
import { leasedBuilds } from './build-leases.js';
import { loadKeywordIndex, vectorIndexKind } from './index-factory.js';
import { CHUNKS_SCHEMA, MANIFEST_SCHEMA, REPORTS_SCHEMA, USER_WORDS_SCHEMA } from './index-schemas.js';
import type { KeywordIndex } from './keyword-index.js';
import { isLocalOwnerAlive, PROCESS_TOKEN } from './process-identity.js';
import { mergeUserWords, type ReportWords } from './user-dictionary.js';
import type { VectorIndex, VectorIndexKind, VectorIndexParams } from './vector-index.js';

/**
 * Bumped whenever the layout or a file's shape changes; older builds are then re-indexed.
 * 2: user-words.json holds each report's words beside the merged list.
 * 3: file checksums are CRC-32 (`crc32`) instead of sha256.
 */
export const INDEX_FORMAT_VERSION = 3;

export interface ManifestReport extends Pick<ReportIdentity, 'subject' | 'kind' | 'years' | 'planYears'> {
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
  /** The vector index's kind and parameters (`describe()`), what loading it again needs. */
  readonly vectorIndex: { readonly kind: string; readonly params: VectorIndexParams };
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
  readonly vectors: VectorIndex;
  readonly keyword: KeywordIndex;
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
  const { kind, params } = parts.manifest.vectorIndex;
  let vectors: VectorIndex;
  try {
    // Known: checkCompatible refused kinds this program lacks.
    vectors = await vectorIndexKind(kind)!.load(path.join(dir, INDEX_FILES.vectors), parts.manifest.embedder.dimensions, params, parts.chunks.keys());
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
  readonly keyword: KeywordIndex;
  readonly userWords: readonly string[];
  readonly reportWords: ReadonlyMap<string, ReportWords>;
}

async function readBuild(dir: string, expect: IndexExpectation): Promise<BuildParts> {
  const manifest = await readManifest(dir);
  checkCompatible(dir, manifest, expect);
  await verifyFiles(dir, manifest);

  const fail = (file: string, why: string, cause?: unknown): AppError => corrupt(dir, `${file}: ${why}`, cause);
  const read = async <T>(file: string, schema: z.ZodType<T>, what: string): Promise<T> => {
    let value: unknown;
    try {
      value = JSON.parse(await fs.readFile(path.join(dir, file), 'utf8'));
    } catch (err) {
      throw fail(file, describeError(err), err);
    }
    const parsed = schema.safeParse(value, { reportInput: true });
    if (!parsed.success) throw fail(file, `not ${what}: ${describeIssue(parsed.error.issues[0]!)}`);
    return parsed.data;
  };

  const words = await read(INDEX_FILES.userWords, USER_WORDS_SCHEMA, '{ words, reports } of user words');
  const userWords = words.words;
  const reportWords = new Map(Object.entries(words.reports));
  const tokenizer = expect.tokenizer.withWords(userWords);
  // Before the large files: a build by another tokenizer is refused without parsing them.
  checkTokenizer(dir, manifest, tokenizer);

  const reportList = await read(INDEX_FILES.reports, REPORTS_SCHEMA, 'a list of reports');
  const reports = new Map(reportList.map((r) => [r.source, r]));

  const chunkList = await read(INDEX_FILES.chunks, CHUNKS_SCHEMA, 'a list of chunks');
  const chunks = new Map(chunkList.map((c) => [c.chunkId, c]));

  let keyword: KeywordIndex;
  try {
    keyword = await loadKeywordIndex(path.join(dir, INDEX_FILES.keyword), tokenizer);
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
  const parsed = MANIFEST_SCHEMA.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw corrupt(dir, `${MANIFEST_FILE} is not a valid manifest: ${describeIssue(parsed.error.issues[0]!)}`);
  if (parsed.data.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new AppError(
      'INDEX_INCOMPATIBLE',
      `The index in ${dir} has format version ${parsed.data.formatVersion}, this program reads version ${INDEX_FORMAT_VERSION}: ` +
        'run `report-qa index` to re-index.',
    );
  }
  const { hnsw, vectorIndex, ...rest } = parsed.data;
  return { ...rest, vectorIndex: vectorIndex ?? { kind: 'hnsw', params: { ...hnsw } } } as IndexManifest;
}

/** The manifest as stored: see MANIFEST_SCHEMA in index-schemas.ts for why HNSW is stored apart. */
function manifestJson(m: IndexManifest): string {
  const stored = Object.fromEntries(
    Object.entries(m).map(([key, value]) =>
      key === 'vectorIndex' && m.vectorIndex.kind === 'hnsw' ? ['hnsw', m.vectorIndex.params] : [key, value],
    ),
  );
  return JSON.stringify(stored, null, 2);
}

function checkCompatible(dir: string, m: IndexManifest, expect: IndexExpectation): void {
  if (vectorIndexKind(m.vectorIndex.kind) === undefined) {
    throw new AppError(
      'INDEX_INCOMPATIBLE',
      `The index in ${dir} uses a vector index of kind "${m.vectorIndex.kind}", which this program does not have: ` +
        'run `report-qa index` to re-index.',
    );
  }
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
  const vectorKind = kindOf(snapshot.vectors);
  const paragraphs = sum([...reports.values()], (r) => r.paragraphs.length);
  checkConsistency(
    tmp,
    { manifest: snapshot.manifest, reports, paragraphs, chunks, chunkEntries: chunks.size, keyword, userWords, reportWords },
    snapshot.vectors.size,
  );
  let manifest: IndexManifest;
  try {
    await fs.mkdir(tmp);
    const contents: [string, (file: string) => Promise<FileEntry>][] = [
      [INDEX_FILES.reports, (file) => writeJsonDurable(file, [...snapshot.reports.values()])],
      [INDEX_FILES.chunks, (file) => writeJsonDurable(file, [...snapshot.chunks.values()])],
      [INDEX_FILES.keyword, (file) => snapshot.keyword.save(file)],
      [INDEX_FILES.userWords, (file) => writeJsonDurable(file, { words: snapshot.userWords, reports: Object.fromEntries(snapshot.reportWords) })],
    ];
    // Checksums come from the bytes as they are written; the vector file, which the vector
    // index writes itself (hnswlib for HNSW), is checked (layout, vectors, labels) and hashed by its kind.
    const files: Record<string, FileEntry> = {};
    for (const [file, write] of contents) {
      files[file] = await write(path.join(tmp, file));
      signal?.throwIfAborted();
    }
    const vectorFile = path.join(tmp, INDEX_FILES.vectors);
    await snapshot.vectors.save(vectorFile);
    await fsyncPath(vectorFile);
    try {
      files[INDEX_FILES.vectors] = await vectorKind.verify(vectorFile, snapshot.vectors.dimensions, snapshot.chunks.keys());
    } catch (err) {
      throw corrupt(tmp, `${INDEX_FILES.vectors}: ${describeError(err)}`, err);
    }
    manifest = { ...snapshot.manifest, formatVersion: INDEX_FORMAT_VERSION, files };
    await writeFileDurable(path.join(tmp, MANIFEST_FILE), manifestJson(manifest));
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
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  return xs.reduce((s, x) => s + f(x), 0);
}

/** The kind of `vectors`, which checks the file it writes. */
function kindOf(vectors: VectorIndex): VectorIndexKind {
  const { kind } = vectors.describe();
  const found = vectorIndexKind(kind);
  if (found === undefined) throw new Error(`vector index of unknown kind "${kind}": add it to index-factory.ts`);
  return found;
}
