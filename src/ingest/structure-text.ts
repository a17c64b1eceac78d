/**
 * Turns a report's extracted lines into numbered paragraphs with section paths.
 *
 * Rules (each line is one candidate paragraph; blank lines carry no meaning,
 * because the seeds break paragraphs across blank lines):
 * - **Furniture** (metadata rows, `来源：` lines at the top, table rules) is dropped;
 *   its publisher and date are returned.
 * - **Headings**: marked-up headings (Markdown `#`, HTML `<h1>`–`<h6>`); lines starting with a marker (一、 （一） 1.
 *   （1） ① 第一章 一是) that are short and have no sentence end; and short
 *   title-like lines (`抓项目 育产业 激发经济发展“星动能”`) in documents that have
 *   no marked outline (in outlined documents such lines are stray speaker,
 *   chart or download lines and stay text). Ranks are fixed (see HEADING_RANK).
 *   A marked line that continues into body text (`（一）…三目标。紧抓…`) is a text
 *   paragraph whose leading clause is the last element of its own section path;
 *   it closes its open siblings but does not open a section for what follows.
 * - **Front matter**: lines before the body starts (the body starts at the first
 *   marked heading or line with clause punctuation). The first title-like one is
 *   the document title: a heading paragraph that enters no section path, since
 *   the report title is carried separately. The others (speaker, date, meeting
 *   lines) stay short text paragraphs and are never joined.
 * - **Newspaper pages**: when two or more title lines are followed by a byline of
 *   personal names (`钟逸格 徐洁`), each such title is an article heading at the
 *   top of the section path and its **byline is dropped**; other title-like lines
 *   there are ordinary text (they are usually wrapped lines).
 * - **Captions** (`…（图片由澉浦镇提供）`, `表1 …`) stay text paragraphs but are never
 *   headings or joined; photo captions get an empty section path (a photo on a
 *   page belongs to no article).
 * - **Tables** flattened to one cell per line (3+ short lines, one purely
 *   numeric) become one text paragraph, cells separated by spaces.
 * - **Re-joining**: a text line that does not end with sentence or closing
 *   punctuation (。！？；…：”』）…) is joined to the next text line unless that
 *   one is a heading, caption, marked line or front matter. Nothing is inserted
 *   between the two lines unless both sides are Latin letters or digits.
 */
import type { Paragraph } from '../types.js';
import { normalizeText } from '../text/normalize-text.js';
import {
  HEADING_RANK,
  captionKind,
  endsParagraph,
  headingMarker,
  isByline,
  isHeadingLine,
  isTableCell,
  isTitleLike,
  leadingClause,
} from './line-kinds.js';
import { stripFurniture } from './page-furniture.js';
import type { SourceLine } from './source-lines.js';

export interface StructuredText {
  readonly paragraphs: Paragraph[];
  /** Title found in the document (first `#` heading, or the title line), if any. */
  readonly title?: string;
  readonly publisher?: string;
  readonly date?: string;
}

type BlockKind = 'heading' | 'text' | 'table' | 'byline';

interface Block {
  kind: BlockKind;
  text: string;
  /** Heading rank for headings and marked lines; Infinity otherwise. */
  rank: number;
  marked: boolean;
  titleLike: boolean;
  headingDepth?: number;
  /** Leading clause of a marked text line: its own last section element. */
  clause?: string;
  caption?: 'photo' | 'figure';
  docTitle?: boolean;
  /** Front matter: kept as is, never joined. */
  front?: boolean;
  /** A stray title-like line in an outlined document: may continue a line, is never continued. */
  standalone?: boolean;
}

/** Minimum byline-carrying titles for a file to be read as a newspaper page. */
const MIN_ARTICLES = 2;

/**
 * See the module documentation for the rules. `lines` come from a format's
 * extractor (report-formats.ts); each is normalised here (normalizeText), so
 * extractors hand over text as the source has it.
 */
export function structureText(lines: readonly SourceLine[]): StructuredText {
  const furniture = stripFurniture(lines.flatMap(normalizeLine));
  const blocks = mergeTables(furniture.lines.map(classify));
  const newspaper = markArticles(blocks);
  if (!newspaper) markTitleLines(blocks);
  const joined = joinBrokenLines(blocks.filter((b) => b.kind !== 'byline'));
  const paragraphs = numberParagraphs(joined);
  const title = documentTitle(joined) ?? furniture.title;
  return {
    paragraphs,
    ...(title !== undefined && { title }),
    ...(furniture.publisher !== undefined && { publisher: furniture.publisher }),
    ...(furniture.date !== undefined && { date: furniture.date }),
  };
}

/** A line normalised; a line holding a break the normaliser recognises (`\r`, U+2028) becomes several. */
function normalizeLine(line: SourceLine): SourceLine[] {
  const parts = normalizeText(line.text).split('\n').filter((t) => t !== '');
  return parts.map((text, i) => (i === 0 && line.headingDepth !== undefined ? { text, headingDepth: line.headingDepth } : { text }));
}

function classify(line: SourceLine): Block {
  const text = line.text;
  const base = { text, rank: Infinity, marked: false, titleLike: false };
  if (line.headingDepth !== undefined) return { ...base, kind: 'heading', rank: line.headingDepth, headingDepth: line.headingDepth };
  const marker = headingMarker(text);
  if (marker) {
    const marked = { ...base, rank: marker.rank, marked: true };
    if (isHeadingLine(text)) return { ...marked, kind: 'heading' };
    const clause = marker.inline ? leadingClause(text) : undefined;
    return clause === undefined ? { ...marked, kind: 'text' } : { ...marked, kind: 'text', clause };
  }
  const caption = captionKind(text);
  if (caption) return { ...base, kind: 'text', caption };
  return { ...base, kind: 'text', titleLike: isTitleLike(text) };
}

const NUMERIC_CELL = /^[-+−]?\d[\d.,，%‰]*$/;

/** Runs of 3+ cell lines with a purely numeric cell become one table paragraph. */
function mergeTables(blocks: Block[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < blocks.length) {
    let j = i;
    while (j < blocks.length && isCellBlock(blocks[j])) j++;
    const run = blocks.slice(i, j);
    if (run.length >= 3 && run.some((b) => NUMERIC_CELL.test(b.text))) {
      out.push({ kind: 'table', text: run.map((b) => b.text).join(' '), rank: Infinity, marked: false, titleLike: false });
      i = j;
    } else {
      // A loop, not push(...run): a run can hold hundreds of thousands of lines, past the argument limit.
      for (const b of run.length > 0 ? run : [blocks[i] as Block]) out.push(b);
      i = Math.max(j, i + 1);
    }
  }
  return out;
}

function isCellBlock(b: Block | undefined): boolean {
  return b !== undefined && b.kind === 'text' && !b.marked && b.caption === undefined && isTableCell(b.text);
}

/**
 * Newspaper pages: title lines followed by a byline become article headings
 * and the byline is marked for removal; other title-like lines stay text.
 * Returns false (and changes nothing) when the file is not such a page.
 */
function markArticles(blocks: Block[]): boolean {
  const pairs: number[] = [];
  blocks.forEach((b, i) => {
    const next = blocks[i + 1];
    if (b.titleLike && next && next.kind === 'text' && next.caption === undefined && isByline(next.text)) pairs.push(i);
  });
  if (pairs.length < MIN_ARTICLES) return false;
  for (const i of pairs) {
    const title = blocks[i] as Block;
    const byline = blocks[i + 1] as Block;
    title.kind = 'heading';
    title.rank = HEADING_RANK.article;
    byline.kind = 'byline';
  }
  return true;
}

/** A line that shows the body has begun: a marked or marked-up heading or text with clause punctuation. */
function startsBody(b: Block): boolean {
  if (b.headingDepth !== undefined || b.marked) return true;
  return b.kind === 'text' && b.caption === undefined && /[，。；！？,;!?]/.test(b.text);
}

/** Documents with at least this many marked headings (一、 （一）…) have an outline. */
const MIN_OUTLINE_MARKERS = 2;

/**
 * Title-like lines before the body: the first is the document title, the
 * others front matter. After it they are headings, unless the document has a
 * marked outline: there they are stray lines (speaker, download links, chart
 * names) kept as text that never continues onto the next line.
 */
function markTitleLines(blocks: Block[]): void {
  const bodyStart = blocks.findIndex(startsBody);
  const end = bodyStart < 0 ? blocks.length : bodyStart;
  const outline = blocks.filter((b) => b.marked && (b.kind === 'heading' || b.clause !== undefined)).length >= MIN_OUTLINE_MARKERS;
  let titleSeen = blocks.some((b) => b.headingDepth !== undefined);
  blocks.forEach((b, i) => {
    if (i < end) {
      if (b.titleLike && !titleSeen) {
        b.kind = 'heading';
        b.docTitle = true;
        titleSeen = true;
      } else if (b.kind === 'text') {
        b.front = true;
      }
    } else if (b.titleLike && b.kind === 'text') {
      if (outline) b.standalone = true;
      else {
        b.kind = 'heading';
        b.rank = HEADING_RANK.title;
      }
    }
  });
}

const canContinue = (a: Block): boolean =>
  a.kind === 'text' && !a.front && !a.standalone && a.caption === undefined && !endsParagraph(a.text);
const canStart = (b: Block): boolean => b.kind === 'text' && !b.front && !b.marked && b.caption === undefined;
const LATIN_OR_DIGIT = /[A-Za-z0-9]/;

/** Re-joins text lines broken mid-sentence (hard wraps, page breaks, stray blank lines). */
function joinBrokenLines(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (last && canContinue(last) && canStart(b)) {
      const sep = LATIN_OR_DIGIT.test(last.text.slice(-1)) && LATIN_OR_DIGIT.test(b.text.slice(0, 1)) ? ' ' : '';
      last.text = last.text + sep + b.text;
    } else {
      out.push({ ...b });
    }
  }
  return out;
}

/** Paragraph numbers 1..n and section paths (outermost first) from the heading stack. */
function numberParagraphs(blocks: readonly Block[]): Paragraph[] {
  const stack: { rank: number; text: string }[] = [];
  const path = (): string[] => stack.map((h) => h.text);
  const closeFrom = (rank: number): void => {
    while (stack.length > 0 && (stack[stack.length - 1]?.rank ?? -1) >= rank) stack.pop();
  };
  return blocks.map((b, i) => {
    let section: string[];
    if (b.kind === 'heading' && b.docTitle) {
      section = [];
    } else if (b.kind === 'heading') {
      closeFrom(b.rank);
      section = path();
      stack.push({ rank: b.rank, text: b.text });
    } else {
      if (b.marked) closeFrom(b.rank);
      section = b.caption === 'photo' ? [] : b.clause === undefined ? path() : [...path(), b.clause];
    }
    return { paragraph: i + 1, text: b.text, kind: b.kind === 'heading' ? 'heading' : 'text', section };
  });
}

function documentTitle(blocks: readonly Block[]): string | undefined {
  // A marked-up heading (`#`, `<h1>`) first, then the title line, then a newspaper page's first article.
  const md = blocks.find((b) => b.headingDepth === 1) ?? blocks.find((b) => b.headingDepth !== undefined);
  if (md) return md.text;
  return (blocks.find((b) => b.docTitle) ?? blocks.find((b) => b.kind === 'heading' && b.rank === HEADING_RANK.article))?.text;
}
