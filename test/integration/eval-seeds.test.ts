/**
 * The shipped question set through the real pipeline (createApp: reading,
 * chunking, jieba + BM25, HNSW, the offline embedder, the extractive answerer)
 * with a temporary INDEX_DIR. The minimum scores sit a little below what was
 * measured when they were set (see the comments), so a regression fails the
 * test while run-to-run noise does not.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { parseDataset } from '../../src/eval/dataset.js';
import { formatReport } from '../../src/eval/format-report.js';
import { runEval, type EvalReport } from '../../src/eval/run-eval.js';
import type { App, RetrievalMode } from '../../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DATASET = path.join(ROOT, 'test/eval/seeds-qa.jsonl');

const SCORES = ['hitAt1', 'recallAtK', 'mrrAt10', 'ndcgAt10', 'unanswerableNotFound'] as const;

/**
 * Minimum totals per mode with k = 5 (retrieval means are over the 151
 * answerable questions). Measured on the seeds with the offline embedder and
 * the extractive answerer when these were set:
 *
 * | mode    | hit@1 | recall@5 | MRR@10 | nDCG@10 | unanswerable→not found | answerable→not found |
 * | hybrid  | 0.815 | 0.967    | 0.883  | 0.909   | 1.00                   | 0.09                 |
 * | vector  | 0.695 | 0.921    | 0.789  | 0.830   | 1.00                   | 0.11                 |
 * | keyword | 0.894 | 0.987    | 0.937  | 0.952   | 0.96                   | 0.07                 |
 *
 * The floors are about 0.05 below (0.08 for the 25 unanswerable questions,
 * where one question is 0.04).
 */
const FLOORS: Record<RetrievalMode, Record<(typeof SCORES)[number], number>> = {
  hybrid: { hitAt1: 0.76, recallAtK: 0.92, mrrAt10: 0.83, ndcgAt10: 0.86, unanswerableNotFound: 0.92 },
  vector: { hitAt1: 0.64, recallAtK: 0.87, mrrAt10: 0.74, ndcgAt10: 0.78, unanswerableNotFound: 0.92 },
  keyword: { hitAt1: 0.84, recallAtK: 0.94, mrrAt10: 0.88, ndcgAt10: 0.9, unanswerableNotFound: 0.88 },
};
/** Share of answerable questions the answer step may refuse in any mode (measured 0.07–0.11). */
const MAX_ANSWERABLE_NOT_FOUND = 0.16;

let work: string;
let app: App;
let report: EvalReport;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'eval-seeds-'));
  const config = loadConfig(
    { REPORTS_DIR: path.join(ROOT, 'seeds'), INDEX_DIR: path.join(work, 'index'), MODEL_DIR: path.join(work, 'models'), EMBEDDER: 'offline', LOG_LEVEL: 'silent' },
    ROOT,
  );
  app = await createApp(config);
  await app.ready();
  const questions = parseDataset(await fs.readFile(DATASET, 'utf8'), DATASET);
  report = await runEval(app, questions, { k: 5, modes: ['hybrid', 'vector', 'keyword'] });
  if (process.env.EVAL_PRINT === '1') process.stderr.write(formatReport(report));
}, 600_000);

afterAll(async () => {
  await app?.close();
  if (work !== undefined) await fs.rm(work, { recursive: true, force: true });
});

describe('the seeds question set on the real pipeline (offline embedder)', () => {
  it('indexes every seed report the questions refer to', () => {
    const indexed = new Set(app.sources().map((r) => r.source));
    const referenced = new Set(report.modes[0]?.results.flatMap((r) => (r.source === null ? [] : [r.source])));
    for (const source of referenced) expect(indexed.has(source), source).toBe(true);
  });

  it.each(['hybrid', 'vector', 'keyword'] as const)('meets the minimum scores in %s mode', (mode) => {
    const totals = report.modes.find((m) => m.mode === mode)?.totals;
    expect(totals).toBeDefined();
    for (const score of SCORES) {
      expect(totals?.[score], `${mode} ${score}`).toBeGreaterThanOrEqual(FLOORS[mode][score]);
    }
    expect(totals?.answerableNotFound, `${mode} answerableNotFound`).toBeLessThanOrEqual(MAX_ANSWERABLE_NOT_FOUND);
  });
});
