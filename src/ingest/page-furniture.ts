/**
 * Web-page and archive furniture that is not report text: the 索引号/发布单位/
 * 文号 rows government sites put above a document, `来源：…`/`发布时间：…` lines
 * at its top, and lines made only of table rules. They are removed from the
 * text; the publisher and date they carry are kept as metadata.
 */

export interface FurnitureResult<T> {
  readonly lines: T[];
  /** A `标题：` value, when the page states one. */
  readonly title?: string;
  readonly publisher?: string;
  readonly date?: string;
}

const KEYS = [
  '索引号', '发布单位', '发布机构', '发布日期', '发布时间', '成文日期', '发文日期', '文号', '发文字号', '发文机关',
  '主题词', '主题分类', '公开分类', '分类', '信息来源', '文章来源', '来源', '时间', '日期', '点击量', '点击数',
  '阅读人数', '阅读量', '浏览次数', '访问量', '选择区域', '字号', '字体', '责任编辑', '编辑', '公开方式', '有效性',
  '当前位置', '您的位置', '标题',
];
const KEY_SET = new Set(KEYS);
const PUBLISHER_KEYS = ['发布单位', '发布机构', '发文机关', '信息来源', '文章来源', '来源'];
const DATE_KEYS = ['发布日期', '成文日期', '发文日期', '发布时间', '时间', '日期'];

/** `来源：北京日报`, `【字体：`, `来  源 : 南方日报` — a key from {@link KEYS} then a colon. */
const KEY_VALUE = /^【?\s*([^\s：:]{1,3}(?:\s*[^\s：:]){0,5})\s*[：:]\s*(.*?)】?$/;
/** Lines that are only table rules or separators (`|`, `|---|---|`, `***`). */
const RULE_ONLY = /^[|\-–—:：=_*#+\s]+$/;
/** Page-tool words that stand alone on a line above the text. */
const HEAD_WORDS = new Set(['正文', '全文', '打印', '关闭', '关闭窗口', '网站首页', '首页', '分享', '分享到', '收藏', '返回', '打印本页', '大 中 小', '【大】', '【中】', '【小】', '【打印】', '【关闭】']);
/** A breadcrumb trail (`政府信息公开 > 政府公报 > 2019年 >`). */
const BREADCRUMB = /^[^，。；]*>[^，。；]*>[^，。；]*$/;
/** The furniture zone ends at the first line this long with clause punctuation: the text has begun. */
const BODY_LINE_CHARS = 40;
/** Longer lines are never furniture. */
const MAX_FURNITURE_CHARS = 200;

const squeeze = (s: string): string => s.replace(/\s+/g, '');

/**
 * Removes furniture lines and collects `publisher` (发布单位, 发布机构, 来源…),
 * `date` (发布日期, 发布时间…, formatted `YYYY-MM-DD` when it is a full date) and
 * `title` (标题). Page-tool words and breadcrumbs above the text are dropped too.
 * Only lines above the text are candidates (the zone ends at the first long line
 * with clause punctuation), so a `来源：` sentence in the body survives. Lines made
 * only of table rules are dropped anywhere.
 */
export function stripFurniture<T extends { readonly text: string }>(lines: readonly T[]): FurnitureResult<T> {
  const found = new Map<string, string>();
  const kept: T[] = [];
  let inHead = true;
  for (const item of lines) {
    const line = item.text;
    if (line.length >= BODY_LINE_CHARS && /[，。；,;]/.test(line)) inHead = false;
    if (RULE_ONLY.test(line)) continue;
    if (!inHead || line.length > MAX_FURNITURE_CHARS) {
      kept.push(item);
      continue;
    }
    if (line.includes('|')) {
      const cells = line.split('|').map((c) => c.trim());
      if (cells.some((c) => KEY_SET.has(squeeze(c)))) {
        collectRow(cells, found);
        continue;
      }
    } else {
      if (HEAD_WORDS.has(line) || BREADCRUMB.test(line)) continue;
      const fields = keyFields(line);
      if (fields.length > 1) {
        for (const [key, value] of fields) if (value !== '' && !found.has(key)) found.set(key, value);
        continue;
      }
      const m = KEY_VALUE.exec(line);
      const key = m ? squeeze(m[1] ?? '') : '';
      if (KEY_SET.has(key)) {
        const value = (m?.[2] ?? '').trim();
        if (value !== '' && !found.has(key)) found.set(key, value);
        continue;
      }
    }
    kept.push(item);
  }
  const publisher = PUBLISHER_KEYS.map((k) => found.get(k)).find((v) => v !== undefined);
  const rawDate = DATE_KEYS.map((k) => found.get(k)).find((v) => v !== undefined);
  const title = found.get('标题');
  return {
    lines: kept,
    ...(title !== undefined && { title }),
    ...(publisher !== undefined && { publisher }),
    ...(rawDate !== undefined && { date: formatDate(rawDate) }),
  };
}

/**
 * Where a line of several fields splits: spaces before a short key and a
 * colon, or a known key right after a digit (the normaliser removes the space
 * in `2025-01-22 来源：`).
 */
const FIELD_START = new RegExp(`\\s+(?=[^\\s：:]{1,6}\\s*[：:])|(?<=\\d)(?=(?:${KEYS.join('|')})\\s*[：:])`);

/**
 * `发布时间：2025-01-22 来源：市发改委 字号：大 中 小` (a web page's info line): its
 * key/value pairs when the line is two or more fields that all have a key
 * from {@link KEYS}; otherwise none (the line is read as one field or as text).
 */
function keyFields(line: string): [string, string][] {
  const parts = line.split(FIELD_START);
  if (parts.length < 2) return [];
  const fields: [string, string][] = [];
  for (const part of parts) {
    const m = KEY_VALUE.exec(part);
    const key = m ? squeeze(m[1] ?? '') : '';
    if (!KEY_SET.has(key)) return [];
    fields.push([key, (m?.[2] ?? '').trim()]);
  }
  return fields;
}

/** `发布单位 | 新嘉街道 | 发布日期 | 2025-01-22 |`: each key cell followed by a non-key cell is a pair. */
function collectRow(cells: readonly string[], found: Map<string, string>): void {
  for (let i = 0; i < cells.length - 1; i++) {
    const key = squeeze(cells[i] ?? '');
    const value = (cells[i + 1] ?? '').trim();
    if (KEY_SET.has(key) && value !== '' && !KEY_SET.has(squeeze(value)) && !found.has(key)) found.set(key, value);
  }
}

/** `2026-06-22 16:28` / `2025年1月22日` → `YYYY-MM-DD`; `2025年1月` → `YYYY-MM`; anything else as written. */
function formatDate(value: string): string {
  const pad = (s: string): string => s.padStart(2, '0');
  const full = /(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/.exec(value);
  if (full) return `${full[1]}-${pad(full[2] ?? '')}-${pad(full[3] ?? '')}`;
  const month = /(\d{4})\s*[-年/.]\s*(\d{1,2})/.exec(value);
  if (month) return `${month[1]}-${pad(month[2] ?? '')}`;
  return value;
}
