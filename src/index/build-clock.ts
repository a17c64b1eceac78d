/**
 * The one clock of an index build: it times the build's steps and reports
 * its progress, so the phase functions (ingest, build-index.ts) say only
 * where a step ends and how far they are, never how to time or report it.
 */
import type { BuildPhase, BuildProgress } from '../types.js';

/** The steps of a build, finer than its phases (see PHASE_OF). */
export type BuildStep = 'read' | 'chunk' | 'embed' | 'userWords' | 'vectors' | 'keyword' | 'write';

/** The phase each step belongs to: the progress a user sees is by phase, the benchmark's times by step. */
const PHASE_OF: Readonly<Record<BuildStep, BuildPhase>> = {
  read: 'read',
  chunk: 'embed',
  embed: 'embed',
  vectors: 'embed',
  userWords: 'index',
  keyword: 'index',
  write: 'write',
};

export interface BuildTimes {
  /** Wall time spent in each step. */
  readonly stepMs: Readonly<Record<BuildStep, number>>;
  /** Wall time spent in each phase: the sum of its steps. */
  readonly phaseMs: Readonly<Record<BuildPhase, number>>;
  readonly durationMs: number;
}

export class BuildClock {
  readonly #onProgress: ((p: BuildProgress) => void) | undefined;
  readonly #started = performance.now();
  #lapStart = this.#started;
  readonly #stepMs: Record<BuildStep, number> = { read: 0, chunk: 0, embed: 0, userWords: 0, vectors: 0, keyword: 0, write: 0 };

  constructor(onProgress?: (p: BuildProgress) => void) {
    this.#onProgress = onProgress;
  }

  /**
   * Reports how far `phase` is. A total of 0 means the phase started before
   * its size is known (reading, before the folder is listed) or has nothing to do.
   */
  progress(phase: BuildPhase, done: number, total: number): void {
    this.#onProgress?.({ phase, done, total, elapsedMs: Math.round(performance.now() - this.#started) });
  }

  /** Adds the time since the previous lap to `step`: steps that alternate (embedding and vector insertion) take several laps. */
  lap(step: BuildStep): void {
    const now = performance.now();
    this.#stepMs[step] += now - this.#lapStart;
    this.#lapStart = now;
  }

  /** The times so far, rounded to milliseconds. */
  times(): BuildTimes {
    const stepMs = { ...this.#stepMs };
    const phaseMs: Record<BuildPhase, number> = { read: 0, embed: 0, index: 0, write: 0 };
    for (const step of Object.keys(stepMs) as BuildStep[]) {
      phaseMs[PHASE_OF[step]] += stepMs[step];
      stepMs[step] = Math.round(stepMs[step]);
    }
    for (const phase of Object.keys(phaseMs) as BuildPhase[]) phaseMs[phase] = Math.round(phaseMs[phase]);
    return { stepMs, phaseMs, durationMs: Math.round(performance.now() - this.#started) };
  }
}
