/**
 * Markdown reduced to plain lines: `#` headings keep their depth, and syntax
 * that is not text (emphasis marks, link targets, list bullets, quote marks,
 * rules, code fences, table pipes) is removed. Consecutive lines are not
 * merged by Markdown's soft-wrap rule: the cleaner's punctuation rule joins
 * broken lines for every format alike.
 */

import type { SourceLine } from './source-lines.js';

const HEADING = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^([-*_])(?:\s*\1){2,}$/;
const FENCE = /^(?:```|~~~)/;
const TABLE_ROW = /^\|.*\|$/;

/** `| 指标 | 数值 |` → `指标 数值` (a `|---|---|` rule becomes dashes, dropped later as a table rule). */
function tableCells(row: string): string {
  return row
    .slice(1, -1)
    .split('|')
    .map((c) => c.trim())
    .filter((c) => c !== '')
    .join(' ');
}

/** Markdown inline syntax removed, text kept: `[文字](url)` → `文字`, `**粗体**` → `粗体`. */
function stripInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/\*\*|__|`/g, '')
    .trim();
}

/** Lines of a normalised Markdown document (see module doc; normalizeText first, for clean line ends). */
export function markdownLines(text: string): SourceLine[] {
  const out: SourceLine[] = [];
  let inFence = false;
  for (const raw of text.split('\n')) {
    if (FENCE.test(raw)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push({ text: raw });
      continue;
    }
    const heading = HEADING.exec(raw);
    if (heading) {
      const title = stripInline(heading[2] ?? '');
      if (title !== '') out.push({ text: title, headingDepth: (heading[1] ?? '#').length });
      continue;
    }
    if (RULE.test(raw)) continue;
    const body = raw.replace(/^(?:>\s?)+/, '').replace(/^[-*+]\s+/, '');
    out.push({ text: stripInline(TABLE_ROW.test(body) ? tableCells(body) : body) });
  }
  return out;
}
