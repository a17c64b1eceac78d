import { DATE_UNITS, findFigures, type Figure } from './figures.js';
import { foldWidth } from './fold-width.js';
import type { StopWords } from './stop-words.js';

/**
 * Version of the analysis below (normalisation, figure tokens, stop words, bigrams).
 * Tokenizer ids include it: bump it whenever a change would alter the tokens of a text,
 * so that indexes built with the old tokens are refused instead of silently mismatched.
 */
export const ANALYZER_VERSION = 2;

/** Splits a run of Han characters into words (jieba, Intl.Segmenter, …). */
export interface HanSegmenter {
  /** The index terms of a run; they may overlap (jieba's search mode adds sub-words). */
  words(run: string): readonly string[];
  /** A partition of the run (concatenated they give it back): used to keep stop words out of bigrams. */
  pieces(run: string): readonly string[];
}

export interface AnalyzeOptions {
  /** Also emit the character bigrams of every Han run, as a fallback for segmentation mistakes. */
  readonly bigrams: boolean;
  /** Words dropped from the output; some also end a stretch of bigrams (see `loadStopWords`). */
  readonly stopWords: StopWords;
}

/** A Han run, or a run of other letters and digits (Latin words and codes such as `u8`, `gdp`). */
const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;
const WRITTEN_NUMBER = /^[0-9,.]+/;

/**
 * The text analysis shared by every tokenizer; only the segmentation of Han runs differs.
 *
 * 1. Full-width forms are folded to half-width and the text is lower-cased.
 * 2. Figures (`findFigures`) become whole tokens: the number as written (`108.1`), its
 *    canonical amount (`#1.081e10元`, so 1.081亿元 and 10810万元 match) and, for money, the
 *    amount without its unit (`#1.081e10`, so a question's `108.1亿` matches `108.1亿元`).
 *    Years and other dates keep only their number (`2022年` → `2022`). The unit words
 *    themselves (`亿元`, `万元`) stay in the text and are segmented like any other word.
 * 3. Han runs are segmented by `segmenter`; other letter/digit runs are kept whole.
 * 4. Stop words are dropped. With `bigrams`, each stretch of a Han run between function
 *    words also yields its character bigrams (罗星街道 → 罗星, 星街, 街道): they match names that
 *    segmentation cuts differently in the question and in the report.
 *
 * Tokens are a bag of words: their order carries no meaning.
 */
export function analyzeText(text: string, segmenter: HanSegmenter, opts: AnalyzeOptions): string[] {
  const normalized = foldWidth(text).toLowerCase();
  const tokens: string[] = [];
  let rest = '';
  let pos = 0;
  for (const figure of findFigures(normalized)) {
    tokens.push(...figureTokens(figure));
    // Blank out the number only: its unit words are left for the segmenter.
    rest += `${normalized.slice(pos, figure.start)} `;
    pos = figure.start + (WRITTEN_NUMBER.exec(figure.raw)?.[0].length ?? 0);
  }
  rest += normalized.slice(pos);
  for (const m of rest.matchAll(RUNS)) {
    const han = m[1];
    const other = m[2];
    if (han !== undefined) {
      for (const word of segmenter.words(han)) if (!opts.stopWords.has(word)) tokens.push(word);
      // A bigram that equals a word is kept too: counting two-character words twice measured
      // slightly better than leaving such bigrams out.
      if (opts.bigrams) tokens.push(...hanBigrams(segmenter.pieces(han), opts.stopWords));
    } else if (other !== undefined && !opts.stopWords.has(other)) {
      tokens.push(other);
    }
  }
  return tokens;
}

function figureTokens(figure: Figure): string[] {
  const tokens = [figure.number];
  const written = WRITTEN_NUMBER.exec(figure.raw)?.[0] ?? '';
  const hasScaleOrUnit = figure.raw.length > written.length;
  if (!hasScaleOrUnit || DATE_UNITS.has(figure.unit)) return tokens;
  tokens.push(figure.canonical);
  if (figure.unit.endsWith('元')) tokens.push(figure.canonical.slice(0, -figure.unit.length));
  return tokens;
}

/**
 * Bigrams inside each stretch of pieces between bigram-breaking stop words (是, 的, 多少):
 * 是多 and 的一 are never emitted, nor a bigram that is a stop word itself.
 */
function hanBigrams(pieces: readonly string[], stopWords: StopWords): string[] {
  const bigrams: string[] = [];
  let previous = '';
  for (const piece of pieces) {
    if (stopWords.breaksBigrams(piece)) {
      previous = '';
      continue;
    }
    for (const ch of piece) {
      const bigram = previous + ch;
      if (previous !== '' && !stopWords.has(bigram)) bigrams.push(bigram);
      previous = ch;
    }
  }
  return bigrams;
}
