import iconv from 'iconv-lite';
import { AppError } from '../errors.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
}

/** At most this many characters are inspected when judging a decoding. */
const SAMPLE_CHARS = 200_000;
/** A decoding whose sample has more control/replacement characters than this is not text. */
const MAX_JUNK_SHARE = 0.02;
/** A file whose UTF-8 decoding has at most this share of replacement characters is damaged UTF-8. */
const MAX_DAMAGED_UTF8_SHARE = 0.004;
/** Without a BOM, a UTF-16 or GB18030 guess must look like Chinese text at least this much. */
const MIN_PLAUSIBLE_SHARE = 0.97;

/**
 * Decodes a .txt/.md file, detecting the encoding from the bytes (never the
 * extension), in this order:
 * 1. a BOM (UTF-8, UTF-16 LE/BE);
 * 2. BOM-less UTF-16: NUL bytes almost all at odd (LE) or even (BE) offsets and
 *    a decoding that looks like text;
 * 3. valid UTF-8 (stray NUL bytes are allowed; the cleaner drops them), or UTF-8
 *    with a few damaged bytes (at most 0.4% replacement characters, kept as U+FFFD);
 * 4. otherwise GB18030 (a superset of GBK/GB2312) or NUL-free UTF-16, whichever
 *    decodes without errors into plausible text with the most Han characters.
 * Throws `REPORT_UNREADABLE` ("unknown encoding", "binary content", "empty file").
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) throw new AppError('REPORT_UNREADABLE', 'empty file');
  const decoded = detect(bytes);
  if (junkShare(decoded.text) > MAX_JUNK_SHARE) {
    throw new AppError('REPORT_UNREADABLE', `binary content (decoded as ${decoded.encoding}, too many control characters)`);
  }
  return decoded;
}

function detect(bytes: Uint8Array): DecodedText {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { text: decodeStrict('utf-8', bytes.subarray(3)), encoding: 'utf-8' };
  if (b0 === 0xff && b1 === 0xfe) return { text: decodeStrict('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  if (b0 === 0xfe && b1 === 0xff) return { text: decodeStrict('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };

  const nulOrder = utf16OrderFromNuls(bytes);
  if (nulOrder) {
    const text = tryDecode(nulOrder, bytes);
    if (text !== undefined && plausibleShare(text) >= MIN_PLAUSIBLE_SHARE) return { text, encoding: nulOrder };
  }

  const utf8 = tryDecode('utf-8', bytes);
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8' };
  // A UTF-8 file with a few damaged bytes stays UTF-8 (with U+FFFD) rather than
  // being read as GB18030, which would turn all of it into plausible-looking Han.
  const lenient = new TextDecoder('utf-8').decode(bytes);
  if (countReplacements(lenient) <= lenient.length * MAX_DAMAGED_UTF8_SHARE) return { text: lenient, encoding: 'utf-8' };

  let best: (DecodedText & { han: number }) | undefined;
  for (const encoding of ['gb18030', 'utf-16le', 'utf-16be'] as const) {
    const text = tryDecode(encoding, bytes);
    if (text === undefined || plausibleShare(text) < MIN_PLAUSIBLE_SHARE) continue;
    const han = hanShare(text);
    if (!best || han > best.han) best = { text, encoding, han };
  }
  if (best) return { text: best.text, encoding: best.encoding };
  throw new AppError('REPORT_UNREADABLE', 'unknown encoding (not UTF-8, UTF-16 or GB18030 text)');
}

function decodeStrict(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Uint8Array): string {
  const text = tryDecode(encoding, bytes);
  if (text === undefined) throw new AppError('REPORT_UNREADABLE', `invalid ${encoding.toUpperCase()} despite its byte-order mark`);
  return text;
}

/** The decoded text, or undefined when the bytes are not valid in `encoding`. */
function tryDecode(encoding: TextEncoding, bytes: Uint8Array): string | undefined {
  if (encoding === 'gb18030') {
    const text = iconv.decode(bytes, 'gb18030');
    return text.includes('\uFFFD') ? undefined : text;
  }
  if (encoding !== 'utf-8' && bytes.length % 2 !== 0) return undefined;
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function countReplacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}

/** UTF-16 byte order suggested by where NUL bytes sit (ASCII in UTF-16 is `xx 00` in LE). */
function utf16OrderFromNuls(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  let even = 0;
  let odd = 0;
  const n = Math.min(bytes.length, SAMPLE_CHARS * 2);
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  const total = even + odd;
  if (total === 0) return undefined;
  if (odd >= total * 0.9) return 'utf-16le';
  if (even >= total * 0.9) return 'utf-16be';
  return undefined;
}

/** Share of C0/C1 control characters (tab and line breaks excepted) and U+FFFD. */
function junkShare(text: string): number {
  const n = Math.min(text.length, SAMPLE_CHARS);
  if (n === 0) return 0;
  let junk = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) junk++;
  }
  return junk / n;
}

/** Code-unit ranges that occur in Chinese reports; anything else suggests a wrong guess. */
function isPlausible(c: number): boolean {
  return (
    c === 0x09 || c === 0x0a || c === 0x0d ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0x24f) ||
    (c >= 0x370 && c <= 0x4ff) ||
    (c >= 0x2000 && c <= 0x27bf) ||
    (c >= 0x2e80 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xd800 && c <= 0xdfff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xffef) ||
    c === 0xfeff
  );
}

function plausibleShare(text: string): number {
  const n = Math.min(text.length, SAMPLE_CHARS);
  if (n === 0) return 1;
  let ok = 0;
  for (let i = 0; i < n; i++) if (isPlausible(text.charCodeAt(i))) ok++;
  return ok / n;
}

function hanShare(text: string): number {
  const n = Math.min(text.length, SAMPLE_CHARS);
  if (n === 0) return 0;
  let han = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) han++;
  }
  return han / n;
}
