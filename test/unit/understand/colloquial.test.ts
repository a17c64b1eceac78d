import { describe, expect, it } from 'vitest';
import { inReportWords } from '../../../src/understand/colloquial.js';

describe('inReportWords', () => {
  it.each([
    ['宁德2025年在教育上花了多少钱？', '宁德2025年教育支出是多少？'],
    ['财政在卫生健康方面一共投了多少', '财政卫生健康支出是多少'],
    ['去年在科技领域投入了多少资金', '去年科技支出是多少'],
    ['全市企业去年赚了多少钱', '全市企业去年利润总额是多少'],
    ['大一点的工厂一共赚了多少钱', '大一点的工厂利润总额是多少'],
    ['居民去年赚了多少', '居民去年收入是多少'],
    ['宁德人平均一年能挣多少钱', '宁德人人均可支配收入是多少'],
    ['宁德2025年生了多少小孩', '宁德2025年出生人口是多少'],
    ['老百姓年末在银行存了多少钱', '老百姓年末存款余额是多少'],
  ])('%s → %s', (question, expected) => {
    expect(inReportWords(question)).toBe(expected);
  });

  it('leaves questions in report words alone', () => {
    for (const q of ['2025年教育支出是多少？', '在教育上有哪些举措？', '花园城市建了多少个公园']) expect(inReportWords(q)).toBe(q);
  });
});
