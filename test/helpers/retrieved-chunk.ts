/** Builds `RetrievedChunk`s from literal text for answer-stage unit tests. */
import type { RetrievedChunk } from '../../src/types.js';

export interface ChunkSpec {
  readonly source?: string;
  readonly title?: string;
  readonly region?: string;
  /** The report's subject and its other names, as the identity stage infers them. */
  readonly subject?: string;
  readonly aliases?: readonly string[];
  /** Years the report reviews and plans, as the identity stage infers them. */
  readonly years?: readonly number[];
  readonly planYears?: readonly number[];
  readonly date?: string;
  readonly paragraph?: number;
  readonly section?: readonly string[];
  /** Offset of `text` in its paragraph. Default 0. */
  readonly start?: number;
  readonly rank?: number;
  readonly vectorScore?: number;
}

/** One retrieved chunk; `rank` defaults to 1 and the score falls with it. */
export function retrievedChunk(text: string, spec: ChunkSpec = {}): RetrievedChunk {
  const rank = spec.rank ?? 1;
  const start = spec.start ?? 0;
  const source = spec.source ?? 'report.txt';
  return {
    chunk: { chunkId: rank, source, paragraph: spec.paragraph ?? 1, start, end: start + text.length, text, section: spec.section ?? [] },
    report: {
      source,
      title: spec.title ?? '测试报告',
      ...(spec.region !== undefined && { region: spec.region }),
      ...(spec.subject !== undefined && { subject: spec.subject }),
      ...(spec.aliases !== undefined && { aliases: spec.aliases }),
      ...(spec.years !== undefined && { years: spec.years }),
      ...(spec.planYears !== undefined && { planYears: spec.planYears }),
      ...(spec.date !== undefined && { date: spec.date }),
    },
    score: 1 / rank,
    rank,
    ...(spec.vectorScore !== undefined && { vectorScore: spec.vectorScore }),
  };
}

/** Chunks ranked in the order given (rank 1 first). */
export function ranked(...chunks: readonly (readonly [text: string, spec?: ChunkSpec])[]): RetrievedChunk[] {
  return chunks.map(([text, spec], i) => retrievedChunk(text, { paragraph: i + 1, ...spec, rank: i + 1 }));
}
