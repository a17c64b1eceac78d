import { describe, expect, it } from 'vitest';
import { compareFigures, comparisonAsked } from '../../../src/answer/compare-figures.js';

const part = (label: string, question: string, text: string, found = true) => ({ label, question, text, found });

describe('comparisonAsked', () => {
  it('tells an ordering, a difference and a sum from a plain compound question', () => {
    expect(comparisonAsked('甲市和乙市谁的常住人口多？')).toBe('order');
    expect(comparisonAsked('甲市的常住人口比乙市多多少？')).toBe('difference');
    expect(comparisonAsked('甲市和乙市的财政收入加起来是多少？')).toBe('sum');
    expect(comparisonAsked('甲市和乙市的财政收入分别是多少？')).toBeUndefined();
  });
});

describe('compareFigures', () => {
  const jia = part('甲市', '甲市常住人口是多少？', '年末常住人口1304.77万人，比上年末增长0.5%[1]。');
  const yi = part('乙市', '乙市常住人口是多少？', '年末全市常住人口1313.8万人[2]。');

  it('orders the cited figures, naming the larger and the gap', () => {
    expect(compareFigures('甲市和乙市谁的常住人口多？', [jia, yi])).toBe('比较：甲市1304.77万人，乙市1313.8万人，乙市更多（相差9.03万人）。');
    expect(compareFigures('甲市和乙市谁的常住人口少？', [jia, yi])).toContain('甲市更少');
  });

  it('subtracts and adds with the arithmetic shown, in the figures\' own scale', () => {
    expect(compareFigures('乙市的常住人口比甲市多多少？', [yi, jia])).toBe('相差：乙市1313.8万人 − 甲市1304.77万人 = 9.03万人。');
    expect(compareFigures('甲市和乙市的常住人口加起来是多少？', [jia, yi])).toBe('合计：甲市1304.77万人 + 乙市1313.8万人 = 2618.57万人。');
  });

  it('gives the difference of two growth rates in percentage points, from the growth rate and not a share or an average', () => {
    const a = part('甲省', '甲省GDP增速是多少？', '制造业增加值占地区生产总值比重达33.5%，地区生产总值增长5.3%[1]。');
    const b = part('乙省', '乙省GDP增速是多少？', '五年年均增长5.9%，生产总值增长5.6%[2]。');
    expect(compareFigures('甲省和乙省的GDP增速谁快？', [a, b])).toBe('比较：甲省5.3%，乙省5.6%，乙省更快（相差0.3个百分点）。');
  });

  it('refuses to compare across units, with a part missing, or to add years', () => {
    const money = part('乙市', '乙市常住人口是多少？', '一般公共预算收入380亿元[2]。');
    expect(compareFigures('甲市和乙市谁的常住人口多？', [jia, money])).toMatch(/^无法比较：单位不同/);
    expect(compareFigures('甲市和乙市谁的常住人口多？', [jia, part('乙市', '乙市常住人口是多少？', '', false)])).toBe('无法比较：报告中没有找到乙市的数字。');
    const y1 = part('2024年', '2024年常住人口是多少？', '常住人口1300万人[1]。');
    const y2 = part('2025年', '2025年常住人口是多少？', '常住人口1310万人[2]。');
    expect(compareFigures('2024年和2025年常住人口加起来是多少？', [y1, y2])).toBe('不同年份的数字不相加。');
  });

  it('adds nothing to a question that asks no comparison', () => {
    expect(compareFigures('甲市和乙市常住人口分别是多少？', [jia, yi])).toBeUndefined();
  });
});
