/**
 * The seed reports as paragraphs (one non-empty line = one paragraph, numbered
 * from 1) and hand-built retrieval results made from them, for answer-stage
 * tests that must not depend on the retrieval engine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportMeta, RetrievedChunk } from '../../src/types.js';

export const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));

export interface SeedParagraph {
  readonly report: ReportMeta;
  readonly paragraph: number;
  readonly text: string;
}

let cache: SeedParagraph[] | undefined;

/** Every paragraph of every seed report. */
export function seedParagraphs(): readonly SeedParagraph[] {
  if (cache) return cache;
  const meta: Record<string, { title: string; date?: string; region?: string }> = JSON.parse(
    readFileSync(path.join(SEEDS_DIR, 'reports.json'), 'utf8'),
  );
  cache = readdirSync(SEEDS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((source) => {
      const m = meta[source];
      const report: ReportMeta = { source, title: m?.title ?? source, ...(m?.date && { date: m.date }), ...(m?.region && { region: m.region }) };
      return readFileSync(path.join(SEEDS_DIR, source), 'utf8')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((text, i) => ({ report, paragraph: i + 1, text }));
    });
  return cache;
}

/** The paragraph of report `prefix` (e.g. `000`) that contains `evidence`; throws if none or several. */
export function seedParagraph(prefix: string, evidence: string): SeedParagraph {
  const found = seedParagraphs().filter((p) => p.report.source.startsWith(prefix) && p.text.includes(evidence));
  if (found.length !== 1) throw new Error(`${found.length} paragraphs of ${prefix} contain "${evidence}"`);
  return found[0] as SeedParagraph;
}

/** A pick: [report prefix, evidence text] — the whole paragraph becomes one chunk. */
export type Pick = readonly [prefix: string, evidence: string];

/**
 * Retrieval results in the given order (rank 1 first), one whole-paragraph
 * chunk per pick, with falling scores.
 */
export function retrievedFrom(picks: readonly Pick[]): RetrievedChunk[] {
  return picks.map(([prefix, evidence], i) => {
    const p = seedParagraph(prefix, evidence);
    return {
      chunk: { chunkId: i, source: p.report.source, paragraph: p.paragraph, start: 0, end: p.text.length, text: p.text, section: [] },
      report: p.report,
      score: 1 / (i + 1),
      rank: i + 1,
    };
  });
}
