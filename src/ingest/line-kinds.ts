/**
 * Pure tests on one cleaned line of a report: heading markers, title-like
 * lines, bylines, captions, table cells and sentence ends. The cleaner
 * (structure-text.ts) combines them with the neighbouring lines.
 */

/**
 * Heading ranks, outermost first. Fixed rather than learned per document so a
 * stray line cannot reorder a report's outline: a heading closes every open
 * heading of the same or a higher rank number.
 */
export const HEADING_RANK = {
  /** An article title on a newspaper page. */
  article: 0,
  // Marked-up headings (Markdown `#`..`######`, HTML `<h1>`..`<h6>`) use ranks 1..6.
  /** An unmarked short title line (`抓项目 育产业 激发经济发展“星动能”`). */
  title: 7,
  chapter: 8, // 第一章 第二部分
  cn: 9, // 一、
  cnParen: 10, // （一） (一)
  num: 11, // 1. 1、 1．
  numParen: 12, // （1） (1) 1）
  circled: 13, // ①
  ordinal: 14, // 一是
} as const;

export interface HeadingMarker {
  readonly rank: number;
  /** Whether `（一）clause。body…` may name its own section (not for 一是, whose clause is body text). */
  readonly inline: boolean;
}

const CN_NUM = '[一二三四五六七八九十百零〇]';
const MARKERS: readonly [RegExp, HeadingMarker][] = [
  [new RegExp(`^第${CN_NUM}+[章节篇部]|^第${CN_NUM}+部分|^第\\d{1,2}[章节篇]`), { rank: HEADING_RANK.chapter, inline: true }],
  [new RegExp(`^${CN_NUM}{1,3}[、．]`), { rank: HEADING_RANK.cn, inline: true }],
  [new RegExp(`^[（(]${CN_NUM}{1,3}[)）]`), { rank: HEADING_RANK.cnParen, inline: true }],
  [/^\d{1,2}(?:[、．]|\.(?!\d))/, { rank: HEADING_RANK.num, inline: true }],
  [/^(?:[（(]\d{1,2}[)）]|\d{1,2}[)）])/, { rank: HEADING_RANK.numParen, inline: true }],
  [/^[①-⑳]/, { rank: HEADING_RANK.circled, inline: true }],
  [new RegExp(`^${CN_NUM}{1,3}是`), { rank: HEADING_RANK.ordinal, inline: false }],
];

/** The heading marker a line starts with (`一、` `（一）` `1.` `（1）` `①` `第一章` `一是`), if any. */
export function headingMarker(line: string): HeadingMarker | undefined {
  for (const [re, marker] of MARKERS) if (re.test(line)) return marker;
  return undefined;
}

/** Longest line that can be a marked heading. */
export const MAX_HEADING_CHARS = 60;
/** Longest line that can be an unmarked title line. */
export const MAX_TITLE_CHARS = 30;

const SENTENCE_END = /[。！？；;!?]/;
const CLAUSE_PUNCT = /[，,。；;！!？?]/;
const HAN = /\p{Script=Han}/u;

/** A marked line short enough, and free of sentence ends, to be a heading. */
export function isHeadingLine(line: string): boolean {
  return line.length <= MAX_HEADING_CHARS && !SENTENCE_END.test(line);
}

/**
 * For `（一）重大项目招引聚焦…三目标。紧抓…`: the leading clause up to the first
 * 。！？ (without it), when it is short and body text follows; else undefined.
 */
export function leadingClause(line: string): string | undefined {
  const head = line.slice(0, MAX_HEADING_CHARS + 1);
  const m = /[。！？]/.exec(head);
  if (!m || m.index === 0) return undefined;
  if (line.slice(m.index + 1).trim() === '') return undefined;
  return line.slice(0, m.index);
}

/**
 * A short unmarked line that reads like a title: Han text, at most 30
 * characters, no clause punctuation (，。；！？), not a lead-in ending with ：,
 * not a `——` subtitle. Spaces, quotes, 、 and ： inside are allowed
 * (`王店：服务百姓“零距离”`).
 */
export function isTitleLike(line: string): boolean {
  if (line.length < 2 || line.length > MAX_TITLE_CHARS) return false;
  if (!HAN.test(line) || CLAUSE_PUNCT.test(line)) return false;
  if (/[：:]$/.test(line) || line.startsWith('—')) return false;
  return true;
}

/** Punctuation that may end a paragraph: sentence ends, closing quotes and brackets, a lead-in colon. */
const PARAGRAPH_END = /[。！？；…：!?;:.)）”’」』】》]$/;

/** True when a line ends where a paragraph may end (it is not broken mid-sentence). */
export function endsParagraph(line: string): boolean {
  return PARAGRAPH_END.test(line);
}

const SURNAMES = new Set(
  (
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤' +
    '常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米杭'
  ).split(''),
);
const COMPOUND_SURNAMES = new Set(['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯']);
const BYLINE_ROLES = new Set(['本报记者', '记者', '通讯员', '本报通讯员', '文', '图', '文/图', '文图']);

function isPersonalName(token: string): boolean {
  if (!/^\p{Script=Han}{2,4}$/u.test(token)) return false;
  return SURNAMES.has(token[0] ?? '') || COMPOUND_SURNAMES.has(token.slice(0, 2));
}

/**
 * A newspaper byline: one to three personal names separated by spaces
 * (`张会`, `钟逸格 徐洁`), optionally with roles such as 记者/通讯员.
 */
export function isByline(line: string): boolean {
  const tokens = line.split(' ').filter((t) => t !== '' && !BYLINE_ROLES.has(t));
  return tokens.length >= 1 && tokens.length <= 3 && tokens.every(isPersonalName);
}

export type CaptionKind = 'photo' | 'figure';

const PHOTO_TAIL = /(?:[（(](?:图片由|图片来源|图片提供|图\s*[/／]|摄影|图为|记者)[^（）()]{0,40}[）)]|(?:记者|摄影)\s*\S{2,4}\s*摄[）)]?)$/;
const FIGURE_HEAD = /^(?:附?[表图]\s*\d{1,3}|[表图][一二三四五六七八九十]{1,3})(?:[\s:：.．、]|$)/;

/**
 * A photo caption (`…（图片由澉浦镇提供）`, `图为…`) or a figure/table caption
 * (`表1 2025年…`, `图2 …`). Captions are kept as text paragraphs but are never
 * headings and never joined to the next line.
 */
export function captionKind(line: string): CaptionKind | undefined {
  if (line.startsWith('图为') || PHOTO_TAIL.test(line.slice(-60))) return 'photo';
  if (line.length <= 80 && FIGURE_HEAD.test(line)) return 'figure';
  return undefined;
}

/** Longest line that can be one cell of a flattened table. */
const MAX_CELL_CHARS = 25;

/** A short line without clause punctuation: a cell when it sits in a run of such lines. */
export function isTableCell(line: string): boolean {
  return line.length <= MAX_CELL_CHARS && !CLAUSE_PUNCT.test(line) && headingMarker(line) === undefined;
}
