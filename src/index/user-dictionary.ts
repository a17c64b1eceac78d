import nodejieba from 'nodejieba';
import { loadStopWords, type StopWords } from '../text/stop-words.js';

/** What `extractUserWords` reads of a report (a `Report` fits). */
export interface UserWordSource {
  readonly title: string;
  readonly region?: string;
  readonly paragraphs: readonly { readonly text: string }[];
}

/** Suffixes of township-level places; the name before them is short (2–3 characters). */
const PLACE_SUFFIXES: readonly string[] = ['街道', '镇', '乡', '村', '社区'];
/** Suffixes of organisations, parks and projects; their names can be long. */
const ORG_SUFFIXES: readonly string[] = [
  '股份有限公司', '有限责任公司', '有限公司', '公司', '集团', '科技园', '产业园', '工业园', '创业园', '园区',
  '小镇', '中心', '基地', '研究院', '研究所', '实验室',
];
/** Region metadata is split after these (嘉兴市嘉善县罗星街道 → 嘉兴市 / 嘉善县 / 罗星街道). */
const REGION_PART = /.{2,}?(?:特别行政区|自治区|自治州|自治县|街道|社区|地区|省|市|盟|区|县|旗|镇|乡|村)|.+$/gu;
/** Suffixes whose stem is a name on its own (罗星街道 → 罗星); not 区, whose stems are often not (浦东新区). */
const STEM_SUFFIX = /(?:街道|社区|省|市|县|镇|乡|村)$/u;

/**
 * POS tags (jieba's ICTCLAS set) of words that mark an organisation name as a name: places
 * (ns), other proper nouns (nz), organisations (nt), abbreviations (j), words jieba does not
 * know (x), Latin (eng). Not person names (nr): jieba gives nr to many common words
 * (养老, 智慧, 楼宇), which would let 养老服务中心 through.
 */
const PROPER_TAGS: ReadonlySet<string> = new Set(['ns', 'nz', 'nt', 'j', 'x', 'eng']);
/** Tags accepted before a place suffix; nr here covers place syllables (袁花), j does not (深化街道). */
const PLACE_NAME_TAGS: ReadonlySet<string> = new Set(['ns', 'nr', 'nrt', 'nz', 'x']);
const COMMON_NOUN_TAGS: ReadonlySet<string> = new Set(['n', 'vn', 'ng']);
/** Words an organisation name can contain: the proper tags plus person names and common nouns (嘉善, 通信, 物业). */
const NAME_PART_TAGS: ReadonlySet<string> = new Set([...PROPER_TAGS, ...COMMON_NOUN_TAGS, 'nr', 'nrt']);

/**
 * Policy verbs that jieba often tags as names or nouns (新建/ns, 做实/x, 深化/j, 落地/n) and
 * that stand right before the names they act on (深化龙煤集团改革, 合作区落地深农集团): a name
 * never reaches back across one.
 */
const BOUNDARY_VERBS: ReadonlySet<string> = new Set([
  '新建', '新创建', '做强', '做实', '建强', '建成', '深化', '建设', '打造', '推进', '加快', '高水平', '建立', '健全',
  '培育', '创建', '争创', '获批', '力争', '加强', '依托', '推动', '支持', '引进', '落地', '落户', '入驻', '成立',
  '组建', '设立', '提升', '完善', '发展', '围绕', '聚焦', '对接', '携手', '联合', '签约',
]);

const HAN = /^\p{Script=Han}+$/u;
const HAN_OR_LATIN = /^[\p{Script=Han}A-Za-z]+$/u;
const NAME_TEXT = /^[\p{Script=Han}A-Za-z0-9]+$/u;
const QUOTED = /“([^“”]{2,10})”|《([^《》]{2,15})》/gu;
const MAX_ORG_LENGTH = 20;
/** A place name made of a word jieba does not know must occur this often to be believed. */
const MIN_UNSURE_COUNT = 2;

interface Tagged {
  readonly word: string;
  readonly tag: string;
}

/**
 * What one report contributes to the user dictionary: names it surely holds,
 * and unsure ones (unknown words glued to a place suffix) with how often they
 * occur, believed once the whole collection has them MIN_UNSURE_COUNT times.
 * Stored per report in the index, so a re-index extracts only from new and
 * changed reports (`extractReportWords`) and merges (`mergeUserWords`).
 */
export interface ReportWords {
  /** Distinct, sorted. */
  readonly sure: readonly string[];
  readonly unsure: Readonly<Record<string, number>>;
}

/**
 * Place, organisation and project names found in reports, for the index's tokenizer
 * (`JiebaTokenizer.withWords`) to keep whole: jieba cuts 罗星街道 into 罗/星/街道 and
 * 中国归谷嘉善科技园 into five pieces otherwise.
 *
 * Found from:
 * - the region metadata, split into its administrative parts (嘉兴市, 嘉善县, 罗星街道);
 * - X街道 / X镇 / X乡 / X村 / X社区 where jieba cuts X (2–3 characters) off as a name or a
 *   word it does not know (罗星街道, 马桥街道), or glues X and the suffix into one unknown
 *   word that occurs at least twice (鑫锋村); the bare X is added too, so 罗星 matches 罗星街道;
 * - names ending in 有限公司, 科技园, 产业园, 小镇, 中心, … : the words before the suffix back
 *   to the first verb, particle or punctuation, kept only if one of them is a name rather
 *   than a common noun (中国归谷嘉善科技园 yes, 党群服务中心 no);
 * - quoted names “…” (2–10 characters) and 《…》 (2–15) that jieba would cut into pieces and
 *   that contain no stop word (“社区共治汇” yes, “最多的” no).
 *
 * Precision matters more than recall: a wrong word can spoil the segmentation of every
 * sentence it occurs in, while a missed name still matches through bigrams.
 *
 * Equal to `mergeUserWords(reports.map((r) => extractReportWords(r)))`.
 *
 * @returns distinct words, sorted.
 */
export function extractUserWords(reports: readonly UserWordSource[]): string[] {
  const stopWords = loadStopWords();
  return mergeUserWords(reports.map((r) => extractReportWords(r, { stopWords })));
}

export interface ExtractOptions {
  /** Default: `loadStopWords()` (pass it when extracting many reports). */
  readonly stopWords?: StopWords;
}

/**
 * The names of one report (see `extractUserWords` for the rules). Extracting each report
 * once, when it is new or changed, and keeping the result in the index keeps the words of
 * unchanged reports stable and a re-index cheap.
 */
export function extractReportWords(report: UserWordSource, opts: ExtractOptions = {}): ReportWords {
  const stopWords = opts.stopWords ?? loadStopWords();
  const sure = new Set<string>();
  const unsure = new Map<string, number>();
  if (report.region !== undefined) for (const word of regionWords(report.region)) sure.add(word);
  for (const text of [report.title, ...report.paragraphs.map((p) => p.text)]) {
    for (const name of quotedNames(text, stopWords)) sure.add(name);
    const tagged: Tagged[] = nodejieba.tag(text);
    tagged.forEach((token, i) => {
      const organisation = organisationName(tagged, i);
      if (organisation !== undefined) sure.add(organisation);
      const place = placeName(tagged, i);
      if (place === undefined) return;
      if (place.sure) place.words.forEach((w) => sure.add(w));
      else place.words.forEach((w) => unsure.set(w, (unsure.get(w) ?? 0) + 1));
    });
  }
  return { sure: [...sure].sort(), unsure: Object.fromEntries(unsure) };
}

/** The dictionary of a collection: every sure word, and the unsure ones seen MIN_UNSURE_COUNT times in all. Distinct, sorted. */
export function mergeUserWords(perReport: Iterable<ReportWords>): string[] {
  const words = new Set<string>();
  const unsure = new Map<string, number>();
  for (const { sure, unsure: counts } of perReport) {
    for (const word of sure) words.add(word);
    for (const [word, count] of Object.entries(counts)) unsure.set(word, (unsure.get(word) ?? 0) + count);
  }
  for (const [word, count] of unsure) if (count >= MIN_UNSURE_COUNT) words.add(word);
  return [...words].sort();
}

function regionWords(region: string): string[] {
  const words: string[] = [];
  for (const part of region.replace(/\s+/g, '').match(REGION_PART) ?? []) {
    if (!HAN.test(part) || part.length < 2) continue;
    words.push(part);
    const stem = part.replace(STEM_SUFFIX, '');
    if (stem !== part && stem.length >= 2) words.push(stem);
  }
  return words;
}

/** Quoted text that is a name rather than a phrase: no stop word, not already one word. */
function quotedNames(text: string, stopWords: StopWords): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(QUOTED)) {
    const name = m[1] ?? m[2] ?? '';
    if (!NAME_TEXT.test(name) || !/\p{Script=Han}/u.test(name)) continue;
    const pieces = nodejieba.cut(name, true);
    if (pieces.length > 1 && !pieces.some((p) => stopWords.has(p))) names.push(name);
  }
  return names;
}

/**
 * X街道 as two tokens (罗星 + 街道), or one token jieba did not know (鑫锋村), with the bare X.
 * Such a single unknown token is not sure: HMM may have glued a verb to the suffix (抓实村).
 */
function placeName(tagged: readonly Tagged[], i: number): { words: string[]; sure: boolean } | undefined {
  const token = tagged[i];
  if (token === undefined) return undefined;
  if (PLACE_SUFFIXES.includes(token.word)) {
    const before = tagged[i - 1];
    if (before === undefined || !isNamePiece(before, PLACE_NAME_TAGS) || before.word.length > 3 || before.word.length < 2) return undefined;
    return { words: [before.word + token.word, before.word], sure: true };
  }
  const suffix = PLACE_SUFFIXES.find((s) => token.word.endsWith(s));
  if (token.tag !== 'x' || suffix === undefined || !HAN.test(token.word)) return undefined;
  const stem = token.word.slice(0, -suffix.length);
  return stem.length >= 2 && stem.length <= 3 ? { words: [token.word, stem], sure: false } : undefined;
}

/** The words before an organisation suffix, back to the first word that cannot be part of a name. */
function organisationName(tagged: readonly Tagged[], i: number): string | undefined {
  const token = tagged[i];
  if (token === undefined || !ORG_SUFFIXES.some((s) => token.word.endsWith(s))) return undefined;
  const parts: Tagged[] = [];
  let length = token.word.length;
  for (let j = i - 1; j >= 0; j--) {
    const before = tagged[j];
    if (before === undefined || !NAME_PART_TAGS.has(before.tag) || BOUNDARY_VERBS.has(before.word)) break;
    if (!HAN_OR_LATIN.test(before.word) || /^[A-Za-z]$/.test(before.word)) break;
    if (length + before.word.length > MAX_ORG_LENGTH) break;
    parts.unshift(before);
    length += before.word.length;
  }
  // Leading common nouns are context, not name (街道 in 街道养老服务中心).
  while (parts.length > 0 && COMMON_NOUN_TAGS.has(parts[0]?.tag ?? '')) parts.shift();
  if (!parts.some((p) => PROPER_TAGS.has(p.tag))) return undefined;
  return parts.map((p) => p.word).join('') + token.word;
}

function isNamePiece(token: Tagged, tags: ReadonlySet<string>): boolean {
  return tags.has(token.tag) && NAME_TEXT.test(token.word);
}
