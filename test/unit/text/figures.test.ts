import { describe, expect, it } from 'vitest';
import { findFigures } from '../../../src/text/figures.js';

describe('findFigures', () => {
  it.each([
    // text, raw, value, unit, canonical, number
    ['全年实现地区生产总值108.1亿元，', '108.1亿元', 10_810_000_000, '元', '#1.081e10元', '108.1'],
    ['合计税收3454.15万元。', '3454.15万元', 34_541_500, '元', '#3.45415e7元', '3454.15'],
    ['总投资 186.8 亿元；', '186.8 亿元', 18_680_000_000, '元', '#1.868e10元', '186.8'],
    ['１０８．１亿元', '１０８．１亿元', 10_810_000_000, '元', '#1.081e10元', '108.1'],
    ['同比增长28.9%', '28.9%', 28.9, '%', '#2.89e1%', '28.9'],
    ['增长２．７％', '２．７％', 2.7, '%', '#2.7e0%', '2.7'],
    ['提高1.5个百分点', '1.5个百分点', 1.5, '个百分点', '#1.5e0个百分点', '1.5'],
    ['实到外资1043万美元', '1043万美元', 10_430_000, '美元', '#1.043e7美元', '1043'],
    ['收入1,234.5元', '1,234.5元', 1234.5, '元', '#1.2345e3元', '1234.5'],
    ['2022年，罗星街道', '2022年', 2022, '年', '#2.022e3年', '2022'],
    ['2023 年刚刚启幕', '2023 年', 2023, '年', '#2.023e3年', '2023'],
    ['11GW 高效电池', '11GW', 11, 'gw', '#1.1e1gw', '11'],
    ['外出招商140余次', '140余次', 140, '次', '#1.4e2次', '140'],
    ['组织3万余人参加', '3万余人', 30_000, '人', '#3e4人', '3'],
    ['新招引税收超100万项目4个', '100万', 1_000_000, '', '#1e6', '100'],
    ['提供3000平方米的厂房', '3000平方米', 3000, '平方米', '#3e3平方米', '3000'],
    ['装机3千瓦', '3千瓦', 3, '千瓦', '#3e0千瓦', '3'],
    ['参保率达0.05%', '0.05%', 0.05, '%', '#5e-2%', '0.05'],
    ['2022是罗星街道', '2022', 2022, '', '#2.022e3', '2022'],
  ])('%s → %s', (text, raw, value, unit, canonical, number) => {
    const [figure] = findFigures(text);
    expect(figure).toMatchObject({ raw, unit, canonical, number });
    expect(figure?.value).toBeCloseTo(value, 6);
    expect(text.slice(figure?.start, figure?.end)).toBe(raw);
  });

  it('gives equal amounts written with different scale words the same canonical form', () => {
    const canon = (text: string): string[] => findFigures(text).map((f) => f.canonical);
    expect(canon('1.081亿元 10810万元 108100000元')).toEqual(['#1.081e8元', '#1.081e8元', '#1.081e8元']);
    expect(canon('108.1亿元')).not.toEqual(canon('1.081亿元'));
  });

  it('skips the numbers of list items, not bare numbers in running text', () => {
    expect(findFigures('2．生产总值、各产业增加值绝对数按现价计算')).toEqual([]);
    expect(findFigures('注：\n3.资料来源：市统计局')).toEqual([]);
    expect(findFigures('（3）全年完成改造')).toEqual([]);
    expect(findFigures('退卡：2.信访维稳攻坚克难；3.安全生产')).toEqual([]);
    expect(findFigures('第2、3季度增长2.0').map((f) => f.raw)).toEqual(['2', '3', '2.0']);
  });

  it('skips codes glued to Latin letters and version-like numbers', () => {
    expect(findFigures('U8世界创新峰会 5G基站 G60科创走廊 i5').map((f) => f.raw)).toEqual([]);
    expect(findFigures('1.2.3').map((f) => f.raw)).toEqual(['1.2']);
  });

  it('finds every figure of a sentence with offsets into the original text', () => {
    const text = '财政总收入９.63亿元，同比增长21.99%，增幅列全县第一';
    const figures = findFigures(text);
    expect(figures.map((f) => f.raw)).toEqual(['９.63亿元', '21.99%']);
    for (const f of figures) expect(text.slice(f.start, f.end)).toBe(f.raw);
  });
});
