import WordExtractor from 'word-extractor';
import { AppError, describeError } from '../errors.js';
import { extractDocxText } from './extract-docx.js';

/** The first bytes of an OLE compound file (Word 97-2003 and other old Office files). */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Plain text of a legacy Word .doc (Word 97-2003), one paragraph per line,
 * read with word-extractor (pure JS). Only the body is kept: headers,
 * footers, footnotes and comments are not report text. Curly quotes and
 * dashes are kept as written (word-extractor would turn them into ASCII).
 * A .docx saved under a .doc name (common on download pages) is read as a
 * .docx, with its zip checks. Throws `REPORT_UNREADABLE` saying what the file
 * is when it is not a Word document, or what is damaged.
 */
export async function extractDocText(bytes: Uint8Array): Promise<string> {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return extractDocxText(bytes);
  if (!OLE_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new AppError('REPORT_UNREADABLE', `not a Word 97-2003 .doc (${describeStart(bytes)})`);
  }
  try {
    const doc = await new WordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return doc.getBody({ filterUnicode: false });
  } catch (err) {
    throw new AppError('REPORT_UNREADABLE', `damaged .doc: ${describeError(err)}`, { cause: err });
  }
}

/** What a file that is not an OLE file looks like, for the skip reason. */
function describeStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'empty file';
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  if (head.startsWith('{\\rtf')) return 'it is an RTF file; open it in Word and save it as .docx';
  if (head.startsWith('<') || head.startsWith('mime-version')) return 'it is a web page saved by Word; rename it .html or save it as .docx';
  return 'no OLE compound file header';
}
