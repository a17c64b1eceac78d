/**
 * Answer quality on the shipped question set through the real pipeline
 * (createApp with the offline embedder, hybrid retrieval, k = 5, the
 * extractive answerer). Measured when the floors were set:
 *
 * | measure                                                     | value          |
 * | unanswerable questions answered not found                   | 25/25 = 1.00   |
 * | answerable questions answered (not refused)                 | 140/151 = 0.93 |
 * | evidence in the answer, when retrieval found it              | 135/148 = 0.91 |
 * | found answers whose every figure is in a cited paragraph     | 140/140        |
 *
 * Floors sit a little below, so a regression fails and noise does not.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ungroundedFigures } from '../helpers/grounded-figures.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { findFigures } from '../../src/text/figures.js';
import type { App, AskResult } from '../../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Row {
  readonly id: string;
  readonly question: string;
  readonly source: string | null;
  readonly evidence: string | null;
}

let work: string;
let app: App;
const results: { row: Row; result: AskResult }[] = [];

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'answer-eval-'));
  const config = loadConfig(
    { REPORTS_DIR: path.join(ROOT, 'seeds'), INDEX_DIR: path.join(work, 'index'), MODEL_DIR: path.join(work, 'models'), EMBEDDER: 'offline' },
    ROOT,
  );
  app = await createApp(config);
  await app.ready();
  const rows: Row[] = (await fs.readFile(path.join(ROOT, 'test/eval/seeds-qa.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
  for (const row of rows) results.push({ row, result: await app.ask(row.question, { k: 5, mode: 'hybrid' }) });
}, 600_000);

afterAll(async () => {
  await app?.close();
  if (work !== undefined) await fs.rm(work, { recursive: true, force: true });
});

const squeeze = (s: string): string => s.replace(/\[\d+\]/g, '').replace(/\s+/g, '');

/** The answer holds the evidence, or at least every figure of it. */
function holdsEvidence(answer: string, evidence: string): boolean {
  if (squeeze(answer).includes(squeeze(evidence))) return true;
  const wanted = findFigures(evidence).map((f) => f.canonical);
  const got = new Set(findFigures(answer.replace(/\[\d+\]/g, ' ')).map((f) => f.canonical));
  return wanted.length > 0 && wanted.every((c) => got.has(c));
}

describe('answers to the seeds question set (real pipeline, offline embedder)', () => {
  it('says not found to unanswerable questions', () => {
    const un = results.filter((r) => r.row.source === null);
    const refused = un.filter((r) => !r.result.answer.found);
    expect(un.length).toBeGreaterThanOrEqual(20);
    expect(refused.length / un.length, un.filter((r) => r.result.answer.found).map((r) => r.row.id).join(' ')).toBeGreaterThanOrEqual(0.92);
  });

  it('answers answerable questions, with the evidence in the answer when retrieval found it', () => {
    const answerable = results.filter((r) => r.row.source !== null && r.row.evidence !== null);
    const found = answerable.filter((r) => r.result.answer.found);
    expect(found.length / answerable.length).toBeGreaterThanOrEqual(0.88);
    const retrieved = answerable.filter(({ row, result }) =>
      result.retrieved.some((c) => c.chunk.source === row.source && squeeze(c.chunk.text).includes(squeeze(row.evidence ?? ''))),
    );
    const good = retrieved.filter(({ row, result }) => holdsEvidence(result.answer.text, row.evidence ?? ''));
    expect(good.length / retrieved.length).toBeGreaterThanOrEqual(0.86);
  });

  it('grounds every figure of every answer in a cited paragraph', () => {
    for (const { row, result } of results.filter((r) => r.result.answer.found)) {
      const cited = result.answer.citations.map((c) => app.paragraph(c.source, c.paragraph)?.text ?? '');
      expect(ungroundedFigures(result.answer.text, cited), `${row.id} ${result.answer.text}`).toEqual([]);
      expect(result.answer.citations.length, row.id).toBeGreaterThan(0);
    }
  });
});
