import mammoth from 'mammoth';
import { AppError, describeError } from '../errors.js';
import { checkZip, checkZipData } from './zip-guard.js';

/**
 * Plain text of a .docx, one paragraph per line (mammoth's raw text). The zip
 * directory is checked first, then every entry is inflated under its declared
 * size, so truncated archives and zip bombs (declared or understated sizes)
 * are refused before the docx reader inflates anything. Throws
 * `REPORT_UNREADABLE` with the reason.
 */
export async function extractDocxText(bytes: Uint8Array): Promise<string> {
  const entries = checkZip(bytes);
  if (!entries.some((e) => e.name === 'word/document.xml')) {
    throw new AppError('REPORT_UNREADABLE', 'not a .docx document (word/document.xml missing from the zip)');
  }
  await checkZipData(bytes, entries);
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return result.value;
  } catch (err) {
    throw new AppError('REPORT_UNREADABLE', `damaged .docx: ${describeError(err)}`, { cause: err });
  }
}
