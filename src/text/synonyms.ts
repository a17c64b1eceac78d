/**
 * A small thesaurus of the abbreviations and everyday words people use for
 * the statistical terms of government reports (经济总量 for 地区生产总值, 固投
 * for 固定资产投资, 老人 for 老年人). Lexical matching — BM25 and the answer
 * stage's coverage test — cannot see that these mean the same, and questions
 * use them all the time. The list is deliberately short: only pairs that mean
 * the same in any report, never a word with other common senses (招引, 旧改).
 */

/**
 * Each group: the canonical term first, then its aliases (lower case); no
 * alias may occur inside its canonical term (canonicalising twice must change
 * nothing). The canonical term is the reports' own word, except for GDP: a
 * six-character 地区生产总值 would outweigh the rest of a question in the
 * answer stage's coverage test (an English "What was Shanghai's GDP" would
 * match every GDP sentence), while `gdp` counts as one term. 增速/增幅 are not
 * listed with 增长: they are the same only for some questions, and 增长 is in
 * nearly every sentence of a report.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['gdp', '地区生产总值', '生产总值', '经济总量'],
  ['固定资产投资', '固投'],
  ['社会消费品零售总额', '社会消费品零售额', '社零额', '社零'],
  ['规模以上', '规上'],
  ['违章建筑', '违法建筑', '违建'],
  ['老年人', '老人'],
  ['营业收入', '营收'],
  ['实际利用外资', '实际使用外资', '实到外资'],
  ['共同富裕', '共富'],
  ['最低生活保障', '低保'],
  ['土地出让', '卖地'],
  ['每千人', '每一千个人', '每一千人', '每千个人'],
  ['技术合同成交额', '技术合同交易额', '技术交易额'],
  ['城镇居民', '城里人', '城市居民'],
  ['农村居民', '农村人', '乡下人'],
  ['人均可支配收入', '平均收入', '人均收入'],
];

interface Alias {
  readonly alias: string;
  readonly canonical: string;
  readonly group: readonly string[];
}

/** Longest alias first, so 社会消费品零售额 wins over 社零. */
const ALIASES: readonly Alias[] = SYNONYM_GROUPS.flatMap((group) =>
  group.slice(1).map((alias) => ({ alias, canonical: group[0] ?? alias, group })),
).sort((a, b) => b.alias.length - a.alias.length);

const ALIAS_PATTERN = new RegExp(ALIASES.map((a) => escapeRegExp(a.alias)).join('|'), 'g');
const BY_ALIAS = new Map(ALIASES.map((a) => [a.alias, a]));

/**
 * Replaces every alias by its canonical term, for containment tests that
 * apply it to both sides (question and passage). Expects lower-cased text.
 *
 * @example canonicalizeSynonyms('罗星街道经济总量') // '罗星街道gdp'
 */
export function canonicalizeSynonyms(text: string): string {
  return text.replace(ALIAS_PATTERN, (m) => BY_ALIAS.get(m)?.canonical ?? m);
}

/**
 * The query followed by the other terms of every synonym group it mentions
 * (by alias or canonical term), for keyword search over unchanged documents.
 *
 * @example expandSynonyms('新嘉街道固投多少') // '新嘉街道固投多少 固定资产投资'
 */
export function expandSynonyms(query: string): string {
  const lower = query.toLowerCase();
  const extra = new Set<string>();
  for (const group of SYNONYM_GROUPS) {
    if (!group.some((term) => lower.includes(term))) continue;
    for (const term of group) if (!lower.includes(term)) extra.add(term);
  }
  return extra.size === 0 ? query : `${query} ${[...extra].join(' ')}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
