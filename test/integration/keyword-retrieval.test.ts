/**
 * Keyword retrieval alone (jieba + user dictionary + bigrams + BM25) on hand-written
 * questions about the seed reports, over the chunks the real pipeline indexes (readReports,
 * chunkReport, embeddingText). The distractor variant adds the 235-report gov corpus.
 * Measured when written: recall@5 1.00 and hit@1 0.88 with the distractors in.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkReport, embeddingText } from '../../src/ingest/chunk.js';
import { readReports } from '../../src/ingest/read-reports.js';
import { Bm25Index } from '../../src/index/bm25-index.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import { extractUserWords } from '../../src/index/user-dictionary.js';
import type { Report } from '../../src/types.js';

const SEEDS = path.resolve('seeds');
/** The shared corpus sits beside the repository (CI: a fresh clone with shared/ beside it). */
const CORPUS = [path.resolve('../shared/corpus/gov-reports'), '/work/shared/corpus/gov-reports'].find((p) => existsSync(p));
const QUESTIONS_FILE = path.resolve('test/fixtures/search/keyword-questions.jsonl');

interface Question {
  readonly id: string;
  readonly question: string;
  readonly source: string;
  readonly evidence: string;
}

interface Doc {
  readonly chunkId: number;
  readonly text: string;
  readonly source: string;
}

function isQuestion(x: unknown): x is Question {
  return (
    typeof x === 'object' &&
    x !== null &&
    ['id', 'question', 'source', 'evidence'].every((k) => typeof Reflect.get(x, k) === 'string')
  );
}

function readQuestions(): Question[] {
  return readFileSync(QUESTIONS_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line): unknown => JSON.parse(line))
    .filter(isQuestion);
}

const squeeze = (text: string): string => text.replace(/\s+/g, '');

/** The same text build-index gives the keyword index: title and region, section path, chunk. */
function docsOf(reports: readonly Report[]): Doc[] {
  const docs: Doc[] = [];
  for (const report of reports) {
    for (const chunk of chunkReport(report)) docs.push({ chunkId: docs.length, text: embeddingText(report, chunk), source: report.source });
  }
  return docs;
}

interface Scores {
  readonly hitAt1: number;
  readonly recallAt5: number;
  readonly misses: string[];
}

async function score(index: Bm25Index, docs: readonly Doc[], questions: readonly Question[]): Promise<Scores> {
  let first = 0;
  let top5 = 0;
  const misses: string[] = [];
  for (const q of questions) {
    const hits = await index.search(q.question, 5);
    const rank = hits.findIndex((h) => {
      const doc = docs[h.chunkId];
      return doc !== undefined && path.basename(doc.source) === q.source && squeeze(doc.text).includes(squeeze(q.evidence));
    });
    if (rank === 0) first++;
    if (rank >= 0) top5++;
    else misses.push(`${q.id} ${q.question} → ${hits.map((h) => docs[h.chunkId]?.text.split('\n').at(-1)?.slice(0, 30)).join(' | ')}`);
  }
  return { hitAt1: first / questions.length, recallAt5: top5 / questions.length, misses };
}

async function build(dirs: readonly string[]): Promise<{ index: Bm25Index; docs: Doc[]; tokenizer: JiebaTokenizer }> {
  const reports = (await Promise.all(dirs.map((dir) => readReports(dir)))).flatMap((r) => r.reports);
  const tokenizer = new JiebaTokenizer({ words: extractUserWords(reports) });
  const docs = docsOf(reports);
  const index = new Bm25Index(tokenizer);
  await index.add(docs);
  return { index, docs, tokenizer };
}

const questions = readQuestions();

describe('keyword retrieval on the seeds', () => {
  let seeds: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    seeds = await build([SEEDS]);
  }, 300_000);

  it('reads every question', () => {
    expect(questions.length).toBe(32);
  });

  it('finds the evidence in the top 5 for nearly every question', async () => {
    const { hitAt1, recallAt5, misses } = await score(seeds.index, seeds.docs, questions);
    expect(recallAt5, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(hitAt1, misses.join('\n')).toBeGreaterThanOrEqual(0.8);
  });
});

describe.skipIf(CORPUS === undefined)('keyword retrieval with the gov-reports corpus as distractors', () => {
  let all: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    all = await build([SEEDS, CORPUS ?? '']);
  }, 600_000);

  it('indexed the corpus too', () => {
    expect(all.docs.length).toBeGreaterThan(10_000);
  });

  it('still finds the evidence in the top 5', async () => {
    const { hitAt1, recallAt5, misses } = await score(all.index, all.docs, questions);
    expect(recallAt5, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
    expect(hitAt1, misses.join('\n')).toBeGreaterThanOrEqual(0.75);
  });

  it('gives the same results after a JSON round trip, from a compact file', async () => {
    const text = JSON.stringify(all.index.toJSON());
    const loaded = Bm25Index.fromJSON(JSON.parse(text), all.tokenizer);
    expect(() => Bm25Index.fromJSON(JSON.parse(text), new JiebaTokenizer())).toThrow(/built with tokenizer .*\+words:/);
    for (const q of questions) expect(await loaded.search(q.question, 10)).toEqual(await all.index.search(q.question, 10));
    // Postings of words and bigrams take about twice the characters of the text (1.9× when
    // written); loading them is ~10× faster than tokenizing the text again.
    const rawChars = all.docs.reduce((n, d) => n + d.text.length, 0);
    expect(text.length).toBeLessThan(rawChars * 2.5);
  });
});
