/**
 * Exact cosine retrieval over chunked reports, for measuring an embedder on
 * its own (no BM25, no HNSW). `chunkFolder` is naive and independent of the
 * ingest code (paragraphs are lines, split into windows of at most 300
 * characters overlapping by 60 so no evidence is cut); `pipelineChunks` uses
 * the real reader and chunker.
 * Used by the offline-embedder integration test and scripts/measure-offline-embedder.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dot } from '../../src/embed/vector-math.js';
import { chunkReport, embeddingText } from '../../src/ingest/chunk.js';
import { readReports } from '../../src/ingest/read-reports.js';
import type { Embedder } from '../../src/types.js';

export interface SeedQuestion {
  readonly id: string;
  readonly question: string;
  readonly source: string;
  readonly evidence: string;
}

export interface NaiveChunk {
  readonly source: string;
  readonly text: string;
  /** What is embedded, when it differs from `text` (the pipeline adds title and section). */
  readonly embedText?: string;
}

export interface RetrievalScores {
  readonly questions: number;
  readonly hitAt1: number;
  readonly recallAt5: number;
  readonly mrrAt10: number;
  /** Ids of questions whose evidence is not in the top 5. */
  readonly misses: readonly string[];
}

const WINDOW = 300;
const OVERLAP = 60;

export const SEED_QUESTIONS_FILE = fileURLToPath(new URL('../fixtures/embed/seed-questions.jsonl', import.meta.url));

export function readSeedQuestions(file = SEED_QUESTIONS_FILE): SeedQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const q: unknown = JSON.parse(l);
      if (!isSeedQuestion(q)) throw new Error(`${file}: not a seed question: ${l}`);
      return q;
    });
}

function isSeedQuestion(q: unknown): q is SeedQuestion {
  return (
    typeof q === 'object' &&
    q !== null &&
    ['id', 'question', 'source', 'evidence'].every((k) => typeof (q as Record<string, unknown>)[k] === 'string')
  );
}

/** Chunks every .txt file in `dir` (not recursive). */
export function chunkFolder(dir: string): NaiveChunk[] {
  const chunks: NaiveChunk[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.txt')) continue;
    for (const para of readFileSync(path.join(dir, name), 'utf8').split(/\r?\n/)) {
      const text = para.trim();
      for (let start = 0; start < text.length; start += WINDOW - OVERLAP) {
        chunks.push({ source: name, text: text.slice(start, start + WINDOW) });
        if (start + WINDOW >= text.length) break;
      }
    }
  }
  return chunks;
}

/** Chunks as the index builds them: the real reader and chunker, title and section in front (`embeddingText`). */
export async function pipelineChunks(dir: string): Promise<NaiveChunk[]> {
  const { reports } = await readReports(dir);
  return reports.flatMap((r) => chunkReport(r).map((c) => ({ source: r.source, text: c.text, embedText: embeddingText(r, c) })));
}

const squash = (s: string): string => s.replace(/\s+/g, '');

/** Embeds the chunks and questions, ranks chunks by inner product, and scores the ranking. */
export async function scoreRetrieval(
  embedder: Embedder,
  chunks: readonly NaiveChunk[],
  questions: readonly SeedQuestion[],
): Promise<RetrievalScores> {
  const vectors = await embedder.embedDocuments(chunks.map((c) => c.embedText ?? c.text));
  let hits1 = 0;
  let hits5 = 0;
  let rr = 0;
  const misses: string[] = [];
  for (const q of questions) {
    const qv = await embedder.embedQuery(q.question);
    const ranked = vectors
      .map((v, i) => ({ i, score: dot(qv, v) }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, 10);
    const rank = ranked.findIndex(({ i }) => {
      const c = chunks[i];
      return c !== undefined && c.source === q.source && squash(c.text).includes(squash(q.evidence));
    });
    if (rank === 0) hits1++;
    if (rank >= 0 && rank < 5) hits5++;
    else misses.push(q.id);
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const n = questions.length;
  return { questions: n, hitAt1: hits1 / n, recallAt5: hits5 / n, mrrAt10: rr / n, misses };
}

