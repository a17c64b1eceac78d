/**
 * The start-up row: wall time of `report-qa ask` on the seeds index, as a
 * user runs it (`node bin/report-qa.js`, the compiled build), against the part
 * that cannot go, loading jieba's dictionary in a bare `node -e`. Both are
 * run alternately in the same minutes, so machine load weighs on both alike;
 * each figure is the median of its runs, after one unmeasured run of each
 * (the first pays for cold file caches).
 */
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { percentile } from './stats.js';

const run = promisify(execFile);

/** The bare dictionary load: what `ask` must do at the least before it can tokenise a question. */
const BARE_JIEBA = "const j = require('nodejieba'); j.load(); j.cut('测试');";

/** A question of the kind the bot gets; its wording does not matter to start-up. */
const QUESTION = '2024年地区生产总值是多少？';

export interface StartupResult {
  readonly runs: number;
  /** Medians, ms. */
  readonly askMs: number;
  readonly bareJiebaMs: number;
  readonly ratio: number;
  /** Every measured run, ms, in order. */
  readonly askRunsMs: readonly number[];
  readonly bareJiebaRunsMs: readonly number[];
}

export interface StartupOptions {
  /** The repository: holds bin/report-qa.js, seeds/ and node_modules/nodejieba. */
  readonly root: string;
  /** Where the seeds index is: brought up to date with `report-qa index` first (incremental, so cheap when kept). */
  readonly indexDir: string;
  readonly runs: number;
  readonly log: (message: string) => void;
}

export async function measureStartup(opts: StartupOptions): Promise<StartupResult> {
  const { root } = opts;
  const bin = path.join(root, 'bin', 'report-qa.js');
  const seeds = path.join(root, 'seeds');
  // The offline embedder and a quiet log: the same index every run, nothing but the answer printed.
  const env = { ...process.env, EMBEDDER: 'offline', LOG_LEVEL: 'warn', REPORTS_DIR: seeds, INDEX_DIR: opts.indexDir };
  // bin/report-qa.js runs dist/ only when it is newer than every source: build it as `npm install` would.
  opts.log('start-up: compiling dist/ (the prepare script)');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  opts.log(`start-up: the seeds index in ${opts.indexDir}`);
  await run(process.execPath, [bin, 'index'], { env, cwd: root });
  const ask = (): Promise<number> => timed(process.execPath, [bin, 'ask', QUESTION], env, root);
  const bare = (): Promise<number> => timed(process.execPath, ['-e', BARE_JIEBA], env, root);
  await ask();
  await bare();
  const askRunsMs: number[] = [];
  const bareJiebaRunsMs: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    askRunsMs.push(await ask());
    bareJiebaRunsMs.push(await bare());
  }
  const askMs = percentile(askRunsMs, 0.5);
  const bareJiebaMs = percentile(bareJiebaRunsMs, 0.5);
  return { runs: opts.runs, askMs, bareJiebaMs, ratio: askMs / bareJiebaMs, askRunsMs, bareJiebaRunsMs };
}

/** Wall time of one process from spawn to exit, ms; it must exit 0. */
async function timed(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const started = performance.now();
  await run(file, [...args], { env, cwd, maxBuffer: 16 * 2 ** 20 });
  return Math.round(performance.now() - started);
}
