/**
 * What a question asks for, in terms the answer stage can check against a
 * passage without a word segmenter: weighted content terms (character bigrams),
 * constraints that a passage must satisfy (years, places, quoted names) and the
 * kind of answer wanted (a figure, a plan). Pure functions, no global state.
 */
import { COMMON_BIGRAMS, VERY_COMMON_BIGRAMS } from './common-bigrams.js';

/** A content term of the question and how much it counts. */
export interface WeightedTerm {
  readonly term: string;
  /** 1 for a distinctive term, less for bigrams common in every report. */
  readonly weight: number;
}

/** A place named in the question, e.g. `北京市` with core `北京`. */
export interface PlaceTerm {
  readonly full: string;
  /** The two characters before the suffix: matched as a substring, so `北京` finds `北京市` and `赴北京`. */
  readonly core: string;
}

/** Kind of figure a question asks for, by unit. */
export type FigureKind = 'percent' | 'money' | 'count';

export interface QuestionAnalysis {
  /** The question as matched: see `normalizeForMatch`. */
  readonly normalized: string;
  readonly terms: readonly WeightedTerm[];
  /** Four-digit years (`2022`), matched as whole numbers. */
  readonly years: readonly string[];
  /**
   * Places, grouped: places written next to each other (`北京市海淀区`) form
   * one group that must be matched together; groups joined by 和/与/、
   * (`罗星街道和新嘉街道`) are alternatives.
   */
  readonly placeGroups: readonly (readonly PlaceTerm[])[];
  /** Names the user put in quotes or 《》. */
  readonly quoted: readonly string[];
  /** Set when the question asks for a figure (多少, 几, 比例, 增长…). */
  readonly figure?: FigureKind;
  /** True when the question asks about plans (明年, 下一步, 计划, 将…). */
  readonly plan: boolean;
}

/** Weights of bigrams by how common they are in government reports. */
export const TERM_WEIGHTS = { veryCommon: 0.3, common: 0.6, distinctive: 1 } as const;

/**
 * Text folded for matching: NFKC (full-width digits and punctuation become
 * ASCII), lower case, no whitespace (newspaper text writes `186.8 亿元`).
 * Offsets are not preserved; use it only to test containment.
 */
export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

const QUOTED = /[“"「『《‘']([^“”"「」『』《》‘’']{1,40})[”"」』》’']/g;
const YEAR = /(?<!\d)((?:19|20)\d{2})(?:年(?:度)?)?(?!\d)/g;
/** Place suffixes, longest first. 社区 and 村 are left out: too often part of ordinary words. */
const PLACE_SUFFIX = /(街道|省|市|区|县|镇|乡)/g;
/** Two-character words ending in a place suffix that are not places. */
const NOT_PLACE_BEFORE = new Set([
  '小区', '城区', '园区', '片区', '辖区', '景区', '山区', '郊区', '市区', '社区', '街区', '商区', '校区', '厂区', '矿区', '库区', '地区', '全区', '本区', '该区', '各区', '新区',
  '城市', '都市', '超市', '上市', '全市', '本市', '该市', '各市', '门市', '夜市', '股市', '楼市', '城乡', '全县', '本县', '各县', '全镇', '本镇', '城镇', '乡镇', '各镇', '全省', '本省', '各省', '外省', '节省', '反省',
  '小镇', '古镇', '集镇', '重镇',
]);
/** A suffix followed by one of these characters starts another word (市场, 区域, 县级, 镇街). */
const NOT_PLACE_AFTER = /^[场级域委民长府政内外属直镇街辖里区县]/;
/** Characters that cannot be part of a place name's core. */
const NOT_IN_CORE = /[的和与及在是问年对比了个跟同或、请哪几多将]/;
/** Text between two places that makes them alternatives rather than one nested place. */
const CONJUNCTION = /和|与|及|、|跟|同|或|还是|对比|比较|相比|,|;/;

/**
 * Removed before taking bigrams: question words (with the measure word after
 * 多少/几), function words, and the time and plan words that say *which*
 * sentence is wanted rather than what it is about (those are `plan`).
 */
const QUESTION_PHRASES =
  /请问|请告诉我|告诉我|请介绍|介绍一下|介绍|说一下|一下|是多少|有多少|(?:多少|几)[个家项次名所座条批位户场件篇处人]?|是什么|什么|有哪些|哪些|哪个|哪一|哪里|哪儿|怎么样|怎样|怎么|如何|为什么|为何|是否|有没有|有无|能否|可否|关于|分别是|分别|具体|一共|总共|大概|大约|今年|去年|明年|前年|下一步|下步|接下来|今后|将来|新的一年|近年来|目前|现在|最近|计划|打算|准备|思路|目标|展望|规划|请|吗|呢|吧|啊|呀|么|的|了|和|与|及|将|会|要|都|还|也|是|有/g;

/** English question words; the reports are Chinese, but names like GDP or U8 count. */
const ENGLISH_STOPWORDS = new Set(
  'a an the of in on at to for from by with and or is are was were be been what which who whom whose when where why how much many does did do has have had it its this that these those there their about please tell me'.split(' '),
);

const PERCENT_WORDS = /比例|占比|百分|增长|增幅|增速|下降|降幅|比重|率/;
const MONEY_WORDS = /多少钱|金额|收入|投资|产值|总值|营收|营业额|销售额|零售额|资金|经费|补助|元/;
const COUNT_WORDS = /多少|几/;
const PLAN_WORDS = /明年|下一步|下步|接下来|计划|打算|准备|将要|将会|思路|目标|展望|今后|将来|新的一年|(?:19|20)\d{2}年?将/;

/** Analyses a question once; both the relevance decision and the answerers use the result. */
export function analyzeQuestion(question: string): QuestionAnalysis {
  const normalized = normalizeForMatch(question);
  // Spaces are kept here: they separate English words.
  let rest = question.normalize('NFKC').toLowerCase();

  const quoted = [...rest.matchAll(QUOTED)].map((m) => m[1] ?? '').filter((s) => s.length > 0);
  rest = rest.replace(QUOTED, ' ');

  const years = unique([...rest.matchAll(YEAR)].map((m) => m[1] ?? ''));
  const plan = PLAN_WORDS.test(rest);
  rest = rest.replace(YEAR, ' ');

  const placeGroups = findPlaceGroups(rest);
  for (const group of placeGroups) for (const p of group) rest = rest.split(p.full).join(' ');

  const figure = PERCENT_WORDS.test(rest)
    ? 'percent'
    : MONEY_WORDS.test(rest)
      ? 'money'
      : COUNT_WORDS.test(normalized)
        ? 'count'
        : undefined;

  const terms = contentTerms(rest.replace(QUESTION_PHRASES, ' '));
  return {
    normalized,
    terms,
    years,
    placeGroups,
    quoted,
    ...(figure !== undefined && { figure }),
    plan,
  };
}

/** How much of the question's content a text covers. */
export interface Coverage {
  /** Matched weight over total weight, 0..1 (1 when the question has no content terms). */
  readonly ratio: number;
  /** Number of distinct terms found. */
  readonly matched: number;
}

/** Weighted share of `terms` found in `normalizedText` (already passed through `normalizeForMatch`). */
export function coverage(terms: readonly WeightedTerm[], normalizedText: string): Coverage {
  let total = 0;
  let found = 0;
  let matched = 0;
  for (const { term, weight } of terms) {
    total += weight;
    if (normalizedText.includes(term)) {
      found += weight;
      matched++;
    }
  }
  return { ratio: total === 0 ? 1 : found / total, matched };
}

/** True when `normalizedText` contains `year` as a whole number (not inside 20220). */
export function mentionsYear(normalizedText: string, year: string): boolean {
  return new RegExp(`(?<!\\d)${year}(?!\\d)`).test(normalizedText);
}

/** True when every place of one of the question's place groups occurs in the text. */
export function matchesPlaces(placeGroups: QuestionAnalysis['placeGroups'], normalizedText: string): boolean {
  if (placeGroups.length === 0) return true;
  return placeGroups.some((group) => group.every((p) => normalizedText.includes(p.core)));
}

function findPlaceGroups(text: string): PlaceTerm[][] {
  const groups: PlaceTerm[][] = [];
  let lastEnd = -1;
  for (const m of text.matchAll(PLACE_SUFFIX)) {
    const at = m.index;
    const suffix = m[0];
    const core = text.slice(Math.max(0, at - 2), at);
    const after = text.slice(at + suffix.length);
    if (
      core.length < 2 ||
      !/^[\u4e00-\u9fff]{2}$/.test(core) ||
      NOT_IN_CORE.test(core) ||
      NOT_PLACE_BEFORE.has(core.slice(1) + suffix) ||
      (suffix.length === 1 && NOT_PLACE_AFTER.test(after))
    ) {
      continue;
    }
    // A place inside a longer one already taken (the 道 of 街道 is not a suffix, but 区 of 新区 may follow one).
    if (at - 2 < lastEnd) continue;
    const place = { full: core + suffix, core };
    const between = lastEnd < 0 ? '' : text.slice(lastEnd, at - 2);
    const current = groups[groups.length - 1];
    if (current !== undefined && !CONJUNCTION.test(between)) current.push(place);
    else groups.push([place]);
    lastEnd = at + suffix.length;
  }
  return groups;
}

function contentTerms(text: string): WeightedTerm[] {
  const terms = new Map<string, number>();
  for (const run of text.match(/[\u4e00-\u9fff]+|[a-z0-9][a-z0-9.%]*/g) ?? []) {
    if (!/^[\u4e00-\u9fff]/.test(run)) {
      if (!ENGLISH_STOPWORDS.has(run)) terms.set(run, TERM_WEIGHTS.distinctive);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) {
      const bigram = run.slice(i, i + 2);
      terms.set(bigram, bigramWeight(bigram));
    }
  }
  return [...terms].map(([term, weight]) => ({ term, weight }));
}

function bigramWeight(bigram: string): number {
  if (VERY_COMMON_BIGRAMS.has(bigram)) return TERM_WEIGHTS.veryCommon;
  if (COMMON_BIGRAMS.has(bigram)) return TERM_WEIGHTS.common;
  return TERM_WEIGHTS.distinctive;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
