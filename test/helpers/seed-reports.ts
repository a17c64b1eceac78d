/**
 * The seed reports as the ingest stage reads them (real paragraph numbers and
 * section paths) and hand-built retrieval results made from them, for
 * answer-stage tests that must not depend on the retrieval engine.
 */
import { fileURLToPath } from 'node:url';
import { chunkReport } from '../../src/ingest/chunk.js';
import { readReports } from '../../src/ingest/read-reports.js';
import type { Report, RetrievedChunk } from '../../src/types.js';

export const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));

/** The seed reports, read once per test file. */
export class SeedReports {
  private constructor(readonly reports: readonly Report[]) {}

  static async load(): Promise<SeedReports> {
    const { reports, skipped } = await readReports(SEEDS_DIR);
    if (skipped.length > 0) throw new Error(`seed reports skipped: ${JSON.stringify(skipped)}`);
    return new SeedReports(reports);
  }

  /** The text paragraph of report `prefix` (e.g. `000`) containing `evidence`; throws unless exactly one does. */
  paragraph(prefix: string, evidence: string): { report: Report; paragraph: number; text: string; section: readonly string[] } {
    const found = this.reports
      .filter((r) => r.source.startsWith(prefix))
      .flatMap((report) => report.paragraphs.filter((p) => p.kind === 'text' && p.text.includes(evidence)).map((p) => ({ report, ...p })));
    const [first, ...rest] = found;
    if (first === undefined || rest.length > 0) throw new Error(`${found.length} paragraphs of ${prefix} contain "${evidence}"`);
    return first;
  }

  /**
   * Retrieval results in the given order (rank 1 first) with falling scores:
   * for each pick [report prefix, evidence], the whole paragraph as one chunk,
   * or with `chunked` the ingest's chunk holding the evidence.
   */
  retrieved(picks: readonly Pick[], opts: { chunked?: boolean } = {}): RetrievedChunk[] {
    return picks.map(([prefix, evidence], i) => {
      const p = this.paragraph(prefix, evidence);
      const whole = { source: p.report.source, paragraph: p.paragraph, start: 0, end: p.text.length, text: p.text, section: p.section };
      const chunk = opts.chunked
        ? chunkReport(p.report).find((c) => c.paragraph === p.paragraph && c.text.includes(evidence))
        : whole;
      if (chunk === undefined) throw new Error(`no chunk of ${prefix} holds "${evidence}" whole`);
      return { chunk: { ...chunk, chunkId: i }, report: p.report, score: 1 / (i + 1), rank: i + 1 };
    });
  }
}

/** A pick: [report prefix, evidence text]. */
export type Pick = readonly [prefix: string, evidence: string];
