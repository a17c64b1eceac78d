/**
 * HNSW on dense vectors, where the graph is the serving path (neural
 * embedders over large collections): clustered 512-d unit vectors (see
 * dense-vectors.ts, 50 per topic), graph built with the default parameters, recall@10 and
 * speed against exact brute force (ExactVectorIndex) on the same vectors.
 */
import fs from 'node:fs/promises';
import { ColumnVectors } from '../../src/index/column-vectors.js';
import { ExactVectorIndex } from '../../src/index/exact-vector-index.js';
import { HnswVectorIndex } from '../../src/index/hnsw-index.js';
import type { Hit } from '../../src/types.js';
import { clusteredVectors } from '../dense-vectors.js';
import { peakRssMb } from '../machine.js';
import { recallAtK, summarize, type LatencySummary } from '../stats.js';

export interface DenseTaskInput {
  readonly count: number;
  readonly queries: number;
  readonly dimensions: number;
  readonly graphEf: readonly number[];
  /** Where the built graph is kept between runs (with its build time beside it); rebuilt when absent. */
  readonly cacheFile: string;
}

export interface DenseTaskOutput {
  readonly count: number;
  readonly dimensions: number;
  /** Graph construction (M, efConstruction from DEFAULT_HNSW_OPTIONS). */
  readonly buildMs: number;
  /** Whether the graph (and `buildMs`) came from the cache. */
  readonly cached: boolean;
  readonly exact: LatencySummary;
  /** The exact column scan HnswVectorIndex uses when a query is cheap enough. */
  readonly columnScan: LatencySummary;
  /** Whether `HnswVectorIndex.search` serves these queries by the exact scan (small collections) or the graph. */
  readonly servedBy: 'exact scan' | 'graph';
  readonly graph: readonly { readonly ef: number; readonly recall: number; readonly latency: LatencySummary }[];
  readonly peakRssMb: number;
}

const POINTS_PER_TOPIC = 50;

export async function denseTask(input: DenseTaskInput): Promise<DenseTaskOutput> {
  // One topic per 50 vectors at every size (2,000 at 100k, as measured for DEFAULT_HNSW_OPTIONS):
  // with a fixed number of topics, small collections would hold no true near neighbours.
  const centres = Math.max(20, Math.round(input.count / POINTS_PER_TOPIC));
  const { base, queries } = clusteredVectors({ count: input.count, queries: input.queries, dimensions: input.dimensions, centres });
  const { graph, buildMs, cached } = await cachedGraph(input, base);

  const exact = new ExactVectorIndex(input.dimensions);
  await exact.add(base.map((_, i) => i), base);
  const truth: Hit[][] = [];
  const exactTimes: number[] = [];
  for (const q of queries) exactTimes.push(await timeAsync(async () => truth.push(await exact.search(q, 10))));
  const columns = new ColumnVectors(input.dimensions, base.length);
  base.forEach((v, i) => columns.set(i, v));
  const columnTimes = queries.map((q) => time(() => columns.search(q, 10)));
  const budget = HnswVectorIndex.create(input.dimensions).options.exactScanBudget ?? 0;

  const results = [];
  for (const ef of input.graphEf) {
    graph.efSearch = ef;
    const found: Hit[][] = [];
    const times: number[] = [];
    for (const q of queries) times.push(await timeAsync(async () => found.push(await graph.search(q, 10))));
    const recall = found.reduce((s, hits, i) => s + recallAtK(hits, truth[i] ?? [], 10), 0) / Math.max(1, found.length);
    results.push({ ef, recall, latency: summarize(times) });
  }
  return {
    count: base.length,
    dimensions: input.dimensions,
    buildMs,
    cached,
    exact: summarize(exactTimes),
    columnScan: summarize(columnTimes),
    servedBy: input.dimensions * base.length <= budget ? 'exact scan' : 'graph',
    graph: results,
    peakRssMb: peakRssMb(),
  };
}

async function cachedGraph(input: DenseTaskInput, base: readonly Float32Array[]): Promise<{ graph: HnswVectorIndex; buildMs: number; cached: boolean }> {
  const sidecar = `${input.cacheFile}.json`;
  try {
    const saved: unknown = JSON.parse(await fs.readFile(sidecar, 'utf8'));
    const buildMs = typeof saved === 'object' && saved !== null && 'buildMs' in saved ? saved.buildMs : undefined;
    const graph = await HnswVectorIndex.load(input.cacheFile, input.dimensions, { exactScanBudget: 0 });
    if (typeof buildMs === 'number' && graph.size === base.length) return { graph, buildMs, cached: true };
  } catch {
    // not cached yet
  }
  const started = performance.now();
  const graph = HnswVectorIndex.create(input.dimensions, { exactScanBudget: 0 });
  await graph.add(base.map((_, i) => i), base);
  const buildMs = Math.round(performance.now() - started);
  await graph.save(input.cacheFile);
  await fs.writeFile(sidecar, JSON.stringify({ buildMs, measuredAt: new Date().toISOString() }));
  return { graph, buildMs, cached: false };
}

async function timeAsync(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

function time(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}
