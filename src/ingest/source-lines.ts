/**
 * What every format's extractor hands to the cleaner: the document's lines in
 * reading order. A line may carry the heading depth its source markup states
 * (Markdown `#`, HTML `<h1>`–`<h6>`); formats without heading markup leave it
 * out and the cleaner finds headings from the text alone (see structure-text.ts).
 */
export interface SourceLine {
  readonly text: string;
  /** Heading depth from the markup (1 for `#` or `<h1>`), when the line is a marked-up heading. */
  readonly headingDepth?: number;
}

/** Lines of plain text (no heading markup). */
export function plainLines(text: string): SourceLine[] {
  return text.split('\n').map((t) => ({ text: t }));
}
