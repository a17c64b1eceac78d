/**
 * `report-qa eval DATASET.jsonl [--k N] [--json FILE] [--mode hybrid|vector|keyword|all]
 * [--html FILE] [--compare BASELINE.json [--fail-on-regression [MARGIN]]]`: reads the data
 * set, runs it through the app, prints the report and, with a baseline, how
 * the run compares. Thin on purpose: parsing, scoring, formatting and
 * comparing live in src/eval/.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { AppError, describeError } from '../errors.js';
import type { App, RetrievalMode } from '../types.js';
import { compareRuns, formatComparison, loadSavedRun, regressions } from '../eval/compare-runs.js';
import { parseDataset, type EvalQuestion } from '../eval/dataset.js';
import { formatHtml } from '../eval/format-html.js';
import { formatReport } from '../eval/format-report.js';
import { runEval } from '../eval/run-eval.js';

/** What `--mode all` runs, in this order. */
export const ALL_MODES: readonly RetrievalMode[] = ['hybrid', 'vector', 'keyword'];

export interface EvalCommandOptions {
  /** Depth for recall@k and the answer step (default in the CLI: 5). */
  k: number;
  mode: RetrievalMode | 'all';
  /** Where to write per-question results and totals as JSON. */
  json?: string;
  /** Where to write the run as one self-contained HTML page (with the comparison when there is one). */
  html?: string;
  /** A saved `--json` result to compare the run with. */
  compare?: string;
  /** With `compare`: fail when answer accuracy or recall@k drops by more than this. */
  failOnRegression?: number;
}

/**
 * What a `--json` result was measured with, so two saved runs can be told
 * apart (another embedder, index build or data set) before their scores are.
 */
export interface RunSettings {
  readonly embedder: string;
  readonly answerer: string;
  readonly buildId: string;
  readonly k: number;
  readonly depth: number;
  readonly modes: readonly RetrievalMode[];
  /** sha256 of the data set file's bytes. */
  readonly datasetSha256: string;
}

export interface EvalCommandIo {
  /** The report (stdout). */
  out: (s: string) => void;
  /** Warnings and notes (stderr). */
  err: (s: string) => void;
  /** Show a progress bar on stderr. */
  progress: boolean;
}

/**
 * Runs the evaluation and prints the report (and the comparison with a
 * baseline). Resolves to exit code 0 whenever the run completed, whatever the
 * scores, unless `failOnRegression` is set. The baseline is read before the
 * run, so a bad file fails at once rather than after it.
 *
 * @throws AppError `INPUT_INVALID` for a bad `k`, an unwritable `--json` file,
 *   an unusable baseline or `failOnRegression` without one; `DATASET_INVALID`
 *   for an unreadable or malformed data set; `EVAL_REGRESSION` (after printing
 *   and writing everything) when a guarded metric dropped by more than the
 *   margin; and whatever the app throws (e.g. `INDEX_MISSING`). The CLI turns
 *   these into exit code 1.
 */
export async function evalCommand(
  app: App,
  datasetPath: string,
  opts: EvalCommandOptions,
  io: EvalCommandIo,
): Promise<number> {
  if (!Number.isInteger(opts.k) || opts.k < 1) {
    throw new AppError('INPUT_INVALID', `--k must be a positive integer, got ${String(opts.k)}`);
  }
  if (opts.failOnRegression !== undefined && opts.compare === undefined) {
    throw new AppError('INPUT_INVALID', '--fail-on-regression needs a baseline: add --compare BASELINE.json');
  }
  const baseline = opts.compare === undefined ? undefined : { file: opts.compare, run: await loadSavedRun(opts.compare) };
  const bytes = await readDataset(datasetPath);
  const questions = parseDataset(bytes.toString('utf8'), datasetPath);
  await readyWithNote(app, io.err);
  warnAboutUnknownSources(app, questions, io.err);

  const modes = opts.mode === 'all' ? ALL_MODES : [opts.mode];
  const report = await withProgressBar(io.progress, questions.length * modes.length, (onProgress) =>
    runEval(app, questions, { k: opts.k, modes, onProgress }),
  );

  const index = app.status();
  io.out(`Index ${index.buildId}: ${index.reports} reports, ${index.chunks} chunks, embedder ${index.embedder.id}, answerer ${index.answerer}\n`);
  io.out(formatReport(report));

  const settings: RunSettings = {
    embedder: index.embedder.id,
    answerer: index.answerer,
    buildId: index.buildId,
    k: report.k,
    depth: report.depth,
    modes,
    datasetSha256: createHash('sha256').update(bytes).digest('hex'),
  };
  const doc = { dataset: datasetPath, createdAt: new Date().toISOString(), index, settings, ...report };
  if (opts.json !== undefined) {
    await writeReportFile(opts.json, JSON.stringify(doc, null, 2) + '\n', '--json');
    io.err(`Wrote per-question results and totals to ${opts.json}\n`);
  }
  const comparison = baseline === undefined ? undefined : compareRuns(baseline.run, doc, baseline.file);
  if (comparison !== undefined) io.out('\n' + formatComparison(comparison));
  if (opts.html !== undefined) {
    await writeReportFile(opts.html, formatHtml(report, comparison), '--html');
    io.err(`Wrote the HTML report to ${opts.html}\n`);
  }
  const dropped = comparison === undefined || opts.failOnRegression === undefined ? [] : regressions(comparison, opts.failOnRegression);
  if (dropped.length > 0) {
    throw new AppError('EVAL_REGRESSION', `The run regressed against ${opts.compare}: ${dropped.join('; ')}.`);
  }
  return 0;
}

/** Runs `work` with a cli-progress bar on stderr when `show` is true; the bar is removed afterwards. */
async function withProgressBar<T>(
  show: boolean,
  total: number,
  work: (onProgress: (done: number) => void) => Promise<T>,
): Promise<T> {
  if (!show) return work(() => {});
  const bar = new SingleBar(
    { format: 'eval [{bar}] {value}/{total} questions | {duration_formatted}', hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  try {
    return await work((done) => bar.update(done));
  } finally {
    bar.stop();
  }
}

/** Loads the index; says so when none exists and it has to be built first (the build can take a while). */
async function readyWithNote(app: App, note: (s: string) => void): Promise<void> {
  let building = false;
  await app.ready({
    onProgress: () => {
      if (!building) note('No index yet: building it from the reports folder first.\n');
      building = true;
    },
  });
}

async function readDataset(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new AppError('DATASET_INVALID', `Cannot read the data set ${file}: ${describeError(err)}. Check the path.`, {
      cause: err,
    });
  }
}

/** A question about a report that is not indexed can never hit; say so before spending the time. */
function warnAboutUnknownSources(app: App, questions: readonly EvalQuestion[], warn: (s: string) => void): void {
  const indexed = new Set(app.sources().map((r) => r.source));
  const unknown = [...new Set(questions.flatMap((q) => (q.source !== null && !indexed.has(q.source) ? [q.source] : [])))];
  if (unknown.length > 0) {
    warn(`Warning: the data set refers to reports that are not indexed (their questions will all miss): ${unknown.join(', ')}\n`);
  }
}

async function writeReportFile(file: string, text: string, flag: string): Promise<void> {
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, text, 'utf8');
  } catch (err) {
    throw new AppError('INPUT_INVALID', `Cannot write ${file}: ${describeError(err)}. Choose a writable path for ${flag}.`, {
      cause: err,
    });
  }
}
