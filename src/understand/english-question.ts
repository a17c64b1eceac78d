/**
 * English questions about Chinese reports: the reports are Chinese, so an
 * English question is translated into a Chinese one when its parts are known
 * — a place written in pinyin that names an indexed subject (Xinjia → 新嘉街道),
 * a year, and a statistic from a short glossary of the terms reports use.
 * Anything else is not guessed: the caller answers that it could not be read.
 */
import { pinyin } from 'pinyin-pro';
import type { CatalogSubject, SubjectCatalog } from './subject-catalog.js';

/** English statistical terms → the reports' words; longest phrases first when matching. */
const GLOSSARY: readonly (readonly [english: RegExp, chinese: string])[] = [
  [/per[- ]capita disposable income/, '人均可支配收入'],
  [/disposable income/, '可支配收入'],
  [/fixed[- ]asset investments?/, '固定资产投资'],
  [/(?:total )?retail sales(?: of consumer goods)?/, '社会消费品零售总额'],
  [/general (?:public )?budget revenue/, '一般公共预算收入'],
  [/(?:fiscal|total fiscal|government) revenue/, '财政总收入'],
  [/(?:general (?:public )?)?budget (?:expenditure|spending)/, '一般公共预算支出'],
  [/industrial (?:output|production)(?: value)?/, '工业总产值'],
  [/industrial added value|value added of industry/, '工业增加值'],
  [/grain (?:output|production)/, '粮食总产量'],
  [/(?:resident |permanent )?population|permanent residents|residents/, '常住人口'],
  [/gdp|gross domestic product|economic output/, '地区生产总值'],
  [/foreign (?:capital|investment)/, '实际利用外资'],
  [/exports?/, '出口'],
  [/imports?/, '进口'],
  [/new (?:urban )?jobs|employment/, '城镇新增就业'],
  [/unemployment rate/, '城镇调查失业率'],
  [/complaints?|petitions?/, '信访'],
  [/garbage|waste/, '垃圾'],
  [/old (?:residential )?(?:communities|neighbou?rhoods)/, '老旧小区'],
];

const GROWTH = /\b(?:grow|grew|growth|increase|increased|rise|rose)\b/;
const TARGET = /\b(?:target|goal|aim|plan(?:ned)?)\b/;
/** English names of the country, which the national reports' subject answers to. */
const COUNTRY = /\b(?:china|chinese|national|nationwide|the country)\b/;
const YEAR = /\b((?:19|20)\d{2})\b/;

/** True when a message is written in Latin script with no Chinese at all. */
export function isEnglish(text: string): boolean {
  return !/[\u4e00-\u9fff]/.test(text) && (text.match(/[a-z]{2,}/gi)?.length ?? 0) >= 3;
}

/**
 * The Chinese question an English one asks, or undefined when its subject or
 * its statistic is not known.
 *
 * @example toChineseQuestion("How much was Xinjia subdistrict's fixed-asset investment in 2024?", catalog)
 * // '新嘉街道2024年固定资产投资是多少？'
 */
export function toChineseQuestion(text: string, catalog: SubjectCatalog): string | undefined {
  const lower = text.toLowerCase();
  const spelled = subjectsInPinyin(lower, catalog);
  const subjects = spelled.length > 0 ? spelled : COUNTRY.test(lower) ? [catalog.get('全国')].filter((s) => s !== undefined) : [];
  const term = GLOSSARY.find(([re]) => re.test(lower))?.[1];
  if (subjects.length === 0 || term === undefined) return undefined;
  const year = YEAR.exec(lower)?.[1];
  const ask = TARGET.test(lower) ? (GROWTH.test(lower) ? '增长目标是多少' : '目标是多少') : GROWTH.test(lower) ? '增长了多少' : '是多少';
  const names = subjects.map((s) => (s.name === '国务院' ? '全国' : s.name));
  // Suzhou is 苏州 or 宿州 (pinyin without tones): both are asked, each answer labelled with its place.
  const asked = names.length === 1 ? ask : `分别${ask}`;
  return `${names.join('和')}${year === undefined ? '' : `${year}年`}${term}${asked}？`;
}

/**
 * The subjects whose name, in toneless pinyin without spaces, is a word of
 * the text (xinjia, zhengzhou): the longest spelling wins; several subjects
 * spelled alike (suzhou: 苏州市, 宿州市) are all returned.
 */
function subjectsInPinyin(lower: string, catalog: SubjectCatalog): CatalogSubject[] {
  const words = new Set(lower.match(/[a-z]+/g) ?? []);
  const joined = (lower.match(/[a-z]+/g) ?? []).join('');
  let best: { subjects: CatalogSubject[]; length: number } | undefined;
  for (const subject of catalog.subjects) {
    for (const name of new Set(subject.names.flatMap((n) => [n, n.replace(/(?:街道|省|市|县|区|镇|乡)$/, '')]))) {
      const spelled = pinyin(name, { toneType: 'none', type: 'array' }).join('');
      if (spelled.length < 4) continue;
      const hit = words.has(spelled) || (spelled.length >= 8 && joined.includes(spelled));
      if (!hit || (best !== undefined && spelled.length < best.length)) continue;
      if (best === undefined || spelled.length > best.length) best = { subjects: [subject], length: spelled.length };
      else if (!best.subjects.includes(subject)) best.subjects.push(subject);
    }
  }
  return best?.subjects ?? [];
}
