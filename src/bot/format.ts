/**
 * Turns answers and paragraphs into Telegram HTML and cuts long replies into
 * messages of at most 4096 characters (as Telegram counts them, after entity
 * parsing). A reply is a list of blocks — the answer, then one block per
 * citation — and blocks are never split across messages unless a single block
 * is itself too long; then it is cut at a line or sentence end, closing the
 * open tags and reopening them in the next message.
 */
import type { Answer, ParagraphView } from '../types.js';
import { escapeHtml, htmlAtoms, visibleLength, type HtmlAtom } from './html.js';
import { MSG } from './messages.js';

/** Telegram's limit for one message's text after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** A unit of a reply that should stay in one message; `citation` is its `[n]`. */
export interface MessageBlock {
  readonly html: string;
  readonly citation?: number;
}

/** One message to send, with the citations whose blocks it carries (for its buttons). */
export interface MessagePart {
  readonly html: string;
  readonly citations: readonly number[];
}

const BLOCK_SEPARATOR = '\n\n';

/** The answer text, then each citation: «[n] 《title》 第N段» and the quoted paragraph. */
export function answerBlocks(answer: Answer): MessageBlock[] {
  const blocks: MessageBlock[] = [{ html: escapeHtml(answer.text.trim()) }];
  for (const c of answer.citations) {
    blocks.push({
      html: `${MSG.citationHeader(c.n, c.title, c.paragraph)}\n<blockquote>${escapeHtml(c.text.trim())}</blockquote>`,
      citation: c.n,
    });
  }
  return blocks.filter((b) => b.html !== '');
}

/** A whole paragraph, as the citation button shows it. */
export function paragraphBlocks(view: ParagraphView): MessageBlock[] {
  return [{ html: MSG.paragraphHeader(view.title, view.paragraph, view.section) }, { html: escapeHtml(view.text.trim()) }];
}

/**
 * Packs blocks into as few messages as fit `limit`, joining blocks with a
 * blank line. A citation's button goes with the first message that holds it.
 */
export function splitMessage(blocks: readonly MessageBlock[], limit: number = TELEGRAM_TEXT_LIMIT): MessagePart[] {
  const pieces = blocks.flatMap((b): MessageBlock[] =>
    visibleLength(b.html) <= limit ? [b] : splitLongHtml(b.html, limit).map((html) => ({ html, ...(b.citation !== undefined && { citation: b.citation }) })),
  );
  const parts: MessagePart[] = [];
  const placed = new Set<number>();
  let html: string[] = [];
  let citations: number[] = [];
  let length = 0;
  const flush = (): void => {
    if (html.length > 0) parts.push({ html: html.join(BLOCK_SEPARATOR), citations });
    html = [];
    citations = [];
    length = 0;
  };
  for (const piece of pieces) {
    const n = visibleLength(piece.html);
    if (html.length > 0 && length + BLOCK_SEPARATOR.length + n > limit) flush();
    length += (html.length > 0 ? BLOCK_SEPARATOR.length : 0) + n;
    html.push(piece.html);
    if (piece.citation !== undefined && !placed.has(piece.citation)) {
      placed.add(piece.citation);
      citations.push(piece.citation);
    }
  }
  flush();
  return parts;
}

/** Where a cut may fall: after a line break, a sentence end or a space. */
const BREAK_AFTER = /^[\n。！？；!?;，, ]$/u;

/**
 * Cuts one block of well-formed HTML into pieces of at most `limit` visible
 * characters. Each piece is well-formed on its own: tags open at a cut are
 * closed at its end and reopened at the start of the next piece. Cuts prefer
 * a line or sentence end in the second half of a piece.
 */
export function splitLongHtml(html: string, limit: number = TELEGRAM_TEXT_LIMIT): string[] {
  if (limit < 2) throw new RangeError(`limit must be at least 2, got ${limit}`);
  const atoms = htmlAtoms(html);
  const pieces: string[] = [];
  let open: HtmlAtom[] = [];
  let i = 0;
  while (i < atoms.length) {
    const stack = [...open];
    let visible = 0;
    let j = i;
    let breakAt = -1;
    for (; j < atoms.length; j++) {
      const a = atoms[j]!;
      if (a.length > 0 && visible + a.length > limit) break;
      visible += a.length;
      if (a.kind === 'text' && BREAK_AFTER.test(a.raw) && visible >= limit / 2) breakAt = j + 1;
    }
    const end = j >= atoms.length ? j : breakAt > i ? breakAt : j;
    for (let k = i; k < end; k++) applyTag(stack, atoms[k]!);
    const body = atoms.slice(i, end).map((a) => a.raw).join('');
    const reopen = open.map((a) => a.raw).join('');
    const close = [...stack].reverse().map((a) => `</${a.name}>`).join('');
    if (visibleLength(body) > 0) pieces.push(reopen + body + close);
    open = stack;
    i = end;
  }
  return pieces;
}

function applyTag(stack: HtmlAtom[], a: HtmlAtom): void {
  if (a.kind === 'open') stack.push(a);
  else if (a.kind === 'close') {
    const at = stack.map((s) => s.name).lastIndexOf(a.name);
    if (at >= 0) stack.splice(at, 1);
  }
}
