/**
 * The one table of report formats: which files the reports folder reads, how
 * each is turned into lines, and which the bot accepts as uploads. Everything
 * that lists formats (the folder walk, the parser, the bot's help and
 * rejection texts, `report-qa index --help`) derives it from here, so a new
 * format is one row and one extractor module.
 *
 * Heading hints travel on the extracted lines (`SourceLine.headingDepth`, from
 * Markdown `#` or HTML `<h1>`–`<h6>`), so they cannot disagree with the
 * extractor. Extractors are imported on first use: listing formats (the bot's
 * texts, a `--help`) loads none of them or their libraries.
 */
import path from 'node:path';
import { plainLines, type SourceLine } from './source-lines.js';

export interface ReportFormat {
  /** Short label for people (the bot shows it): `网页`, `PDF`. */
  readonly label: string;
  /** File extensions, lower case with the dot. */
  readonly extensions: readonly string[];
  /** Whether an admin may send it to the bot as an upload. */
  readonly upload: boolean;
  /** The file's bytes → its lines; throws `REPORT_UNREADABLE` with a reason fit for a SkippedFile. */
  readonly extract: (bytes: Uint8Array) => Promise<SourceLine[]>;
}

export const REPORT_FORMATS: readonly ReportFormat[] = [
  { label: '文本', extensions: ['.txt'], upload: true, extract: async (bytes) => (await import('./extract-plain.js')).extractPlainLines(bytes) },
  {
    label: 'Markdown',
    extensions: ['.md'],
    upload: true,
    extract: async (bytes) => (await import('./extract-plain.js')).extractMarkdownLines(bytes),
  },
  {
    label: 'Word',
    extensions: ['.docx'],
    upload: true,
    extract: async (bytes) => plainLines(await (await import('./extract-docx.js')).extractDocxText(bytes)),
  },
  {
    label: 'Word 97-2003',
    extensions: ['.doc'],
    upload: true,
    extract: async (bytes) => plainLines(await (await import('./extract-doc.js')).extractDocText(bytes)),
  },
  {
    label: 'PDF',
    extensions: ['.pdf'],
    upload: true,
    extract: async (bytes) => plainLines(await (await import('./extract-pdf.js')).extractPdfText(bytes)),
  },
  {
    label: '网页',
    extensions: ['.html', '.htm'],
    upload: true,
    extract: async (bytes) => (await import('./extract-html.js')).extractHtmlLines(bytes),
  },
];

const BY_EXTENSION: ReadonlyMap<string, ReportFormat> = new Map(REPORT_FORMATS.flatMap((f) => f.extensions.map((ext) => [ext, f] as const)));

/** Every extension the reports folder reads, in table order. */
export const REPORT_EXTENSIONS: readonly string[] = [...BY_EXTENSION.keys()];

/** The formats the bot accepts as uploads. */
export const UPLOAD_FORMATS: readonly ReportFormat[] = REPORT_FORMATS.filter((f) => f.upload);

/** The format of a file name (by its extension, in any case), if it is one the folder reads. */
export function formatOf(name: string): ReportFormat | undefined {
  return BY_EXTENSION.get(path.extname(name).toLowerCase());
}

/** `.txt .md .docx` — the extensions of `formats`, for help texts. */
export function extensionList(formats: readonly ReportFormat[] = REPORT_FORMATS, separator = ' '): string {
  return formats.flatMap((f) => f.extensions).join(separator);
}
