/**
 * Measures the offline embedder: retrieval quality (exact cosine over naive
 * ~300-character chunks) on the seed questions in
 * test/fixtures/embed/seed-questions.jsonl, alone and among distractor
 * reports, and throughput in chunks per second. The numbers behind the
 * default dimension come from this script.
 *
 *   npx tsx scripts/measure-offline-embedder.ts \
 *     [--dims 256,384,512,768] [--weights char,bigram,word,figure,commonNumber,latin,documentPadding] \
 *     [--distractors /work/shared/corpus/gov-reports] [--salts N] [--show QUESTION_ID] [--pipeline]
 *
 * --pipeline chunks with the real reader and chunker and embeds title + section
 * + text as the index does; without it a naive chunker independent of src/ingest.
 *
 * --salts N averages quality over N hash salts: with a few hundred slots, which
 * terms collide moves single-run scores by several points.
 *
 * Measured 2026-11 (weights char 0.7, word 1, figure 1, common number 0.4,
 * padding 80; mean over 5 salts; 27 questions; distractors = the 235 reports of
 * /work/shared/corpus/gov-reports, 29,981 chunks in all):
 *
 *   dims   seeds only: hit@1 recall@5 MRR@10   + distractors: hit@1 recall@5 MRR@10   chunks per CPU-s
 *    256              0.519   0.800   0.633                  0.341   0.474   0.395       13,900
 *    384              0.615   0.815   0.706                  0.385   0.600   0.471       15,400
 *    512              0.630   0.852   0.729                  0.400   0.578   0.480       13,300
 *    768              0.733   0.867   0.797                  0.533   0.659   0.588       11,000
 *   1024              0.711   0.896   0.793                  0.511   0.667   0.575       11,500
 *   2048              0.711   0.911   0.792                  0.556   0.748   0.637        7,400
 *
 * 768 is the default: a clear step up from 512, and 1024 adds nothing
 * measurable. With --pipeline (real chunker, title and section embedded, 23,254
 * chunks with distractors, 3 salts), hit@1 recall@5 seeds only / + distractors:
 * 384 0.741 0.926 / 0.605 0.728; 512 0.667 0.914 / 0.469 0.704;
 * 768 0.765 0.988 / 0.630 0.815; 1024 0.815 1.000 / 0.605 0.827.
 *
 * Document padding at 768 dims (3 salts, with distractors, naive | pipeline):
 * 40 → – | 0.556 0.765; 80 → 0.533 0.659 | 0.630 0.815;
 * 150 → 0.593 0.691 | 0.642 0.827; 300 → – | 0.642 0.840. On the search tests'
 * independent 35 checks (test/helpers/seed-checks.ts, real index, top 3, 3
 * salts) 80 did better: vector 102 vs 100 of 105, hybrid 105 vs 103 of 105.
 * 80 is the default.
 *
 * Throughput is per CPU-second because wall time on this shared machine
 * (load 4–12 on 2 cores) says more about the neighbours.
 */
import { parseArgs } from 'node:util';
import { OfflineEmbedder, OFFLINE_FEATURE_WEIGHTS } from '../src/embed/offline-embedder.js';
import type { FeatureWeights } from '../src/embed/extract-terms.js';
import { dot } from '../src/embed/vector-math.js';
import { chunkFolder, pipelineChunks, readSeedQuestions, scoreRetrieval, type NaiveChunk, type RetrievalScores } from '../test/helpers/seed-retrieval.js';

const { values } = parseArgs({
  options: {
    dims: { type: 'string', default: '256,384,512,768' },
    weights: { type: 'string' },
    distractors: { type: 'string' },
    seeds: { type: 'string', default: 'seeds' },
    show: { type: 'string' },
    salts: { type: 'string', default: '1' },
    pipeline: { type: 'boolean', default: false },
  },
});

const weights: FeatureWeights =
  values.weights === undefined
    ? OFFLINE_FEATURE_WEIGHTS
    : (() => {
        const [char = 0, bigram = 0, word = 0, figure = 0, commonNumber = 0, latin = 0, documentPadding = 0] = values.weights.split(',').map(Number);
        return { char, bigram, word, figure, commonNumber, latin, documentPadding };
      })();

const questions = readSeedQuestions();
const chunk = (dir: string): Promise<NaiveChunk[]> | NaiveChunk[] => (values.pipeline ? pipelineChunks(dir) : chunkFolder(dir));
const seedChunks = await chunk(values.seeds);
const distractorChunks = values.distractors === undefined ? [] : await chunk(values.distractors);
const allChunks = [...seedChunks, ...distractorChunks];
const meanChars = allChunks.reduce((n, c) => n + c.text.length, 0) / allChunks.length;
console.log(`${questions.length} questions; ${seedChunks.length} seed chunks, ${distractorChunks.length} distractor chunks; mean ${meanChars.toFixed(0)} chars/chunk`);

const fmt = (runs: readonly RetrievalScores[]): string => {
  const mean = (pick: (s: RetrievalScores) => number): string => (runs.reduce((n, s) => n + pick(s), 0) / runs.length).toFixed(3);
  const misses = runs.length === 1 ? `  misses@5 [${runs[0]?.misses.join(' ')}]` : '';
  return `hit@1 ${mean((s) => s.hitAt1)}  recall@5 ${mean((s) => s.recallAt5)}  MRR@10 ${mean((s) => s.mrrAt10)}${misses}`;
};
const salts = Array.from({ length: Number(values.salts) }, (_, i) => i);

for (const dimensions of values.dims.split(',').map(Number)) {
  const embedders = salts.map((hashSalt) => new OfflineEmbedder({ dimensions, weights, hashSalt }));
  const embedder = embedders[0] ?? new OfflineEmbedder({ dimensions, weights });
  await embedder.embedQuery('预热'); // loads the IDF table outside the timings
  console.log(`\n${embedder.id}${salts.length > 1 ? ` (mean over ${salts.length} hash salts)` : ''}`);
  const seedRuns: RetrievalScores[] = [];
  const allRuns: RetrievalScores[] = [];
  for (const e of embedders) {
    seedRuns.push(await scoreRetrieval(e, seedChunks, questions));
    if (distractorChunks.length > 0) allRuns.push(await scoreRetrieval(e, allChunks, questions));
  }
  console.log(`  seeds only        ${fmt(seedRuns)}`);
  if (allRuns.length > 0) console.log(`  seeds+distractors ${fmt(allRuns)}`);
  if (values.show !== undefined) {
    const q = questions.find((x) => x.id === values.show);
    const vectors = await embedder.embedDocuments(allChunks.map((c) => c.text));
    const qv = await embedder.embedQuery(q?.question ?? values.show);
    const top = vectors.map((v, i) => ({ i, score: dot(qv, v) })).sort((a, b) => b.score - a.score).slice(0, 5);
    for (const { i, score } of top) console.log(`    ${score.toFixed(3)} ${allChunks[i]?.source} ${allChunks[i]?.text.slice(0, 80)}`);
  }
  const texts = windows(allChunks, 300);
  const timings: Array<{ wall: number; cpu: number }> = [];
  for (let run = 0; run < 3; run++) {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    await embedder.embedDocuments(texts);
    const used = process.cpuUsage(cpu);
    timings.push({ wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 });
  }
  const best = (pick: (t: { wall: number; cpu: number }) => number): number => Math.min(...timings.map(pick));
  console.log(
    `  throughput        ${(texts.length / best((t) => t.wall)).toFixed(0)} chunks/s wall, ` +
      `${(texts.length / best((t) => t.cpu)).toFixed(0)} chunks/s per CPU-second (best of 3; ${texts.length} chunks of 300 characters)`,
  );
}

/** The chunks' text cut into pieces of exactly `size` characters: the throughput workload. */
function windows(chunks: readonly NaiveChunk[], size: number): string[] {
  const all = chunks.map((c) => c.text).join('');
  const out: string[] = [];
  for (let i = 0; i + size <= all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}
