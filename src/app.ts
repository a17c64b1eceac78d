/**
 * Wires the pipeline together: embedder + tokenizer + index, and the ask
 * pipeline's stages (src/ask/ask-pipeline.ts). The app holds exactly one reference to the loaded index; a
 * re-index builds a new snapshot beside it and replaces the reference only
 * when the new one is complete, so every question is answered from one whole
 * index, old or new. A build another process made live (a cron
 * `report-qa index`) is swapped in the same way by `pickUpCurrent`. Builds
 * take INDEX_DIR's build lock (build-lock.ts); the loaded build is leased
 * (build-leases.ts) so no other process's cleanup removes it.
 */
import { createAnswerer } from './answer/create-answerer.js';
import { AskPipeline, type AskIndex, type CandidateRetriever } from './ask/ask-pipeline.js';
import { createDecider } from './ask/decide.js';
import { planQuestion, withLlmFollowUps, type UnderstandStage } from './ask/plan-question.js';
import { identityReranker } from './ask/rerank.js';
import type { Config } from './config.js';
import { chooseEmbedder, createEmbedder } from './embed/create-embedder.js';
import { AppError, describeError, isAppError } from './errors.js';
import { silentLogger, type Logger } from './log.js';
import type { BuildResult } from './build-from-reports.js';
import { BuildLeaseHolder } from './index/build-leases.js';
import { acquireBuildLock, type BuildLock } from './index/build-lock.js';
import { cleanupIndexDir, loadIndex, readCurrent, type IndexSnapshot } from './index/index-store.js';
import { JiebaTokenizer } from './text/jieba-tokenizer.js';
import { Retriever } from './retrieve/retriever.js';
import { LlmFollowUp } from './understand/llm-follow-up.js';
import { SubjectCatalog } from './understand/subject-catalog.js';
import type {
  Answerer,
  App,
  AskOptions,
  AskResult,
  BuildOptions,
  BuildPhase,
  BuildProgress,
  BuildSummary,
  Decider,
  Embedder,
  IndexStatus,
  ParagraphView,
  ReportSummary,
  Reranker,
  RetrievedChunk,
} from './types.js';

/** Parts a caller (a test, the benchmark) may supply instead of the configured ones; each ask stage is one. */
export interface AppOverrides {
  logger?: Logger;
  embedder?: Embedder;
  tokenizer?: JiebaTokenizer;
  /** The understand stage; default `planQuestion`, with an LLM configured its follow-ups rewritten by it (`withLlmFollowUps`). */
  understand?: UnderstandStage;
  /** The retrieve stage, made for each index loaded; default `new Retriever(snapshot, embedder)`. */
  retriever?: (snapshot: IndexSnapshot, embedder: Embedder) => CandidateRetriever;
  /** The rerank stage; default `identityReranker` (the retriever's order). */
  reranker?: Reranker;
  /** The decide stage; default `createDecider()`. */
  decider?: Decider;
  /** The answer stage; default from the settings (`createAnswerer`). */
  answerer?: Answerer;
}

/**
 * Longest question `ask` and `retrieve` accept (UTF-16 code units). A real
 * question is a sentence or two (the bot refuses more than 500 characters);
 * past this limit the question is refused with `INPUT_INVALID` rather than
 * cut, because a truncated question would be answered as a different one, and
 * retrieval work grows with the question's length.
 */
export const MAX_QUESTION_CHARS = 2000;

/** What a build was doing when it failed, for the error message. */
const DOING: Record<BuildPhase | 'start', string> = {
  start: 'preparing the build',
  read: 'reading the reports',
  embed: 'embedding the reports',
  index: 'indexing',
  write: 'writing the index',
};

interface Loaded extends AskIndex {
  readonly snapshot: IndexSnapshot;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? silentLogger;
  const embedder = overrides.embedder ?? (await createEmbedder(config, logger.child('embed')));
  /** Why this embedder: said once per build and in `status`, not at every start (undefined when the caller supplied it). */
  const embedderReason = overrides.embedder === undefined ? chooseEmbedder(config).reason : undefined;
  const answerer = overrides.answerer ?? createAnswerer(config, logger.child('answer'));
  const tokenizer = overrides.tokenizer ?? new JiebaTokenizer();
  const makeRetriever = overrides.retriever ?? ((snapshot: IndexSnapshot, e: Embedder) => new Retriever(snapshot, e));
  const pipeline = new AskPipeline({
    understand: overrides.understand ?? defaultUnderstand(config, logger),
    reranker: overrides.reranker ?? identityReranker,
    decider: overrides.decider ?? createDecider(),
    answerer,
  });
  const expect = { embedderId: embedder.id, dimensions: embedder.dimensions, tokenizer };

  let current: Loaded | undefined;
  let running: { promise: Promise<BuildSummary>; abort: AbortController } | undefined;
  const leases = new BuildLeaseHolder(config.indexDir, logger);
  let pickingUp: Promise<string | undefined> | undefined;
  /** A build of another process that failed to load: builds never change, so it is not tried again. */
  let refused: string | undefined;
  let closed = false;

  const use = async (snapshot: IndexSnapshot): Promise<void> => {
    await leases.hold(snapshot.manifest.buildId);
    current = {
      snapshot,
      retriever: makeRetriever(snapshot, embedder),
      sources: summarize(snapshot),
      catalog: new SubjectCatalog(snapshot.reports.values()),
      paragraphAt: (source, n) => snapshot.reports.get(source)?.paragraphs[n - 1],
    };
  };

  const loaded = (): Loaded => {
    if (current === undefined) {
      throw new AppError('INDEX_MISSING', 'No index is loaded: run `report-qa index` to build it from the reports folder.');
    }
    return current;
  };

  /** The previous index to reuse vectors from: the loaded one, else whatever compatible index is on disk. */
  const previousSnapshot = async (): Promise<IndexSnapshot | undefined> => {
    if (current !== undefined) return current.snapshot;
    try {
      return await loadIndex(config.indexDir, expect);
    } catch (err) {
      // No index yet is what a first build is for: nothing to say (the progress says what happens).
      if (isAppError(err, 'INDEX_MISSING')) return undefined;
      if (isAppError(err)) {
        logger.info('building from scratch', { reason: err.message });
        return undefined;
      }
      throw err;
    }
  };

  /** Loads the build `CURRENT` names if it is not the loaded one, and swaps it in; its id, or undefined. */
  const loadNewer = async (): Promise<string | undefined> => {
    let id: string;
    try {
      id = await readCurrent(config.indexDir);
    } catch (err) {
      if (isAppError(err, 'INDEX_MISSING')) return undefined;
      throw err;
    }
    if (id === current?.snapshot.manifest.buildId || id === refused) return undefined;
    let snapshot: IndexSnapshot;
    try {
      snapshot = await loadIndex(config.indexDir, expect);
    } catch (err) {
      refused = id;
      throw err;
    }
    if (closed) return undefined;
    await use(snapshot);
    logger.info('index built by another process swapped in', { buildId: snapshot.manifest.buildId, chunks: snapshot.manifest.counts.chunks });
    return snapshot.manifest.buildId;
  };
  /** One load at a time: a caller arriving meanwhile shares it. */
  const pickUp = (): Promise<string | undefined> => (pickingUp ??= loadNewer().finally(() => (pickingUp = undefined)));

  const runBuild = async (opts: BuildOptions, abort: AbortController): Promise<BuildSummary> => {
    let lock: BuildLock;
    try {
      lock = await acquireBuildLock(config.indexDir, logger);
    } catch (err) {
      throw isAppError(err) ? err : buildFailure(err, 'start', current?.snapshot.manifest.buildId);
    }
    try {
      return await buildLocked(opts, abort);
    } finally {
      await lock.release();
    }
  };

  const buildLocked = async (opts: BuildOptions, abort: AbortController): Promise<BuildSummary> => {
    const signal = opts.signal === undefined ? abort.signal : AbortSignal.any([opts.signal, abort.signal]);
    let phase: BuildPhase | 'start' = 'start';
    let previous: IndexSnapshot | undefined;
    let built: BuildResult;
    // Build on the newest build (its vectors, its next chunk id), also when another process made it.
    if (current !== undefined) {
      await pickUp().catch((err: unknown) => logger.warn('building on the loaded index: the live one cannot be loaded', { error: describeError(err) }));
    }
    if (embedderReason !== undefined) {
      logger.child('embed').info('embedder selected', { embedder: embedder.id, dimensions: embedder.dimensions, reason: embedderReason });
    }
    try {
      previous = await previousSnapshot();
      // Imported here: the ingest stage's extractors (mammoth, pdf.js) are for builds, not for answering.
      const { buildFromReports } = await import('./build-from-reports.js');
      built = await buildFromReports({
        reportsDir: config.reportsDir,
        indexDir: config.indexDir,
        embedder,
        tokenizer,
        previous,
        logger: logger.child('index'),
        signal,
        onProgress: (p: BuildProgress) => {
          phase = p.phase;
          opts.onProgress?.(p);
        },
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw buildFailure(err, phase, previous?.manifest.buildId);
    }
    const { snapshot, summary } = built;
    await use(snapshot);
    // 'index built' (build-from-reports.ts) has just said it at info.
    logger.debug('index swapped in', { buildId: summary.buildId, chunks: summary.chunks, embedded: summary.embedded });
    return summary;
  };

  /**
   * The error a failed build rejects with: what failed, while doing what, and
   * that the previous index is untouched (a build only goes live whole).
   * I/O and embedder failures become `REINDEX_FAILED`; AppErrors keep their code.
   */
  const buildFailure = (err: unknown, phase: BuildPhase | 'start', previousId: string | undefined): AppError => {
    const keeps =
      previousId === undefined
        ? `No new index went live in ${config.indexDir}; fix the cause and re-index.`
        : `The previous index (build ${previousId}) keeps serving; fix the cause and re-index.`;
    if (isAppError(err)) return new AppError(err.code, `${err.message} ${keeps}`, { cause: err });
    const where = phase === 'write' ? `${DOING.write} to ${config.indexDir}` : DOING[phase];
    return new AppError('REINDEX_FAILED', `Re-index failed while ${where}: ${describeError(err)}. ${keeps}`, { cause: err });
  };

  const app: App = {
    get reindexing() {
      return running !== undefined;
    },

    async reindex(opts = {}) {
      if (running !== undefined) throw new AppError('REINDEX_RUNNING', 'A re-index is already running; wait for it to finish.');
      const abort = new AbortController();
      const promise = runBuild(opts, abort);
      running = { promise, abort };
      try {
        return await promise;
      } finally {
        running = undefined;
      }
    },

    async ready(opts = {}) {
      if (current !== undefined) return;
      try {
        await use(await loadIndex(config.indexDir, expect));
      } catch (err) {
        if (!isAppError(err, 'INDEX_MISSING')) throw err;
        await app.reindex(opts);
        return;
      }
      // A process killed while writing a build left its temporary folder: clear it at start-up,
      // not only at the next re-index (a build does this itself).
      await cleanupIndexDir(config.indexDir).catch((err: unknown) => logger.warn('could not clean up the index folder', { error: describeError(err) }));
    },

    async retrieve(question, opts = {}): Promise<RetrievedChunk[]> {
      checkLength(question);
      return pipeline.retrieve(loaded(), question, opts);
    },

    async ask(question, opts: AskOptions = {}): Promise<AskResult> {
      checkLength(question);
      // One index for the whole answer, even if a re-index swaps another in meanwhile.
      return pipeline.ask(loaded(), question, opts);
    },

    async pickUpCurrent() {
      // During a build of ours nobody else can make a build live, and ours will be newer.
      if (closed || running !== undefined) return undefined;
      return pickUp();
    },

    forget(conversation) {
      pipeline.forget(conversation);
    },

    status(): IndexStatus {
      const { manifest } = loaded().snapshot;
      return {
        buildId: manifest.buildId,
        builtAt: manifest.builtAt,
        reports: manifest.counts.reports,
        paragraphs: manifest.counts.paragraphs,
        chunks: manifest.counts.chunks,
        embedder: manifest.embedder,
        tokenizer: manifest.tokenizer,
        answerer: answerer.id,
        ...(embedderReason !== undefined && { embedderReason }),
      };
    },

    sources(): readonly ReportSummary[] {
      return current?.sources ?? [];
    },

    paragraph(source, n): ParagraphView | undefined {
      const report = current?.snapshot.reports.get(source);
      const p = report?.paragraphs[n - 1];
      if (report === undefined || p === undefined) return undefined;
      return { source, title: report.title, paragraph: p.paragraph, section: p.section, text: p.text };
    },

    async close() {
      closed = true;
      const r = running;
      r?.abort.abort(new AppError('REINDEX_ABORTED', 'The re-index was stopped because the program is shutting down; the previous index is unchanged.'));
      await r?.promise.catch(() => undefined);
      await pickingUp?.catch(() => undefined);
      await leases.release();
    },
  };
  return app;
}

/** The rules' understanding, with the configured LLM (if any) rewriting the follow-ups. */
function defaultUnderstand(config: Config, logger: Logger): UnderstandStage {
  return config.llm === undefined ? planQuestion : withLlmFollowUps(new LlmFollowUp({ llm: config.llm, logger: logger.child('understand') }));
}

function checkLength(question: string): void {
  if (question.length > MAX_QUESTION_CHARS) {
    throw new AppError('INPUT_INVALID', `The question has ${question.length} characters; the limit is ${MAX_QUESTION_CHARS}. Ask a shorter question.`);
  }
}

/** What `sources()` lists for a snapshot, computed once when it is loaded. */
function summarize(snapshot: IndexSnapshot): ReportSummary[] {
  const { manifest, reports } = snapshot;
  return manifest.reports.map((r) => {
    const report = reports.get(r.source);
    return {
      source: r.source,
      title: r.title,
      hash: r.hash,
      paragraphs: r.paragraphs,
      chunks: r.chunks,
      ...(report?.date !== undefined && { date: report.date }),
      ...(report?.region !== undefined && { region: report.region }),
      ...(report?.publisher !== undefined && { publisher: report.publisher }),
      ...(report?.subject !== undefined && { subject: report.subject }),
      ...(report?.aliases !== undefined && { aliases: report.aliases }),
      ...(report?.within !== undefined && { within: report.within }),
      ...(report?.kind !== undefined && { kind: report.kind }),
      ...(report?.years !== undefined && { years: report.years }),
      ...(report?.planYears !== undefined && { planYears: report.planYears }),
    };
  });
}
