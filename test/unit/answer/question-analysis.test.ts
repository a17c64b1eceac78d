import { describe, expect, it } from 'vitest';
import { analyzeQuestion, coverage, matchesPlaces, mentionsYear, normalizeForMatch } from '../../../src/answer/question-analysis.js';

const places = (q: string): string[][] => analyzeQuestion(q).placeGroups.map((g) => g.map((p) => p.full));

describe('analyzeQuestion', () => {
  it('takes years as constraints, with or without 年', () => {
    expect(analyzeQuestion('罗星街道2019年地区生产总值是多少').years).toEqual(['2019']);
    expect(analyzeQuestion('GDP in 2023 and 2022年度').years).toEqual(['2023', '2022']);
    expect(analyzeQuestion('完成20220项').years).toEqual([]);
  });

  it.each([
    ['罗星街道2022年地区生产总值是多少', [['罗星街道']]],
    ['北京市海淀区2022年财政收入是多少', [['北京市', '海淀区']]],
    ['嘉兴市的南湖区有哪些特色小镇', [['嘉兴市', '南湖区']]],
    ['罗星街道和新嘉街道的固定资产投资分别是多少', [['罗星街道'], ['新嘉街道']]],
    ['上海浦东新区2023年引进了多少外资', [['浦东新区']]],
    ['请问海宁市今年的目标', [['海宁市']]],
  ])('groups the places of %s', (q, expected) => {
    expect(places(q)).toEqual(expected);
  });

  it.each(['海宁市场怎么样', '老旧小区改造了多少个', '全市有几个城区', '南湖特色小镇', '获得多少项省市级荣誉', '科技岛所在街道出让了多少亩土地'])(
    'finds no place in the ordinary words of %s',
    (q) => {
      expect(places(q).flat().filter((p) => !['南湖', '海宁'].some((x) => p.startsWith(x)))).toEqual([]);
    },
  );

  it('keeps quoted names whole and out of the content terms', () => {
    const q = analyzeQuestion('罗星街道的“五大行动”包括什么');
    expect(q.quoted).toEqual(['五大行动']);
    expect(q.terms.map((t) => t.term)).toEqual(['包括']);
  });

  it('does not take an English apostrophe for a quote', () => {
    expect(analyzeQuestion("What is Haining's target?").quoted).toEqual([]);
  });

  it('drops question words, time words and measure words from the content', () => {
    const q = analyzeQuestion('南星街道2024年走访了多少家规上企业？');
    expect(q.runs).toEqual(['走访', '规模以上企业']); // 规上 is canonicalised (src/text/synonyms.ts)
    expect(q.head).toBeUndefined(); // 企业 is in most reports: no head
    expect(analyzeQuestion('罗星街道党工委书记叫什么名字？').head).toBe('书记');
    expect(analyzeQuestion('你好').terms.map((t) => t.term)).toEqual(['你好']);
  });

  it('asks no figure when it asks for names, whatever amount says which (年纳税上千万元的企业有哪些)', () => {
    expect(analyzeQuestion('临江市新引进的年纳税上千万元的企业有哪些？').figure).toBeUndefined();
    expect(analyzeQuestion('临江市哪个区的GDP最高？').figure).toBeUndefined();
    expect(analyzeQuestion('临江市哪些企业的产值超过100亿元，一共多少家？').figure).toBe('quantity');
  });

  it('takes no closing 展开 for the thing asked (围绕什么主题展开)', () => {
    expect(analyzeQuestion('临江市2024年的工作围绕什么年度主题展开？').head).toBe('主题');
  });

  it('drops the everyday words around the thing asked, which no report writes (在…上花了多少钱, 一个月给多少)', () => {
    expect(analyzeQuestion('临江市2025年在教育上花了多少钱？').runs).toEqual(['教育']);
    expect(analyzeQuestion('临江市的低保现在一个月给多少钱？').runs).toEqual(['最低生活保障']);
    expect(analyzeQuestion('临江市2025年投资了多少').runs).toEqual(['投资']);
  });

  it('weighs bigrams common in every report less than distinctive ones', () => {
    const weights = new Map(analyzeQuestion('罗星街道的地铁线路和经济发展').terms.map((t) => [t.term, t.weight]));
    expect(weights.get('地铁')).toBe(1);
    expect(weights.get('发展')).toBeLessThan(1);
  });

  it.each([
    ['地区生产总值是多少', 'money', undefined],
    ['财政总收入增长了多少', 'percent', undefined],
    ['化解了多少起矛盾纠纷', 'quantity', '起'],
    ['落地了几个亿元级项目', 'quantity', '个'],
    ['规划面积有多大', 'quantity', undefined],
    ['重点发展哪两个主导产业', undefined, undefined],
  ])('reads the figure asked for in %s', (q, figure, measure) => {
    const a = analyzeQuestion(q);
    expect(a.figure).toBe(figure);
    expect(a.measure).toBe(measure);
  });

  it.each([
    ['罗星街道明年的工业投资目标是多少', true],
    ['南星街道2025年将重点推进哪些项目', true],
    ['下一步魏塘街道要做什么', true],
    ['新嘉街道2025年要推进第几期老旧小区改造', true],
    ['2024年主要完成了哪些项目', false],
    ['罗星街道江南未来社区获得了什么称号', false],
    ['2022年完成了多少征迁项目', false],
  ])('tells a question about plans: %s', (q, plan) => {
    expect(analyzeQuestion(q).plan).toBe(plan);
  });
});

describe('coverage', () => {
  it('counts characters, so bigrams straddling two words do not count as misses', () => {
    const q = analyzeQuestion('罗星街道给达普生物提供了多大面积的厂房');
    const text = normalizeForMatch('罗星街道为达普生物科技有限公司提供3000平方米的厂房');
    const c = coverage(q, text);
    expect(c.ratio).toBeGreaterThan(0.6);
    expect(c.ratio).toBeLessThan(1);
  });

  it('is 1 when the question has no content and 0 when nothing matches', () => {
    expect(coverage(analyzeQuestion('罗星街道是什么'), 'abc').ratio).toBe(1);
    expect(coverage(analyzeQuestion('地铁线路'), normalizeForMatch('罗星街道完成征迁项目12个')).ratio).toBe(0);
  });

  it('matches Latin words whole', () => {
    const q = analyzeQuestion('U8峰会');
    expect(coverage(q, normalizeForMatch('通过招引U8世界创新峰会')).matched).toBe(2);
  });
});

describe('matchesPlaces / mentionsYear / normalizeForMatch', () => {
  it('needs every place of one group', () => {
    const groups = analyzeQuestion('北京市海淀区或罗星街道').placeGroups;
    expect(matchesPlaces(groups, '赴北京招商')).toBe(false);
    expect(matchesPlaces(groups, '北京海淀')).toBe(true);
    expect(matchesPlaces(groups, '罗星')).toBe(true);
    expect(matchesPlaces([], 'x')).toBe(true);
  });

  it('finds a year only as a whole number', () => {
    expect(mentionsYear('2022是罗星街道硕果累累的一年', '2022')).toBe(true);
    // The base of a comparison is not the year described.
    expect(mentionsYear('一般公共预算36.6亿元，较2024年增加3.7亿元', '2024')).toBe(false);
    expect(mentionsYear('比2024年增长3%', '2024')).toBe(false);
    expect(mentionsYear('编号20221', '2022')).toBe(false);
  });

  it('folds full-width forms and spaces', () => {
    expect(normalizeForMatch('总投资 １８６．８ 亿元，ＧＤＰ')).toBe('总投资186.8亿元,gdp');
  });
});
