/**
 * The VectorIndex seam, proven end to end on the seeds: the same pipeline with
 * the exact brute-force index in place of HNSW (chosen at build time, found
 * again at load time by the kind the manifest records) retrieves the same top
 * chunks and gives the same answers. On the seeds HNSW answers these sparse
 * offline-embedder queries by its exact column scan, so both must agree.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { OfflineEmbedder } from '../../src/embed/offline-embedder.js';
import { buildFromReports, type BuildResult } from '../../src/build-from-reports.js';
import { EXACT_VECTORS } from '../../src/index/index-factory.js';
import { loadIndex } from '../../src/index/index-store.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { SEED_CHECKS } from '../helpers/seed-checks.js';

const SEEDS = path.resolve('seeds');
const QUESTIONS = SEED_CHECKS.filter((_, i) => i % 4 === 0).map((c) => c.question);

let work: string;
const embedder = new OfflineEmbedder();
const tokenizer = new JiebaTokenizer();
let hnsw: BuildResult;
let exact: BuildResult;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'vector-seam-'));
  hnsw = await buildFromReports({ reportsDir: SEEDS, indexDir: path.join(work, 'hnsw'), embedder, tokenizer });
  exact = await buildFromReports({ reportsDir: SEEDS, indexDir: path.join(work, 'exact'), embedder, tokenizer, vectorIndex: { kind: EXACT_VECTORS } });
}, 120_000);

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe('the exact vector index in place of HNSW', () => {
  it('is written and loaded back as its own kind', async () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(5);
    expect(hnsw.snapshot.manifest.vectorIndex.kind).toBe('hnsw');
    expect(exact.snapshot.manifest.vectorIndex).toEqual({ kind: 'exact', params: {} });
    const loaded = await loadIndex(path.join(work, 'exact'), { embedderId: embedder.id, dimensions: embedder.dimensions, tokenizer });
    expect(loaded.vectors.describe()).toMatchObject({ kind: 'exact', size: hnsw.snapshot.chunks.size });
  });

  it.each(['vector', 'hybrid'] as const)('%s retrieval: the same top 5 chunks for each question', async (mode) => {
    const a = new Retriever(hnsw.snapshot, embedder);
    const b = new Retriever(exact.snapshot, embedder);
    for (const q of QUESTIONS) {
      const fromHnsw = await a.retrieve(q, { k: 5, mode });
      const fromExact = await b.retrieve(q, { k: 5, mode });
      expect(fromExact.map((r) => r.chunk.chunkId), q).toEqual(fromHnsw.map((r) => r.chunk.chunkId));
      fromExact.forEach((r, i) => expect(r.vectorScore).toBeCloseTo(fromHnsw[i]!.vectorScore!, 5));
    }
  });

  it('the app gives the same answers from either index', async () => {
    const answers = async (indexDir: string): Promise<string[]> => {
      const config = loadConfig({ REPORTS_DIR: SEEDS, INDEX_DIR: indexDir, EMBEDDER: 'offline', LOG_LEVEL: 'silent' }, work);
      const app = await createApp(config, { embedder });
      try {
        await app.ready();
        const out: string[] = [];
        for (const q of QUESTIONS) out.push((await app.ask(q)).answer.text);
        return out;
      } finally {
        await app.close();
      }
    };
    const fromHnsw = await answers(path.join(work, 'hnsw'));
    expect(await answers(path.join(work, 'exact'))).toEqual(fromHnsw);
    expect(fromHnsw[0]).toContain('108.1亿元');
  });

  it('a re-index into another kind copies the vectors instead of embedding again', async () => {
    const counting = new OfflineEmbedder();
    let embedded = 0;
    const spy = Object.assign(Object.create(counting) as OfflineEmbedder, {
      embedDocuments: (texts: readonly string[], opts?: Parameters<OfflineEmbedder['embedDocuments']>[1]) => {
        embedded += texts.length;
        return counting.embedDocuments(texts, opts);
      },
    });
    const moved = await buildFromReports({
      reportsDir: SEEDS,
      indexDir: path.join(work, 'hnsw'),
      embedder: spy,
      tokenizer,
      previous: hnsw.snapshot,
      vectorIndex: { kind: EXACT_VECTORS },
    });
    expect(embedded).toBe(0);
    expect(moved.snapshot.vectors.describe().kind).toBe('exact');
    const labels = [...hnsw.snapshot.chunks.keys()];
    expect(await moved.snapshot.vectors.vectors(labels)).toEqual(await hnsw.snapshot.vectors.vectors(labels));
  });
});
