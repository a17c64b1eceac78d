import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError, describeError } from '../errors.js';

export interface PdfOptions {
  /** Give up on a PDF after this long (a damaged file must not stall an index build). Default 60 s. */
  timeoutMs?: number;
  /** Stop after this many pages. Default 2000. */
  maxPages?: number;
}

export const DEFAULT_PDF_OPTIONS: Readonly<Required<PdfOptions>> = { timeoutMs: 60_000, maxPages: 2000 };

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** A line that is only a page number (`3`, `- 3 -`, `第 3 页`, `第3页 共9页`, `3/9`). */
const PAGE_NUMBER = /^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*(?:\/|共)\s*\d{1,4}\s*页?)?[-—–\s]*$/;

/**
 * Text of a PDF with the pdfjs legacy build: one line per text line (items
 * on a new baseline or flagged end-of-line start a new line), pages separated
 * by a blank line, and a page-number line at the top or bottom of a page
 * dropped. Hard-wrapped lines are re-joined later by the cleaner, which also
 * joins a paragraph broken across a page break. CID fonts with a ToUnicode map
 * and the predefined Chinese CMaps shipped with pdfjs are supported.
 * Throws `REPORT_UNREADABLE` with the reason.
 */
export async function extractPdfText(bytes: Uint8Array, options: PdfOptions = {}): Promise<string> {
  const { timeoutMs, maxPages } = { ...DEFAULT_PDF_OPTIONS, ...options };
  // Imported on first use: pdfjs adds ~130 MB of RSS to every process that loads it.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    data: new Uint8Array(bytes), // pdfjs transfers (detaches) the buffer it is given
    cMapUrl: path.join(pdfjsRoot, 'cmaps') + path.sep,
    cMapPacked: true,
    standardFontDataUrl: path.join(pdfjsRoot, 'standard_fonts') + path.sep,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('REPORT_UNREADABLE', `PDF took longer than ${timeoutMs} ms to read`)), timeoutMs);
  });
  try {
    return await Promise.race([readPages(task.promise, maxPages), timeout]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('REPORT_UNREADABLE', `damaged .pdf: ${describeError(err)}`, { cause: err });
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => undefined);
  }
}

type PdfDocument = Awaited<ReturnType<typeof import('pdfjs-dist/legacy/build/pdf.mjs').getDocument>['promise']>;

async function readPages(loading: Promise<PdfDocument>, maxPages: number): Promise<string> {
  const doc = await loading;
  const pages: string[] = [];
  const n = Math.min(doc.numPages, maxPages);
  for (let i = 1; i <= n; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    const lines: string[] = [];
    let line = '';
    let lastY: number | undefined;
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const y = item.transform[5];
      if (lastY !== undefined && typeof y === 'number' && Math.abs(y - lastY) > 1 && line !== '') {
        lines.push(line);
        line = '';
      }
      line += item.str;
      if (typeof y === 'number') lastY = y;
      if (item.hasEOL) {
        lines.push(line);
        line = '';
      }
    }
    if (line !== '') lines.push(line);
    page.cleanup();
    pages.push(dropPageNumbers(lines).join('\n'));
  }
  return pages.join('\n\n');
}

function dropPageNumbers(lines: string[]): string[] {
  const out = lines.filter((l) => l.trim() !== '');
  if (out.length > 0 && PAGE_NUMBER.test(out[out.length - 1] ?? '')) out.pop();
  if (out.length > 0 && PAGE_NUMBER.test(out[0] ?? '')) out.shift();
  return out;
}
