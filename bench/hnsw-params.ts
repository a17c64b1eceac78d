/**
 * Sub-benchmark (see bench/PERFORMANCE.md): HNSW parameters (M, efConstruction,
 * efSearch) against exact search — recall@10, build time, query latency, and
 * speed-up over brute force. The numbers behind DEFAULT_HNSW_OPTIONS
 * (src/index/hnsw-index.ts); `npm run bench` measures the chosen defaults only.
 *
 *   npx tsx bench/hnsw-params.ts [--data offline|clustered|seeds] [--n 100000] [--queries 300]
 *        [--configs 16:200,24:200] [--ef 20,40,...] [--corpus /work/shared/corpus/gov-reports]
 *
 * Data sets:
 * - `offline`: sentence windows of the corpus (1–3 consecutive sentences, then
 *   random recombinations of two sentences until n) embedded by the offline
 *   embedder; queries are held-out recombinations.
 * - `clustered`: a stand-in for neural sentence embeddings — unit vectors
 *   around 2,000 random topic centres with Gaussian noise (bench/dense-vectors.ts).
 * - `seeds`: every sentence window of the seed reports; queries are seed-set questions.
 * - `index`: the chunk vectors of a built index (--index DIR, e.g. seeds + corpus built by
 *   bench/fusion-compare.ts); queries are the seed-set questions, offline-embedded.
 * Vectors are cached in the OS temp folder between runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import hnswlib from 'hnswlib-node';
import { ColumnVectors } from '../src/index/column-vectors.js';
import { ExactVectorIndex } from '../src/index/exact-vector-index.js';
import { HnswVectorIndex } from '../src/index/hnsw-index.js';
import { seededRandom } from '../test/helpers/random-vectors.js';
import { clusteredVectors } from './dense-vectors.js';
import { percentile } from './stats.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: 'offline' },
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '300' },
    configs: { type: 'string', default: '8:100,16:100,16:200,24:200,32:200' },
    ef: { type: 'string', default: '10,20,40,64,100,150,200,300' },
    corpus: { type: 'string', default: '/work/shared/corpus/gov-reports' },
    seeds: { type: 'string', default: 'seeds' },
    index: { type: 'string' },
  },
});
const N = Number(args.n);
const Q = Number(args.queries);
/** Vector length: the offline embedder's (read from it), 512 for the clustered set. */
let DIM = 512;

function sentencesOf(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.txt')) continue;
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const s of text.split(/(?<=[。！？；\n])/)) {
      const t = s.trim();
      if (t.length >= 8) out.push(t);
    }
  }
  return out;
}

async function embedAll(texts: string[]): Promise<Float32Array[]> {
  // Imported lazily: the clustered data set needs no embedder.
  const { OfflineEmbedder } = await import('../src/embed/offline-embedder.js');
  const embedder = new OfflineEmbedder();
  DIM = embedder.dimensions;
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 5000) {
    out.push(...(await embedder.embedDocuments(texts.slice(i, i + 5000))));
    process.stderr.write(`\rembedded ${out.length}/${texts.length}`);
  }
  process.stderr.write('\n');
  return out;
}

async function offlineDimensions(): Promise<number> {
  const { OfflineEmbedder } = await import('../src/embed/offline-embedder.js');
  return new OfflineEmbedder().dimensions;
}

async function offlineData(): Promise<{ base: Float32Array[]; queries: Float32Array[] }> {
  const sentences = sentencesOf(args.corpus);
  const rand = seededRandom(7);
  const pick = (): string => sentences[Math.floor(rand() * sentences.length)]!;
  const docs: string[] = [];
  for (let i = 0; i < sentences.length && docs.length < N; i++) {
    let text = sentences[i]!;
    // windows of 1–3 consecutive sentences, like paragraph chunks
    for (let j = 1; j < 3 && text.length < 120 && i + j < sentences.length; j++) text += sentences[i + j]!;
    docs.push(text);
  }
  while (docs.length < N) docs.push(pick() + pick());
  // Question-like queries: a phrase from one sentence and one from another, through embedQuery.
  const queryTexts = Array.from({ length: Q }, () => pick().slice(0, 14) + pick().slice(0, 8));
  const { OfflineEmbedder } = await import('../src/embed/offline-embedder.js');
  const embedder = new OfflineEmbedder();
  const queries: Float32Array[] = [];
  for (const q of queryTexts) queries.push(await embedder.embedQuery(q));
  return { base: await embedAll(docs), queries };
}

async function seedData(): Promise<{ base: Float32Array[]; queries: Float32Array[] }> {
  const docs = sentencesOf(args.seeds);
  const questions = fs
    .readFileSync('test/eval/seeds-qa.jsonl', 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l): unknown => JSON.parse(l))
    .flatMap((q) => (typeof q === 'object' && q !== null && 'question' in q && typeof q.question === 'string' ? [q.question] : []));
  const { OfflineEmbedder } = await import('../src/embed/offline-embedder.js');
  const embedder = new OfflineEmbedder();
  const queries: Float32Array[] = [];
  for (const q of questions) queries.push(await embedder.embedQuery(q));
  return { base: await embedAll(docs), queries };
}

async function indexData(): Promise<{ base: Float32Array[]; queries: Float32Array[] }> {
  if (args.index === undefined) throw new Error('--data index needs --index DIR');
  const builds = path.join(args.index, 'builds');
  const current = fs.readFileSync(path.join(args.index, 'CURRENT'), 'utf8').trim();
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(builds, current, 'manifest.json'), 'utf8'));
  const dims = typeof manifest === 'object' && manifest !== null && 'embedder' in manifest ? Reflect.get(Object(manifest.embedder), 'dimensions') : undefined;
  if (typeof dims !== 'number') throw new Error('manifest has no embedder dimensions');
  DIM = dims;
  const stored = await HnswVectorIndex.load(path.join(builds, current, 'vectors.hnsw'), DIM);
  const base = await stored.vectors([...stored.labels()].sort((a, b) => a - b));
  const { OfflineEmbedder } = await import('../src/embed/offline-embedder.js');
  const embedder = new OfflineEmbedder({ dimensions: DIM });
  const questions = fs
    .readFileSync('test/eval/seeds-qa.jsonl', 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l): unknown => JSON.parse(l))
    .flatMap((q) => (typeof q === 'object' && q !== null && 'question' in q && typeof q.question === 'string' ? [q.question] : []));
  const { SEED_CHECKS } = await import('../test/helpers/seed-checks.js');
  // Queries through embedQuery: an embedder may treat them differently from documents (the offline one does).
  const queries: Float32Array[] = [];
  for (const q of [...questions, ...SEED_CHECKS.map((c) => c.question)]) queries.push(await embedder.embedQuery(q));
  return { base, queries };
}

async function cached(name: string, make: () => Promise<{ base: Float32Array[]; queries: Float32Array[] }>) {
  if (name.startsWith('offline')) DIM = await offlineDimensions();
  const file = path.join(os.tmpdir(), `hnsw-bench-${name}-${DIM}-${N}-${Q}.f32`);
  if (fs.existsSync(file)) {
    const all = new Float32Array(fs.readFileSync(file).buffer.slice(0));
    const rows = Array.from({ length: all.length / DIM }, (_, i) => all.subarray(i * DIM, (i + 1) * DIM));
    const count = rows.length - Q;
    return { base: rows.slice(0, count), queries: rows.slice(count) };
  }
  const data = await make();
  const all = new Float32Array((data.base.length + data.queries.length) * DIM);
  [...data.base, ...data.queries].forEach((v, i) => all.set(v, i * DIM));
  fs.writeFileSync(file, all);
  return data;
}

async function main(): Promise<void> {
  const data =
    args.data === 'clustered'
      ? await cached('clustered', async () => clusteredVectors({ count: N, queries: Q, dimensions: DIM }))
      : args.data === 'seeds'
        ? await seedData()
        : args.data === 'index'
          ? await indexData()
        : await cached('offline-q', offlineData);
  const { base, queries } = data;
  console.log(`data=${args.data} n=${base.length} queries=${queries.length} dim=${DIM}`);

  // Ground truth with hnswlib's C++ brute force (same inner product, exact).
  const brute = new hnswlib.BruteforceSearch('ip', DIM);
  brute.initIndex(base.length);
  base.forEach((v, i) => brute.addPoint(Array.from(v), i));
  // Tie-aware truth: a hit counts when its score reaches the exact 10th score (minus float noise),
  // so equal-scoring duplicates do not count as misses.
  const truth = queries.map((q) => {
    const { distances } = brute.searchKnn(Array.from(q), 10);
    return 1 - (distances[distances.length - 1] ?? 1) - 1e-5;
  });

  // Exact JS baseline latency (ExactVectorIndex), on a subset of queries.
  const exact = new ExactVectorIndex(DIM);
  await exact.add(base.map((_, i) => i), base);
  const exactTimes: number[] = [];
  for (const q of queries.slice(0, 50)) {
    const t = performance.now();
    await exact.search(q, 10);
    exactTimes.push(performance.now() - t);
  }
  const cppTimes: number[] = [];
  for (const q of queries.slice(0, 50)) {
    const qa = Array.from(q);
    const t = performance.now();
    brute.searchKnn(qa, 10);
    cppTimes.push(performance.now() - t);
  }
  const exactMean = exactTimes.reduce((s, x) => s + x, 0) / exactTimes.length;
  console.log(
    `exact: ExactVectorIndex mean ${exactMean.toFixed(2)} ms p95 ${percentile(exactTimes, 0.95).toFixed(2)} ms; ` +
      `hnswlib brute force mean ${(cppTimes.reduce((s, x) => s + x, 0) / cppTimes.length).toFixed(2)} ms`,
  );

  // The exact column scan HnswVectorIndex uses for cheap (sparse) queries.
  const columns = new ColumnVectors(DIM, base.length);
  base.forEach((v, i) => columns.set(i, v));
  const scanTimes: number[] = [];
  const costs: number[] = [];
  let scanFound = 0;
  queries.forEach((q, qi) => {
    const t = performance.now();
    const hits = columns.search(q, 10);
    scanTimes.push(performance.now() - t);
    costs.push(columns.scanCost(q));
    scanFound += hits.filter((h) => h.score >= truth[qi]! - 1e-5).length;
  });
  console.log(
    `exact column scan: recall@10 ${(scanFound / (queries.length * 10)).toFixed(4)}, mean ${(scanTimes.reduce((s, x) => s + x, 0) / scanTimes.length).toFixed(2)} ms, ` +
      `p95 ${percentile(scanTimes, 0.95).toFixed(2)} ms, median cost ${percentile(costs, 0.5)} multiply-adds`,
  );

  console.log('| M | efC | build s | efSearch | recall@10 | mean ms | p95 ms | × exact (JS) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const cfg of args.configs.split(',').filter((c) => c !== '')) {
    const [M, efConstruction] = cfg.split(':').map(Number);
    const t0 = performance.now();
    const index = HnswVectorIndex.create(DIM, { M: M!, efConstruction: efConstruction!, efSearch: 10, exactScanBudget: 0 });
    await index.add(base.map((_, i) => i), base);
    const buildS = (performance.now() - t0) / 1000;
    for (const ef of args.ef.split(',').map(Number)) {
      index.efSearch = ef;
      let found = 0;
      const times: number[] = [];
      for (const [qi, q] of queries.entries()) {
        const t = performance.now();
        const hits = await index.search(q, 10);
        times.push(performance.now() - t);
        found += hits.filter((h) => h.score >= truth[qi]!).length;
      }
      const mean = times.reduce((s, x) => s + x, 0) / times.length;
      console.log(
        `| ${M} | ${efConstruction} | ${buildS.toFixed(1)} | ${ef} | ${(found / (queries.length * 10)).toFixed(4)} | ` +
          `${mean.toFixed(3)} | ${percentile(times, 0.95).toFixed(3)} | ${(exactMean / mean).toFixed(0)} |`,
      );
    }
  }
}

await main();
