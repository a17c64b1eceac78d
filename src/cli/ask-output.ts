import { understoodLine } from '../answer/messages.js';
import type { AskResult } from '../types.js';

/** The `ask --json` object of the product contract (README, "Command line"). */
export interface AskJson {
  question: string;
  answer: string;
  found: boolean;
  citations: { n: number; source: string; title: string; paragraph: number; text: string }[];
  retrieved: { rank: number; source: string; paragraph: number; score: number; text: string }[];
  /** The question as understood, when it was rewritten (folded, corrected, completed from the conversation). */
  understood?: string;
  /** True when the question was completed from an earlier turn. */
  followUp?: boolean;
}

export function toAskJson(result: AskResult): AskJson {
  return {
    question: result.question,
    ...(result.understood !== undefined && { understood: result.understood }),
    ...(result.followUp === true && { followUp: true }),
    answer: result.answer.text,
    found: result.answer.found,
    citations: result.answer.citations.map((c) => ({
      n: c.n,
      source: c.source,
      title: c.title,
      paragraph: c.paragraph,
      text: c.text,
    })),
    retrieved: result.retrieved.map((r) => ({
      rank: r.rank,
      source: r.chunk.source,
      paragraph: r.chunk.paragraph,
      score: Number(r.score.toFixed(6)),
      text: r.chunk.text,
    })),
  };
}

/** Plain-text rendering for the terminal (`ask`, `chat`). */
export function formatAnswerText(result: AskResult): string {
  const lines = [...(result.understood === undefined ? [] : [understoodLine(result.understood)]), result.answer.text, ''];
  for (const c of result.answer.citations) {
    lines.push(`[${c.n}] 《${c.title}》 第${c.paragraph}段 (${c.source})`);
    lines.push(...c.text.split('\n').map((l) => `    ${l}`));
    lines.push('');
  }
  return lines.join('\n');
}

