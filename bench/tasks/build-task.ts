/**
 * A full index build of a reports folder with the offline embedder, in its own
 * process so its peak RSS is the build's: per-step times, size on disk.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { OfflineEmbedder } from '../../src/embed/offline-embedder.js';
import { buildFromReports } from '../../src/build-from-reports.js';
import type { BuildStep } from '../../src/index/build-clock.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import type { BuildPhase } from '../../src/types.js';
import { dirBytes } from '../bench-cache.js';
import { loadAverage, peakRssMb } from '../machine.js';

export interface BuildTaskInput {
  readonly reportsDir: string;
  /** Emptied first. */
  readonly indexDir: string;
}

export interface BuildTaskOutput {
  readonly reports: number;
  readonly paragraphs: number;
  readonly chunks: number;
  readonly durationMs: number;
  readonly phaseMs: Readonly<Record<BuildPhase, number>>;
  readonly stepMs: Readonly<Record<BuildStep, number>>;
  readonly userWords: number;
  /** Loading the offline embedder's IDF table, done at start-up, outside the build. */
  readonly embedderWarmUpMs: number;
  /** The live build's files and their sizes. */
  readonly files: Readonly<Record<string, number>>;
  readonly diskBytes: number;
  readonly peakRssMb: number;
  /** Highest RSS seen at the progress callbacks of each phase (sampled every 256 items). */
  readonly phaseRssMb: Readonly<Record<BuildPhase, number>>;
  readonly measuredAt: string;
  readonly loadAverage: readonly number[];
}

export async function buildTask(input: BuildTaskInput): Promise<BuildTaskOutput> {
  await fs.rm(input.indexDir, { recursive: true, force: true });
  const embedder = new OfflineEmbedder();
  const warm = performance.now();
  await embedder.warmUp();
  const embedderWarmUpMs = Math.round(performance.now() - warm);
  const phaseRssMb: Record<BuildPhase, number> = { read: 0, embed: 0, index: 0, write: 0 };
  const { summary, phaseMs, stepMs, snapshot } = await buildFromReports({
    reportsDir: input.reportsDir,
    indexDir: input.indexDir,
    embedder,
    tokenizer: new JiebaTokenizer(),
    onProgress: (p) => {
      phaseRssMb[p.phase] = Math.max(phaseRssMb[p.phase], Math.round(process.memoryUsage.rss() / 2 ** 20));
    },
  });
  const rss = peakRssMb();
  const live = path.join(input.indexDir, 'builds', summary.buildId);
  const files: Record<string, number> = {};
  for (const name of await fs.readdir(live)) files[name] = (await fs.stat(path.join(live, name))).size;
  return {
    reports: summary.reports,
    paragraphs: summary.paragraphs,
    chunks: summary.chunks,
    durationMs: summary.durationMs,
    phaseMs,
    stepMs,
    userWords: snapshot.userWords.length,
    embedderWarmUpMs,
    files,
    diskBytes: await dirBytes(live),
    peakRssMb: rss,
    phaseRssMb,
    measuredAt: new Date().toISOString(),
    loadAverage: loadAverage(),
  };
}
