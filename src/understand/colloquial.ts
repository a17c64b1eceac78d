/**
 * Spoken constructions rewritten in the words reports use for them, so that
 * search and the decision see the reports' term: 在教育上花了多少钱 is what
 * reports call 教育支出, 赚了多少 is 收入 (a firm's: 利润). Only constructions that mean the same
 * in any report are listed; single words are synonyms (src/text/synonyms.ts).
 */

/** One rewrite: the pattern and what replaces it. */
type Rewrite = readonly [pattern: RegExp, replacement: string];

const REWRITES: readonly Rewrite[] = [
  // 在教育上花了多少钱, 在民生方面一共投了多少 → 教育支出是多少
  [/在([\u4e00-\u9fff]{1,8}?)(?:上|方面|领域)(?:一共|总共|共)?(?:花|用|投|投入|花费|支出)(?:了|掉)?(?:多少钱|多少资金|多少)/g, '$1支出是多少'],
  // 平均一年能挣多少钱 → 人均可支配收入是多少
  [/(?:平均|人均)(?:一年|每年|每人|一个人)?能?(?:挣|赚)(?:了|到)?多少(?:钱)?/g, '人均可支配收入是多少'],
  // 工厂一共赚了多少钱: what firms earn is their profit → 利润总额是多少
  [/(企业|工厂|公司|厂)([^，,。？?]{0,6}?)(?:一共|总共)?(?:赚|挣)(?:了|到)?多少(?:钱)?/g, '$1$2利润总额是多少'],
  // 赚了多少钱 → 收入是多少
  [/(?:赚|挣)(?:了|到)?多少(?:钱)?/g, '收入是多少'],
  // 生了多少小孩 → 出生人口是多少
  [/(?:出生|生)了?多少(?:个)?(?:小孩|孩子|婴儿|宝宝|娃)/g, '出生人口是多少'],
  // 在银行存了多少钱 → 存款余额是多少
  [/在银行(?:里)?(?:一共|总共)?存了?多少(?:钱)?/g, '存款余额是多少'],
];

/**
 * @example inReportWords('郑州2025年在教育上花了多少钱？') // '郑州2025年教育支出是多少？'
 */
export function inReportWords(text: string): string {
  return REWRITES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
