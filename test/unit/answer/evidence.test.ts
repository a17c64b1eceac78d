import { describe, expect, it } from 'vitest';
import { askedFigureIn, holdsAskedFigure, labelsAskedMetric, rankCandidates } from '../../../src/answer/evidence.js';
import { toPassages } from '../../../src/answer/passages.js';
import { analyzeQuestion } from '../../../src/answer/question-analysis.js';
import { ranked } from '../../helpers/retrieved-chunk.js';

describe('labelsAskedMetric', () => {
  it('refuses a figure of another metric with the same head', () => {
    const q = analyzeQuestion('宁海市2025年森林覆盖率是多少');
    expect(labelsAskedMetric(q, '广播综合人口覆盖率99.36%，电视综合人口覆盖率99.77%。')).toBe(false);
    expect(labelsAskedMetric(q, '全市森林覆盖率达到41.2%。')).toBe(true);
  });

  it('looks at the clause of the figure, not at words elsewhere in the sentence', () => {
    const q = analyzeQuestion('宁海市2025年房地产开发投资是多少');
    expect(labelsAskedMetric(q, '受房地产市场下行影响，全市政府性基金收入788亿元，下降24.8%。')).toBe(false);
    expect(labelsAskedMetric(q, '全年房地产开发投资312亿元，下降9.1%。')).toBe(true);
  });

  it('accepts the modifier elsewhere in the unit when the figure\'s clause names the head', () => {
    const q = analyzeQuestion('宁海落地的新能源项目总投资多少');
    expect(labelsAskedMetric(q, '储能电池项目落户宁海，总投资86.8亿元；')).toBe(true);
  });

  it('does not apply to short metrics, metrics without a metric head, or questions asking no figure', () => {
    expect(labelsAskedMetric(analyzeQuestion('宁海市2025年GDP是多少'), '全市生产总值900亿元。')).toBe(true);
    expect(labelsAskedMetric(analyzeQuestion('宁海市改造了多少个老旧小区'), '推进17个老旧小区改造。')).toBe(true);
    expect(labelsAskedMetric(analyzeQuestion('宁海市有哪些森林公园'), '广播综合人口覆盖率99.36%。')).toBe(true);
  });

  it('does not take a share for a growth rate', () => {
    const q = analyzeQuestion('宁海市2025年GDP增速是多少');
    expect(labelsAskedMetric(q, '制造业增加值占地区生产总值比重达33.5%。')).toBe(false);
    expect(labelsAskedMetric(q, '全市生产总值900亿元，比上年增长5.3%。')).toBe(true);
  });

  it('counts a per-mille rate as a rate', () => {
    const q = analyzeQuestion('宁海市2025年人口自然增长率多少');
    expect(labelsAskedMetric(q, '人口出生率为7.2‰；自然增长率为-2.70‰。')).toBe(true);
    expect(askedFigureIn(q, '自然增长率为-2.70‰。')).toBe('kind');
  });
});

describe('holdsAskedFigure', () => {
  it('does not read the 省 of a province as a question about savings', () => {
    const q = analyzeQuestion('浙江省2026年社会消费品零售总额是多少');
    expect(holdsAskedFigure(q, '社会消费品零售总额增长5%左右。')).toBe(false);
    expect(holdsAskedFigure(q, '社会消费品零售总额4.64万亿元。')).toBe(true);
    expect(holdsAskedFigure(analyzeQuestion('宁海市今年节省了多少钱'), '一般性支出压减5%。')).toBe(true);
  });
});

describe('rankCandidates', () => {
  it('prefers a year\'s result to a target for the same figure when no plan is asked', () => {
    const target = '主要预期目标是：地区生产总值增长5.5%左右，粮食产量1300亿斤以上。';
    const result = '一年来，全省生产总值增长5.6%，粮食产量1350.97亿斤。';
    const passages = toPassages(ranked([target, { source: 'plan.txt' }], [result, { source: 'review.txt' }]));
    expect(rankCandidates(analyzeQuestion('2025年粮食产量多少斤'), passages)[0]?.unit.text).toContain('1350.97亿斤');
    expect(rankCandidates(analyzeQuestion('2025年粮食产量的目标是多少'), passages)[0]?.unit.text).toContain('1300亿斤');
  });

  it('answers 多少台 with a count in 台, not with growth rates of the same product', () => {
    const rates = '服务器、智能手机等新兴产品产量分别增长42.9%、13.0%。';
    const count = '主要工业产品产量稳定增长。其中，手机3120.5万台，比上年增长8.2%；汽车20.4万辆。';
    const passages = toPassages(ranked([rates, { source: 'a.txt' }], [count, { source: 'a.txt' }]));
    expect(rankCandidates(analyzeQuestion('去年手机产量是多少台'), passages)[0]?.unit.text).toContain('3120.5万台');
    // Without a measure word a sum of money may answer 多少 (涨多少: 提高20元).
    const score = (text: string): number => rankCandidates(analyzeQuestion('基础养老金涨多少'), toPassages(ranked([text, { source: 'b.txt' }])))[0]?.score ?? 0;
    expect(score('基础养老金最低标准再提高20元。') - score('基础养老金最低标准再提高。')).toBeGreaterThan(0.3);
  });

  it("answers a year's figure from the review, not from the section of the coming years' goals", () => {
    const goals = '推进基本公共服务均等化，城镇新增就业300万人以上，稳步提高居民收入水平。';
    const review = '突出抓好重点群体就业，城镇新增就业61.2万人。';
    const passages = toPassages(
      ranked([goals, { source: 'r.txt', section: ['二、“十五五”时期主要目标任务'] }], [review, { source: 'r.txt', section: ['一、2025年工作回顾'] }]),
    );
    expect(rankCandidates(analyzeQuestion('2025年城镇新增就业多少人'), passages)[0]?.unit.text).toContain('61.2万人');
  });

  it('answers 一共有多少 with the total, and 新增了多少 with what the year added', () => {
    const text = '全年新增高新技术企业35家，其中省级12家。年末全市高新技术企业总数418家，其中省级高新技术企业96家。';
    const passages = toPassages(ranked([text, { source: 'a.txt' }]));
    expect(rankCandidates(analyzeQuestion('一共有多少家高新技术企业'), passages)[0]?.unit.text).toContain('418家');
    expect(rankCandidates(analyzeQuestion('全年新增了多少家高新技术企业'), passages)[0]?.unit.text).toContain('35家');
  });

  it("answers a place's figure with the whole area's, not its 市级 part, unless the part is asked", () => {
    const part = '2025年市级共新增债券41.2亿元，主要用于重点项目建设。';
    const whole = '2025年全市新增债券203.5亿元，再融资债券88.1亿元。';
    const passages = toPassages(ranked([part, { source: 'a.txt' }], [whole, { source: 'a.txt' }]));
    expect(rankCandidates(analyzeQuestion('2025年新增了多少政府债券'), passages)[0]?.unit.text).toContain('203.5亿元');
    expect(rankCandidates(analyzeQuestion('2025年市级新增了多少政府债券'), passages)[0]?.unit.text).toContain('41.2亿元');
  });

  it("ranks a footnote and a revision of the year before below the asked year's figures", () => {
    const figures = '初步核算，全年全市生产总值9244.6亿元，比上年增长5.4%。其中，第一产业增加值212.9亿元，增长3.7%；第二产业增加值3576.8亿元，增长5.4%。';
    const notes =
      '2．生产总值、各产业增加值绝对数按现价计算，增长速度按不变价格计算。根据第五次全国经济普查结果，2024年全市生产总值修订为8569.6亿元，比上年增长5.7%，三次产业结构为2.3:40.1:57.6。';
    const passages = toPassages(ranked([figures, { source: 'a.txt' }], [notes, { source: 'a.txt' }]));
    expect(rankCandidates(analyzeQuestion('2025年三次产业增加值分别是多少'), passages)[0]?.unit.text).toContain('212.9亿元');
  });
});
