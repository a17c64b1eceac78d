/**
 * The small part of Telegram's HTML parse mode the bot relies on: escaping
 * untrusted text, and measuring/cutting the bot's own markup the way Telegram
 * counts it (the 4096 limit applies to the text *after* tags and entities are
 * parsed, in UTF-16 code units).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for Telegram HTML: report text may contain `<b>`, `&` or a bare `<`. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);
}

/** One indivisible piece of markup: a tag, an entity or one character (a whole code point). */
export interface HtmlAtom {
  readonly raw: string;
  readonly kind: 'open' | 'close' | 'text';
  /** Tag name for `open`/`close`. */
  readonly name?: string;
  /** What the atom counts towards Telegram's length limit. */
  readonly length: number;
}

const ATOM = /<(\/?)([a-zA-Z][\w-]*)[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[\s\S]/gu;

/**
 * Splits the bot's own (well-formed) HTML into atoms. Not a validator: the
 * input is markup this bot generated, with every outside string escaped.
 */
export function htmlAtoms(html: string): HtmlAtom[] {
  const atoms: HtmlAtom[] = [];
  for (const m of html.matchAll(ATOM)) {
    const raw = m[0];
    const name = m[2];
    if (name !== undefined) atoms.push({ raw, kind: m[1] === '/' ? 'close' : 'open', name: name.toLowerCase(), length: 0 });
    else atoms.push({ raw, kind: 'text', length: raw.startsWith('&') ? 1 : raw.length });
  }
  return atoms;
}

/** Length Telegram counts for this HTML: text after tags and entities are parsed. */
export function visibleLength(html: string): number {
  let n = 0;
  for (const a of htmlAtoms(html)) n += a.length;
  return n;
}
