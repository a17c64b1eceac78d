/**
 * What a question asks for, in terms the answer stage can check against a
 * passage without a word segmenter: weighted content terms (character bigrams),
 * constraints that a passage must satisfy (years, places, quoted names) and the
 * kind of answer wanted (a figure, a plan, a yes or no). Pure functions, no
 * global state.
 */
import { NEGATION } from '../text/negation.js';
import { canonicalizeSynonyms } from '../text/synonyms.js';
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

/** A question answered yes or no (…吗, 是否…, 有没有…, …了没有). */
export interface YesNoQuestion {
  /** Asks whether something was done (建成了吗, 是否已经开通): answered 已经/尚未 rather than 是/否. */
  readonly completion: boolean;
  /** Asks in the negative (是不是还没有…, 难道不…): a bare 是 or 否 would be read either way. */
  readonly negative: boolean;
}

/** Kind of figure a question asks for, by unit: a percentage, an amount of money, any other quantity. */
export type FigureKind = 'percent' | 'money' | 'quantity';

export interface QuestionAnalysis {
  /** The question as matched: see `normalizeForMatch`. */
  readonly normalized: string;
  /** Distinct content terms: character bigrams of Chinese text, whole Latin words and numbers. */
  readonly terms: readonly WeightedTerm[];
  /** The pieces of text the terms come from (Chinese runs, Latin words), for `coverage`. */
  readonly runs: readonly string[];
  /** The last content term, usually what is asked about (书记 in 党工委书记叫什么名字), unless it is generic. */
  readonly head?: string;
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
  /** The measure word after 多少/几 (`起` in 多少起), which the figure in the answer should carry. */
  readonly measure?: string;
  /** True when the question asks about plans (明年, 下一步, 计划, 将…). */
  readonly plan: boolean;
  /** Set when the question is answered yes or no; its claim is `runs` (the yes/no words are not content). */
  readonly yesNo?: YesNoQuestion;
}

/** Weights of bigrams by how common they are in government reports. */
export const TERM_WEIGHTS = { veryCommon: 0.3, common: 0.6, distinctive: 1 } as const;

/**
 * Text folded for matching: NFKC (full-width digits and punctuation become
 * ASCII), lower case, no whitespace (newspaper text writes `186.8 亿元`),
 * synonyms replaced by their canonical term (经济总量 → 地区生产总值, see
 * src/text/synonyms.ts). Offsets are not preserved; use it only to test
 * containment, on both sides.
 */
export function normalizeForMatch(text: string): string {
  return canonicalizeSynonyms(text.normalize('NFKC').toLowerCase().replace(/\s+/g, ''));
}

const QUOTED = /[“"「『《‘]([^“”"「」『』《》‘’]{1,40})[”"」』》’]/g;
const YEAR = /(?<!\d)((?:19|20)\d{2})(?:年(?:度)?)?(?!\d)/g;
/** Place suffixes, longest first. 社区 and 村 are left out: too often part of ordinary words. */
const PLACE_SUFFIX = /(街道|新区|省|市|区|县|镇|乡)/g;
/** Two-character words ending in a place suffix that are not places. */
const NOT_PLACE_BEFORE = new Set([
  '小区', '城区', '园区', '片区', '辖区', '景区', '山区', '郊区', '市区', '社区', '街区', '商区', '校区', '厂区', '矿区', '库区', '地区', '全区', '本区', '该区', '各区', '新区',
  '城市', '都市', '超市', '上市', '全市', '本市', '该市', '各市', '门市', '夜市', '股市', '楼市', '城乡', '全县', '本县', '各县', '全镇', '本镇', '城镇', '乡镇', '各镇', '全省', '本省', '各省', '外省', '节省', '反省',
  '小镇', '古镇', '集镇', '重镇',
]);
/** A suffix followed by one of these characters starts another word (市场, 区域, 县级, 镇街). */
const NOT_PLACE_AFTER = /^[场级域委民长府政内外属直镇街辖里区县市]/;
/** Characters that cannot be part of a place name's core. */
const NOT_IN_CORE = /[的和与及在是问年对比了个跟同或、请哪几多少项些将所该本各全]/;
/** Text between two places that makes them alternatives rather than one nested place. */
const CONJUNCTION = /和|与|及|、|跟|同|或|还是|对比|比较|相比|,|;/;

/** Measure words that may follow 多少/几. */
const MEASURE_WORDS = '个家项次名所座条批位户场件篇处人趟张种起份笔台辆套亩元倍';

/**
 * Removed before taking bigrams: question words (with the measure word after
 * 多少/几), function words, and the time and plan words that say *which*
 * sentence is wanted rather than what it is about (those are `plan`).
 */
const QUESTION_PHRASES = new RegExp(
  [
    // asking
    '请问|请告诉我|告诉我|请介绍|介绍一下|介绍|说一下|一下',
    '是多少|有多少|排名第几|排第几|第几|(?:多少|几)[' + MEASURE_WORDS + ']?|多大|多长|多高|多久|多远|多快',
    '叫什么|名字|什么地方|是什么|什么|有哪些|哪些|哪[个家位些里儿一两三几][个项条家位名所种]?|哪',
    '怎么样|怎样|怎么|如何|为什么|为何|是否|是不是|有没有|有无|能否|可否|能不能|可不可以|会不会|与否|已经|没有?(?=[?!。.]*$)|展开(?=[?!。.]*$)',
    '关于|分别是|分别|具体|一共|总共|大概|大约',
    // what kind of answer, not what about
    '意思|情况|做法|形式|背景|成果|成效|举措|特点|意义|方式|办法|进展|亮点',
    // time and plans
    '今年|去年|明年|前年|下一步|下步|接下来|今后|将来|新的一年|近年来|目前|现在|最近',
    '计划|打算|准备|思路|目标|展望|规划',
    // everyday verbs and words around the thing asked (在教育上花了多少钱, 一个月给多少)
    '上(?=花|投|用)|花了|花在|花掉|花钱|投了|投入了|钱|一个月|每个月|每月|能领|领到|拿到|一共',
    // function words
    '请|吗|呢|吧|啊|呀|么|的|了|和|与|及|将|(?<![主重需必只纲])要|都|还|也|是|给|把|被|让|这|那|在|为|从',
    // the 过 of experience (举办过, 发生过), not of 超过, 通过, 过程
    '(?<![超通经不度路错跨越穿胜闯])过(?![程去度渡年剩半亿千万百头期硬关滤])',
  ].join('|'),
  'g',
);

/** English question words; the reports are Chinese, but names like GDP or U8 count. */
const ENGLISH_STOPWORDS = new Set(
  'a an the of in on at to for from by with and or is are was were be been what which who whom whose when where why how much many does did do has have had it its this that these those there their about please tell me'.split(' '),
);

const MEASURED = new RegExp(`(?:多少|几)([${MEASURE_WORDS}])`);
const PERCENT_WORDS = /比例|占比|百分|增长|增幅|增速|下降|降幅|比重|率/;
/** Matched after `canonicalizeSynonyms`, hence `gdp` (地区生产总值, 经济总量). */
const MONEY_WORDS = /多少钱|金额|收入|投资|产值|总值|gdp|营收|营业额|销售额|零售额|零售总额|资金|经费|补助|元/;
const QUANTITY_WORDS = /多少|几|多大|多长|多高|多远|多久|面积|长度|规模/;
/** Words that ask for names or things (哪些企业, 叫什么, 是谁), not for an amount. */
const NAMES_ASKED = /哪些|哪几家|哪家|哪个|哪位|是谁|叫什么|什么名字/;
/** Words that ask for an amount. */
const HOW_MUCH = /多少|几(?!乎)|多大|多长|多高|多久|多远|多快|比例|占比|增速|增幅|增长率/;
/** Words that ask which, how much or why: a question holding one is not answered yes or no, even with 吗. */
const WH_WORDS = /多少|几(?!乎)|什么|啥|哪|谁|怎么|怎样|如何|为什么|为何|何时|何地|多大|多长|多高|多久|多远|多快/;
/** The words that make a question a yes/no question: a final 吗 or (了)没有, 是否, 是不是, 有没有… */
const YES_NO_WORDS = /吗(?=[?!。.]*$)|没有?(?=[?!。.]*$)|是否|是不是|有没有|有无|能否|可否|能不能|可不可以|会不会|与否/g;
/** Verbs of something done, whose yes/no question is answered 已经 or 尚未. */
export const COMPLETION_VERB = /建成|建好|完成|完工|竣工|落成|开通|通车|投用|投运|投产|启用|开业|开工|上线|交付|验收|结顶|挂牌|揭牌|成立|出台|印发|签约|落地|获批|实现/;
const PLAN_WORDS = /明年|下一步|下步|接下来|计划|打算|准备|将要|将会|思路|目标|预期|力争|展望|今后|将来|新的一年|(?:19|20)\d{2}年?将|(?:19|20)\d{2}年?(?:还|又)?要(?![求素点闻件])/;

/** Analyses a question once; both the relevance decision and the answerers use the result. */
export function analyzeQuestion(question: string): QuestionAnalysis {
  const normalized = normalizeForMatch(question);
  // Spaces are kept here: they separate English words.
  let rest = canonicalizeSynonyms(question.normalize('NFKC').toLowerCase());

  const quoted = [...rest.matchAll(QUOTED)].map((m) => m[1] ?? '').filter((s) => s.length > 0);
  rest = rest.replace(QUOTED, ' ');

  const years = unique([...rest.matchAll(YEAR)].map((m) => m[1] ?? ''));
  const plan = PLAN_WORDS.test(rest);
  rest = rest.replace(YEAR, ' ');

  const placeGroups = findPlaceGroups(rest);
  for (const group of placeGroups) for (const p of group) rest = rest.split(p.full).join(' ');

  const measure = MEASURED.exec(rest)?.[1];
  // 年纳税上千万元的企业有哪些 asks for names: its amount only says which.
  const namesAsked = NAMES_ASKED.test(rest) && !HOW_MUCH.test(rest);
  const figure: FigureKind | undefined = namesAsked
    ? undefined
    : measure !== undefined && measure !== '元'
      ? 'quantity'
      : PERCENT_WORDS.test(rest)
        ? 'percent'
        : MONEY_WORDS.test(rest)
          ? 'money'
          : QUANTITY_WORDS.test(rest)
            ? 'quantity'
            : undefined;

  const runs = contentRuns(rest.replace(QUESTION_PHRASES, ' '));
  const last = runs[runs.length - 1];
  const lastTerm = last === undefined ? undefined : isCjk(last) ? last.slice(-2) : last;
  // A bigram found in most reports (达到, 完成) names no topic: then there is no head.
  const head = lastTerm !== undefined && !VERY_COMMON_BIGRAMS.has(lastTerm) ? lastTerm : undefined;
  return {
    normalized,
    terms: contentTerms(runs),
    runs,
    ...(head !== undefined && { head }),
    years,
    placeGroups,
    quoted,
    ...(figure !== undefined && { figure }),
    ...(measure !== undefined && { measure }),
    plan,
    ...yesNoOf(normalized, plan),
  };
}

/** The yes/no form of a question (see `YesNoQuestion`), as a spread: `{}` when it is none. */
function yesNoOf(normalized: string, plan: boolean): { yesNo?: YesNoQuestion } {
  if (WH_WORDS.test(normalized)) return {};
  const claim = normalized.replace(YES_NO_WORDS, ' ');
  if (claim === normalized) return {};
  // A plan asked (明年要建成…吗) is confirmed by the plan, with 是: it is not done yet.
  const completion = !plan && (COMPLETION_VERB.test(claim) || claim.includes('已'));
  return { yesNo: { completion, negative: claim.search(NEGATION) >= 0 || claim.includes('难道') } };
}

/** How much of the question's content a text covers. */
export interface Coverage {
  /** Covered weight over total weight, 0..1 (1 when the question has no content). */
  readonly ratio: number;
  /** Number of distinct terms found. */
  readonly matched: number;
}

/**
 * The weighted share of the question's content characters that
 * `normalizedText` (already passed through `normalizeForMatch`) covers. A
 * character is covered when a bigram holding it occurs in the text, and weighs
 * as much as its weightiest bigram. Counting characters rather than bigrams
 * keeps the bigrams that straddle two words (罗星街道给|达普 → 给达) from
 * counting as misses when both words are found.
 */
export function coverage(q: Pick<QuestionAnalysis, 'runs'>, normalizedText: string): Coverage {
  let total = 0;
  let covered = 0;
  const found = new Set<string>();
  for (const run of q.runs) {
    if (!isCjk(run)) {
      total += TERM_WEIGHTS.distinctive;
      if (normalizedText.includes(run)) {
        covered += TERM_WEIGHTS.distinctive;
        found.add(run);
      }
      continue;
    }
    const hits: boolean[] = [];
    const weights: number[] = [];
    for (let i = 0; i + 1 < run.length; i++) {
      const bigram = run.slice(i, i + 2);
      const hit = normalizedText.includes(bigram);
      if (hit) found.add(bigram);
      hits.push(hit);
      weights.push(bigramWeight(bigram));
    }
    for (let c = 0; c < run.length; c++) {
      const left = c - 1;
      const right = c;
      const weight = Math.max(weights[left] ?? 0, weights[right] ?? 0);
      total += weight;
      if (hits[left] === true || hits[right] === true) covered += weight;
    }
  }
  return { ratio: total === 0 ? 1 : covered / total, matched: found.size };
}

/** True when `normalizedText` contains `year` as a whole number (not inside 20220). */
export function mentionsYear(normalizedText: string, year: string): boolean {
  // 较2024年增加3.7亿元 is about the year after: a comparison's base year is not the year described.
  return new RegExp(`(?<!\\d|较|比)${year}(?!\\d)`).test(normalizedText);
}

/**
 * True when every place of one of the question's place groups occurs in the
 * text, and, when `own` is given, at least one of them in `own` (the text
 * without the places around the report's subject).
 */
export function matchesPlaces(placeGroups: QuestionAnalysis['placeGroups'], normalizedText: string, own = normalizedText): boolean {
  if (placeGroups.length === 0) return true;
  return placeGroups.some((group) => group.every((p) => normalizedText.includes(p.core)) && group.some((p) => own.includes(p.core)));
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
      NOT_PLACE_BEFORE.has(core) ||
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

/** Chinese runs of two or more characters and Latin words (not stop words, not single letters or digits). */
function contentRuns(text: string): string[] {
  return (text.match(/[\u4e00-\u9fff]+|[a-z0-9][a-z0-9.%]*/g) ?? []).filter((run) =>
    isCjk(run) ? run.length >= 2 : run.length >= 2 && !ENGLISH_STOPWORDS.has(run),
  );
}

function contentTerms(runs: readonly string[]): WeightedTerm[] {
  const terms = new Map<string, number>();
  for (const run of runs) {
    if (!isCjk(run)) terms.set(run, TERM_WEIGHTS.distinctive);
    else for (let i = 0; i + 1 < run.length; i++) terms.set(run.slice(i, i + 2), bigramWeight(run.slice(i, i + 2)));
  }
  return [...terms].map(([term, weight]) => ({ term, weight }));
}

function isCjk(run: string): boolean {
  return /^[\u4e00-\u9fff]/.test(run);
}

function bigramWeight(bigram: string): number {
  if (VERY_COMMON_BIGRAMS.has(bigram)) return TERM_WEIGHTS.veryCommon;
  if (COMMON_BIGRAMS.has(bigram)) return TERM_WEIGHTS.common;
  return TERM_WEIGHTS.distinctive;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
