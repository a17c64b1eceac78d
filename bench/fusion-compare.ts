/**
 * Sub-benchmark (see bench/PERFORMANCE.md): fusion methods (and single-index
 * modes) on seed questions, with the gov-reports corpus as distractors —
 * hit@1, recall@3, recall@5, MRR@10 and query latency. The numbers behind
 * DEFAULT_RETRIEVER_OPTIONS; `npm run bench` measures the chosen fusion's speed.
 *
 *   npx tsx bench/fusion-compare.ts [--corpus DIR|none] [--index DIR] [--questions checks|eval|both]
 *
 * Questions: `checks` = test/helpers/seed-checks.ts (place + figure), `eval` =
 * test/eval/seeds-qa.jsonl (answerable ones). The index is built once into
 * --index (default: a folder in the OS temp dir) and reused on later runs.
 * Also prints build time per phase, index size on disk and load time.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HnswVectorIndex } from '../src/index/hnsw-index.js';
import { OfflineEmbedder } from '../src/embed/offline-embedder.js';
import { isAppError } from '../src/errors.js';
import { createLogger } from '../src/log.js';
import { buildFromReports } from '../src/build-from-reports.js';
import type { FuseOptions } from '../src/retrieve/fuse.js';
import { loadIndex, type IndexSnapshot } from '../src/index/index-store.js';
import { JiebaTokenizer } from '../src/text/jieba-tokenizer.js';
import { Retriever } from '../src/retrieve/retriever.js';
import type { RetrievalMode } from '../src/types.js';
import { dirBytes } from './bench-cache.js';
import { SEED_CHECKS, squeeze, type SeedCheck } from '../test/helpers/seed-checks.js';
import { linkSeedsWithCorpus } from '../test/helpers/seeds-with-corpus.js';

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: '/work/shared/corpus/gov-reports' },
    index: { type: 'string' },
    questions: { type: 'string', default: 'both' },
    dims: { type: 'string' },
    /** Chunk size (default: the chunker's); small values give more chunks, for latency at ~100k chunks. */
    'max-chars': { type: 'string' },
  },
});
const withCorpus = args.corpus !== 'none';
const indexDir =
  args.index ?? path.join(os.tmpdir(), `fusion-bench-index-${withCorpus ? 'corpus' : 'seeds'}-${args['max-chars'] ?? 'default'}`);

function evalQuestions(): SeedCheck[] {
  return fs
    .readFileSync('test/eval/seeds-qa.jsonl', 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l): unknown => JSON.parse(l))
    .flatMap((q) =>
      typeof q === 'object' && q !== null && 'question' in q && 'source' in q && 'evidence' in q &&
      typeof q.question === 'string' && typeof q.source === 'string' && typeof q.evidence === 'string'
        ? [{ question: q.question, source: q.source, evidence: q.evidence }]
        : [],
    );
}

async function snapshotFor(embedder: OfflineEmbedder, tokenizer: JiebaTokenizer): Promise<IndexSnapshot> {
  const expect = { embedderId: embedder.id, dimensions: embedder.dimensions, tokenizer };
  try {
    const t = performance.now();
    const s = await loadIndex(indexDir, expect);
    console.log(`loaded ${indexDir} in ${((performance.now() - t) / 1000).toFixed(2)} s`);
    return s;
  } catch (err) {
    if (!isAppError(err)) throw err;
  }
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'fusion-bench-reports-'));
  await linkSeedsWithCorpus(work, 'seeds', withCorpus ? args.corpus : undefined);
  const logger = createLogger({ level: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'warn' });
  const { snapshot, summary, phaseMs } = await buildFromReports({
    reportsDir: work,
    indexDir,
    embedder,
    tokenizer,
    logger,
    ...(args['max-chars'] !== undefined && { chunkOptions: { maxChars: Number(args['max-chars']), overlapSentences: 0 } }),
  });
  await fsp.rm(work, { recursive: true, force: true }); // only the links: rm does not follow them
  console.log(
    `built ${summary.reports} reports, ${summary.paragraphs} paragraphs, ${summary.chunks} chunks in ${(summary.durationMs / 1000).toFixed(1)} s ` +
      `(read ${phaseMs.read} ms, embed ${phaseMs.embed} ms, index ${phaseMs.index} ms, write ${phaseMs.write} ms); ` +
      `on disk ${(await dirBytes(path.join(indexDir, 'builds'))) / 1e6} MB`,
  );
  const t = performance.now();
  await loadIndex(indexDir, expect);
  console.log(`load time ${((performance.now() - t) / 1000).toFixed(2)} s`);
  return snapshot;
}

interface Variant {
  name: string;
  mode: RetrievalMode;
  fusion?: FuseOptions;
  candidates?: number;
  /** HNSW efSearch for this variant (a large value approaches exact search). */
  ef?: number;
}

const VARIANTS: Variant[] = [
  { name: 'vector only', mode: 'vector' },
  { name: 'vector only, efSearch 2000', mode: 'vector', ef: 2000 },
  { name: 'keyword only', mode: 'keyword' },
  { name: 'rrf k=60', mode: 'hybrid', fusion: { method: 'rrf', rrfK: 60 } },
  { name: 'rrf k=60, 100 cand.', mode: 'hybrid', fusion: { method: 'rrf', rrfK: 60 }, candidates: 100 },
  { name: 'rrf k=60, 20 cand.', mode: 'hybrid', fusion: { method: 'rrf', rrfK: 60 }, candidates: 20 },
  { name: 'rrf k=10', mode: 'hybrid', fusion: { method: 'rrf', rrfK: 10 } },
  { name: 'rrf k=60 w=1:2 (kw)', mode: 'hybrid', fusion: { method: 'rrf', rrfK: 60, weights: [1, 2] } },
  { name: 'rrf k=60 w=2:1 (vec)', mode: 'hybrid', fusion: { method: 'rrf', rrfK: 60, weights: [2, 1] } },
  { name: 'weighted minmax 1:1', mode: 'hybrid', fusion: { method: 'weighted', normalization: 'minmax' } },
  { name: 'weighted minmax 0.3:0.7', mode: 'hybrid', fusion: { method: 'weighted', normalization: 'minmax', weights: [0.3, 0.7] } },
  { name: 'weighted minmax 0.2:0.8', mode: 'hybrid', fusion: { method: 'weighted', normalization: 'minmax', weights: [0.2, 0.8] } },
  { name: 'weighted minmax 0.4:0.6', mode: 'hybrid', fusion: { method: 'weighted', normalization: 'minmax', weights: [0.4, 0.6] } },
  { name: 'weighted minmax 0.7:0.3', mode: 'hybrid', fusion: { method: 'weighted', normalization: 'minmax', weights: [0.7, 0.3] } },
  { name: 'weighted zscore 1:1', mode: 'hybrid', fusion: { method: 'weighted', normalization: 'zscore' } },
];

async function main(): Promise<void> {
  const embedder = new OfflineEmbedder(args.dims === undefined ? {} : { dimensions: Number(args.dims) });
  const tokenizer = new JiebaTokenizer();
  const snapshot = await snapshotFor(embedder, tokenizer);
  const sets: [string, SeedCheck[]][] = [];
  if (args.questions !== 'eval') sets.push(['checks', [...SEED_CHECKS]]);
  if (args.questions !== 'checks') sets.push(['eval', evalQuestions()]);
  const paragraphText = (source: string, n: number): string => snapshot.reports.get(source)?.paragraphs[n - 1]?.text ?? '';

  for (const [setName, questions] of sets) {
    console.log(`\n${setName}: ${questions.length} questions, ${snapshot.chunks.size} chunks`);
    console.log('| variant | hit@1 | recall@3 | recall@5 | MRR@10 | p50 ms | p95 ms |');
    console.log('|---|---|---|---|---|---|---|');
    for (const v of VARIANTS) {
      const retriever = new Retriever(snapshot, embedder, {
        ...(v.fusion !== undefined && { fusion: v.fusion }),
        ...(v.candidates !== undefined && { candidates: v.candidates }),
      });
      const graph = snapshot.vectors;
      if (!(graph instanceof HnswVectorIndex)) throw new Error('fusion-compare needs the HNSW vector index (it varies efSearch)');
      const efBefore = graph.efSearch;
      if (v.ef !== undefined) graph.efSearch = v.ef;
      const misses: string[] = [];
      let hit1 = 0;
      let r3 = 0;
      let r5 = 0;
      let mrr = 0;
      const times: number[] = [];
      for (const q of questions) {
        const t = performance.now();
        const results = await retriever.retrieve(q.question, { k: 10, mode: v.mode });
        times.push(performance.now() - t);
        const rank = results.findIndex(
          (r) => path.basename(r.chunk.source) === q.source && squeeze(paragraphText(r.chunk.source, r.chunk.paragraph)).includes(squeeze(q.evidence)),
        );
        if (rank === 0) hit1++;
        if (rank >= 0 && rank < 3) r3++;
        if (rank >= 0 && rank < 5) r5++;
        if (rank >= 0) mrr += 1 / (rank + 1);
        if (rank < 0 || rank >= 3) misses.push(`${q.question} (rank ${rank + 1 || '>10'})`);
      }
      graph.efSearch = efBefore;
      if (v.name === process.env.SHOW_MISSES) console.log(misses.join('\n'));
      times.sort((a, b) => a - b);
      const n = questions.length;
      const pct = (p: number): string => times[Math.min(n - 1, Math.floor(p * n))]!.toFixed(1);
      console.log(
        `| ${v.name} | ${(hit1 / n).toFixed(3)} | ${(r3 / n).toFixed(3)} | ${(r5 / n).toFixed(3)} | ${(mrr / n).toFixed(3)} | ${pct(0.5)} | ${pct(0.95)} |`,
      );
    }
  }
}

await main();
