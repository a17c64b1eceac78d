/**
 * Numbered citations: one per paragraph, numbered in order of first use, each
 * quoting its paragraph trimmed around the sentence the answer used. Text is
 * kept verbatim (no Markdown or HTML is interpreted or escaped here; the bot
 * escapes for its parse mode).
 */
import type { Citation, Passage } from '../types.js';
import { splitSentences } from '../text/sentences.js';

/** Longest quote, in characters, before trimming around the used sentence. */
export const DEFAULT_QUOTE_CHARS = 200;

const ELLIPSIS = '…';

/**
 * The paragraph when it is short; otherwise the sentences holding `focus`,
 * widened by neighbouring sentences while they fit in `maxChars`, with `…`
 * where text was cut. The sentences holding `focus` are always kept whole
 * unless they alone exceed `maxChars`, in which case the text is cut around
 * `focus` itself.
 *
 * @example quoteAround(longParagraph, { start: 120, end: 150 }, 80) // '…一句。用到的那句。…'
 */
export function quoteAround(
  paragraphText: string,
  focus: { start: number; end: number },
  maxChars: number = DEFAULT_QUOTE_CHARS,
): string {
  const text = paragraphText;
  if (text.length <= maxChars) return text.trim();
  const fStart = clamp(Math.min(focus.start, focus.end), 0, text.length);
  const fEnd = clamp(Math.max(focus.start, focus.end), fStart, text.length);
  const sentences = splitSentences(text);
  const touching = sentences.map((s, i) => ({ s, i })).filter(({ s }) => s.end > fStart && s.start < Math.max(fEnd, fStart + 1));
  const firstHit = touching[0];
  const lastHit = touching[touching.length - 1];
  if (firstHit === undefined || lastHit === undefined) return cut(text, fStart, fEnd, maxChars);

  let lo = firstHit.i;
  let hi = lastHit.i;
  const span = (): number => (sentences[hi]?.end ?? 0) - (sentences[lo]?.start ?? 0);
  if (span() > maxChars) return cut(text, fStart, fEnd, maxChars);
  // Widen one sentence at a time, the one before first (it usually names the subject).
  for (let grew = true; grew; ) {
    grew = false;
    const before = sentences[lo - 1];
    if (before !== undefined && (sentences[hi]?.end ?? 0) - before.start <= maxChars) {
      lo--;
      grew = true;
    }
    const after = sentences[hi + 1];
    if (after !== undefined && after.end - (sentences[lo]?.start ?? 0) <= maxChars) {
      hi++;
      grew = true;
    }
  }
  return withEllipses(text, sentences[lo]?.start ?? 0, sentences[hi]?.end ?? text.length);
}

/** A window of `maxChars` centred on the focus, for sentences too long to quote whole. */
function cut(text: string, fStart: number, fEnd: number, maxChars: number): string {
  const room = Math.max(0, maxChars - (fEnd - fStart));
  let start = Math.max(0, fStart - Math.floor(room / 2));
  const end = Math.min(text.length, Math.max(fEnd, start + maxChars));
  start = Math.max(0, Math.min(start, end - maxChars));
  return withEllipses(text, start, end);
}

function withEllipses(text: string, start: number, end: number): string {
  const body = text.slice(start, end).trim();
  // A sentence ending in the report's own …… needs no second mark.
  const before = start > 0 && !body.startsWith(ELLIPSIS) ? ELLIPSIS : '';
  const after = end < text.trimEnd().length && !body.endsWith(ELLIPSIS) ? ELLIPSIS : '';
  return before + body + after;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

/**
 * Hands out citation numbers: the first paragraph cited is [1], a paragraph
 * cited again keeps its number, and its quote is widened to cover every
 * sentence the answer took from it.
 */
export class CitationBook {
  private readonly entries = new Map<string, { n: number; passage: Passage; start: number; end: number }>();

  /** Number of distinct paragraphs cited so far. */
  get size(): number {
    return this.entries.size;
  }

  /** True when `passage`'s paragraph already has a number. */
  has(passage: Passage): boolean {
    return this.entries.has(key(passage));
  }

  /** The citation number for `passage`, used at `focus` (offsets in `passage.text`). */
  cite(passage: Passage, focus: { start: number; end: number }): number {
    const k = key(passage);
    const entry = this.entries.get(k);
    if (entry !== undefined) {
      entry.start = Math.min(entry.start, focus.start);
      entry.end = Math.max(entry.end, focus.end);
      return entry.n;
    }
    const n = this.entries.size + 1;
    this.entries.set(k, { n, passage, start: focus.start, end: focus.end });
    return n;
  }

  /** The citations in number order, quotes trimmed to `maxChars`. */
  citations(maxChars: number = DEFAULT_QUOTE_CHARS): Citation[] {
    return [...this.entries.values()].map(({ n, passage, start, end }) => {
      const quote = quoteAround(passage.text, { start, end }, maxChars);
      return {
        n,
        source: passage.report.source,
        title: passage.report.title,
        paragraph: passage.paragraph,
        text: passage.startsMidParagraph && !quote.startsWith(ELLIPSIS) ? ELLIPSIS + quote : quote,
      };
    });
  }
}

function key(p: Passage): string {
  return `${p.report.source}\u0000${p.paragraph}`;
}

/** `…增长2.7%；` → `…增长2.7%[1]。`; a sentence ending in a closing quote keeps its own end. */
export function withMarker(unitText: string, n: number): string {
  const t = unitText.trim();
  if (/[。！？!?…]["”’」』)）]+$/.test(t)) return `${t}[${n}]`;
  return `${t.replace(/[\s，,；;：:、。．.！!？?]+$/, '')}[${n}]。`;
}
