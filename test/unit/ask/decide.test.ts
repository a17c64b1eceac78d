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
    const strict = createDecider({ relevance: { minCoverage: 1.01 } }).decide(q, list);
    expect(strict.kind).toBe('not-found');
  });
});
