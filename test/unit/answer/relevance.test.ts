import { describe, expect, it } from 'vitest';
import { DEFAULT_RELEVANCE_OPTIONS, judgeRelevance } from '../../../src/answer/relevance.js';
import { ranked, retrievedChunk } from '../../helpers/retrieved-chunk.js';

const LUOXING = { title: '罗星街道2022年工作回顾', region: '嘉兴市嘉善县罗星街道', date: '2023', source: 'luoxing.txt' };
const GDP = '2022是罗星街道硕果累累的一年。全年实现地区生产总值108.1亿元，增长2.7%；财政总收入9.63亿元，同比增长21.99%。';
const ROADS = '罗星街道完成了未来社区、纬四路等征迁项目12个，白水塘路完成改造并通车运行。';
const PLAN = '展望新的一年，罗星街道将坚持“双招双引”一号工程，力争完成工业投资8亿元以上。';

describe('judgeRelevance', () => {
  it('accepts a passage that covers the question and its constraints', () => {
    const j = judgeRelevance('罗星街道2022年地区生产总值是多少', ranked([ROADS, LUOXING], [GDP, LUOXING]));
    expect(j.relevant).toBe(true);
    expect(j.usable.map((c) => c.rank)).toEqual([2]);
    expect(j.related).toEqual([]);
  });

  it.each([
    ['罗星街道2022年经济总量有多大', GDP],
    ['罗星街道2022年GDP是多少', GDP],
    ['罗星街道新增了多少家规上企业', '罗星街道全年新增规模以上工业企业5家。'],
  ])('accepts a passage that says %s in the reports\' own words', (question, passage) => {
    expect(judgeRelevance(question, ranked([passage, LUOXING])).relevant).toBe(true);
  });

  it("counts the place words of the question as covered by the report's own subject (bulletins say 全市)", () => {
    const bulletin = { title: '2025年国民经济和社会发展统计公报', subject: '乌鲁木齐市', aliases: ['乌鲁木齐'], source: 'wlmq.txt' };
    const gdp = '根据地区生产总值统一核算结果，2025年实现地区生产总值4658.19亿元，按可比价计算，比上年增长4.5%。';
    expect(judgeRelevance('乌鲁木齐市2025年GDP增速是多少', ranked([gdp, bulletin])).relevant).toBe(true);
    // Without the identity the place words count as missing content.
    expect(judgeRelevance('乌鲁木齐市2025年GDP增速是多少', ranked([gdp, { ...bulletin, subject: '克拉玛依市', aliases: [] }])).relevant).toBe(false);
  });

  it("reads the years a report reviews and plans from its identity, not from its title's year", () => {
    // 《2025年政府工作报告》 reviews 2024 and plans 2025.
    const report = { title: '2025年临江市政府工作报告', subject: '临江市', years: [2024], planYears: [2025], source: 'lj.txt' };
    const review = '过去一年，全年生产总值6.36万亿元、增长5.1%。';
    const targets = '今年主要预期目标是：生产总值增长5.5%左右。';
    expect(judgeRelevance('临江市2024年生产总值是多少', ranked([review, report])).relevant).toBe(true);
    expect(judgeRelevance('临江市2025年生产总值增长了多少', ranked([review, report])).relevant).toBe(false);
    expect(judgeRelevance('临江市2025年生产总值增长目标是多少', ranked([targets, report])).relevant).toBe(true);
  });

  it('does not let a synonym alone answer a question about another place', () => {
    expect(judgeRelevance("What was Shanghai's GDP in 2023?", ranked([GDP, LUOXING])).relevant).toBe(false);
  });

  it('refuses a year no candidate mentions, naming the closest report', () => {
    const j = judgeRelevance('罗星街道2019年地区生产总值是多少', ranked([GDP, LUOXING], [ROADS, LUOXING]));
    expect(j.relevant).toBe(false);
    expect(j.usable).toEqual([]);
    expect(j.reason).toContain('year 2019');
    expect(j.related.map((c) => c.report.title)).toContain(LUOXING.title);
  });

  it('takes a year from the report title, region or date', () => {
    const j = judgeRelevance('罗星街道2023年工业投资目标是多少', ranked([PLAN, LUOXING]));
    expect(j.relevant).toBe(true);
  });

  it('refuses a place no candidate names, even when part of it occurs', () => {
    const beijing = '选派招商干部赴北京、上海、深圳等地招商，财政收入稳步增长。';
    const j = judgeRelevance('北京市海淀区2022年财政收入是多少', ranked([beijing, LUOXING], [GDP, LUOXING]));
    expect(j.relevant).toBe(false);
    expect(j.reason).toContain('海淀');
    expect(j.related).toEqual([]);
  });

  it('takes a place from the section path', () => {
    const j = judgeRelevance('王店镇发放了多少张紧急联系服务卡', [
      retrievedChunk('完成联系走访服务1.4万余次，发放紧急联系服务卡1168张。', { section: ['王店：服务百姓“零距离”'] }),
    ]);
    expect(j.relevant).toBe(true);
  });

  it('accepts either place of a comparison', () => {
    const xinjia = { title: '新嘉街道办事处2024年工作报告', region: '嘉兴市南湖区新嘉街道', source: 'xinjia.txt' };
    const j = judgeRelevance('罗星街道和新嘉街道的固定资产投资分别是多少', [
      retrievedChunk('完成固定资产投资94亿元，其中服务业投资86.8亿元。', { ...LUOXING, rank: 1 }),
      retrievedChunk('全年实现固定资产投资27.76亿元。', { ...xinjia, rank: 2 }),
    ]);
    expect(j.usable.map((c) => c.report.source)).toEqual(['luoxing.txt', 'xinjia.txt']);
  });

  it("does not take a street's report for one about the city around it, but lets the question place the street in it", () => {
    const luoxing = { ...LUOXING, subject: '罗星街道', aliases: ['罗星'] };
    const fiscal = '一般公共预算收入4.88亿元，同比增长18.86%，增幅列全县第二。';
    expect(judgeRelevance('嘉兴市的一般公共预算收入增长了多少', ranked([fiscal, luoxing])).relevant).toBe(false);
    expect(judgeRelevance('罗星街道的一般公共预算收入增速在嘉善县排第几', ranked([fiscal, luoxing])).relevant).toBe(true);
    // A passage that names the city itself is about it.
    expect(judgeRelevance('嘉兴市的一般公共预算收入增长了多少', ranked([`嘉兴市${fiscal}`, luoxing])).relevant).toBe(true);
  });

  it('refuses a topic the passages do not cover', () => {
    const j = judgeRelevance('罗星街道的地铁线路规划是什么？', ranked([ROADS, LUOXING], [PLAN, LUOXING]));
    expect(j.relevant).toBe(false);
    expect(j.reason).toMatch(/coverage/);
  });

  it.each(['你好', '今天天气怎么样', '谢谢你的帮助！', '？？'])('refuses chit-chat: %s', (q) => {
    expect(judgeRelevance(q, ranked([GDP, LUOXING], [ROADS, LUOXING], [PLAN, LUOXING])).relevant).toBe(false);
  });

  it('needs a quoted name verbatim', () => {
    const plan = ranked([PLAN, LUOXING]);
    expect(judgeRelevance('“双招双引”是什么工程', plan).relevant).toBe(true);
    expect(judgeRelevance('“双招三引”是什么工程', plan).relevant).toBe(false);
  });

  it('needs the head term in some usable passage unless coverage is high', () => {
    const text = '海宁市举办2023年全市一季度重大招商引资项目集中签约活动，确保实现项目合作签约300亿元。';
    expect(judgeRelevance('海宁市2023年一季度最终实现的GDP增速是多少', ranked([text, { region: '嘉兴市' }])).relevant).toBe(false);
    expect(judgeRelevance('海宁市2023年一季度签约了多少亿元', ranked([text, { region: '嘉兴市' }])).relevant).toBe(true);
  });

  it('needs at least two matching terms when the question has two', () => {
    const j = judgeRelevance('1加1等于几', ranked(['开展党员模块化教育集中培训8场次，培训745人，覆盖党员23.8%，1人获奖。']));
    expect(j.relevant).toBe(false);
  });

  it('ignores candidates ranked below maxRank', () => {
    const list = ranked([ROADS, LUOXING], [PLAN, LUOXING], [GDP, LUOXING]);
    expect(judgeRelevance('罗星街道2022年地区生产总值是多少', list, { maxRank: 2 }).relevant).toBe(false);
    expect(judgeRelevance('罗星街道2022年地区生产总值是多少', list, { maxRank: 3 }).relevant).toBe(true);
  });

  it('lets a very similar vector through without shared words, constraints still applying', () => {
    const chunk = retrievedChunk(GDP, { ...LUOXING, vectorScore: 0.9 });
    expect(judgeRelevance('What was the gross regional product of Luoxing in 2022?', [chunk]).relevant).toBe(true);
    expect(judgeRelevance('What was the gross regional product of Luoxing in 2019?', [chunk]).relevant).toBe(false);
    const weak = retrievedChunk(GDP, { ...LUOXING, vectorScore: DEFAULT_RELEVANCE_OPTIONS.strongVectorScore - 0.01 });
    expect(judgeRelevance('What was the gross regional product of Luoxing in 2022?', [weak]).relevant).toBe(false);
  });

  it('says not found for an empty list', () => {
    expect(judgeRelevance('罗星街道2022年地区生产总值是多少', [])).toMatchObject({ relevant: false, reason: 'nothing retrieved' });
  });

  it('is a pure function of its inputs', () => {
    const list = ranked([GDP, LUOXING], [ROADS, LUOXING]);
    const a = judgeRelevance('罗星街道2022年财政总收入是多少', list);
    const b = judgeRelevance('罗星街道2022年财政总收入是多少', list);
    expect(b).toEqual(a);
  });

  it('moves with minCoverage', () => {
    const list = ranked(['罗星街道给达普生物提供3000平方米的厂房，房租全额补贴。', LUOXING]);
    const q = '罗星街道给达普生物提供了多大面积的厂房和多少人才公寓';
    expect(judgeRelevance(q, list, { minCoverage: 0.3 }).relevant).toBe(true);
    expect(judgeRelevance(q, list, { minCoverage: 0.95 }).relevant).toBe(false);
  });
});
