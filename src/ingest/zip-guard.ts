import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import { AppError } from '../errors.js';

const inflateRawAsync = promisify(inflateRaw);

export interface ZipLimits {
  /** Largest declared uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Largest declared uncompressed/compressed ratio of one entry (only checked above 1 MB). */
  maxRatio: number;
  /**
   * Largest declared uncompressed size of the XML parts (`.xml`, `.rels`)
   * together. The docx reader parses them into a DOM at roughly 55 bytes of
   * memory per byte (measured: a 10 MB document.xml took 11 s and ~560 MB),
   * while a long report's XML is 1–3 MB.
   */
  maxXmlBytes: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = {
  maxTotalBytes: 200 * 1024 * 1024,
  maxRatio: 200,
  maxXmlBytes: 10 * 1024 * 1024,
};

export interface ZipEntryInfo {
  readonly name: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** 0 stored, 8 deflated; anything else is refused by {@link checkZipData}. */
  readonly method: number;
  /** Where the entry's local header starts. */
  readonly localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
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
  let xml = 0;
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL_SIGNATURE) throw unreadable('zip central directory is damaged');
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const uncompressedSize = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const localHeaderOffset = view.getUint32(p + 42, true);
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
    if (/\.(xml|rels)$/i.test(name)) xml += uncompressedSize;
    if (xml > limits.maxXmlBytes) {
      throw unreadable(
        `the document's XML declares ${mb(xml)} MB (limit ${mb(limits.maxXmlBytes)} MB), far more than a report; save it as .txt or .pdf`,
      );
    }
    entries.push({ name, compressedSize, uncompressedSize, method, localHeaderOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Proves that every entry's data matches its declared size without ever
 * holding more than that size: a stored entry's sizes must agree, a deflated
 * one is inflated with its declared size as the output cap. The sizes
 * {@link checkZip} judged are only claims; a zip that understates them would
 * otherwise be inflated in full by the docx reader (measured: a 4.6 MB file
 * declaring 1 kB took 14 s and 1.7 GB before failing). Throws
 * `REPORT_UNREADABLE`.
 */
export async function checkZipData(bytes: Uint8Array, entries: readonly ZipEntryInfo[]): Promise<void> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const e of entries) {
    const p = e.localHeaderOffset;
    if (p + 30 > bytes.length || view.getUint32(p, true) !== LOCAL_SIGNATURE) {
      throw unreadable(`zip entry ${e.name} points at a missing local header (damaged archive)`);
    }
    const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
    if (start + e.compressedSize > bytes.length) throw unreadable(`zip entry ${e.name} runs past the end of the file (truncated)`);
    const data = bytes.subarray(start, start + e.compressedSize);
    if (e.method === 0) {
      if (e.compressedSize !== e.uncompressedSize) throw unreadable(`stored zip entry ${e.name} has inconsistent sizes`);
      continue;
    }
    if (e.method !== 8) throw unreadable(`zip entry ${e.name} uses compression method ${e.method}; only stored and deflated entries are read`);
    let inflated: Buffer;
    try {
      inflated = await inflateRawAsync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
    } catch (err) {
      if (err instanceof RangeError) {
        throw unreadable(`zip entry ${e.name} inflates past its declared ${e.uncompressedSize} bytes; possible zip bomb`);
      }
      throw unreadable(`zip entry ${e.name} is damaged (${err instanceof Error ? err.message : String(err)})`);
    }
    if (inflated.length !== e.uncompressedSize) {
      throw unreadable(`zip entry ${e.name} inflates to ${inflated.length} bytes, not the declared ${e.uncompressedSize}`);
    }
  }
}

/** Offset of the end-of-central-directory record, searching back over a possible comment. */
function findEndRecord(view: DataView): number {
  const min = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let p = view.byteLength - 22; p >= min; p--) {
    if (view.getUint32(p, true) === EOCD_SIGNATURE) return p;
  }
  return -1;
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function unreadable(reason: string): AppError {
  return new AppError('REPORT_UNREADABLE', reason);
}
