/**
 * Lists in reports: a lead-in (重点做好十个方面工作：) followed by numbered
 * paragraphs or headings ((一)…(二)…, 1.…, 一是…). A question asking for a list
 * is answered with the items, not with the lead-in alone, so the paragraphs
 * after the retrieved one are read from the report.
 */
import type { Paragraph } from '../types.js';

/** Looks up a paragraph of an indexed report (1-based), for reading past the retrieved one. */
export type ParagraphLookup = (source: string, paragraph: number) => Paragraph | undefined;

/** Questions that want several things (有哪些, 哪几个方面, 分别, 主要目标, 重点任务…). */
export const LIST_QUESTION = /哪些|哪几|哪[一二三四五六七八九十两]个|有什么|都有|分别|几个方面|主要(?:预期)?目标|主要措施|重点(?:工作|任务)|工作安排|主要任务|举措有|措施有/;

/** A passage that announces a list. */
const LEAD_IN = /(?:以下|如下|[一二三四五六七八九十两几\d]+(?:个|项|大|条|方面)[^。；，]{0,8}?(?:方面|任务|重点|举措|工作|行动|目标)?)[^。；]{0,12}[：:。]?$|[：:]$/;

/** Enumerator styles, so items of one list are told from the sub-items within them. */
const STYLES: readonly (readonly [style: string, pattern: RegExp])[] = [
  ['cjk', /^[一二三四五六七八九十]+、/],
  ['paren', /^[（(][一二三四五六七八九十]+[)）]/],
  ['arabic', /^\d+[.、．]/],
  ['paren-arabic', /^[（(]\d+[)）]/],
  ['ordinal', /^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，,、是])/],
];

/** Most items listed. */
export const MAX_LIST_ITEMS = 10;
/** Paragraphs read past the lead-in while looking for items (items may have body paragraphs between them). */
const SCAN_PARAGRAPHS = 60;

export interface ListItem {
  readonly paragraph: Paragraph;
  /** The item's own words: its heading, or the first sentence of a numbered paragraph. */
  readonly text: string;
}

/** True when `text` ends by announcing a list (重点抓好五个方面：). */
export function isLeadIn(text: string): boolean {
  return LEAD_IN.test(text.trim());
}

function styleOf(text: string): string | undefined {
  return STYLES.find(([, re]) => re.test(text))?.[0];
}

/** True when `a` is an enumerator style of an outer level than `b` (一、 outside （一）). */
function outerThan(a: string, b: string): boolean {
  return STYLES.findIndex(([x]) => x === a) < STYLES.findIndex(([x]) => x === b);
}

/**
 * The whole list a numbered paragraph belongs to: back to the list's first
 * item (same enumerator style, same section, no outer item between), then
 * the items from there, and the paragraph before the first item as the list's
 * lead-in. Undefined when the paragraph is not numbered.
 */
export function enclosingList(source: string, paragraph: number, lookup: ParagraphLookup): { lead?: Paragraph; items: ListItem[] } | undefined {
  const item = lookup(source, paragraph);
  const style = item === undefined ? undefined : styleOf(item.text);
  if (item === undefined || style === undefined) return undefined;
  let first = paragraph;
  for (let n = paragraph - 1; n >= Math.max(1, paragraph - SCAN_PARAGRAPHS); n--) {
    const p = lookup(source, n);
    if (p === undefined || p.section.length < item.section.length) break;
    const s = styleOf(p.text);
    if (s === style) first = n;
    else if (s !== undefined && outerThan(s, style)) break;
  }
  const lead = lookup(source, first - 1);
  const items = followingItems(source, first - 1, item.section.length, lookup);
  return { ...(lead !== undefined && styleOf(lead.text) === undefined && { lead }), items };
}

/**
 * The items after paragraph `after` of `source`: paragraphs that start with
 * the same enumerator style as the first numbered one found within the next
 * three paragraphs, until a paragraph of an outer style, one outside the
 * lead-in's section (fewer than `depth` headings above it), or the list's end.
 */
export function followingItems(source: string, after: number, depth: number, lookup: ParagraphLookup): ListItem[] {
  let style: string | undefined;
  const items: ListItem[] = [];
  for (let n = after + 1; n <= after + SCAN_PARAGRAPHS && items.length < MAX_LIST_ITEMS; n++) {
    const p = lookup(source, n);
    if (p === undefined || p.section.length < depth) break;
    const s = styleOf(p.text);
    if (style === undefined) {
      if (s === undefined) {
        if (n > after + 3) break;
        continue;
      }
      style = s;
    }
    if (s === style) items.push({ paragraph: p, text: itemText(p.text) });
    else if (s !== undefined && outerThan(s, style)) break; // an outer level starts
  }
  return items;
}

/** A numbered paragraph's own words: up to its first full stop, at most 40 characters. */
function itemText(text: string): string {
  const first = text.split(/[。；;]/)[0] ?? text;
  return first.length <= 40 ? first : `${first.slice(0, 40)}…`;
}
