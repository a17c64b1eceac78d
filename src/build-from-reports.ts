/**
 * A build from a reports folder, the one entry point of the app, the
 * benchmark and the tests: ingest (read → chunk, src/ingest/ingest-folder.ts)
 * then the index build (embed → user words → keyword → write,
 * src/index/build-index.ts), on one clock. Unchanged reports since
 * `previous` are neither parsed, chunked nor embedded again.
 */
import { BuildClock, type BuildTimes } from './index/build-clock.js';
import { buildIndex, reusablePrevious, type BuildBasis, type IndexBuild } from './index/build-index.js';
import { cleanupIndexDir, type IndexManifest, type IndexSnapshot } from './index/index-store.js';
import type { VectorIndexKind, VectorIndexParams } from './index/vector-index.js';
import { chunkFolder, readFolder, type IngestedBefore, type IngestedFolder } from './ingest/ingest-folder.js';
import { silentLogger, type Logger } from './log.js';
import type { BuildProgress, BuildSummary } from './types.js';

export interface BuildFromReportsOptions extends BuildBasis {
  readonly reportsDir: string;
  readonly indexDir: string;
  /** The index to update; without it (or when incompatible) everything is built from scratch. */
  readonly previous?: IndexSnapshot | undefined;
  readonly logger?: Logger;
  readonly onProgress?: (p: BuildProgress) => void;
  readonly signal?: AbortSignal;
  /** See BuildIndexOptions.vectorIndex. */
  readonly vectorIndex?: { readonly kind: VectorIndexKind; readonly params?: VectorIndexParams };
}

export interface BuildResult extends IndexBuild, BuildTimes {
  readonly summary: BuildSummary;
}

export async function buildFromReports(opts: BuildFromReportsOptions): Promise<BuildResult> {
  const { indexDir, signal } = opts;
  const logger = opts.logger ?? silentLogger;
  const clock = new BuildClock(opts.onProgress);
  signal?.throwIfAborted();
  await cleanupIndexDir(indexDir);
  const previous = reusablePrevious(opts.previous, opts, logger);
  const before: IngestedBefore | undefined = previous && {
    reports: previous.reports,
    chunks: previous.chunks,
    nextChunkId: previous.manifest.nextChunkId,
  };

  const folder = await ingest(opts, before, clock, logger);

  const built = await buildIndex({
    indexDir,
    embedder: opts.embedder,
    tokenizer: opts.tokenizer,
    chunkOptions: opts.chunkOptions,
    vectorIndex: opts.vectorIndex,
    folder,
    previous,
    clock,
    logger,
    signal,
  });
  const times = clock.times();
  const summary = summarize(folder, built.snapshot.manifest, times.durationMs);
  logger.info('index built', {
    ...summary,
    added: folder.added.length,
    changed: folder.changed.length,
    removed: folder.removed.length,
    skipped: folder.skipped.length,
    phaseMs: times.phaseMs,
  });
  logger.debug('build steps', { stepMs: times.stepMs });
  return { ...built, ...times, summary };
}

/** The ingest stage on the build's clock: read, then chunk. */
async function ingest(opts: BuildFromReportsOptions, before: IngestedBefore | undefined, clock: BuildClock, logger: Logger): Promise<IngestedFolder> {
  const { signal } = opts;
  // The read phase starts before the folder is listed (total 0): a failure from here on is one of reading.
  clock.progress('read', 0, 0);
  const read = await readFolder(opts.reportsDir, {
    before,
    logger,
    ...(signal !== undefined && { signal }),
    onProgress: (done, total) => clock.progress('read', done, total),
  });
  clock.lap('read');
  signal?.throwIfAborted();
  const folder = chunkFolder(read, before, opts.chunkOptions);
  clock.lap('chunk');
  return folder;
}

/** What the build changed (from the ingest) and holds (from the manifest written). */
function summarize(folder: IngestedFolder, manifest: IndexManifest, durationMs: number): BuildSummary {
  return {
    buildId: manifest.buildId,
    added: folder.added,
    changed: folder.changed,
    removed: folder.removed,
    unchanged: folder.kept.size,
    reports: manifest.counts.reports,
    paragraphs: manifest.counts.paragraphs,
    chunks: manifest.counts.chunks,
    embedded: folder.fresh.length,
    skipped: folder.skipped,
    durationMs,
  };
}
