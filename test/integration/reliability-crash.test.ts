/**
 * Crash safety of `report-qa index` (issue #8). The real executable re-indexes
 * a changed collection (seeds + gov-reports copies; each run adds, changes and
 * removes reports) in a child process and is SIGKILLed at many moments: phases
 * are targeted by its stderr progress lines plus a delay swept over the phase's
 * measured length, and two runs hold the swap renames open (a preload,
 * test/helpers/stretch-renames.mjs) so the few-millisecond swap window is hit
 * every time. After every kill: the index on disk is the previous build or the
 * new one, whole (checksums verified on load), matching that build's reports,
 * and answers a question; the next run removes what the killed one left behind;
 * and a final run completes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createEmbedder } from '../../src/embed/create-embedder.js';
import { reportHash } from '../../src/ingest/parse-report.js';
import { listReportFiles } from '../../src/ingest/read-reports.js';
import { metadataFor, readReportMetadata } from '../../src/ingest/report-metadata.js';
import { silentLogger } from '../../src/log.js';
import type { Embedder } from '../../src/types.js';
import { CORPUS_DIR } from '../helpers/seeds-with-corpus.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/report-qa.js');
const STRETCH = path.join(ROOT, 'test/helpers/stretch-renames.mjs');
const SEEDS = path.join(ROOT, 'seeds');
const GDP_QUESTION = '罗星街道2022年地区生产总值是多少？';
/** Corpus reports in the collection at any time (plus the 5 seeds). */
const COLLECTION = 10;
/** Each build phase and the start of its progress lines on stderr. */
const PHASES = [
  ['read', 'reading reports'],
  ['embed', 'embedding chunks'],
  ['index', 'indexing'],
  ['write', 'writing index'],
] as const;

type Phase = (typeof PHASES)[number][0];
/** A kill: a share of a phase's measured length after its first progress line, or during a held swap rename. */
type Kill = { readonly phase: Phase; readonly fraction: number } | { readonly rename: 'build' | 'CURRENT' };
/** Where a kill landed, judged from the child's last progress line and what is on disk. */
type Landing = 'startup' | Phase | 'write:json' | 'write:hnsw' | 'write:manifest' | 'swap' | 'after-swap' | 'completed';

interface Line {
  readonly at: number;
  readonly text: string;
}
interface Run {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly lines: readonly Line[];
  readonly ms: number;
}

let work: string;
let reportsDir: string;
let indexDir: string;
let config: Config;
let embedder: Embedder;
let pool: string[];

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'reliability-crash-'));
  reportsDir = path.join(work, 'reports');
  indexDir = path.join(work, 'index');
  await fs.cp(SEEDS, reportsDir, { recursive: true });
  pool = await corpusPool(path.join(work, 'pool'));
  for (const name of pool.splice(0, COLLECTION)) await fs.rename(path.join(work, 'pool', name), path.join(reportsDir, name));
  config = loadConfig({ REPORTS_DIR: reportsDir, INDEX_DIR: indexDir, MODEL_DIR: path.join(work, 'models'), EMBEDDER: 'offline' }, work);
  embedder = await createEmbedder(config, silentLogger);
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

/** Copies of gov-reports .txt files (or, without the corpus, generated reports) in `dir`, by name. */
async function corpusPool(dir: string): Promise<string[]> {
  await fs.mkdir(dir);
  const wanted = COLLECTION + 40;
  if (CORPUS_DIR !== undefined) {
    const names = (await fs.readdir(CORPUS_DIR)).filter((n) => n.endsWith('.txt')).sort();
    const picked = names.filter((_, i) => i % Math.max(1, Math.floor(names.length / wanted)) === 0).slice(0, wanted);
    for (const n of picked) await fs.copyFile(path.join(CORPUS_DIR, n), path.join(dir, n));
    return picked;
  }
  const names = Array.from({ length: wanted }, (_, k) => `generated-${String(k).padStart(3, '0')}.txt`);
  for (const [k, n] of names.entries()) {
    const paragraphs = Array.from({ length: 180 }, (_, j) => `第${k}号测试区${2010 + (j % 15)}年完成重点项目${j}个，总投资${(k * 31 + j) % 97}.5亿元，新增就业岗位${j * 13}个。`);
    await fs.writeFile(path.join(dir, n), `第${k}号测试区工作报告\n\n${paragraphs.join('\n\n')}\n`);
  }
  return names;
}

/** Runs `report-qa index`; SIGKILLs it `afterMs` after a stderr line matching `killOn` (when given). */
async function runIndex(opts: { killOn?: RegExp; afterMs?: number; stretchMs?: number } = {}): Promise<Run> {
  const args = [...(opts.stretchMs === undefined ? [] : ['--import', STRETCH]), BIN, 'index'];
  const child = spawn(process.execPath, args, {
    cwd: work, // no .env here
    env: {
      ...process.env,
      REPORTS_DIR: reportsDir,
      INDEX_DIR: indexDir,
      MODEL_DIR: config.modelDir,
      EMBEDDER: 'offline',
      LOG_LEVEL: 'info',
      STRETCH_RENAME_MS: String(opts.stretchMs ?? 0),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const started = performance.now();
  const lines: Line[] = [];
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const text = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      lines.push({ at: performance.now() - started, text });
      if (opts.killOn !== undefined && timer === undefined && opts.killOn.test(text)) {
        timer = setTimeout(() => child.kill('SIGKILL'), opts.afterMs ?? 0);
      }
    }
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  return { pid: child.pid ?? -1, code, signal, lines, ms: performance.now() - started };
}

/**
 * Updates `length` with the phase lengths `run` shows (a phase's length is
 * known once the next one started), so kill delays follow the machine's load.
 */
function observe(run: Run, length: Record<Phase, number>): void {
  const first = (prefix: string): number | undefined => run.lines.find((l) => l.text.startsWith(prefix))?.at;
  const starts = [...PHASES.map(([, prefix]) => first(`${prefix}: `)), first('writing index: 1/1')];
  PHASES.forEach(([phase], i) => {
    const [start, end] = [starts[i], starts[i + 1]];
    if (start !== undefined && end !== undefined) length[phase] = end - start;
  });
}

async function readCurrent(): Promise<string | undefined> {
  return (await fs.readFile(path.join(indexDir, 'CURRENT'), 'utf8').catch(() => undefined))?.trim();
}

async function buildFolders(): Promise<string[]> {
  return (await fs.readdir(path.join(indexDir, 'builds')).catch(() => [])).sort();
}

/** Temporary files and folders a writer leaves when it dies. */
async function leftovers(): Promise<string[]> {
  const top = (await fs.readdir(indexDir)).filter((n) => n.startsWith('CURRENT.tmp-'));
  const builds = (await buildFolders()).filter((n) => n.startsWith('.tmp-')).map((n) => `builds/${n}`);
  return [...top, ...builds];
}

async function landing(run: Run, before: { buildId: string; folders: readonly string[] }): Promise<Landing> {
  if (run.code === 0) return 'completed';
  if ((await readCurrent()) !== before.buildId) return 'after-swap';
  const folders = await buildFolders();
  if (folders.some((n) => !n.startsWith('.') && !before.folders.includes(n))) return 'swap';
  const tmp = folders.find((n) => n.startsWith('.tmp-') && n.includes(`-${run.pid}-`));
  if (tmp !== undefined) {
    const files = await fs.readdir(path.join(indexDir, 'builds', tmp));
    return files.includes('manifest.json') ? 'write:manifest' : files.includes('vectors.hnsw') ? 'write:hnsw' : 'write:json';
  }
  const phases = run.lines.flatMap((l) => PHASES.filter(([, prefix]) => l.text.startsWith(`${prefix}: `)).map(([phase]) => phase));
  return phases.at(-1) ?? 'startup';
}

/** Changes the collection: two corpus reports edited, one added from the pool, one removed. */
async function mutate(round: number): Promise<{ changed: string[] }> {
  const corpus = (await fs.readdir(reportsDir)).filter((n) => !/^\d{3}_/.test(n) && n !== 'reports.json').sort();
  const changed = [corpus[round % corpus.length]!, corpus[(round + 7) % corpus.length]!];
  for (const name of changed) await fs.appendFile(path.join(reportsDir, name), `\n\n第${round}轮修订：本年度新增统计数据${1000 + round}万元。\n`);
  const added = pool.shift();
  if (added !== undefined) await fs.rename(path.join(work, 'pool', added), path.join(reportsDir, added));
  const removable = corpus.filter((n) => !changed.includes(n));
  await fs.rm(path.join(reportsDir, removable[(round * 3) % removable.length]!));
  return { changed };
}

/** What the folder holds now: source → hash, as a build of it must record. */
async function folderState(): Promise<Map<string, string>> {
  const meta = await readReportMetadata(reportsDir);
  const out = new Map<string, string>();
  for (const f of await listReportFiles(reportsDir)) out.set(f.source, reportHash(await fs.readFile(f.path), metadataFor(meta, f.source)));
  return out;
}

/** Loads the index on disk through the app and answers the GDP question; returns the build id and its reports' hashes. */
async function loadAndAsk(): Promise<{ buildId: string; reports: Map<string, string> }> {
  const app = await createApp(config, { embedder });
  try {
    await app.ready();
    const { answer } = await app.ask(GDP_QUESTION);
    expect(answer.found, answer.text).toBe(true);
    expect(answer.text).toContain('108.1亿元');
    expect(answer.citations.map((c) => c.source)).toContain('000_66e9643bcf1264a2.txt');
    return { buildId: app.status().buildId, reports: new Map(app.sources().map((r) => [r.source, r.hash])) };
  } finally {
    await app.close();
  }
}

describe('report-qa index killed with SIGKILL', () => {
  it('always leaves the previous or the new index, whole and answering; the next run cleans up and succeeds', async () => {
    const first = await runIndex();
    expect(first.code, first.lines.map((l) => l.text).join('\n')).toBe(0);

    // A completed incremental run measures how long each phase lasts on this machine now;
    // every later run refines it.
    await mutate(0);
    const calibration = await runIndex();
    expect(calibration.code, calibration.lines.map((l) => l.text).join('\n')).toBe(0);
    const length: Record<Phase, number> = { read: NaN, embed: NaN, index: NaN, write: NaN };
    observe(calibration, length);
    for (const v of Object.values(length)) expect(v).toBeGreaterThanOrEqual(0);

    const plan: Kill[] = [
      ...[0, 0.5].map((fraction) => ({ phase: 'read' as const, fraction })),
      ...[0, 0.5].map((fraction) => ({ phase: 'embed' as const, fraction })),
      ...[0, 0.5].map((fraction) => ({ phase: 'index' as const, fraction })),
      ...[0, 0.2, 0.4, 0.6, 0.8, 1].map((fraction) => ({ phase: 'write' as const, fraction })),
      { rename: 'build' },
      { rename: 'CURRENT' },
    ];
    const counts: Partial<Record<Landing, number>> = {};
    const log: string[] = [];
    let previousLeftovers: string[] = [];
    let oldReports = (await loadAndAsk()).reports;

    for (const [i, step] of plan.entries()) {
      const round = i + 1;
      const { changed } = await mutate(round);
      const before = { buildId: (await readCurrent()) ?? '', folders: await buildFolders() };
      const wanted = await folderState();

      const run =
        'rename' in step
          ? await runIndex({ killOn: new RegExp(`^\\[stretch\\] rename ${step.rename === 'build' ? '\\.tmp-' : 'CURRENT\\.tmp-'}`), afterMs: 100, stretchMs: 3_000 })
          : await runIndex({
              killOn: new RegExp(`^${PHASES.find(([phase]) => phase === step.phase)?.[1]}: `),
              afterMs: Math.round(step.fraction * length[step.phase]),
            });
      const label = 'rename' in step ? `rename ${step.rename}` : `${step.phase} +${Math.round(step.fraction * 100)}%`;
      const where = await landing(run, before);
      observe(run, length);
      counts[where] = (counts[where] ?? 0) + 1;
      const context = `kill ${round} (${label}) landed in ${where}\n${run.lines.map((l) => `${Math.round(l.at)} ${l.text}`).join('\n')}`;
      expect(run.code === 0 || run.signal === 'SIGKILL', context).toBe(true);
      // held open for 3 s, these windows are hit every time
      if ('rename' in step) expect(where, context).toBe(step.rename === 'build' ? 'write:manifest' : 'swap');

      // The index on disk is one of the two builds, whole, and answers.
      const after = await loadAndAsk();
      if (after.buildId === before.buildId) {
        expect(['completed', 'after-swap'], context).not.toContain(where);
        expect(after.reports, context).toEqual(oldReports);
      } else {
        expect(['completed', 'after-swap'], context).toContain(where);
        expect(after.reports, context).toEqual(wanted);
        for (const name of changed) expect(after.reports.get(name), context).not.toBe(oldReports.get(name));
      }

      // What the previous kill left behind is gone once this run got as far as reading.
      if (run.lines.some((l) => l.text.startsWith('reading reports'))) {
        const now = await leftovers();
        for (const name of previousLeftovers) expect(now, context).not.toContain(name);
      }
      previousLeftovers = await leftovers();
      oldReports = after.reports;
      log.push(
        `${String(round).padStart(2)} ${label.padEnd(15)} → ${where.padEnd(14)} ` +
          `${after.buildId === before.buildId ? 'old' : 'new'} index, ${previousLeftovers.length} leftovers, child ran ${Math.round(run.ms)} ms`,
      );
    }

    const final = await runIndex();
    expect(final.code, final.lines.map((l) => l.text).join('\n')).toBe(0);
    expect(await leftovers()).toEqual([]);
    const done = await loadAndAsk();
    expect(done.reports).toEqual(await folderState());
    expect((await buildFolders()).length).toBeLessThanOrEqual(2);

    const killed = plan.length - (counts.completed ?? 0);
    console.info(
      `crash safety: ${killed} kills survived of ${plan.length} runs; phase lengths (ms) ${JSON.stringify(Object.fromEntries(Object.entries(length).map(([k, v]) => [k, Math.round(v)])))}; ` +
        `landings ${JSON.stringify(counts)}\n${log.join('\n')}`,
    );
    // Kills at a phase's first line land in it whatever the load; later ones may land further on.
    const coarse = new Set(Object.keys(counts).map((w) => (w.startsWith('write') || w === 'swap' ? 'write' : w)));
    for (const phase of ['read', 'embed', 'index', 'write'] as const) expect(coarse, JSON.stringify(counts)).toContain(phase);
    expect(killed).toBeGreaterThanOrEqual(6);
  }, 600_000);
});
