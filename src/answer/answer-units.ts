/**
 * The pieces of a passage an extractive answer can quote: its sentences, and
 * for sentences too long to read as an answer (report sentences often list a
 * dozen figures separated by commas) windows of consecutive comma clauses.
 */
import { splitSentences } from '../text/sentences.js';
import type { AnswerUnit } from '../types.js';
import { tableRowUnits } from './table-rows.js';

/** Sentences longer than this are also offered as clause windows of at most this length. */
export const MAX_UNIT_CHARS = 90;

/** Clause ends: Chinese and ASCII commas and colons (not the comma of `1,234` or the colon of `8:30`). */
const CLAUSE_END = /[，：]|[,:](?!\d)/g;

/** A chart or table caption (图2 2021-2025年常住人口城镇化率（%）): it names data it does not hold. */
const CAPTION = /^\s*附?[图表]\s*\d+(?:[-－.]\d+)?\s*\S/;

/**
 * The rows of a flattened table (see `tableRowUnits`); else every sentence of `text` as a unit (captions aside), plus, for sentences over `maxChars`, one
 * window per clause: the clause and the ones after it while the window stays
 * within `maxChars` (always at least the clause itself).
 */
export function answerUnits(text: string, maxChars: number = MAX_UNIT_CHARS): AnswerUnit[] {
  const rows = tableRowUnits(text);
  if (rows.length > 0) return rows;
  const units: AnswerUnit[] = [];
  for (const s of splitSentences(text)) {
    if (CAPTION.test(s.text)) continue;
    const whole = { start: s.start, end: s.end, text: s.text, sentenceStart: s.start, sentenceEnd: s.end };
    units.push(whole);
    if (s.text.length <= maxChars) continue;
    const clauses = clauseSpans(s.text).map((c) => ({ start: s.start + c.start, end: s.start + c.end }));
    for (let i = 0; i < clauses.length; i++) {
      const first = clauses[i];
      if (first === undefined) continue;
      let end = first.end;
      for (let j = i + 1; j < clauses.length; j++) {
        const next = clauses[j];
        if (next === undefined || next.end - first.start > maxChars) break;
        end = next.end;
      }
      if (first.start === s.start && end === s.end) continue;
      units.push({ start: first.start, end, text: text.slice(first.start, end), sentenceStart: s.start, sentenceEnd: s.end });
    }
  }
  return units;
}

/** Clauses of one sentence, each including its trailing comma. */
function clauseSpans(sentence: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let start = 0;
  for (const m of sentence.matchAll(CLAUSE_END)) {
    const end = m.index + 1;
    if (end - start > 1) spans.push({ start, end });
    start = end;
  }
  if (start < sentence.length) spans.push({ start, end: sentence.length });
  return spans;
}
