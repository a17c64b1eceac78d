/**
 * `eval --compare`: the current run against a saved `--json` result, per mode
 * (retrieval and answer metrics side by side) and per question (answers that
 * went right→wrong or wrong→right), plus the regression gate of
 * `--fail-on-regression`. Older saved results without the answer level still
 * load; their answer rows show `-`.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError, describeError } from '../errors.js';
import { describeIssue } from '../schema.js';

const rate = z.number().nullable();
const TALLY = z.object({ scored: z.number(), correct: z.number(), accuracy: rate });

const SAVED_RUN = z.object({
  createdAt: z.string().optional(),
  k: z.number().int().positive(),
  settings: z.record(z.string(), z.unknown()).optional(),
  modes: z.array(
    z.object({
      mode: z.string(),
      totals: z.object({ hitAt1: rate, recallAtK: rate, mrrAt10: rate, ndcgAt10: rate }),
      answers: z.object({ answerable: TALLY, falseRefusals: z.number(), unanswerable: TALLY }).optional(),
      results: z.array(
        z.object({
          id: z.string(),
          question: z.string(),
          verdict: z.object({ correct: z.boolean() }).nullable().optional(),
        }),
      ),
    }),
  ),
});

/** What a comparison reads of a run: a saved result, or the current report with its settings. */
export interface ComparedRun {
  readonly createdAt?: string | undefined;
  readonly k: number;
  /** Its `settings` (RunSettings in eval-command.ts); absent in files older than them. */
  readonly settings?: object | undefined;
  readonly modes: readonly ComparedMode[];
}

interface ComparedMode {
  readonly mode: string;
  readonly totals: { readonly hitAt1: number | null; readonly recallAtK: number | null; readonly mrrAt10: number | null; readonly ndcgAt10: number | null };
  readonly answers?: {
    readonly answerable: { readonly accuracy: number | null };
    readonly falseRefusals: number;
    readonly unanswerable: { readonly accuracy: number | null };
  } | undefined;
  readonly results: readonly {
    readonly id: string;
    readonly question: string;
    readonly verdict?: { readonly correct: boolean } | null | undefined;
  }[];
}

/** The compared metrics, in table order; rates are shares, `falseRefusals` a count. */
export type MetricKey = 'hitAt1' | 'recallAtK' | 'mrrAt10' | 'ndcgAt10' | 'accuracy' | 'falseRefusals' | 'unanswerableHandled';

export interface MetricRow {
  readonly key: MetricKey;
  readonly baseline: number | null;
  readonly now: number | null;
}

/** A question whose answer verdict changed. */
export interface Flip {
  readonly id: string;
  readonly question: string;
}

export interface ModeComparison {
  readonly mode: string;
  readonly rows: readonly MetricRow[];
  readonly rightToWrong: readonly Flip[];
  readonly wrongToRight: readonly Flip[];
}

export interface RunComparison {
  readonly baselineFile: string;
  readonly baselineCreatedAt?: string | undefined;
  readonly k: { readonly baseline: number; readonly now: number };
  /** Settings whose value differs, e.g. `embedder: a → b`. */
  readonly settingsChanged: readonly string[];
  readonly modes: readonly ModeComparison[];
  /** Modes run only in the baseline, or only now: not compared. */
  readonly onlyBaseline: readonly string[];
  readonly onlyNow: readonly string[];
}

/** What `--fail-on-regression` guards: a drop of either by more than the margin fails the run. */
const GUARDED: readonly MetricKey[] = ['accuracy', 'recallAtK'];
/** Float noise: 0.75 − 0.70 is 0.05000000000000004, which is not more than a margin of 0.05. */
const EPSILON = 1e-9;

/**
 * Reads and validates a saved `eval --json` result.
 *
 * @throws AppError `INPUT_INVALID` naming `file` when it cannot be read, is not
 *   JSON, or does not look like an eval result (with the first offending field).
 */
export async function loadSavedRun(file: string): Promise<ComparedRun> {
  const fail = (what: string, cause?: unknown): never => {
    throw new AppError('INPUT_INVALID', `Cannot use ${file} as the --compare baseline: ${what}`, { cause });
  };
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    return fail(`${describeError(err)}. Pass a file written by \`report-qa eval --json\`.`, err);
  }
  const parsed = SAVED_RUN.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${issue === undefined ? 'invalid' : describeIssue(issue)}; expected a file written by \`report-qa eval --json\`.`);
  }
  return parsed.data;
}

/**
 * Compares `now` with `baseline`, mode by mode (modes matched by name) and
 * question by question (matched by id, else by question text). Questions
 * without an answer verdict on either side are not compared.
 */
export function compareRuns(baseline: ComparedRun, now: ComparedRun, baselineFile: string): RunComparison {
  const baselineModes = new Map(baseline.modes.map((m) => [m.mode, m]));
  const nowModes = new Set(now.modes.map((m) => m.mode));
  return {
    baselineFile,
    baselineCreatedAt: baseline.createdAt,
    k: { baseline: baseline.k, now: now.k },
    settingsChanged: changedSettings(baseline.settings ?? {}, now.settings ?? {}),
    modes: now.modes.flatMap((m) => {
      const before = baselineModes.get(m.mode);
      return before === undefined ? [] : [compareMode(before, m)];
    }),
    onlyBaseline: baseline.modes.map((m) => m.mode).filter((mode) => !nowModes.has(mode)),
    onlyNow: now.modes.map((m) => m.mode).filter((mode) => !baselineModes.has(mode)),
  };
}

/**
 * Drops of answer accuracy or recall@k by more than `margin`, one English
 * sentence each; empty when the run holds up. Metrics missing on either side
 * are not judged.
 */
export function regressions(comparison: RunComparison, margin: number): string[] {
  return comparison.modes.flatMap((m) =>
    m.rows.flatMap((row) => {
      if (!GUARDED.includes(row.key) || row.baseline === null || row.now === null) return [];
      const drop = row.baseline - row.now;
      return drop > margin + EPSILON
        ? [`${m.mode} ${label(row.key, comparison.k.now)} fell from ${fixed(row.baseline)} to ${fixed(row.now)} (by ${fixed(drop)}, more than the margin ${margin})`]
        : [];
    }),
  );
}

/** The comparison as plain text: a header, one table per mode, the flipped questions. */
export function formatComparison(c: RunComparison): string {
  const lines = [`Compared with ${c.baselineFile}${c.baselineCreatedAt === undefined ? '' : ` (${c.baselineCreatedAt})`}`];
  if (c.settingsChanged.length > 0) lines.push(`Settings changed: ${c.settingsChanged.join('; ')}`);
  if (c.k.baseline !== c.k.now) lines.push(`Note: k was ${c.k.baseline} in the baseline and is ${c.k.now} now; recall@k is not like for like.`);
  if (c.onlyBaseline.length > 0) lines.push(`Only in the baseline (not compared): ${c.onlyBaseline.join(', ')}`);
  if (c.onlyNow.length > 0) lines.push(`Not in the baseline (not compared): ${c.onlyNow.join(', ')}`);
  for (const m of c.modes) {
    lines.push('', ...formatTable(m, c.k.now));
    lines.push(`[${m.mode}] right → wrong: ${m.rightToWrong.length}`, ...m.rightToWrong.map((f) => `  ✗ ${f.id}  ${f.question}`));
    lines.push(`[${m.mode}] wrong → right: ${m.wrongToRight.length}`, ...m.wrongToRight.map((f) => `  ✓ ${f.id}  ${f.question}`));
  }
  return lines.join('\n') + '\n';
}

function compareMode(before: ComparedMode, now: ComparedMode): ModeComparison {
  const metrics = (m: ComparedMode): Record<MetricKey, number | null> => ({
    ...m.totals,
    accuracy: m.answers?.answerable.accuracy ?? null,
    falseRefusals: m.answers?.falseRefusals ?? null,
    unanswerableHandled: m.answers?.unanswerable.accuracy ?? null,
  });
  const [b, n] = [metrics(before), metrics(now)];
  const keys: readonly MetricKey[] = ['hitAt1', 'recallAtK', 'mrrAt10', 'ndcgAt10', 'accuracy', 'falseRefusals', 'unanswerableHandled'];

  const byId = new Map(before.results.map((r) => [r.id, r]));
  const byQuestion = new Map(before.results.map((r) => [r.question, r]));
  const rightToWrong: Flip[] = [];
  const wrongToRight: Flip[] = [];
  for (const r of now.results) {
    const was = (byId.get(r.id) ?? byQuestion.get(r.question))?.verdict?.correct;
    const is = r.verdict?.correct;
    if (was === undefined || is === undefined || was === is) continue;
    (was ? rightToWrong : wrongToRight).push({ id: r.id, question: r.question });
  }
  return { mode: now.mode, rows: keys.map((key) => ({ key, baseline: b[key], now: n[key] })), rightToWrong, wrongToRight };
}

function formatTable(m: ModeComparison, k: number): string[] {
  const rows = m.rows.map((row) => {
    const count = row.key === 'falseRefusals';
    const show = (x: number | null): string => (x === null ? '-' : count ? String(x) : fixed(x));
    const delta = row.baseline === null || row.now === null ? '-' : signed(row.now - row.baseline, count);
    return [label(row.key, k), show(row.baseline), show(row.now), delta];
  });
  const table = [[`[${m.mode}]`, 'baseline', 'now', 'delta'], ...rows];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  return table.map((cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd(),
  );
}

function label(key: MetricKey, k: number): string {
  const labels: Record<MetricKey, string> = {
    hitAt1: 'hit@1',
    recallAtK: `recall@${k}`,
    mrrAt10: 'MRR@10',
    ndcgAt10: 'nDCG@10',
    accuracy: 'answer accuracy',
    falseRefusals: 'false refusals',
    unanswerableHandled: 'unanswerable handled',
  };
  return labels[key];
}

/** Settings present on both sides with different values; a side without settings (an older file) changes nothing. */
function changedSettings(before: object, now: object): string[] {
  const was = new Map(Object.entries(before));
  return Object.entries(now).flatMap(([key, value]) => {
    if (!was.has(key)) return [];
    const [b, n] = [JSON.stringify(was.get(key)), JSON.stringify(value)];
    return b === n ? [] : [`${key}: ${b} → ${n}`];
  });
}

function fixed(x: number): string {
  return x.toFixed(3);
}

/** "+0.100", "-2", "0.000": the sign says better or worse at a glance. */
function signed(x: number, count: boolean): string {
  const rounded = count ? x : Number(fixed(x));
  const text = count ? String(rounded) : fixed(Math.abs(rounded) === 0 ? 0 : rounded);
  return rounded > 0 ? `+${text}` : text;
}
