/**
 * The offline embedder's terms. Chinese has no spaces, so a text yields
 * overlapping terms: every Han character, every dictionary word starting at
 * any position (two characters or more), and optionally the non-word pairs of
 * adjacent characters; figures (108.1, 2022, 1,043) and Latin words (gdp,
 * pm2.5) stay whole. Each term is identified by its hash and weighted by its
 * kind's factor × its IDF. The terms depend only on the text and the
 * dictionary, never on other texts.
 */
import type { IdfDictionary } from './idf-dictionary.js';
import type { TermBag } from './term-bag.js';
import { SEED1, SEED2, hashRange, lane1, lane2, mix32 } from './term-hash.js';

/** How much each kind of term counts on top of its IDF. */
export interface FeatureWeights {
  /** A single Han character (× its estimated IDF). */
  readonly char: number;
  /** Two adjacent Han characters that are no dictionary word (× their mean character IDF); 0 drops them. */
  readonly bigram: number;
  /** A dictionary word (× its IDF). */
  readonly word: number;
  /** A figure such as 108.1 or 1043 (× the median IDF). */
  readonly figure: number;
  /** A year (1900–2099) or a one- or two-digit number, common in every report (× the median IDF). */
  readonly commonNumber: number;
  /** A Latin word such as gdp or pm2.5 (× the median IDF). */
  readonly latin: number;
  /** Length-normalisation pivot for documents, in term-weight units (see hash-terms.ts); 0 for plain cosine. */
  readonly documentPadding: number;
}

/** Adds the terms of `text` to `bag`. */
export function extractTerms(text: string, dict: IdfDictionary, weights: FeatureWeights, bag: TermBag): void {
  const s = text.normalize('NFKC').toLowerCase();
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    let end = i + 1;
    if (isHan(c)) {
      while (end < n && isHan(s.charCodeAt(end))) end++;
      addHanRun(s, i, end, dict, weights, bag);
    } else if (isDigit(c)) {
      end = scanNumber(s, i);
      const [h1] = hashRange(s, i, end, isComma);
      const common = isCommonNumber(s, i, end);
      bag.add(mix32(h1), (common ? weights.commonNumber : weights.figure) * dict.medianIdf);
    } else if (isLatin(c)) {
      while (end < n && isLatin(s.charCodeAt(end))) end++;
      if (isDigit(s.charCodeAt(end))) end = scanNumber(s, end);
      bag.add(mix32(hashRange(s, i, end)[0]), weights.latin * dict.medianIdf);
    }
    i = end;
  }
}

/** Terms of the Han run `s[start, end)`: characters, dictionary words, optional pairs. */
function addHanRun(s: string, start: number, end: number, dict: IdfDictionary, w: FeatureWeights, bag: TermBag): void {
  const charIdf = dict.charIdf;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    let h1 = lane1(SEED1, c);
    let h2 = lane2(SEED2, c);
    bag.add(mix32(h1), w.char * (charIdf[c] ?? 0));
    for (let j = k + 1; j < end; j++) {
      const next = s.charCodeAt(j);
      h1 = lane1(h1, next);
      h2 = lane2(h2, next);
      const slot = dict.find(h1, h2);
      const idf = slot < 0 ? 0 : dict.idfAt(slot);
      if (idf > 0) bag.add(mix32(h1), w.word * idf);
      else if (j === k + 1 && w.bigram > 0) bag.add(mix32(h1), (w.bigram * ((charIdf[c] ?? 0) + (charIdf[next] ?? 0))) / 2);
      if (slot < 0 || !dict.hasLongerAt(slot)) break;
    }
  }
}

/**
 * Digits with `.`-separated decimals and `,`-separated thousands: 108.1,
 * 1,043, 2022. A comma counts only before exactly three digits, because NFKC
 * turns the Chinese list comma "，" into "," too ("2022，2023" stays two numbers).
 */
function scanNumber(s: string, start: number): number {
  let end = digitsFrom(s, start);
  for (;;) {
    const next = digitsFrom(s, end + 1);
    if (s[end] === '.' && next > end + 1) end = next;
    else if (s[end] === ',' && next === end + 4) end = next;
    else return end;
  }
}

function digitsFrom(s: string, start: number): number {
  let end = start;
  while (end < s.length && isDigit(s.charCodeAt(end))) end++;
  return end;
}

/** Years and list numbers appear everywhere; real figures (108.1, 3454.15) single a passage out. */
function isCommonNumber(s: string, start: number, end: number): boolean {
  const len = end - start;
  if (len <= 2) return true;
  return len === 4 && (s.startsWith('19', start) || s.startsWith('20', start)) && isDigit(s.charCodeAt(start + 3));
}

/** CJK Unified Ideographs, Extension A and the compatibility block (the BMP Han ranges). */
function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLatin(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

function isComma(c: number): boolean {
  return c === 0x2c;
}
