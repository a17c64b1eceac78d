import { createRequire } from 'node:module';
import nodejieba from 'nodejieba';
import type { UserWordTokenizer } from '../types.js';
import { ANALYZER_VERSION, analyzeText, type AnalyzeOptions, type HanSegmenter } from './analyze-text.js';
import { loadStopWords } from './stop-words.js';
import { UserWords } from './user-words.js';

export interface JiebaTokenizerOptions {
  /** Also index the character bigrams of Han text, a fallback for segmentation mistakes (default true). */
  readonly bigrams: boolean;
  /** Names kept whole (see `UserWords`); default none. `withWords` gives a tokenizer with others. */
  readonly words: Iterable<string>;
}

export const DEFAULT_JIEBA_TOKENIZER_OPTIONS: Readonly<JiebaTokenizerOptions> = { bigrams: true, words: [] };

/**
 * The Chinese tokenizer for BM25: nodejieba's search mode (`cutForSearch` with HMM on, which
 * yields a long word and its dictionary sub-words: 生产总值 → 生产, 总值, 生产总值) inside the
 * shared analysis of `analyzeText` (width folding, lower case, whole figure tokens, stop
 * words, optional bigrams).
 *
 * HMM matters: without it jieba cuts unknown words to single characters (罗星 → 罗/星).
 * Numbers never reach jieba (it would cut `2022` to digits without HMM), see `findFigures`.
 *
 * User words (an index's names, see `extractUserWords`) are merged after jieba has cut
 * (`UserWords`): jieba's dictionary, which is process-wide, is never changed, so each index's
 * tokenizer keeps its own words. Search mode then treats them as jieba treats its dictionary
 * words: a name spelled by several of jieba's words is added (罗星街道 beside 罗星, 街道), so
 * is a short name inside a long word (沈荡 in 沈荡镇), and a merged name is one piece for the
 * bigrams.
 *
 * @example new JiebaTokenizer().tokenize('罗星街道2022年地区生产总值108.1亿元')
 * // ['2022', '108.1', '#1.081e10元', '#1.081e10', '罗星', '街道', …, '生产总值', '亿元', …bigrams]
 */
export class JiebaTokenizer implements UserWordTokenizer {
  /** `jieba-<nodejieba version>:v<analyzer version>:search-hmm[+bigrams][+words:<fingerprint>]`. */
  readonly id: string;
  readonly #bigrams: boolean;
  readonly #analyze: AnalyzeOptions;
  readonly #segmenter: HanSegmenter;

  constructor(opts: Partial<JiebaTokenizerOptions> = {}) {
    const { bigrams, words } = { ...DEFAULT_JIEBA_TOKENIZER_OPTIONS, ...opts };
    const userWords = new UserWords(words);
    this.id =
      `jieba-${nodejiebaVersion()}:v${ANALYZER_VERSION}:search-hmm${bigrams ? '+bigrams' : ''}` +
      (userWords.size > 0 ? `+words:${userWords.fingerprint}` : '');
    this.#bigrams = bigrams;
    this.#analyze = { bigrams, stopWords: loadStopWords() };
    this.#segmenter = jiebaSegmenter(userWords);
  }

  /** A tokenizer with the same options that keeps `words` (and no others) whole. */
  withWords(words: readonly string[]): JiebaTokenizer {
    return new JiebaTokenizer({ bigrams: this.#bigrams, words });
  }

  tokenize(text: string): string[] {
    return analyzeText(text, this.#segmenter, this.#analyze);
  }
}

function jiebaSegmenter(userWords: UserWords): HanSegmenter {
  if (userWords.size === 0) {
    return { words: (run) => nodejieba.cutForSearch(run, true), pieces: (run) => nodejieba.cut(run, true) };
  }
  // Most runs hold no user word: the trie scan is cheaper than jieba's second cut.
  return {
    words: (run) => {
      const words = nodejieba.cutForSearch(run, true);
      if (!userWords.occursIn(run)) return words;
      // Search mode as if jieba knew the user words (as it did when they were inserted into its
      // dictionary): a merged name replaces its single characters and the pieces HMM guessed
      // (南湖云创小镇: 云创 goes, 南湖 and 小镇 stay) unless they are names too (罗星 in 罗星街道);
      // names inside long words are added (沈荡 in 沈荡镇).
      const jieba = new Set(words);
      const replaced = new Map<string, number>();
      const pieces = nodejieba.cut(run, true);
      for (const { start, end } of userWords.spans(pieces)) {
        const name = pieces.slice(start, end).join('');
        if (!jieba.has(name)) words.push(name);
        for (let k = start; k < end; k++) {
          const piece = pieces[k] ?? '';
          if (!userWords.has(piece) && !isDictionaryWord(piece)) replaced.set(piece, (replaced.get(piece) ?? 0) + 1);
        }
      }
      for (const piece of userWords.merge(pieces)) {
        for (const sub of userWords.subWords(piece)) if (!jieba.has(sub)) words.push(sub);
      }
      if (replaced.size === 0) return words;
      return words.filter((w) => {
        const left = replaced.get(w) ?? 0;
        if (left > 0) replaced.set(w, left - 1);
        return left === 0;
      });
    },
    pieces: (run) => {
      const pieces = nodejieba.cut(run, true);
      return userWords.occursIn(run) ? userWords.merge(pieces) : pieces;
    },
  };
}

/** Whether jieba's dictionary has `piece` as one word: without HMM it cuts other text into dictionary words and characters. */
function isDictionaryWord(piece: string): boolean {
  return piece.length > 1 && nodejieba.cut(piece, false).length === 1;
}

/** Part of the id: another nodejieba release may ship another dictionary. */
function nodejiebaVersion(): string {
  const pkg: unknown = createRequire(import.meta.url)('nodejieba/package.json');
  const version: unknown = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'version') : undefined;
  return typeof version === 'string' ? version : 'unknown';
}
