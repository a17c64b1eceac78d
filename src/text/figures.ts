import { foldWidth } from './fold-width.js';

/**
 * A number found in text, with its scale word and unit.
 *
 * `canonical` makes equal amounts written differently compare equal:
 * `1.081亿元`, `10810万元` and `108100000元` all give `#1.081e8元`; `28.9%` gives `#2.89e1%`.
 */
export interface Figure {
  /** The text as written, e.g. `186.8 亿元` or `１０８．１亿元`. */
  raw: string;
  /** Offsets in the text given to `findFigures`: `text.slice(start, end) === raw`. */
  start: number;
  end: number;
  /** The amount with its scale word applied: `108.1亿元` → 10810000000. */
  value: number;
  /** The base unit without the scale word (`元`, `%`, `人`, `gw`), or `''`. Latin units are lower-case. */
  unit: string;
  /** `#<mantissa>e<exponent><unit>`, exact (computed on the decimal digits, not on floats). */
  canonical: string;
  /** The number as written, half-width and without thousands separators: `108.1`, `1234.5`. */
  number: string;
}

/** Scale words after a number and their powers of ten; longest first so 万亿 wins over 万. */
const SCALES: readonly (readonly [string, number])[] = [
  ['万亿', 12], ['千亿', 11], ['百亿', 10], ['十亿', 9], ['亿', 8],
  ['千万', 7], ['百万', 6], ['十万', 5], ['万', 4], ['千', 3], ['百', 2],
];

/**
 * Units recognised after a number (or after its scale word). Checked before scale words, so
 * `3千瓦` is 3 kW rather than 3000 瓦 and `1.5百分点` is percentage points.
 */
const CJK_UNITS: readonly string[] = [
  '个百分点', '百分点', '平方公里', '平方千米', '平方米', '立方米', '千瓦时', '千瓦', '千克', '千米',
  '美元', '港元', '欧元', '日元', '元', '%', '‰',
  '公里', '公顷', '公斤', '亩', '吨', '米', '瓦',
  '人次', '人', '户', '家', '个', '项', '所', '座', '条', '套', '台', '辆', '件', '次', '场', '名', '位', '间', '张', '批',
  '年度', '年', '月', '日', '天', '岁',
];
/**
 * Common words that begin with a unit character: `100万项目` is "projects over 1M", not
 * "1M items", so no unit is read there.
 */
const NOT_UNITS: readonly string[] = [
  '项目', '人才', '人口', '人员', '人民', '人均', '人工', '个人', '个体', '家庭', '家居', '条件', '条例',
  '场所', '场景', '名单', '名称', '位于', '所有', '户籍', '年均', '日益', '天然', '米粮',
];
const LATIN_UNIT = /(?:gwh|mwh|kwh|gw|mw|kw|km2|km|kg|mb|gb|tb)(?![a-z])/iy;

// Sticky patterns, matched at a given position (see `skip`).
const SPACES = /[ \t]*/y;
const SPACES_AND_APPROX = /[ \t]*[余多]?/y;
const APPROX = /[余多]?/y;

/** Units of dates and ages: their numbers are kept, but no amount is made of them. */
export const DATE_UNITS: ReadonlySet<string> = new Set(['年度', '年', '月', '日', '天', '岁']);

/**
 * A number not glued to Latin letters or to another number (so `U8`, `G60`, `1.2.3` are not
 * figures), with optional thousands separators and decimals.
 */
const NUMBER = /(?<![A-Za-z0-9.])(\d{1,3}(?:,\d{3}(?!\d))+|\d+)(?:\.(\d+))?/g;

/**
 * Finds the figures in `text`: every number with its scale word (万, 亿, …) and unit when
 * present. Full-width digits and spaces between number and unit (`186.8 亿元`) are accepted;
 * `余`/`多` between them (`140余次`, `3万余人`) are skipped. Offsets refer to `text` itself.
 *
 * @example findFigures('总值108.1亿元')[0] // { raw: '108.1亿元', value: 10810000000, unit: '元', canonical: '#1.081e10元', … }
 */
export function findFigures(text: string): Figure[] {
  const folded = foldWidth(text);
  const figures: Figure[] = [];
  for (const m of folded.matchAll(NUMBER)) {
    const start = m.index;
    const numberEnd = start + m[0].length;
    let end = numberEnd;
    let scale = 0;
    let pos = skip(folded, numberEnd, SPACES_AND_APPROX);
    let unit = matchUnit(folded, pos);
    if (unit === undefined) {
      const scaleWord = SCALES.find(([word]) => folded.startsWith(word, pos));
      if (scaleWord !== undefined) {
        scale = scaleWord[1];
        end = pos + scaleWord[0].length;
        pos = skip(folded, end, APPROX);
        unit = matchUnit(folded, pos);
      }
    }
    if (unit !== undefined) end = pos + unit.written.length;
    else if (scale === 0 && /[A-Za-z]/.test(folded.charAt(numberEnd))) continue; // `5G`: a code, not an amount
    else if (scale === 0 && isEnumerator(folded, start, numberEnd)) continue; // `2.生产总值…`, `（3）`: a list number
    const intPart = (m[1] ?? '').replaceAll(',', '');
    const fracPart = m[2] ?? '';
    const exact = scientific(intPart, fracPart, scale);
    const baseUnit = unit?.unit ?? '';
    figures.push({
      raw: text.slice(start, end),
      start,
      end,
      value: Number(exact),
      unit: baseUnit,
      canonical: `#${exact}${baseUnit}`,
      number: fracPart ? `${intPart}.${fracPart}` : intPart,
    });
  }
  return figures;
}

/** A bare number that numbers a list item: `2.` or `2、` opening a line or after punctuation (`；3.安全生产`), `（3）`. */
function isEnumerator(text: string, start: number, end: number): boolean {
  const before = start === 0 ? '\n' : text.charAt(start - 1);
  const after = text.charAt(end);
  if ((before === '(' || before === '（') && (after === ')' || after === '）')) return true;
  return /[\s\p{P}]/u.test(before) && (after === '、' || (after === '.' && !/\d/.test(text.charAt(end + 1))));
}

function matchUnit(text: string, pos: number): { written: string; unit: string } | undefined {
  const at = skip(text, pos, SPACES);
  const spaced = text.slice(pos, at);
  LATIN_UNIT.lastIndex = at;
  const latin = LATIN_UNIT.exec(text);
  if (latin) return { written: spaced + latin[0], unit: latin[0].toLowerCase() };
  const cjk = CJK_UNITS.find((u) => text.startsWith(u, at));
  if (cjk === undefined || NOT_UNITS.some((word) => text.startsWith(word, at))) return undefined;
  return { written: spaced + cjk, unit: cjk === '百分点' ? '个百分点' : cjk };
}

/** The position after what the sticky `re` matches at `pos`. */
function skip(text: string, pos: number, re: RegExp): number {
  re.lastIndex = pos;
  return re.exec(text) === null ? pos : re.lastIndex;
}

/** `108.1` scaled by 10^8 → `1.081e10`, computed on the digits so it is exact. */
function scientific(intPart: string, fracPart: string, scale: number): string {
  const digits = intPart + fracPart;
  const leadingZeros = /^0*/.exec(digits)?.[0].length ?? 0;
  const significant = digits.slice(leadingZeros).replace(/0+$/, '');
  if (significant === '') return '0';
  const exponent = intPart.length - leadingZeros - 1 + scale;
  const mantissa = significant.length > 1 ? `${significant[0]}.${significant.slice(1)}` : significant;
  return `${mantissa}e${exponent}`;
}
