import cliProgress from 'cli-progress';
import type { BuildPhase, BuildProgress, BuildSummary } from '../types.js';
import type { CommandIo } from './command-context.js';

const PHASE_LABEL: Record<BuildPhase, string> = {
  read: 'reading reports',
  embed: 'embedding chunks',
  index: 'indexing',
  write: 'writing index',
};

export interface ProgressView {
  update(p: BuildProgress): void;
  stop(): void;
}

/**
 * Shows index-build progress on stderr: a bar in a terminal, otherwise one line
 * per phase and per tenth of the work (so CI logs stay short). An event with
 * a total of 0 (a phase whose size is not known yet, or with nothing to do)
 * shows nothing: a `0/0` line would say nothing true.
 */
export function createBuildProgress(io: CommandIo): ProgressView {
  if (io.interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: ' {phase} |{bar}| {value}/{total} {elapsed}s',
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    let phase: BuildPhase | undefined;
    return {
      update(p) {
        if (p.total === 0) return;
        const payload = { phase: PHASE_LABEL[p.phase].padEnd(16), elapsed: (p.elapsedMs / 1000).toFixed(1) };
        if (p.phase !== phase) {
          if (phase !== undefined) bar.stop();
          bar.start(p.total, p.done, payload);
          phase = p.phase;
        } else {
          bar.setTotal(p.total);
          bar.update(p.done, payload);
        }
      },
      stop() {
        if (phase !== undefined) bar.stop();
      },
    };
  }
  let last = { phase: undefined as BuildPhase | undefined, tenth: -1 };
  return {
    update(p) {
      if (p.total === 0) return;
      const tenth = Math.floor((10 * p.done) / p.total);
      if (p.phase === last.phase && tenth === last.tenth) return;
      last = { phase: p.phase, tenth };
      io.err(`${PHASE_LABEL[p.phase]}: ${p.done}/${p.total} (${(p.elapsedMs / 1000).toFixed(1)} s)\n`);
    },
    stop() {},
  };
}

/** The closing lines of `report-qa index`, also used when `ask` builds on first use. */
export function formatBuildSummary(s: BuildSummary): string {
  const lines = [
    `Index ${s.buildId} ready in ${(s.durationMs / 1000).toFixed(1)} s: ${s.reports} reports, ${s.paragraphs} paragraphs, ${s.chunks} chunks.`,
    `  added ${s.added.length}, changed ${s.changed.length}, removed ${s.removed.length}, unchanged ${s.unchanged}; ${s.embedded} chunks embedded.`,
  ];
  for (const k of s.skipped) lines.push(`  skipped ${k.source}: ${k.reason}`);
  return lines.join('\n') + '\n';
}
