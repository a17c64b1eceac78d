/**
 * Sentence spans for Chinese (and mixed) text, shared by the chunker and the
 * answer stage so both cut text at the same places.
 */

/** One sentence: `text === source.slice(start, end)`. */
export interface SentenceSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Characters that end a sentence on their own. */
const TERMINATORS = new Set(['。', '！', '？', '；', '!', '?', ';']);
/** Closing quotes and brackets that belong to the sentence they follow (`。”`). */
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '】', '》', '"', "'"]);

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r';
}

function isLatinLetter(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z]/.test(ch);
}

/**
 * Where the sentence-ending punctuation starting at `i` ends, or -1 when the
 * character at `i` does not end a sentence. An ellipsis (`……`, two or more `…`)
 * ends a sentence; so does a Latin full stop after a letter and before a space
 * (never a decimal point such as `9.63`).
 */
function terminatorEnd(text: string, i: number): number {
  const ch = text[i];
  if (ch === undefined) return -1;
  let j: number;
  if (TERMINATORS.has(ch)) {
    j = i + 1;
  } else if (ch === '…' && text[i + 1] === '…') {
    j = i + 2;
  } else if (ch === '.' && isLatinLetter(text[i - 1]) && (i + 1 >= text.length || isSpace(text[i + 1] ?? ''))) {
    j = i + 1;
  } else {
    return -1;
  }
  // Absorb repeated terminators (`！？`, `……`) and closing quotes/brackets.
  while (j < text.length) {
    const next = text[j] ?? '';
    if (TERMINATORS.has(next) || next === '…' || CLOSERS.has(next)) j++;
    else break;
  }
  return j;
}

/**
 * Splits `text` into sentences ending at 。！？；!?; or an ellipsis, keeping
 * closing quotes with their sentence. Spans carry no leading or trailing
 * whitespace; together they cover every non-whitespace character, in order.
 * A trailing fragment without an ending mark is a sentence too.
 *
 * @example splitSentences('增长2.7%。总收入9.63亿元！') // two spans
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const push = (start: number, end: number): void => {
    let s = start;
    let e = end;
    while (s < e && isSpace(text[s] ?? '')) s++;
    while (e > s && isSpace(text[e - 1] ?? '')) e--;
    if (e > s) spans.push({ start: s, end: e, text: text.slice(s, e) });
  };
  // Jump between candidate characters with a native regex scan; most text has none.
  const candidate = /[。！？；!?;.…]/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = candidate.exec(text)) !== null) {
    const end = terminatorEnd(text, m.index);
    if (end < 0) continue;
    push(start, end);
    start = end;
    candidate.lastIndex = end;
  }
  push(start, text.length);
  return spans;
}
