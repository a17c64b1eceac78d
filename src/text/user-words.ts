import { createHash } from 'node:crypto';
import { foldWidth } from './fold-width.js';

/**
 * The user words of one index (place, organisation and project names found in its reports,
 * see `extractUserWords`) as a character trie, and the merge that keeps them whole: after
 * the segmenter has cut a run, consecutive segments that together spell a user word are
 * joined into one token (罗星 + 街道 → 罗星街道). Nothing outside the instance changes, so
 * indexes with different words tokenise independently in one process.
 *
 * The merge only joins segments, never cuts one: a word whose ends fall inside a segment
 * (the segmenter glued it to a neighbour) is not found there. The extraction takes names
 * from the segmenter's own cuts, so their ends are usually segment ends.
 *
 * A text's tokens depend only on the user words that occur in it (`occursIn`): a change
 * of the word list changes the tokens of no other text.
 */
export class UserWords {
  /** Distinct normalised words, sorted. */
  readonly words: readonly string[];
  /** `<count>-<first 12 hex digits of the words' sha256>`, or '' without words: part of the tokenizer id. */
  readonly fingerprint: string;
  /** Trie nodes: node 0 is the root; `#next[n]` maps a character to the node after it. */
  readonly #next: Map<string, number>[] = [new Map()];
  readonly #isWord: boolean[] = [false];

  constructor(words: Iterable<string>) {
    const distinct = new Set<string>();
    for (const word of words) {
      const normalized = normalizeWord(word);
      if (normalized !== undefined) distinct.add(normalized);
    }
    this.words = [...distinct].sort();
    for (const word of this.words) this.#insert(word);
    this.fingerprint =
      this.words.length === 0
        ? ''
        : `${this.words.length}-${createHash('sha256').update(this.words.join('\n')).digest('hex').slice(0, 12)}`;
  }

  get size(): number {
    return this.words.length;
  }

  /**
   * The segments with every longest run of consecutive segments that spells a user word
   * joined into one, left to right: still a partition of the same text.
   *
   * @example new UserWords(['罗星街道']).merge(['在', '罗星', '街道', '工作']) // ['在', '罗星街道', '工作']
   */
  merge(segments: readonly string[]): string[] {
    const out: string[] = [];
    let i = 0;
    for (const span of this.spans(segments)) {
      out.push(...segments.slice(i, span.start), segments.slice(span.start, span.end).join(''));
      i = span.end;
    }
    out.push(...segments.slice(i));
    return out;
  }

  /** The runs of segments `merge` joins: [start, end) indexes, in order, not overlapping. */
  spans(segments: readonly string[]): { start: number; end: number }[] {
    const spans: { start: number; end: number }[] = [];
    for (let i = 0; i < segments.length; ) {
      const last = this.#wordEnds(segments, i).at(-1);
      if (last === undefined) {
        i++;
      } else {
        spans.push({ start: i, end: last + 1 });
        i = last + 1;
      }
    }
    return spans;
  }

  /**
   * The user words of two or three characters inside a longer token (沈荡 in 沈荡镇): what
   * jieba's search mode gives for the dictionary words inside a long word, for the user words.
   */
  subWords(token: string): string[] {
    const chars = [...token];
    const out: string[] = [];
    if (chars.length <= 2) return out;
    for (let i = 0; i + 1 < chars.length; i++) {
      const second = this.#next[this.#next[0]?.get(chars[i] ?? '') ?? -1]?.get(chars[i + 1] ?? '');
      if (second === undefined) continue;
      if (this.#isWord[second] === true) out.push(chars[i]! + chars[i + 1]!);
      const third = chars.length > 3 ? this.#next[second]?.get(chars[i + 2] ?? '') : undefined;
      if (third !== undefined && this.#isWord[third] === true) out.push(chars[i]! + chars[i + 1]! + chars[i + 2]!);
    }
    return out;
  }

  /** Whether `token` (normalised) is one of the words. */
  has(token: string): boolean {
    let node: number | undefined = 0;
    for (const ch of token) {
      node = this.#next[node]?.get(ch);
      if (node === undefined) return false;
    }
    return this.#isWord[node] === true;
  }

  /** Whether a user word occurs anywhere in `text` (normalised like the words). */
  occursIn(text: string): boolean {
    if (this.words.length === 0) return false;
    const chars = [...foldWidth(text).toLowerCase()];
    for (let start = 0; start < chars.length; start++) {
      let node = 0;
      for (let k = start; k < chars.length; k++) {
        const next = this.#next[node]?.get(chars[k] ?? '');
        if (next === undefined) break;
        node = next;
        if (this.#isWord[node] === true) return true;
      }
    }
    return false;
  }

  /** Indexes j > i such that segments i..j spell a user word, ascending. */
  #wordEnds(segments: readonly string[], i: number): number[] {
    const ends: number[] = [];
    let node = 0;
    for (let j = i; j < segments.length; j++) {
      for (const ch of segments[j] ?? '') {
        const next = this.#next[node]?.get(ch);
        if (next === undefined) return ends;
        node = next;
      }
      if (j > i && this.#isWord[node] === true) ends.push(j);
    }
    return ends;
  }

  #insert(word: string): void {
    let node = 0;
    for (const ch of word) {
      const children = this.#next[node] ?? new Map<string, number>();
      let next = children.get(ch);
      if (next === undefined) {
        next = this.#next.length;
        children.set(ch, next);
        this.#next.push(new Map());
        this.#isWord.push(false);
      }
      node = next;
    }
    this.#isWord[node] = true;
  }
}

/** A word as the tokenizer sees text (width folded, lower case), or undefined if it is empty or holds a space. */
function normalizeWord(word: string): string | undefined {
  const normalized = foldWidth(word).trim().toLowerCase();
  return normalized === '' || /\s/.test(normalized) ? undefined : normalized;
}
