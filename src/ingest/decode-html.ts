import iconv from 'iconv-lite';
import { decodeText } from './decode-text.js';

/** How far into a page its charset declaration is looked for (the HTML standard says 1024 bytes; pages exceed it). */
const SNIFF_BYTES = 4096;

/** `<meta charset="gbk">`, `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, `<?xml … encoding="gb2312"?>`. */
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i;
const XML_ENCODING = /^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([\w.:-]+)/i;

/** Labels of the GB family: GB18030 is a superset of GBK and GB2312, and pages labelled GB2312 often use GBK characters. */
const GB_LABELS = new Set(['gb2312', 'gbk', 'gb18030', 'x-gbk', 'cp936', 'euc-cn', 'csgb2312', 'gb_2312-80', 'chinese']);

/**
 * The text of a saved web page. The charset comes from a byte-order mark, else
 * from the page's own `<meta>` (or XML) declaration, else from the bytes
 * (decode-text.ts). Two declarations are not trusted blindly, because saved
 * pages are often re-encoded without their `<meta>` being updated: a GB-family
 * page whose bytes are valid UTF-8 with non-ASCII characters is read as UTF-8
 * (GBK text is practically never valid UTF-8), and bytes invalid in the
 * declared charset are decoded by detection instead.
 * Throws `REPORT_UNREADABLE` as decodeText does.
 */
export function decodeHtml(bytes: Uint8Array): string {
  const declared = declaredCharset(bytes);
  if (declared === undefined || hasBom(bytes)) return decodeText(bytes).text;
  const utf8 = strictUtf8(bytes);
  if (declared === 'utf-8' || (utf8 !== undefined && /[^\x00-\x7f]/.test(utf8))) return utf8 ?? decodeText(bytes).text;
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), declared);
  return text.includes('\uFFFD') ? decodeText(bytes).text : text;
}

/** The declared charset as an iconv-lite name, or undefined when none is declared or iconv-lite does not know it. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, SNIFF_BYTES));
  const label = (META_CHARSET.exec(head) ?? XML_ENCODING.exec(head))?.[1]?.toLowerCase();
  if (label === undefined) return undefined;
  if (label === 'utf-8' || label === 'utf8') return 'utf-8';
  if (GB_LABELS.has(label)) return 'gb18030';
  return iconv.encodingExists(label) ? label : undefined;
}

function hasBom(bytes: Uint8Array): boolean {
  const [b0, b1, b2] = bytes;
  return (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) || (b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff);
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
