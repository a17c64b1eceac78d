/**
 * Negation words of Chinese report and question text (未, 尚未, 没有, 不, 无…),
 * without the ordinary words that merely begin with one of those characters
 * (未来, 不断, 不少, 无人机, 无缝): a yes/no answer must tell 未发生 from
 * 未来社区. Expects text folded by `normalizeForMatch` (lower case, NFKC).
 */

/** One negation word; the longer forms first, so 尚未 is one match, not 尚 + 未. */
export const NEGATION = new RegExp(
  [
    '尚未|暂未|仍未|并未|从未|未能|未曾|并非|没有|没(?!收)',
    '未(?!来|成年|婚|央|知数)',
    '不(?!断|少|仅|但|久|同|论|管|过|然|忘|懈|停|凡|朽|锈钢|动产|折不扣|可或缺)',
    '无(?!论|缝|人机|障碍|偿|线|锡|为|疑|比|限|私|忧)',
  ].join('|'),
  'g',
);
