/**
 * Questions that name a place and a figure must find the paragraph holding
 * the figure (SEED_CHECKS), built with the real pipeline: readReports, the
 * chunker, jieba + BM25, HNSW and the offline embedder. The distractor
 * variant adds the 235-report gov corpus; the neural variant uses the tiny
 * random-weight BERT fixture, whose vectors carry no meaning, so only hybrid
 * retrieval (carried by BM25) is expected to pass there.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { NeuralEmbedder } from '../../src/embed/neural-embedder.js';
import { OfflineEmbedder } from '../../src/embed/offline-embedder.js';
import { buildFromReports } from '../../src/build-from-reports.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import type { Embedder, RetrievalMode, RetrievedChunk } from '../../src/types.js';
import { SEED_CHECKS, squeeze, type SeedCheck } from '../helpers/seed-checks.js';
import { CORPUS_DIR, linkSeedsWithCorpus } from '../helpers/seeds-with-corpus.js';

const SEEDS = path.resolve('seeds');

/** True when a result comes from the check's report and its paragraph holds the evidence. */
function answers(r: RetrievedChunk, check: SeedCheck, paragraphText: (r: RetrievedChunk) => string): boolean {
  return path.basename(r.chunk.source) === check.source && squeeze(paragraphText(r)).includes(squeeze(check.evidence));
}

/** A random-weight BERT in transformers.js layout, committed by the embed tests. */
const TINY_BERT_DIR = fileURLToPath(new URL('../fixtures/tiny-bert', import.meta.url));

async function setUp(embedder: Embedder, withCorpus: boolean) {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'retrieval-seeds-'));
  let reportsDir = SEEDS;
  if (withCorpus && CORPUS_DIR !== undefined) {
    reportsDir = path.join(work, 'reports');
    await fs.mkdir(reportsDir);
    await linkSeedsWithCorpus(reportsDir, SEEDS, CORPUS_DIR);
  }
  const tokenizer = new JiebaTokenizer();
  const { snapshot, summary } = await buildFromReports({ reportsDir, indexDir: path.join(work, 'index'), embedder, tokenizer });
  const retriever = new Retriever(snapshot, embedder);
  const paragraphText = (r: RetrievedChunk): string =>
    snapshot.reports.get(r.chunk.source)?.paragraphs[r.chunk.paragraph - 1]?.text ?? '';
  return { work, retriever, summary, paragraphText };
}

interface CheckPlan {
  withCorpus: boolean;
  /** Modes where every check must hold. */
  modes: readonly RetrievalMode[];
  topK: number;
  /** Modes checked in aggregate: at least this share of the checks in the top 5. */
  atLeast?: Partial<Record<RetrievalMode, number>>;
}

function checksIn(name: string, embedder: () => Embedder | Promise<Embedder>, opts: CheckPlan): void {
  describe(name, () => {
    let ctx: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      ctx = await setUp(await embedder(), opts.withCorpus);
    }, 600_000);
    afterAll(async () => {
      if (ctx !== undefined) await fs.rm(ctx.work, { recursive: true, force: true });
    });

    it('indexed what it should', () => {
      expect(ctx.summary.reports).toBeGreaterThanOrEqual(opts.withCorpus ? 240 : 5);
    });

    for (const mode of opts.modes) {
      it.each(SEED_CHECKS)(`${mode}: $question → $evidence in the top ${opts.topK}`, async (check) => {
        const results = await ctx.retriever.retrieve(check.question, { k: opts.topK, mode });
        const got = results.map((r) => `${r.rank}. ${r.chunk.source} ¶${r.chunk.paragraph}: ${r.chunk.text.slice(0, 40)}`);
        expect(results.some((r) => answers(r, check, ctx.paragraphText)), `got:\n${got.join('\n')}`).toBe(true);
      });
    }

    for (const [mode, share] of Object.entries(opts.atLeast ?? {})) {
      it(`${mode}: at least ${share} of the checks in the top 5`, async () => {
        let found = 0;
        for (const check of SEED_CHECKS) {
          const results = await ctx.retriever.retrieve(check.question, { k: 5, mode: isMode(mode) ? mode : 'hybrid' });
          if (results.some((r) => answers(r, check, ctx.paragraphText))) found++;
        }
        expect(found / SEED_CHECKS.length).toBeGreaterThanOrEqual(share);
      });
    }
  });
}

function isMode(m: string): m is RetrievalMode {
  return m === 'hybrid' || m === 'vector' || m === 'keyword';
}

checksIn('seed retrieval (offline embedder)', () => new OfflineEmbedder(), {
  withCorpus: false,
  modes: ['hybrid', 'keyword'],
  topK: 3,
  // The offline embedder alone misses some (measured 0.86 in the top 3 on the seeds).
  atLeast: { vector: 0.75 },
});

describe.skipIf(CORPUS_DIR === undefined)('with the gov-reports corpus as distractors', () => {
  checksIn('seed retrieval among 240 reports (offline embedder)', () => new OfflineEmbedder(), {
    withCorpus: true,
    modes: ['hybrid'],
    topK: 3,
    atLeast: { keyword: 0.9 },
  });
});

// Random weights: the vectors are noise, so this proves the neural path end to end
// (prefixes, pooling, HNSW of another dimension) and that hybrid survives a useless vector list.
checksIn(
  'seed retrieval (tiny random-weight BERT)',
  () => NeuralEmbedder.load({ model: 'report-qa/tiny-bge-small-zh', modelDir: TINY_BERT_DIR, quantized: false }),
  { withCorpus: false, modes: ['hybrid'], topK: 3 },
);
