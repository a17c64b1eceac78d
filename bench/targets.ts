/** The speed targets of issues #7 and #16, checked against a run's figures (at the largest size measured). */
import type { SizeResult, TargetCheck } from './bench-result.js';
import type { StartupResult } from './startup.js';
import { num, times } from './report-table.js';

export const TARGETS = {
  offlineChunksPerSec: 5000,
  hybridP95Ms: 50,
  recall: 0.98,
  speedUp: 10,
  peakRssMb: 1536,
  incrementalShare: 0.05,
  startupRatio: 1.5,
} as const;

export function checkTargets(sizes: readonly SizeResult[], startup: StartupResult): TargetCheck[] {
  const checks: TargetCheck[] = [
    {
      name: '`report-qa ask` start-up',
      target: `≤ ${TARGETS.startupRatio}× the bare jieba dictionary load`,
      measured: `${times(startup.ratio)} (${num(startup.askMs)} ms against ${num(startup.bareJiebaMs)} ms)`,
      met: startup.ratio <= TARGETS.startupRatio,
      note: `seeds index, median of ${startup.runs} runs each, run alternately`,
    },
  ];
  const largest = [...sizes].sort((a, b) => b.size - a.size)[0];
  if (largest === undefined) return checks;
  const at = largest.size === 100_000 ? 'at 100k' : `at ${largest.label} (100k not measured in this run)`;

  const embedRate = (largest.build.chunks / largest.build.stepMs.embed) * 1000;
  checks.push({
    name: 'offline embedding',
    target: `≥ ${num(TARGETS.offlineChunksPerSec)} chunks/s`,
    measured: `${num(embedRate)} chunks/s ${at}`,
    met: embedRate >= TARGETS.offlineChunksPerSec,
    note: 'embedDocuments over every chunk of the build (title, section and chunk text)',
  });

  const hybrid = largest.serve.latency.hybrid;
  checks.push({
    name: 'hybrid latency',
    target: `p95 < ${TARGETS.hybridP95Ms} ms at 100k`,
    measured: `p95 ${num(hybrid.single.p95, 1)} ms one at a time, ${num(hybrid.concurrent.p95, 1)} ms with 8 in flight, ${at}`,
    met: hybrid.single.p95 < TARGETS.hybridP95Ms,
    note: 'one process answers questions one after another: 8 in flight wait for each other',
  });

  const dense = largest.dense;
  const denseGraph = dense?.graph.find((g) => g.ef === 100) ?? dense?.graph.at(-1);
  if (dense !== undefined && denseGraph !== undefined) {
    const speedUp = dense.exact.p50 / denseGraph.latency.p50;
    checks.push({
      name: 'HNSW (dense vectors, graph serves)',
      target: `recall@10 ≥ ${TARGETS.recall} at ≥ ${TARGETS.speedUp}× exact`,
      measured: `recall ${num(denseGraph.recall, 3)} at ${num(speedUp, 1)}× (ef ${denseGraph.ef}) ${at}`,
      met: denseGraph.recall >= TARGETS.recall && speedUp >= TARGETS.speedUp,
      note: `${dense.dimensions}-d clustered vectors, M/efConstruction = defaults`,
    });
  }
  const sparse = largest.serve.sparse;
  const served = sparse.served;
  const sparseSpeedUp = sparse.exact.p50 / served.latency.p50;
  const sparseGraph = sparse.graph[0];
  checks.push({
    name: 'vector search (offline sparse questions, as served)',
    target: `recall@10 ≥ ${TARGETS.recall} at ≥ ${TARGETS.speedUp}× exact`,
    measured: `recall ${num(served.recall, 3)} at ${num(sparseSpeedUp, 1)}× ${at}`,
    met: served.recall >= TARGETS.recall && sparseSpeedUp >= TARGETS.speedUp,
    note:
      `served by the exact column scan for ${num(sparse.exactScanShare * 100)} % of questions; ` +
      `the HNSW graph alone reaches only ${num(sparseGraph?.recall, 3)} at ef ${sparseGraph?.ef ?? '—'} on these sparse queries`,
  });

  const rss = Math.max(largest.build.peakRssMb, largest.serve.servePeakRssMb);
  checks.push({
    name: 'peak RSS',
    target: `< ${num(TARGETS.peakRssMb)} MB at 100k`,
    measured: `build ${num(largest.build.peakRssMb)} MB, serve ${num(largest.serve.servePeakRssMb)} MB ${at}`,
    met: rss < TARGETS.peakRssMb,
    note: 'VmHWM of the build and serve child processes',
  });

  const incremental = largest.incremental;
  if (incremental !== undefined) {
    checks.push({
      name: 'incremental re-index of one report',
      target: `< ${num(TARGETS.incrementalShare * 100)} % of a full build`,
      measured: `${num(incremental.share * 100, 1)} % (${num(incremental.durationMs / 1000, 1)} s of ${num(largest.build.durationMs / 1000, 1)} s) ${at}`,
      met: incremental.share < TARGETS.incrementalShare,
      note: `previous index in memory, as in the bot; loading it first takes ${num(incremental.loadMs / 1000, 1)} s more`,
    });
  }
  return checks;
}
