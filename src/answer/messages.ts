/**
 * Chinese text that the answer stage puts into an `Answer`. The bot and the
 * CLI print it as is; keeping it here lets tests and the prompts agree on it.
 */

/** The whole reply when the reports do not answer the question. */
export const NOT_FOUND_TEXT = '在已索引的报告中没有找到相关内容。';

/**
 * The reply when the asked year is not in the reports but another year's
 * figure is: said plainly first, then the quote with its year.
 *
 * @example otherYearText('2021', '2022', '全年实现财政总收入9.63亿元[1]。')
 * // '报告中没有2021年的这项数据。报告中有2022年的：全年实现财政总收入9.63亿元[1]。'
 */
export function otherYearText(asked: string, found: string, quote: string): string {
  return `报告中没有${asked}年的这项数据。报告中有${found}年的：${quote}`;
}

/** One part of a compound question's answer (苏州：…) that the reports do not answer. */
export const PART_NOT_FOUND_TEXT = '报告中没有找到这一项。';

/**
 * The not-found reply, followed by the quoted paragraphs that may be related
 * (each ending in its citation marker) when there are any.
 *
 * @example notFoundText(['全年实现地区生产总值108.1亿元[1]。'])
 * // '在已索引的报告中没有找到相关内容。可能相关：全年实现地区生产总值108.1亿元[1]。'
 */
export function notFoundText(relatedQuotes: readonly string[] = []): string {
  if (relatedQuotes.length === 0) return NOT_FOUND_TEXT;
  return `${NOT_FOUND_TEXT}可能相关：${relatedQuotes.join('')}`;
}

/**
 * Phrases by which a written answer admits it has no answer. An LLM reply made
 * of such a phrase (and no citation) is treated as a refusal.
 */
export const REFUSAL_PHRASES: readonly string[] = [
  '不知道',
  '没有找到',
  '未找到',
  '无法回答',
  '无法确定',
  '没有提及',
  '未提及',
  '没有提到',
  '未提到',
  '没有相关',
  '不清楚',
];

/** The reply to a message that asks nothing of the reports (你好, 谢谢). */
export const SMALL_TALK_TEXT =
  '您好！我根据已索引的报告回答问题，并给出原文出处。请直接提问，例如：“某街道2024年固定资产投资是多少？”发送 /sources 查看报告列表。';

/** The reply to an English question that could not be read as a question about the reports: not found, then how to ask. */
export const ENGLISH_TEXT =
  NOT_FOUND_TEXT +
  ' The reports are in Chinese. Please ask in Chinese, or name the place (in pinyin), the year and the figure you want, e.g. "What was Xinjia’s fixed-asset investment in 2024?"（请用中文提问。）';

/** The first line of a reply whose question was rewritten, so a wrong guess is visible and cheap to correct. */
export function understoodLine(understood: string): string {
  return `（理解为：${understood}）`;
}
