import type { Tokenizer } from '../types.js';
import { ANALYZER_VERSION, analyzeText, type AnalyzeOptions, type HanSegmenter } from './analyze-text.js';
import { loadStopWords } from './stop-words.js';

export interface SegmenterTokenizerOptions {
  /** Also index the character bigrams of Han text (default true). */
  readonly bigrams: boolean;
}

export const DEFAULT_SEGMENTER_TOKENIZER_OPTIONS: Readonly<SegmenterTokenizerOptions> = { bigrams: true };

/**
 * A tokenizer on the built-in `Intl.Segmenter('zh', { granularity: 'word' })` (ICU's
 * dictionary): the baseline jieba is measured against, and the fallback when the nodejieba
 * native binding cannot be loaded. It shares `analyzeText` with `JiebaTokenizer`, so figures,
 * stop words and bigrams are handled the same way; only Han segmentation differs. It has no
 * user dictionary: ICU cuts unknown names into single characters (罗星 → 罗/星), which the
 * bigrams partly make up for.
 */
export class SegmenterTokenizer implements Tokenizer {
  /** `segmenter-icu<ICU version>:v<analyzer version>[+bigrams]`: ICU's dictionary changes between releases. */
  readonly id: string;
  readonly #analyze: AnalyzeOptions;
  readonly #segmenter: HanSegmenter;

  constructor(opts: Partial<SegmenterTokenizerOptions> = {}) {
    const { bigrams } = { ...DEFAULT_SEGMENTER_TOKENIZER_OPTIONS, ...opts };
    this.id = `segmenter-icu${process.versions.icu ?? 'unknown'}:v${ANALYZER_VERSION}${bigrams ? '+bigrams' : ''}`;
    this.#analyze = { bigrams, stopWords: loadStopWords() };
    const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
    // A Han run has no spaces or punctuation, so every segment is a word and they partition the run.
    const words = (run: string): string[] => Array.from(segmenter.segment(run), (s) => s.segment);
    this.#segmenter = { words, pieces: words };
  }

  tokenize(text: string): string[] {
    return analyzeText(text, this.#segmenter, this.#analyze);
  }
}
