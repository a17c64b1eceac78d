import { AppError } from '../errors.js';

export interface ZipLimits {
  /** Largest declared uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Largest declared uncompressed/compressed ratio of one entry (only checked above 1 MB). */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = { maxTotalBytes: 200 * 1024 * 1024, maxRatio: 200 };

export interface ZipEntryInfo {
  readonly name: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const ZIP64_MARK = 0xffffffff;

/**
 * Reads a zip's central directory (without inflating anything) and refuses
 * archives that are truncated or whose declared sizes are absurd, so a
 * zip-bomb-like .docx is skipped before the docx reader inflates it.
 * Returns the entries. Throws `REPORT_UNREADABLE` with the reason.
 */
export function checkZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntryInfo[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndRecord(view);
  if (eocd < 0) throw unreadable('not a zip archive or truncated (end-of-central-directory record missing)');
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (dirOffset === ZIP64_MARK || dirOffset + dirSize > eocd) {
    throw unreadable('zip central directory lies outside the file (truncated or zip64)');
  }
  const entries: ZipEntryInfo[] = [];
  let total = 0;
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL_SIGNATURE) throw unreadable('zip central directory is damaged');
    const compressedSize = view.getUint32(p + 20, true);
    const uncompressedSize = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
    if (compressedSize === ZIP64_MARK || uncompressedSize === ZIP64_MARK) {
      throw unreadable(`zip entry ${name} uses zip64 sizes; a report should be far smaller`);
    }
    total += uncompressedSize;
    if (total > limits.maxTotalBytes) {
      throw unreadable(`zip entries declare ${total} uncompressed bytes (limit ${limits.maxTotalBytes}); possible zip bomb`);
    }
    if (uncompressedSize > 1024 * 1024 && uncompressedSize > compressedSize * limits.maxRatio) {
      throw unreadable(`zip entry ${name} expands ${Math.round(uncompressedSize / Math.max(compressedSize, 1))}x; possible zip bomb`);
    }
    entries.push({ name, compressedSize, uncompressedSize });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Offset of the end-of-central-directory record, searching back over a possible comment. */
function findEndRecord(view: DataView): number {
  const min = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let p = view.byteLength - 22; p >= min; p--) {
    if (view.getUint32(p, true) === EOCD_SIGNATURE) return p;
  }
  return -1;
}

function unreadable(reason: string): AppError {
  return new AppError('REPORT_UNREADABLE', reason);
}
