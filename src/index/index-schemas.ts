/**
 * The shapes of the index store's JSON files, checked when a build is loaded
 * (the checksums prove the bytes, these the format). Objects are loose where
 * the program's own types may gain fields: what was written is read back whole.
 */
import { z } from 'zod';
import type { IndexedChunk, Report } from '../types.js';
import type { ReportWords } from './user-dictionary.js';

const count = z.number().int().nonnegative();
const strings = z.array(z.string());

const PARAGRAPH = z.looseObject({
  paragraph: count,
  text: z.string(),
  kind: z.enum(['heading', 'text']),
  section: strings,
});

const REPORT = z.looseObject({
  source: z.string(),
  title: z.string(),
  hash: z.string(),
  date: z.string().optional(),
  region: z.string().optional(),
  publisher: z.string().optional(),
  subject: z.string().optional(),
  aliases: strings.optional(),
  within: strings.optional(),
  kind: z.string().optional(),
  years: z.array(z.number().int()).optional(),
  planYears: z.array(z.number().int()).optional(),
  paragraphs: z.array(PARAGRAPH),
});

/** reports.json */
export const REPORTS_SCHEMA = z.array(REPORT) satisfies z.ZodType<readonly Report[]>;

/** chunks.json */
export const CHUNKS_SCHEMA = z.array(
  z.looseObject({
    chunkId: count,
    source: z.string(),
    paragraph: count,
    start: count,
    end: count,
    text: z.string(),
    section: strings,
  }),
) satisfies z.ZodType<readonly IndexedChunk[]>;

const REPORT_WORDS = z.object({ sure: strings, unsure: z.record(z.string(), count) }) satisfies z.ZodType<ReportWords>;

/** user-words.json: the merged word list and each report's words. */
export const USER_WORDS_SCHEMA = z.object({ words: strings, reports: z.record(z.string(), REPORT_WORDS) });

/** The manifest's `hnsw` field: the HNSW index's parameters (formats up to 3 have only this). */
const HNSW_PARAMS = z.object({
  M: count,
  efConstruction: count,
  efSearch: count,
  maxDeletedShare: z.number().optional(),
  exactScanBudget: z.number().optional(),
});

/**
 * manifest.json as stored. The vector index is `hnsw: params` for the HNSW kind, which
 * keeps its files as they were before other kinds existed, and `vectorIndex: { kind,
 * params }` for any other kind; exactly one of the two is present.
 */
export const MANIFEST_SCHEMA = z
  .looseObject({
    formatVersion: z.number(),
    buildId: z.string(),
    builtAt: z.string(),
    embedder: z.object({ id: z.string(), dimensions: count }),
    tokenizer: z.string(),
    hnsw: HNSW_PARAMS.optional(),
    vectorIndex: z.object({ kind: z.string().refine((k) => k !== 'hnsw', 'must not be "hnsw": that kind is stored as field "hnsw"'), params: z.record(z.string(), z.number()) }).optional(),
    chunking: z.string(),
    counts: z.object({ reports: count, paragraphs: count, chunks: count }),
    reports: z.array(
      z.object({
        source: z.string(),
        title: z.string(),
        hash: z.string(),
        paragraphs: count,
        chunks: count,
        subject: z.string().optional(),
        kind: z.string().optional(),
        years: z.array(z.number().int()).optional(),
        planYears: z.array(z.number().int()).optional(),
      }),
    ),
    nextChunkId: count,
    files: z.record(z.string(), z.object({ bytes: count, crc32: z.string() })),
  })
  .refine((m) => (m.hnsw === undefined) !== (m.vectorIndex === undefined), {
    message: 'needs one of "hnsw" and "vectorIndex"',
    path: ['vectorIndex'],
  });
