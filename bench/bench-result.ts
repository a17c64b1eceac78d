/** The shape of a benchmark run's JSON file (bench/results/bench-<time>.json). */
import type { MachineInfo } from './machine.js';
import type { BuildTaskOutput } from './tasks/build-task.js';
import type { DenseTaskOutput } from './tasks/dense-task.js';
import type { IncrementalTaskOutput } from './tasks/incremental-task.js';
import type { NeuralTaskOutput } from './tasks/neural-task.js';
import type { StartupResult } from './startup.js';
import type { ServeTaskOutput } from './tasks/serve-task.js';

export const BENCH_RESULT_VERSION = 2;

export interface SizeResult {
  /** Target chunk count (1k, 10k, 100k). */
  readonly size: number;
  readonly label: string;
  readonly corpus: { readonly key: string; readonly reports: number; readonly cached: boolean; readonly textMb: number };
  /** `cached`: measured by an earlier run that built the cached index (see measuredAt, loadAverage). */
  readonly build: BuildTaskOutput & { readonly cached: boolean };
  readonly serve: ServeTaskOutput;
  readonly incremental?: IncrementalTaskOutput & { readonly share: number };
  readonly dense?: DenseTaskOutput;
}

export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  readonly note: string;
}

export interface BenchResult {
  readonly version: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: { readonly sizes: readonly string[]; readonly quick: boolean; readonly fresh: boolean; readonly rebuild: boolean };
  readonly machine: MachineInfo;
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  /** The fixed CPU workload of machine.ts at the start and the end (ms). */
  readonly calibrationMs: { readonly start: number; readonly end: number };
  readonly sizes: readonly SizeResult[];
  /** `report-qa ask` on the seeds index against the bare jieba dictionary load. */
  readonly startup: StartupResult;
  readonly neural: NeuralTaskOutput | { readonly skipped: string };
  readonly targets: readonly TargetCheck[];
  readonly file: string;
}
