/**
 * A strict model of Telegram's HTML parse mode, written from the Bot API
 * documentation ("Formatting options"), independent of the bot's own
 * src/bot/html.ts so tests can catch its mistakes. Rejects what Telegram
 * rejects: unsupported or unclosed tags, mismatched end tags, a bare `<` or
 * an `&` that does not start a supported entity.
 */

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export type ParsedHtml = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

/** Parses like Telegram: on success, the text as the user sees it (what the 4096 limit counts). */
export function parseTelegramHtml(html: string): ParsedHtml {
  const stack: string[] = [];
  let text = '';
  let i = 0;
  const at = (): number => Buffer.byteLength(html.slice(0, i));
  while (i < html.length) {
    const c = html[i]!;
    if (c === '<') {
      const end = html.indexOf('>', i);
      const inner = end < 0 ? '' : html.slice(i + 1, end);
      if (end < 0 || inner === '' || /[<\s]/.test(inner[0]!)) return fail(`Unexpected character '<' at byte offset ${at()}`);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim().toLowerCase();
        const open = stack.pop();
        if (open === undefined) return fail(`Unexpected end tag "${name}" at byte offset ${at()}`);
        if (open !== name) return fail(`Unmatched end tag at byte offset ${at()}, expected "</${open}>", found "</${name}>"`);
      } else {
        const m = /^([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?$/.exec(inner);
        const name = m?.[1]?.toLowerCase();
        if (m === null || name === undefined) return fail(`Can't parse start tag at byte offset ${at()}`);
        if (!TAGS.has(name)) return fail(`Unsupported start tag "${name}" at byte offset ${at()}`);
        if (name === 'span' && !/class\s*=\s*["']?tg-spoiler/.test(m[2] ?? '')) return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${at()}`);
        stack.push(name);
      }
      i = end + 1;
    } else if (c === '&') {
      const m = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);/.exec(html.slice(i, i + 12));
      const ref = m?.[1];
      if (m === null || ref === undefined) return fail(`Character entity expected at byte offset ${at()}`);
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (code > 0x10ffff) return fail(`Invalid character code at byte offset ${at()}`);
        text += String.fromCodePoint(code);
      } else {
        const ch = NAMED[ref.toLowerCase()];
        if (ch === undefined) return fail(`Unsupported HTML entity "&${ref};" at byte offset ${at()}`);
        text += ch;
      }
      i += m[0].length;
    } else {
      text += c;
      i++;
    }
  }
  const open = stack.pop();
  if (open !== undefined) return fail(`Can't find end tag corresponding to start tag "${open}"`);
  return { ok: true, text };
}

function fail(detail: string): ParsedHtml {
  return { ok: false, error: `Bad Request: can't parse entities: ${detail}` };
}
