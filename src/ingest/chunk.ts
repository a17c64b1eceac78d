import type { Chunk, Report, ReportMeta } from '../types.js';
import { splitSentences } from '../text/sentences.js';

export interface ChunkOptions {
  /** Longest chunk, in UTF-16 code units (one per Chinese character). Default 300. */
  maxChars?: number;
  /** Sentences repeated at the start of the next window of a long paragraph. Default 1. */
  overlapSentences?: number;
}

/**
 * Defaults. Measured on the seeds: text paragraphs are 160 characters at the
 * median, 480 at the 90th percentile, 762 at most; with 300, 90 of 116 text
 * paragraphs stay whole, chunks are 166 characters at the median, and a chunk
 * with its title and section path stays well under bge-small-zh's 512 tokens.
 */
export const DEFAULT_CHUNK_OPTIONS: Readonly<Required<ChunkOptions>> = { maxChars: 300, overlapSentences: 1 };

interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Chunks of a report's text paragraphs; heading paragraphs give no chunk (they
 * live on in the `section` of the chunks below them). A paragraph of at most
 * `maxChars` is one chunk. A longer one is cut into windows of whole sentences
 * (ending at 。！？；!?; or ……) with `overlapSentences` sentences of overlap; a
 * sentence longer than `maxChars` is cut after commas (，、,：:), then at spaces,
 * then hard at `maxChars`. Chunks never span paragraphs, cover every character
 * of their paragraph, and satisfy `text === paragraph.text.slice(start, end)`.
 */
export function chunkReport(report: Report, opts: ChunkOptions = {}): Chunk[] {
  const { maxChars, overlapSentences } = { ...DEFAULT_CHUNK_OPTIONS, ...opts };
  if (!Number.isInteger(maxChars) || maxChars < 2) throw new RangeError(`maxChars must be an integer of at least 2, got ${maxChars}`);
  if (!Number.isInteger(overlapSentences) || overlapSentences < 0) {
    throw new RangeError(`overlapSentences must be a non-negative integer, got ${overlapSentences}`);
  }
  const chunks: Chunk[] = [];
  for (const p of report.paragraphs) {
    if (p.kind === 'heading') continue;
    for (const w of windows(p.text, maxChars, overlapSentences)) {
      chunks.push({ source: report.source, paragraph: p.paragraph, start: w.start, end: w.end, text: p.text.slice(w.start, w.end), section: p.section });
    }
  }
  return chunks;
}

/**
 * Text given to the embedder and the keyword index: the report title and
 * region, then the section path, then the chunk, one per line, so a question
 * naming a place or a section finds the right report.
 */
export function embeddingText(report: ReportMeta, chunk: Chunk): string {
  const head = report.region ? `${report.title}（${report.region}）` : report.title;
  const lines = [head];
  if (chunk.section.length > 0) lines.push(chunk.section.join(' > '));
  lines.push(chunk.text);
  return lines.join('\n');
}

function windows(text: string, max: number, overlap: number): Span[] {
  if (text.length <= max) return [{ start: 0, end: text.length }];
  const units = sentenceUnits(text).flatMap((u) => (u.end - u.start <= max ? [u] : splitLong(text, u, max, 0)));
  const out: Span[] = [];
  let i = 0;
  while (i < units.length) {
    const first = units[i] as Span;
    let j = i;
    while (j + 1 < units.length && (units[j + 1] as Span).end - first.start <= max) j++;
    out.push({ start: first.start, end: (units[j] as Span).end });
    if (j === units.length - 1) break;
    const nextEnd = (units[j + 1] as Span).end;
    let next = Math.max(i + 1, j + 1 - overlap);
    while (next <= j && nextEnd - (units[next] as Span).start > max) next++;
    i = next;
  }
  return out;
}

/** Sentence spans widened to tile the text: each runs to the next sentence's start. */
function sentenceUnits(text: string): Span[] {
  const sentences = splitSentences(text);
  return sentences.map((s, k) => ({ start: k === 0 ? 0 : s.start, end: sentences[k + 1]?.start ?? text.length }));
}

/** Cut points tried in order for an over-long sentence: after commas, after spaces, then anywhere. */
const CUT_AFTER: readonly RegExp[] = [/[，、,：:]/, /\s/];

/** Splits `span` into consecutive pieces of at most `max`, cutting as late as the level allows. */
function splitLong(text: string, span: Span, max: number, level: number): Span[] {
  const delimiter = CUT_AFTER[level];
  if (!delimiter) return hardSplit(text, span, max);
  const pieces: Span[] = [];
  let start = span.start;
  for (let k = span.start; k < span.end; k++) {
    if (delimiter.test(text[k] ?? '')) {
      pieces.push({ start, end: k + 1 });
      start = k + 1;
    }
  }
  if (start < span.end) pieces.push({ start, end: span.end });

  const out: Span[] = [];
  let group: Span | undefined;
  for (const piece of pieces) {
    if (piece.end - piece.start > max) {
      if (group) out.push(group);
      group = undefined;
      out.push(...splitLong(text, piece, max, level + 1));
    } else if (group && piece.end - group.start <= max) {
      group = { start: group.start, end: piece.end };
    } else {
      if (group) out.push(group);
      group = piece;
    }
  }
  if (group) out.push(group);
  return out;
}

/** Cuts every `max` code units, never between the two halves of a surrogate pair. */
function hardSplit(text: string, span: Span, max: number): Span[] {
  const out: Span[] = [];
  let start = span.start;
  while (start < span.end) {
    let end = Math.min(start + max, span.end);
    if (end < span.end && end - 1 > start && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    out.push({ start, end });
    start = end;
  }
  return out;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
