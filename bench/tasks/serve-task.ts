/**
 * Serving an index the way the app does, in its own process: load time,
 * retrieval latency per mode (one question at a time and 8 at once), peak RSS
 * while serving; then the vector side against exact brute-force search on the
 * same vectors (ExactVectorIndex): the path the retriever really takes for the
 * offline embedder's sparse questions (the exact column scan), and the HNSW
 * graph alone at several efSearch values.
 */
import path from 'node:path';
import fs from 'node:fs/promises';
import { OfflineEmbedder } from '../../src/embed/offline-embedder.js';
import { ExactVectorIndex } from '../../src/index/exact-vector-index.js';
import { HnswVectorIndex } from '../../src/index/hnsw-index.js';
import { loadIndex } from '../../src/index/index-store.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import type { Hit, RetrievalMode } from '../../src/types.js';
import { peakRssMb } from '../machine.js';
import { recallAtK, summarize, type LatencySummary } from '../stats.js';

export interface ServeTaskInput {
  readonly indexDir: string;
  readonly questions: readonly string[];
  /** Questions answered first, untimed (JIT, caches). */
  readonly warmUp: number;
  readonly concurrency: number;
  /** efSearch values for the graph-only measurement. */
  readonly graphEf: readonly number[];
  /** Questions used for the vector measurements (exact search is slow). */
  readonly vectorQueries: number;
}

export interface ModeLatency {
  readonly single: LatencySummary;
  /** Each question's latency while `concurrency` questions are in flight. */
  readonly concurrent: LatencySummary;
  /** Questions answered per second at that concurrency. */
  readonly concurrentQps: number;
  readonly singleQps: number;
}

export interface VectorPath {
  readonly recall: number;
  readonly latency: LatencySummary;
}

export interface ServeTaskOutput {
  readonly chunks: number;
  /** `loadIndex`: read, verify checksums, parse, rebuild the in-memory indexes. */
  readonly loadMs: number;
  /** The first question after loading (jieba learns the user words then). */
  readonly firstQueryMs: number;
  readonly latency: Readonly<Record<RetrievalMode, ModeLatency>>;
  /** Peak RSS after loading and answering every timed question. */
  readonly servePeakRssMb: number;
  readonly sparse: {
    /** Non-zero components of the query vectors. */
    readonly queryNonZeros: LatencySummary;
    /** Share of queries `HnswVectorIndex.search` answers by the exact column scan. */
    readonly exactScanShare: number;
    readonly exact: LatencySummary;
    readonly served: VectorPath;
    readonly graph: readonly (VectorPath & { readonly ef: number })[];
  };
}

export async function serveTask(input: ServeTaskInput): Promise<ServeTaskOutput> {
  const embedder = new OfflineEmbedder();
  await embedder.warmUp();
  const tokenizer = new JiebaTokenizer();
  const loadStart = performance.now();
  const snapshot = await loadIndex(input.indexDir, { embedderId: embedder.id, dimensions: embedder.dimensions, tokenizer });
  const loadMs = Math.round(performance.now() - loadStart);
  const retriever = new Retriever(snapshot, embedder);
  const firstStart = performance.now();
  await retriever.retrieve(input.questions[0] ?? '地区生产总值', { k: 5 });
  const firstQueryMs = Math.round(performance.now() - firstStart);

  const questions = input.questions;
  for (const q of questions.slice(0, input.warmUp)) await retriever.retrieve(q, { k: 5 });
  const measure = async (mode: RetrievalMode): Promise<ModeLatency> => {
    const ask = (q: string) => retriever.retrieve(q, { k: 5, mode });
    const single = await sequential(questions, ask);
    const concurrent = await inFlight(questions, input.concurrency, ask);
    return {
      single: summarize(single.times),
      concurrent: summarize(concurrent.times),
      singleQps: (questions.length / single.wallMs) * 1000,
      concurrentQps: (questions.length / concurrent.wallMs) * 1000,
    };
  };
  const latency = { keyword: await measure('keyword'), vector: await measure('vector'), hybrid: await measure('hybrid') };
  const servePeakRssMb = peakRssMb();

  // The vector side: same vectors, exact brute force as the baseline.
  const vectorQuestions = questions.slice(0, input.vectorQueries);
  const queries = await Promise.all(vectorQuestions.map((q) => embedder.embedQuery(q)));
  const exact = new ExactVectorIndex(embedder.dimensions);
  const labels = [...snapshot.chunks.keys()];
  await exact.add(labels, await snapshot.vectors.vectors(labels));
  const truth: Hit[][] = [];
  const exactTimes = await timeEach(queries, async (q) => truth.push(await exact.search(q, 10)));
  const served = await measurePath(queries, truth, (q) => snapshot.vectors.search(q, 10));
  const nonZeros = queries.map((q) => q.reduce((n, x) => n + (x === 0 ? 0 : 1), 0));
  const budget = snapshot.vectors.describe().params.exactScanBudget ?? 0;
  const exactScanShare = nonZeros.filter((z) => z * snapshot.vectors.size <= budget).length / Math.max(1, nonZeros.length);

  // The graph alone: the same file loaded with the exact scan switched off.
  const live = path.join(input.indexDir, 'builds', (await fs.readFile(path.join(input.indexDir, 'CURRENT'), 'utf8')).trim());
  const graphOnly = await HnswVectorIndex.load(path.join(live, 'vectors.hnsw'), embedder.dimensions, {
    ...snapshot.manifest.vectorIndex.params,
    exactScanBudget: 0,
    live: snapshot.chunks.keys(),
  });
  const graph = [];
  for (const ef of input.graphEf) {
    graphOnly.efSearch = ef;
    graph.push({ ef, ...(await measurePath(queries, truth, (q) => graphOnly.search(q, 10))) });
  }

  return {
    chunks: snapshot.chunks.size,
    loadMs,
    firstQueryMs,
    latency,
    servePeakRssMb,
    sparse: { queryNonZeros: summarize(nonZeros), exactScanShare, exact: summarize(exactTimes), served, graph },
  };
}

async function sequential(questions: readonly string[], ask: (q: string) => Promise<unknown>): Promise<{ times: number[]; wallMs: number }> {
  const times: number[] = [];
  const started = performance.now();
  for (const q of questions) {
    const t = performance.now();
    await ask(q);
    times.push(performance.now() - t);
  }
  return { times, wallMs: performance.now() - started };
}

/** `concurrency` askers pulling from one queue: each question's time runs from its call to its answer. */
async function inFlight(
  questions: readonly string[],
  concurrency: number,
  ask: (q: string) => Promise<unknown>,
): Promise<{ times: number[]; wallMs: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < questions.length) {
      const q = questions[next++] as string;
      const t = performance.now();
      await ask(q);
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { times, wallMs: performance.now() - started };
}

async function timeEach<T>(items: readonly T[], f: (item: T) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (const item of items) {
    const t = performance.now();
    await f(item);
    times.push(performance.now() - t);
  }
  return times;
}

async function measurePath(queries: readonly Float32Array[], truth: readonly Hit[][], search: (q: Float32Array) => Promise<Hit[]>): Promise<VectorPath> {
  const found: Hit[][] = [];
  const times = await timeEach(queries, async (q) => found.push(await search(q)));
  const recall = found.reduce((s, hits, i) => s + recallAtK(hits, truth[i] ?? [], 10), 0) / Math.max(1, found.length);
  return { recall, latency: summarize(times) };
}
