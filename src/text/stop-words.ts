import { readFileSync } from 'node:fs';
import nodejieba from 'nodejieba';
import { foldWidth } from './fold-width.js';

/**
 * Words of jieba's stop list that carry meaning in reports and must stay searchable. Its
 * single characters (上, 大, 宁 …) stay stop words: alone they say little, and they still
 * take part in bigrams (see `breaksBigrams`), so 上城区 and 海宁 keep their bigrams.
 */
const KEEP: readonly string[] = ['全体', '全部', '本地', '当地', '开始', '结果', '对比'];

/** Question and filler words that jieba's list lacks; in a question they only add noise. */
const EXTRA: readonly string[] = [
  '是否', '有没有', '有无', '几个', '多大', '多久', '多长', '多高', '什么时候', '名字', '意思',
  '请问', '请', '一下', '介绍', '告诉', '简要', '说说', '具体', '做', '年', '月', '日',
];

/** 几台, 哪栋, 哪家: a question word glued to a measure word by jieba. */
const QUESTION_COMPOUND = /^[几哪]\p{Script=Han}$/u;

/**
 * Single characters that end a stretch of bigrams: particles, prepositions, conjunctions, and
 * the date units a figure leaves behind (2022年地区 must not give 年地).
 */
const BREAKING_CHARACTERS: ReadonlySet<string> = new Set('的了是在和与及或等之其把被将对为以于从由向也都而并且就还又着过这那吗呢吧啊有个让给使年月日');

/** The stop words of the tokenizers. */
export interface StopWords {
  /** True for a word to leave out of the tokens. */
  has(word: string): boolean;
  /**
   * True for a stop word that also ends a stretch of character bigrams: one of two or more
   * characters (多少, 什么) or a function character (的, 是, 年). Other single characters (宁
   * in 海宁, 上 in 上城区) are dropped as words but stay inside bigrams.
   */
  breaksBigrams(word: string): boolean;
}

/**
 * The stop words used by the tokenizers: nodejieba's `stop_words.utf8`
 * (`nodejieba.DEFAULT_STOP_WORD_DICT`, ~1500 function words, punctuation and English words)
 * minus the meaningful words in `KEEP`, plus the question words in `EXTRA` and question
 * compounds (几台, 哪栋). Entries are width-folded and lower-cased like the tokens they are
 * compared with. Numbers never go through this set (figures are handled separately), so the
 * digits in jieba's list do no harm.
 *
 * @param file a stop-word file, one word per line (default: nodejieba's).
 */
export function loadStopWords(file: string = defaultStopWordFile()): StopWords {
  const words = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const word = foldWidth(line.trim()).toLowerCase();
    if (word !== '') words.add(word);
  }
  for (const word of KEEP) words.delete(word);
  for (const word of EXTRA) words.add(word);
  const has = (word: string): boolean => words.has(word) || QUESTION_COMPOUND.test(word);
  return {
    has,
    breaksBigrams: (word) => has(word) && (word.length > 1 || BREAKING_CHARACTERS.has(word)),
  };
}

function defaultStopWordFile(): string {
  // Documented in nodejieba's README but missing from its type declarations.
  const file: unknown = Reflect.get(nodejieba, 'DEFAULT_STOP_WORD_DICT');
  if (typeof file !== 'string') throw new Error('nodejieba.DEFAULT_STOP_WORD_DICT is missing; reinstall nodejieba');
  return file;
}
