/**
 * `npm run bench` — speed of report-qa, measured: index build, incremental
 * re-index, query latency, vector search against exact search, memory, disk,
 * start-up (of the index, and of `report-qa ask` against the bare jieba
 * dictionary load), and the neural embedder's throughput. Prints a table and writes
 * JSON to bench/results/. See bench/PERFORMANCE.md.
 *
 * Each measurement runs in a child process (bench/bench-worker.ts) so that
 * its peak RSS is its own. Corpora, built indexes, dense graphs and the
 * neural model are cached (bench/.cache, keyed by generator/format versions
 * and size), so a rerun measures serving again without rebuilding.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OfflineEmbedder } from '../src/embed/offline-embedder.js';
import { INDEX_FORMAT_VERSION } from '../src/index/index-store.js';
import { JiebaTokenizer } from '../src/text/jieba-tokenizer.js';
import { BENCH_RESULT_VERSION, type BenchResult, type SizeResult } from './bench-result.js';
import { exists, indexDirFor, parseSize, prepareCorpus, sizeLabel } from './bench-cache.js';
import { calibrationMs, loadAverage, machineInfo } from './machine.js';
import { renderReport } from './report-table.js';
import { runTask } from './run-task.js';
import { measureStartup } from './startup.js';
import { buildSentencePool, chunkTexts, generateQuestions, loadSourceTexts } from './synthetic-corpus.js';
import { checkTargets } from './targets.js';
import type { BuildTaskOutput } from './tasks/build-task.js';
import type { NeuralTaskOutput } from './tasks/neural-task.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
const NEURAL_MODEL = 'Xenova/bge-small-zh-v1.5';
const CORPUS_DIR = '/work/shared/corpus/gov-reports';

const HELP = `Usage: npm run bench -- [options]

Measures index build, incremental re-index, query latency (keyword, vector,
hybrid; one at a time and 8 in flight), HNSW recall and speed against exact
search, peak RSS, index size and load time on synthetic Chinese corpora of
1k, 10k and 100k chunks, \`report-qa ask\` start-up on the seeds index against
the bare jieba dictionary load (dist/ is compiled first), and the neural
embedder's throughput. Prints a table
and writes JSON to bench/results/.

Options:
  --quick            sizes 1k,10k, fewer questions, a small neural subset (under two minutes
                     once the 10k corpus and index are cached; about three the first time)
  --sizes LIST       corpus sizes in chunks, e.g. 1k,10k,100k (default: 1k,10k,100k; quick: 1k,10k)
  --fresh            regenerate corpora and rebuild everything cached (indexes, graphs, model)
  --rebuild          rebuild the indexes, keep the generated corpora, dense graphs and model
  --skip-neural      leave out the neural embedder
  --cache DIR        cache folder (default bench/.cache)
  --out DIR          results folder (default bench/results)
  --corpus DIR       gov-reports folder to draw sentences from, or "none" for the seeds only
                     (default ${CORPUS_DIR} when present)
  -h, --help         this text

The neural part needs ${PYTHON} with torch and onnx (Debian: apt-get install python3-torch
python3-onnx) to generate a model with bge-small-zh-v1.5's architecture and random weights;
without them it is skipped with a message.`;

interface Settings {
  readonly quick: boolean;
  readonly sizes: readonly number[];
  readonly fresh: boolean;
  readonly rebuild: boolean;
  readonly neural: boolean;
  readonly cacheDir: string;
  readonly outDir: string;
  readonly corpusDir: string | undefined;
  /** Questions per size, and how many of them go through exact vector search. */
  readonly questions: number;
  readonly vectorQueries: number;
  readonly sparseEf: readonly number[];
  readonly denseQueries: number;
  readonly denseEf: readonly number[];
  readonly neuralTexts: number;
  readonly incrementalAll: boolean;
  /** Runs of `report-qa ask` and of the bare jieba load, each. */
  readonly startupRuns: number;
}

function settings(): Settings | undefined {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      'skip-neural': { type: 'boolean', default: false },
      cache: { type: 'string', default: path.join(ROOT, 'bench', '.cache') },
      out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
      corpus: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick;
  const corpus = values.corpus ?? (existsSync(CORPUS_DIR) ? CORPUS_DIR : 'none');
  return {
    quick,
    sizes: (values.sizes ?? (quick ? '1k,10k' : '1k,10k,100k')).split(',').map(parseSize),
    fresh: values.fresh,
    rebuild: values.rebuild || values.fresh,
    neural: !values['skip-neural'],
    cacheDir: path.resolve(values.cache),
    outDir: path.resolve(values.out),
    corpusDir: corpus === 'none' ? undefined : path.resolve(corpus),
    questions: quick ? 60 : 300,
    vectorQueries: quick ? 30 : 100,
    sparseEf: quick ? [100, 400] : [100, 400, 1600],
    denseQueries: quick ? 50 : 200,
    denseEf: quick ? [64, 100] : [40, 64, 100, 200],
    neuralTexts: quick ? 32 : 256,
    incrementalAll: !quick,
    startupRuns: quick ? 5 : 9,
  };
}

function step(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${loadAverage()[0]}] ${message}\n`);
}

async function main(): Promise<void> {
  let s: Settings | undefined;
  try {
    s = settings();
  } catch (err) {
    process.stderr.write(`✗ ${err instanceof Error ? err.message : String(err)}\n\n${HELP}\n`);
    process.exitCode = 2;
    return;
  }
  if (s === undefined) {
    console.log(HELP);
    return;
  }
  const startedAt = new Date();
  const loadStart = loadAverage();
  const calibrationStart = calibrationMs();
  await fs.mkdir(s.cacheDir, { recursive: true });
  step(`machine ${machineInfo().cpu}, ${machineInfo().cores} cores; calibration ${calibrationStart} ms; cache ${s.cacheDir}`);

  const pool = buildSentencePool(await loadSourceTexts(path.join(ROOT, 'seeds'), s.corpusDir));
  step(`sentence pool: ${pool.sentences.length} sentences from the seeds${s.corpusDir === undefined ? '' : ' and ' + s.corpusDir}`);
  const embedder = new OfflineEmbedder();
  const indexParts = [`f${INDEX_FORMAT_VERSION}`, embedder.id, new JiebaTokenizer().id];

  const startup = await measureStartup({ root: ROOT, indexDir: indexDirFor(s.cacheDir, 'seeds', indexParts), runs: s.startupRuns, log: step });
  step(`start-up: ask ${startup.askMs} ms, bare jieba load ${startup.bareJiebaMs} ms (median of ${startup.runs}): ${startup.ratio.toFixed(2)}×`);

  const sizes: SizeResult[] = [];
  const largest = Math.max(...s.sizes);
  for (const size of [...s.sizes].sort((a, b) => a - b)) {
    const label = sizeLabel(size);
    const corpus = await prepareCorpus(s.cacheDir, size, pool, s.fresh);
    step(`${label}: corpus ${corpus.cached ? 'cached' : 'written'}: ${corpus.reports.length} reports in ${corpus.dir}`);
    const indexDir = indexDirFor(s.cacheDir, corpus.key, indexParts);
    const build = await cachedBuild(indexDir, corpus.dir, s.rebuild, label);
    const questions = generateQuestions(corpus.reports, s.questions, size);

    step(`${label}: serving (${questions.length} questions)`);
    const serve = await runTask('serve', {
      indexDir,
      questions,
      warmUp: 20,
      concurrency: 8,
      graphEf: s.sparseEf,
      vectorQueries: s.vectorQueries,
    });
    step(
      `${label}: loaded in ${serve.loadMs} ms; hybrid p50/p95 ${serve.latency.hybrid.single.p50.toFixed(1)}/${serve.latency.hybrid.single.p95.toFixed(1)} ms; ` +
        `serve peak RSS ${serve.servePeakRssMb} MB`,
    );

    let incremental: SizeResult['incremental'];
    if (s.incrementalAll || size === largest) {
      step(`${label}: incremental re-index`);
      const change = corpus.reports[Math.floor(corpus.reports.length / 2)]?.file ?? '';
      const out = await runTask('incremental', { reportsDir: corpus.dir, indexDir, workDir: path.join(os.tmpdir(), `bench-incremental-${process.pid}`), change });
      incremental = { ...out, share: out.durationMs / build.durationMs };
      step(`${label}: re-index ${out.durationMs} ms (${(incremental.share * 100).toFixed(1)} % of the full build), steps ${JSON.stringify(out.stepMs)}`);
    }

    step(`${label}: dense vectors`);
    const dense = await runTask('dense', {
      count: size,
      queries: s.denseQueries,
      dimensions: 512,
      graphEf: s.denseEf,
      cacheFile: await denseCacheFile(s, size),
    });
    step(`${label}: dense graph ${dense.cached ? 'cached' : `built in ${dense.buildMs} ms`}; recall ${dense.graph.map((g) => `ef${g.ef} ${g.recall.toFixed(3)}`).join(', ')}`);
    const textMb = corpus.reports.reduce((sum, r) => sum + Buffer.byteLength(r.title + r.paragraphs.join('\n\n')), 0) / 1e6;
    sizes.push({
      size,
      label,
      corpus: { key: corpus.key, reports: corpus.reports.length, cached: corpus.cached, textMb },
      build,
      serve,
      ...(incremental !== undefined && { incremental }),
      dense,
    });
  }

  let neural: NeuralTaskOutput | { skipped: string } = { skipped: 'left out (--skip-neural)' };
  if (s.neural) {
    const smallest = await prepareCorpus(s.cacheDir, Math.min(...s.sizes), pool, false);
    neural = await neuralRun(s, chunkTexts(smallest.reports, s.neuralTexts), generateQuestions(smallest.reports, 20, 7));
  }

  const finishedAt = new Date();
  await fs.mkdir(s.outDir, { recursive: true });
  const file = path.join(s.outDir, `bench-${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}${s.quick ? '-quick' : ''}.json`);
  const result: BenchResult = {
    version: BENCH_RESULT_VERSION,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    options: { sizes: s.sizes.map(sizeLabel), quick: s.quick, fresh: s.fresh, rebuild: s.rebuild },
    machine: machineInfo(),
    loadAverage: { start: loadStart, end: loadAverage() },
    calibrationMs: { start: calibrationStart, end: calibrationMs() },
    sizes,
    startup,
    neural,
    targets: checkTargets(sizes, startup),
    file: path.relative(process.cwd(), file),
  };
  await fs.writeFile(file, JSON.stringify(result, null, 2));
  console.log(renderReport(result));
}

/** The build measurements of the cached index, or a fresh build (then cached with them). */
async function cachedBuild(indexDir: string, reportsDir: string, rebuild: boolean, label: string): Promise<BuildTaskOutput & { cached: boolean }> {
  const record = path.join(indexDir, 'build.json');
  if (!rebuild && (await exists(record)) && (await exists(path.join(indexDir, 'CURRENT')))) {
    const saved = JSON.parse(await fs.readFile(record, 'utf8')) as BuildTaskOutput; // written below by this script
    step(`${label}: index cached (built ${saved.measuredAt})`);
    return { ...saved, cached: true };
  }
  step(`${label}: building the index`);
  const build = await runTask('build', { reportsDir, indexDir });
  await fs.writeFile(record, JSON.stringify(build, null, 2));
  step(`${label}: built ${build.chunks} chunks in ${build.durationMs} ms, peak RSS ${build.peakRssMb} MB, steps ${JSON.stringify(build.stepMs)}`);
  return { ...build, cached: false };
}

async function denseCacheFile(s: Settings, size: number): Promise<string> {
  const file = path.join(s.cacheDir, `dense-v2-${sizeLabel(size)}-512.hnsw`);
  if (s.fresh) await fs.rm(file, { force: true });
  return file;
}

/** The bge-sized random model (generated once into the cache), then the throughput task. */
async function neuralRun(s: Settings, texts: string[], questions: string[]): Promise<NeuralTaskOutput | { skipped: string }> {
  const modelDir = path.join(s.cacheDir, 'models');
  const onnx = path.join(modelDir, NEURAL_MODEL, 'onnx', 'model.onnx');
  if (s.fresh) await fs.rm(path.join(modelDir, NEURAL_MODEL), { recursive: true, force: true });
  if (!(await exists(onnx))) {
    const probe = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { stdio: 'ignore' });
    if (probe.status !== 0) {
      const skipped = `${PYTHON} cannot import torch and onnx: install them with \`apt-get install python3-torch python3-onnx\``;
      step(`neural: skipped — ${skipped}`);
      return { skipped };
    }
    step('neural: generating the bge-small-zh-sized random model (once)');
    execFileSync(
      PYTHON,
      [
        path.join(ROOT, 'scripts', 'make-tiny-bert.py'),
        ...['--out', modelDir, '--model-id', NEURAL_MODEL, '--layers', '4', '--hidden', '512', '--heads', '8'],
        ...['--intermediate', '2048', '--vocab-size', '21128', '--max-positions', '512'],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  step(`neural: ${texts.length} chunks at batch sizes 1, 8, 32`);
  return runTask('neural', { modelDir, model: NEURAL_MODEL, texts, batchSizes: [1, 8, 32], questions });
}

await main();
