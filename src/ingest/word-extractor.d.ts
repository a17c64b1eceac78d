/**
 * The part of word-extractor (no bundled types) that extract-doc.ts uses.
 * The body accessor takes `filterUnicode: false` to keep curly quotes and
 * dashes, an option the published @types package leaves out.
 */
declare module 'word-extractor' {
  interface WordDocument {
    getBody(options?: { filterUnicode?: boolean }): string;
  }
  export default class WordExtractor {
    extract(source: string | Buffer): Promise<WordDocument>;
  }
}
