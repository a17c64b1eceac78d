/**
 * One answer from the answers to the parts of a compound question (see
 * src/understand/decompose.ts): each part on its own line, labelled with the
 * subject or year it is about, the citations numbered once across all parts
 * (a paragraph cited by two parts keeps one number). A part the reports do not
 * answer says so on its line, so a comparison is never silently one-sided.
 */
import type { Answer, Citation } from '../types.js';
import { PART_NOT_FOUND_TEXT } from './messages.js';

export interface PartAnswer {
  readonly label?: string;
  readonly answer: Answer;
}

/**
 * @example mergeAnswers([{ label: '苏州', answer: a }, { label: '郑州', answer: b }])
 * // { text: '苏州：…1304.77万人[1]。\n郑州：…1313.8万人[2]。', found: true, citations: [c1, c2], … }
 */
export function mergeAnswers(parts: readonly PartAnswer[]): Answer {
  const first = parts[0];
  if (first === undefined) throw new Error('mergeAnswers needs at least one part');
  if (!parts.some((p) => p.answer.found)) return first.answer;
  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  const said = new Set<string>();
  const lines = parts.map(({ label, answer }) => {
    const labelled = label === undefined ? '' : `${label}：`;
    if (!answer.found) return `${labelled}${PART_NOT_FOUND_TEXT}`;
    // A part that names its own subject and year first (苏州市（2025年）：…) needs no label before it.
    const ownPrefix = /^[^：\n\[]{1,30}：/.exec(answer.text)?.[0];
    const prefix = ownPrefix !== undefined && label !== undefined && ownPrefix.includes(label.replace(/[：:]$/, '')) ? '' : labelled;
    const renumbered = new Map<number, number>();
    for (const c of answer.citations) {
      const key = `${c.source}\u0000${c.paragraph}`;
      let n = numberOf.get(key);
      if (n === undefined) {
        n = citations.length + 1;
        numberOf.set(key, n);
        citations.push({ ...c, n });
      }
      renumbered.set(c.n, n);
    }
    const text = answer.text.replace(/\[(\d+)\]/g, (marker, n: string) => {
      const to = renumbered.get(Number(n));
      return to === undefined ? marker : `[${to}]`;
    });
    // Two parts answered by the same sentence (GDP多少？增速多少？) quote it once.
    const fresh = text.split(/(?<=\]。)/).filter((s) => !said.has(s));
    for (const s of fresh) said.add(s);
    return fresh.length === 0 ? undefined : prefix + fresh.join('');
  });
  return { text: lines.filter((l) => l !== undefined).join('\n'), found: true, citations, answerer: first.answer.answerer };
}
