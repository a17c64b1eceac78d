import { describe, expect, it } from 'vitest';
import { createDecider, decide } from '../../../src/ask/decide.js';
import { ranked } from '../../helpers/retrieved-chunk.js';

const LX = { title: '罗星街道工作回顾', region: '嘉兴市嘉善县罗星街道', source: 'lx.txt' };
const GDP = '2022是罗星街道硕果累累的一年。全年实现地区生产总值108.1亿元，增长2.7%；财政总收入9.63亿元，同比增长21.99%。';
const ROADS = '2022年，罗星街道完成了未来社区、纬四路等征迁项目12个，推进17个老旧小区改造。';

describe('decide', () => {
  it('answers from the unit that holds the asked figure, with the usable chunks in ranking order', () => {
    const list = ranked([ROADS, { ...LX, paragraph: 5 }], [GDP, { ...LX, years: [2022], paragraph: 3 }]);
    const d = decide('罗星街道2022年地区生产总值是多少', list);
    expect(d.kind).toBe('answer');
    if (d.kind !== 'answer') return;
    expect(d.evidence[0]?.unit.text).toContain('108.1亿元');
    expect(d.evidence[0]?.passage.paragraph).toBe(3);
    expect(d.usable.map((c) => c.rank)).toEqual([...d.usable.map((c) => c.rank)].sort((a, b) => a - b));
  });

  it('is not found when nothing retrieved is about the question, keeping the weakly related chunks', () => {
    const d = decide('罗星街道的大熊猫有几只', ranked([GDP, LX]));
    expect(d.kind).toBe('not-found');
    expect(d.reason).not.toBe('');
  });

  it('offers another year when only the asked year is missing, naming both years', () => {
    const d = decide('罗星街道2019年地区生产总值是多少', ranked([GDP, { ...LX, years: [2022], paragraph: 3 }]));
    expect(d).toMatchObject({ kind: 'other-year', askedYear: '2019', year: '2022' });
    if (d.kind === 'other-year') expect(d.evidence.unit.text).toContain('108.1亿元');
  });

  it("names a plan's own year for the other-year caveat, and never an amount taken for a year", () => {
    const plan = '今年赤字率拟按3%安排，财政赤字2.38万亿元，比去年增加2000亿元。';
    const nation = { title: '国务院政府工作报告', subject: '国务院', aliases: ['全国'], years: [2016], planYears: [2017], source: 'gov.txt' };
    expect(decide('2025年赤字率安排的是多少', ranked([plan, nation]))).toMatchObject({ kind: 'other-year', askedYear: '2025', year: '2017' });
  });

  it('answers who holds an office only from a sentence that names the holder', () => {
    const office = '进一步完善党委书记第一责任、纪委监督责任，层层压实责任。';
    expect(decide('罗星街道党工委书记叫什么名字', ranked([office, LX])).kind).toBe('not-found');
    const named = '罗星街道党工委书记周建国表示，要层层压实党委书记第一责任。';
    expect(decide('罗星街道党工委书记叫什么名字', ranked([named, LX])).kind).toBe('answer');
  });

  it('refuses an asked amount of money that only a growth rate answers', () => {
    const rates = '今年主要预期目标是：社会消费品零售总额增长5%左右，一般公共预算收入增长4%左右。';
    expect(decide('罗星街道今年一般公共预算收入是多少钱', ranked([rates, LX])).kind).toBe('not-found');
  });

  it('cites at most maxCitations paragraphs, and a decider keeps the options it was made with', () => {
    const list = ranked(
      ['罗星街道招商引资项目20个，实到外资1043万美元。', { ...LX, paragraph: 1 }],
      ['罗星街道签约服务业项目15个，招商活动7场。', { ...LX, paragraph: 2 }],
      ['罗星街道引进人才项目9个，招商总监1名。', { ...LX, paragraph: 3 }],
    );
    const q = '罗星街道招商引资签约了多少个项目';
    const one = createDecider({ maxCitations: 1 }).decide(q, list);
    expect(one.kind === 'answer' && one.evidence.length).toBe(1);
    const strict = createDecider({ relevance: { maxRank: 0 } }).decide(q, list);
    expect(strict.kind).toBe('not-found');
  });

  describe('a figure question worded unlike its answer', () => {
    const BIRTHS = '年末全市常住人口502.3万人。全年全市出生人口3.61万人，人口出生率为7.2‰；死亡人口3.02万人。';
    const CITY = { title: '2025年宁海市统计公报', subject: '宁海市', source: 'nh.txt', years: [2025] };

    it('answers from the first chunks when a unit holds a figure of the asked kind next to part of what is asked', () => {
      // 小孩 is in no passage: the wording alone would refuse.
      const d = decide('宁海市2025年一共出生了多少小孩', ranked([BIRTHS, CITY]));
      expect(d.kind).toBe('answer');
      if (d.kind === 'answer') expect(d.evidence[0]?.unit.text).toContain('3.61万人');
    });

    it('still refuses without a figure of the asked kind, below the first ranks, or for another place or year', () => {
      const noFigure = '全市持续优化生育支持政策，新生儿出生医学证明实现网上办理。';
      expect(decide('宁海市2025年一共出生了多少小孩', ranked([noFigure, CITY])).kind).toBe('not-found');
      const buried = ranked(['宁海市推进城市更新。', CITY], ['宁海市建设口袋公园。', CITY], [BIRTHS, CITY]);
      expect(decide('宁海市2025年一共出生了多少小孩', buried).kind).toBe('not-found');
      expect(decide('象山县2025年一共出生了多少小孩', ranked([BIRTHS, CITY])).kind).toBe('not-found');
      expect(decide('宁海市2019年一共出生了多少小孩', ranked([BIRTHS, CITY])).kind).not.toBe('answer');
    });

    it('does not answer a target with a result', () => {
      const review = '过去一年，宁海市规上工业总产值152.16亿元，同比增长3.8%。';
      expect(decide('宁海市2025年的GDP增长目标是多少', ranked([review, { ...CITY, years: [2024], planYears: [2025] }])).kind).toBe('not-found');
    });
  });
});
