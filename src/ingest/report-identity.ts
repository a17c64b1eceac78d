/**
 * What a report is about, read from the report itself: nobody writes a
 * reports.json, and the file names people have are often hashes. The subject
 * (罗星街道, 郑州市, 国务院) is what questions are matched against; the years say
 * which year's results a report gives and which it plans for; the human title
 * replaces 《政府工作报告》 and 《001_e2c7ed4295899fe4》.
 *
 * Evidence, strongest first: the file name (郑州市_2025_统计公报.txt), places in
 * the title, the speaker's own statement (我代表国务院, 2024年,新嘉街道办事处坚持…),
 * the publisher (郑州市统计局), the place the body names most often.
 */
import path from 'node:path';
import { gazetteer, type Place } from '../text/places.js';
import { toSimplified } from '../text/simplify.js';
import type { Paragraph, ReportIdentity } from '../types.js';

export interface IdentityInput {
  readonly source: string;
  /** The document's own title, when structure-text found one. */
  readonly title?: string;
  readonly publisher?: string;
  readonly date?: string;
  readonly paragraphs: readonly Paragraph[];
  /** reports.json's region (嘉兴市嘉善县罗星街道): its most specific place is the subject. */
  readonly region?: string;
  /** reports.json's values, which win over what is inferred (see report-metadata.ts). */
  readonly subject?: string;
  readonly kind?: string;
  readonly years?: readonly number[];
  readonly planYears?: readonly number[];
}

export interface InferredIdentity extends ReportIdentity {
  /** A title a person can tell apart from the others: never a hash, never a bare 政府工作报告. */
  readonly title: string;
}

/** Suffixes of places below a county, which the gazetteer does not list. */
const LOCAL_PLACE = /([\u4e00-\u9fff]{2,3})(?:(街道)|(镇|乡)(?=办事处|人民政府|党委|党工委|坚持|全年|紧紧|围绕|始终|以|在|[，,。、 ]))/g;
const NOT_LOCAL = /^(城镇|乡镇|城乡|各镇|全镇|本镇|小镇|古镇|集镇|重镇|各乡|全乡|村镇|特色小)$/;
/** National bodies, which speak for the whole country. */
const NATIONAL: Readonly<Record<string, readonly string[]>> = {
  国务院: ['全国', '我国', '国家', '中国', '中央政府'],
  中共全国代表大会: ['党代会', '全国代表大会', '中共', '中国共产党'],
};
const SPEAKER = /我代表([\u4e00-\u9fff]{2,16}?)(?:人民政府|政府)?(?:向|作|提出|，|,)/;
/** Who speaks for the whole country: 我代表国务院 / 中央人民政府 / 第十九届中央委员会. */
const NATIONAL_SPEAKER: readonly (readonly [pattern: RegExp, subject: string])[] = [
  [/国务院|中央人民政府|^中央$/, '国务院'],
  [/中央委员会/, '中共全国代表大会'],
];
const PUBLISHER_BODY = /^([\u4e00-\u9fff]{2,10}?)(?:人民政府|统计局|财政局|政府办公室|发展和改革委员会|融媒体中心)/;

const KINDS: readonly (readonly [kind: string, pattern: RegExp])[] = [
  ['统计公报', /统计公报/],
  ['决算报告', /决算/],
  ['预算报告', /预算执行|预算草案|预算的报告|预算报告/],
  ['政府工作报告', /政府工作报告/],
  ['党代会报告', /党代会|全国代表大会/],
  ['工作总结', /工作总结|工作报告|工作思路|工作计划|工作要点/],
];

/** Years followed by words of a plan (2025年工作思路, 2026年预算草案) or of results. */
const PLAN_AFTER = /^年?(?:度)?[\u4e00-\u9fff“”]{0,6}?(?:工作思路|工作计划|计划|打算|预算草案|工作安排|重点工作|目标|展望)/;
const REVIEW_AFTER = /^年?(?:度)?[\u4e00-\u9fff“”]{0,8}?(?:工作总结|预算执行|执行情况|统计公报|国民经济|决算|工作回顾|回顾|总结)/;

const YEAR = /(?<!\d)((?:19|20)\d{2})(?!\d)/g;
/** A section heading that dates its section (二、2025年工作思路) is short. */
const MAX_YEAR_HEADING = 30;
/** How a review turns to the next year's plans. */
const NEXT_YEAR_PLAN = /(?:新的一年|明年)[，,]?[^。]{0,16}?(?:将|要|继续|我们)/;
/** Kinds that report results and plan nothing. */
const RESULTS_ONLY = /^(?:统计公报|决算报告)$/;

/** Titles that tell one report from no other (2026年政府工作报告, 微信, 民政局). */
const GENERIC_TITLE =
  /^(?:(?:19|20)\d{2}年度?)?(?:政府工作报告|工作报告|工作总结|统计公报|微信|资讯|首页|正文|全文|报告|通知|公告|[\u4e00-\u9fff]{0,8}(?:局|委员会|办公室|融媒体中心|人民政府|政府|日报|晚报))$/;
/** Lines a page puts where a title goes but that are no title: a byline (财政局局长 赵鹏), the tail of 在…会议上. */
const NOT_A_TITLE = /(?:局长|主任|市长|省长|州长|厅长|书记|主席|部长)\s*[\u4e00-\u9fff]{1,2}\s?[\u4e00-\u9fff]{0,2}$|会议上(?:的报告)?$/;
/** A file-name stem that is an id, not a name (001_e2c7ed4295899fe4, scan0001). */
const ID_LIKE = /^[\w\-.]*$/;

/**
 * Infers the report's identity and a human title.
 *
 * @example inferIdentity({ source: 'a.txt', paragraphs: [{ text: '2024年,新嘉街道办事处坚持…', … }] })
 * // { subject: '新嘉街道', aliases: ['新嘉'], years: [2024], title: '新嘉街道2024年工作报告', … }
 */
export function inferIdentity(input: IdentityInput): InferredIdentity {
  const stem = path.posix.basename(input.source, path.posix.extname(input.source));
  const head = [input.title ?? '', stem].join('\n');
  const opening = toSimplified(input.paragraphs.slice(0, 6).map((p) => p.text).join('\n'));
  const kind = input.kind ?? KINDS.find(([, re]) => re.test(head) || re.test(opening.slice(0, 300)))?.[0];
  const subject = inferSubject(input, stem, opening, kind);
  const inferred = inferYears(head, kind, opening, input.paragraphs);
  const years = input.years ?? inferred.years;
  const planYears = input.planYears ?? inferred.planYears;
  const title = humanTitle(input.title, stem, subject?.name, kind, years, planYears, input.publisher);
  return {
    title,
    ...(subject !== undefined && { subject: subject.name }),
    ...(subject !== undefined && subject.aliases.length > 0 && { aliases: subject.aliases }),
    ...(subject !== undefined && subject.within.length > 0 && { within: subject.within }),
    ...(kind !== undefined && { kind }),
    ...(years.length > 0 && { years }),
    ...(planYears.length > 0 && { planYears }),
  };
}

interface Subject {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly within: readonly string[];
}

function inferSubject(input: IdentityInput, stem: string, opening: string, kind: string | undefined): Subject | undefined {
  const firstToken = stem.split(/[_\-\s·]+/)[0] ?? '';
  const fromName = /^[\u4e00-\u9fff]{2,16}$/.test(firstToken) ? firstToken : undefined;
  const speaker = SPEAKER.exec(toSimplified(input.paragraphs.slice(0, 20).map((p) => p.text).join('\n')))?.[1];
  const publisher = input.publisher === undefined ? undefined : PUBLISHER_BODY.exec(input.publisher)?.[1];
  const named = input.subject === undefined ? undefined : toSimplified(input.subject);
  if (named !== undefined) {
    // Said by the operator, so kept even when it is no place the gazetteer knows (某某公司).
    const subject = describeSubject(named) ?? { name: named, aliases: [], within: [] };
    const within = input.region === undefined ? [] : firstChain(placeSpans(toSimplified(input.region), true)).map((p) => p.name).filter((n) => n !== subject.name).reverse();
    return { ...subject, within: [...new Set([...within, ...subject.within])] };
  }
  if (input.region !== undefined) {
    const chain = firstChain(placeSpans(toSimplified(input.region), true));
    const own = chain[chain.length - 1];
    const subject = own === undefined ? undefined : describeSubject(own.name);
    if (subject !== undefined) {
      const outer = chain.slice(0, -1).reverse().map((p) => p.name);
      return { ...subject, within: [...new Set([...outer, ...subject.within])] };
    }
  }
  const counts = placeCounts(input.paragraphs);
  const candidates = [
    fromName,
    firstPlace(toSimplified(input.title ?? ''), true),
    speaker === undefined ? undefined : (NATIONAL_SPEAKER.find(([re]) => re.test(speaker))?.[1] ?? firstPlace(speaker)),
    // A 街道/镇 named throughout is the subject even when its city is named more often (2024年,南星街道坚持… 杭州市…).
    mostNamed(counts, placesIn(opening.slice(0, 300)).filter((name) => gazetteer.lookup(name).length === 0), 3),
    mostNamed(counts, placesIn(opening.slice(0, 300))),
    publisher === undefined ? undefined : firstPlace(publisher),
    nationalSubject(input.paragraphs, counts, kind),
    mostNamed(counts, [...counts.keys()], 3),
  ];
  for (const c of candidates) {
    const subject = c === undefined ? undefined : describeSubject(c);
    if (subject !== undefined) return isLocal(subject.name) ? { ...subject, within: surroundings(input.paragraphs) } : subject;
  }
  return undefined;
}

/** A county or city counts as the subject's surroundings when named this often. */
const MIN_SURROUNDING_MENTIONS = 2;

/**
 * Where a 街道/镇 the gazetteer does not list lies, nearest first: the county
 * or city its report names most often (嘉善 ×7 → 嘉善县, 嘉兴市, 浙江省), when
 * the report also names a place that contains it. The second condition keeps
 * out the words that are also county names (富裕, 凤凰, 同心, 惠民).
 */
function surroundings(paragraphs: readonly Paragraph[]): string[] {
  const text = toSimplified(paragraphs.map((p) => p.text).join('\n'));
  const mentions = gazetteer.find(text, { countyShort: true });
  const named = new Set(mentions.map((m) => m.place.name));
  const counts = new Map<string, { place: Place; n: number }>();
  for (const { place } of mentions) {
    if (place.level === 'province' || !place.within.some((outer) => named.has(outer))) continue;
    const seen = counts.get(place.name);
    counts.set(place.name, { place, n: (seen?.n ?? 0) + 1 });
  }
  const best = [...counts.values()].reduce<{ place: Place; n: number } | undefined>((a, b) => (a === undefined || b.n > a.n ? b : a), undefined);
  return best === undefined || best.n < MIN_SURROUNDING_MENTIONS ? [] : [best.place.name, ...best.place.within];
}

/** The subject's official name, other names and the places it lies in; undefined for a name that is no subject. */
function describeSubject(name: string): Subject | undefined {
  const national = NATIONAL[name];
  if (national !== undefined) return { name, aliases: national, within: [] };
  const place = gazetteer.lookup(name)[0];
  if (place !== undefined) {
    return { name: place.name, aliases: place.short === place.name ? [] : [place.short], within: place.within };
  }
  const local = LOCAL_NAME.exec(name);
  if (local?.[1] === undefined || NOT_LOCAL.test(name)) return undefined;
  return { name, aliases: [local[1]], within: [] };
}

/**
 * The region a report is shown and matched under when reports.json gives none:
 * a 街道/镇 with the county and city it lies in, as such regions are written
 * (嘉兴市嘉善县罗星街道); any other subject alone (郑州市, 国务院).
 */
export function regionOf(identity: ReportIdentity): string | undefined {
  const { subject } = identity;
  if (subject === undefined || !isLocal(subject)) return subject;
  const outer = (identity.within ?? []).filter((name) => gazetteer.lookup(name)[0]?.level !== 'province');
  return [...outer].reverse().join('') + subject;
}

/** A 街道/镇/乡 name: below the gazetteer's counties, so where it lies is read from its report. */
const LOCAL_NAME = /^([\u4e00-\u9fff]{2,3})(街道|镇|乡)$/;

function isLocal(name: string): boolean {
  return LOCAL_NAME.test(name) && gazetteer.lookup(name).length === 0;
}

/**
 * The place a text is about: the most specific one of the first run of
 * places written together (杭州市上城区南星街道 → 南星街道).
 */
function firstPlace(text: string, countyShort = false): string | undefined {
  const chain = firstChain(placeSpans(text, countyShort));
  return chain[chain.length - 1]?.name;
}

interface PlaceSpan {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** The first places that follow each other without a gap, outermost first. */
function firstChain(spans: readonly PlaceSpan[]): PlaceSpan[] {
  const chain: PlaceSpan[] = [];
  for (const span of spans) {
    const last = chain[chain.length - 1];
    if (last !== undefined && span.start !== last.end) break;
    chain.push(span);
  }
  return chain;
}

/** Divisions and 街道/镇/乡 a text names, in order. */
function placeSpans(text: string, countyShort = false): PlaceSpan[] {
  const found: PlaceSpan[] = gazetteer.find(text, { countyShort }).map((m) => ({ name: m.place.name, start: m.start, end: m.end }));
  for (const l of localPlaces(text)) {
    // 嘉善县罗星街道: the local match may start inside the county's name.
    const start = Math.max(l.start, ...found.filter((f) => f.start < l.start && l.start < f.end).map((f) => f.end));
    const name = text.slice(start, l.end);
    if (name.length >= 4 && !found.some((f) => start < f.end && f.start < l.end)) found.push({ name, start, end: l.end });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Characters a place name does not start with (2022是罗星街道 names 罗星街道). */
const NOT_FIRST = /^[是的在和与及年对为将由向从把被了全各本该]/;

function localPlaces(text: string): PlaceSpan[] {
  return [...text.matchAll(LOCAL_PLACE)]
    .map((m) => {
      const core = m[1] ?? '';
      const cut = core.length > 2 && NOT_FIRST.test(core) ? 1 : 0;
      const name = core.slice(cut) + (m[2] ?? m[3] ?? '');
      return { name, start: m.index + cut, end: m.index + cut + name.length };
    })
    .filter((p) => !NOT_LOCAL.test(p.name) && !NOT_FIRST.test(p.name));
}

/**
 * A report about the whole country says 我国 and 全国 far more often than it
 * names any one place (it does name 香港 and 台湾 now and then).
 */
function nationalSubject(paragraphs: readonly Paragraph[], counts: ReadonlyMap<string, number>, kind: string | undefined): string | undefined {
  const national = paragraphs.reduce((n, p) => n + (toSimplified(p.text).match(/我国|全国|全党|中央/g)?.length ?? 0), 0);
  const top = Math.max(0, ...counts.values());
  if (national < 10 || national < 3 * top) return undefined;
  return kind === '党代会报告' ? '中共全国代表大会' : '国务院';
}

/** Every place a text names, in order: divisions and 街道/镇/乡. */
function placesIn(text: string): string[] {
  return placeSpans(text).map((p) => p.name);
}

/** How often the report names each place (Traditional script folded). */
function placeCounts(paragraphs: readonly Paragraph[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of paragraphs) for (const name of placesIn(toSimplified(p.text))) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/**
 * Of `names`, the one the report names most often (the first on a tie), when
 * named at least `min` times: the opening of 中山's budget report names 广东 once
 * and 中山 throughout.
 */
function mostNamed(counts: ReadonlyMap<string, number>, names: readonly string[], min = 1): string | undefined {
  let best: string | undefined;
  for (const name of names) if ((counts.get(name) ?? 0) > (best === undefined ? 0 : (counts.get(best) ?? 0))) best = name;
  return best !== undefined && (counts.get(best) ?? 0) >= min ? best : undefined;
}

function inferYears(head: string, kind: string | undefined, opening: string, paragraphs: readonly Paragraph[]): { years: number[]; planYears: number[] } {
  const review = new Set<number>();
  const plan = new Set<number>();
  for (const m of head.matchAll(YEAR)) {
    const year = Number(m[1]);
    const after = head.slice(m.index + 4);
    if (kind === '政府工作报告') {
      // The 2026 government work report reviews 2025 and plans 2026.
      review.add(year - 1);
      plan.add(year);
    } else if (PLAN_AFTER.test(after)) plan.add(year);
    else if (REVIEW_AFTER.test(after)) review.add(year);
    else if (kind === '预算报告') {
      review.add(year);
      plan.add(year + 1);
    } else review.add(year);
  }
  if (review.size === 0 && plan.size === 0) {
    // 2024年,新嘉街道办事处坚持… / 2022是罗星街道硕果累累的一年: the year under review opens the report.
    const first = /(?<!\d)((?:19|20)\d{2})(?:年|是)/.exec(opening);
    if (first?.[1] !== undefined) review.add(Number(first[1]));
  }
  // 一、2024年工作总结 … 二、2025年工作思路: a summary's section says which later year it plans.
  if (plan.size === 0) {
    for (const p of paragraphs) {
      if (p.kind !== 'heading' || p.text.length > MAX_YEAR_HEADING) continue;
      const text = toSimplified(p.text);
      for (const m of text.matchAll(YEAR)) {
        const year = Number(m[1]);
        if (PLAN_AFTER.test(text.slice(m.index + 4)) && [...review].every((r) => r < year)) plan.add(year);
      }
    }
  }
  // A review that goes on 新的一年，罗星街道将… plans the year after the one it reviews.
  const [only] = review;
  if (plan.size === 0 && review.size === 1 && only !== undefined && !RESULTS_ONLY.test(kind ?? '') && paragraphs.some((p) => NEXT_YEAR_PLAN.test(toSimplified(p.text)))) {
    plan.add(only + 1);
  }
  return { years: [...review].sort(), planYears: [...plan].sort() };
}

function humanTitle(
  documentTitle: string | undefined,
  stem: string,
  subject: string | undefined,
  kind: string | undefined,
  years: readonly number[],
  planYears: readonly number[],
  publisher: string | undefined,
): string {
  // Icon-font glyphs (private use) stand before 微信 and the like on scraped pages.
  const cleaned = documentTitle?.replace(/\p{Co}/gu, '').trim();
  const title = cleaned === undefined || NOT_A_TITLE.test(cleaned) ? undefined : cleaned;
  if (title !== undefined && title !== '' && !GENERIC_TITLE.test(title) && !/^[(（]/.test(title) && title !== publisher) return title;
  if (subject !== undefined && kind !== undefined) {
    const year = kind === '政府工作报告' ? planYears[0] : years[0];
    return `${subject}${year === undefined ? '' : `${year}年`}${kind}`;
  }
  const named = title !== undefined && title !== '' && !GENERIC_TITLE.test(title) ? title : undefined;
  if (subject !== undefined && named !== undefined && !named.includes(subject)) return `${subject}${named}`;
  if (named !== undefined) return named;
  // 南昌市_2025_经济运行情况 says what the report is: 南昌市2025年经济运行情况.
  if (!ID_LIKE.test(stem)) return stem.replace(/[_\-\s·]+((?:19|20)\d{2})[_\-\s·]+/, '$1年').replace(/[_\-\s·]+/g, ' ');
  if (subject !== undefined) return `${subject}${years[0] === undefined ? '' : `${years[0]}年`}报告`;
  return title === undefined || title === '' ? stem : title;
}
