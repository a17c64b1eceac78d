/**
 * Retrieved chunks regrouped by paragraph. A citation points at a paragraph,
 * so chunks of the same paragraph are merged into one passage (by their
 * offsets) before sentences are picked or passages are numbered for an LLM.
 */
import type { Passage, RetrievedChunk } from '../types.js';

/** Separator between two retrieved pieces of a paragraph that do not touch. */
export const GAP = ' … ';

/**
 * Merges chunks of the same paragraph; passages come in order of their best rank.
 *
 * @example toPassages(retrieved).map((p) => `${p.report.source}#${p.paragraph}`)
 */
export function toPassages(retrieved: readonly RetrievedChunk[]): Passage[] {
  const byParagraph = new Map<string, RetrievedChunk[]>();
  for (const r of retrieved) {
    const key = `${r.chunk.source}\u0000${r.chunk.paragraph}`;
    const list = byParagraph.get(key);
    if (list) list.push(r);
    else byParagraph.set(key, [r]);
  }
  const passages: Passage[] = [];
  for (const chunks of byParagraph.values()) {
    const ordered = [...chunks].sort((a, b) => a.chunk.start - b.chunk.start);
    const first = ordered[0];
    if (first === undefined) continue;
    let text = '';
    let end = first.chunk.start;
    for (const { chunk } of ordered) {
      if (chunk.end <= end && text !== '') continue; // wholly inside what we have
      if (text === '' || chunk.start > end) text += (text === '' ? '' : GAP) + chunk.text;
      else text += chunk.text.slice(end - chunk.start);
      end = Math.max(end, chunk.end);
    }
    passages.push({
      report: first.report,
      paragraph: first.chunk.paragraph,
      section: first.chunk.section,
      text,
      startsMidParagraph: first.chunk.start > 0,
      rank: Math.min(...chunks.map((c) => c.rank)),
    });
  }
  return passages.sort((a, b) => a.rank - b.rank);
}
