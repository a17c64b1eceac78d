/**
 * Turns the file name a Telegram user sent into one that is safe to create in
 * the reports folder: the last path segment only (no traversal), no control
 * or invisible formatting characters (e.g. a right-to-left override hiding
 * the real extension), no characters Windows forbids, no Windows device name
 * (CON, NUL…), no leading dot (hidden files are not reports), at most 200
 * UTF-8 bytes. CJK and other letters stay. Look-alike slashes (／ ∕ ⁄) are
 * ordinary characters on every file system, so they stay, inside the name.
 */
import path from 'node:path';

/** Longest name kept, in UTF-8 bytes (file systems allow 255). */
const MAX_NAME_BYTES = 200;

/** Name used when nothing of the original name survives. */
const FALLBACK_BASE = 'report';

/**
 * The safe name, with the extension lower-cased. The extension is not
 * checked here; callers compare it with the supported list.
 *
 * @example safeFileName('../../etc/南星街道 2024.TXT') // '南星街道 2024.txt'
 */
export function safeFileName(raw: string): string {
  const last = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const ext = path.extname(cleaned);
  const base = cleaned.slice(0, cleaned.length - ext.length).replace(/[.\s]+$/g, '');
  const safeExt = /^\.[\p{L}\p{N}]{1,10}$/u.test(ext) ? ext.toLowerCase() : '';
  const clipped = clipBytes(base === '' ? FALLBACK_BASE : base, MAX_NAME_BYTES - Buffer.byteLength(safeExt) - 1);
  return clipped.replace(WINDOWS_DEVICE, '$1_') + safeExt;
}

/**
 * Windows device names (CON, NUL, COM1…) cannot start a file name there,
 * whatever follows the first dot (`CON.txt`, `nul..a.md` open the device).
 * The reports folder may be shared with Windows machines, so they get a `_`.
 */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?=\.|$)/iu;

/** `name (n).ext`: the n-th alternative when `name` is taken. */
export function numberedName(name: string, n: number): string {
  const ext = path.extname(name);
  return `${name.slice(0, name.length - ext.length)} (${n})${ext}`;
}

function clipBytes(text: string, maxBytes: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out.trimEnd();
}
