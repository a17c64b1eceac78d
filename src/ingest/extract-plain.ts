import { normalizeText } from '../text/normalize-text.js';
import { decodeText } from './decode-text.js';
import { markdownLines } from './markdown-lines.js';
import { plainLines, type SourceLine } from './source-lines.js';

/** Lines of a .txt file, its encoding detected from the bytes (decode-text.ts). */
export function extractPlainLines(bytes: Uint8Array): SourceLine[] {
  return plainLines(decodeText(bytes).text);
}

/**
 * Lines of a .md file, `#` headings with their depth and Markdown syntax
 * removed (markdown-lines.ts). The syntax is line-based, so line ends are
 * normalised before it is read.
 */
export function extractMarkdownLines(bytes: Uint8Array): SourceLine[] {
  return markdownLines(normalizeText(decodeText(bytes).text));
}
