import { createRequire } from 'node:module';
import nodejieba from 'nodejieba';
import type { Tokenizer } from '../types.js';
import { ANALYZER_VERSION, analyzeText, type AnalyzeOptions, type HanSegmenter } from './analyze-text.js';
import { foldWidth } from './fold-width.js';
import { loadStopWords } from './stop-words.js';

export interface JiebaTokenizerOptions {
  /** Also index the character bigrams of Han text, a fallback for segmentation mistakes (default true). */
  readonly bigrams: boolean;
}

export const DEFAULT_JIEBA_TOKENIZER_OPTIONS: Readonly<JiebaTokenizerOptions> = { bigrams: true };

/**
 * The Chinese tokenizer for BM25: nodejieba's search mode (`cutForSearch` with HMM on, which
 * yields a long word and its dictionary sub-words: 生产总值 → 生产, 总值, 生产总值) inside the
 * shared analysis of `analyzeText` (width folding, lower case, whole figure tokens, stop
 * words, optional bigrams).
 *
 * HMM matters: without it jieba cuts unknown words to single characters (罗星 → 罗/星).
 * Numbers never reach jieba (it would cut `2022` to digits without HMM), see `findFigures`.
 *
 * @example new JiebaTokenizer().tokenize('罗星街道2022年地区生产总值108.1亿元')
 * // ['2022', '108.1', '#1.081e10元', '#1.081e10', '罗星', '街道', …, '生产总值', '亿元', …bigrams]
 */
export class JiebaTokenizer implements Tokenizer {
  /** `jieba-<nodejieba version>:v<analyzer version>:search-hmm[+bigrams]`. */
  readonly id: string;
  readonly #analyze: AnalyzeOptions;

  constructor(opts: Partial<JiebaTokenizerOptions> = {}) {
    const { bigrams } = { ...DEFAULT_JIEBA_TOKENIZER_OPTIONS, ...opts };
    this.id = `jieba-${nodejiebaVersion()}:v${ANALYZER_VERSION}:search-hmm${bigrams ? '+bigrams' : ''}`;
    this.#analyze = { bigrams, stopWords: loadStopWords() };
  }

  /**
   * Adds names (places, organisations, projects; see `extractUserWords`) to jieba's
   * dictionary so segmentation keeps them whole. Search mode still emits their dictionary
   * sub-words (罗星街道 → 街道, 罗星街道).
   *
   * nodejieba's dictionary is process-global: words added here affect every JiebaTokenizer
   * (and every other nodejieba user) in the process, and cannot be removed. An index built
   * after `addWords(w)` should be queried by a tokenizer that was given the same words, so
   * whoever saves the index must save `w` too and add it again after loading.
   *
   * The words reach jieba at the next `tokenize`: inserting loads jieba's
   * dictionaries (~2 s), which commands that never tokenize (`status`) skip.
   */
  addWords(words: Iterable<string>): void {
    for (const word of words) {
      const normalized = foldWidth(word).trim().toLowerCase();
      if (normalized !== '' && !/\s/.test(normalized)) pendingWords.push(normalized);
    }
  }

  tokenize(text: string): string[] {
    if (pendingWords.length > 0) {
      for (const word of pendingWords) nodejieba.insertWord(word);
      pendingWords.length = 0;
    }
    return analyzeText(text, JIEBA_SEGMENTER, this.#analyze);
  }
}

/**
 * Words added but not yet inserted into jieba. Module-wide, like jieba's own
 * dictionary: a word added through one tokenizer reaches every tokenizer.
 */
const pendingWords: string[] = [];

const JIEBA_SEGMENTER: HanSegmenter = {
  words: (run) => nodejieba.cutForSearch(run, true),
  pieces: (run) => nodejieba.cut(run, true),
};

/** Part of the id: another nodejieba release may ship another dictionary. */
function nodejiebaVersion(): string {
  const pkg: unknown = createRequire(import.meta.url)('nodejieba/package.json');
  const version: unknown = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'version') : undefined;
  return typeof version === 'string' ? version : 'unknown';
}
