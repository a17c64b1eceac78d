/**
 * The extractive answerer on the seed reports, with retrieval results built by
 * hand from the real paragraphs (as the ingest stage numbers them): the right
 * paragraph is often behind distractors. Checks the figure or name in the
 * answer, the cited report and paragraph, and that every figure of every
 * answer comes from a cited paragraph.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../../src/answer/extractive-answerer.js';
import { decide } from '../../src/ask/decide.js';
import { ungroundedFigures } from '../helpers/grounded-figures.js';
import { NOT_FOUND_TEXT } from '../../src/answer/messages.js';
import type { Answer } from '../../src/types.js';
import { SeedReports, type Pick } from '../helpers/seed-reports.js';

interface Case {
  readonly q: string;
  /** Retrieved paragraphs, rank 1 first. */
  readonly picks: readonly Pick[];
  /** Text the answer must contain (a figure or a name, as written in the report). */
  readonly expect: readonly string[];
  /** Paragraphs that must be cited. */
  readonly cites: readonly Pick[];
}

const GDP: Pick = ['000', '108.1亿元'];
const LX_ROADS: Pick = ['000', '纬四路'];
const LX_INVEST: Pick = ['000', '1043万美元'];
const NX_PROJECTS: Pick = ['001', '毛戈平总部项目'];
const XJ_ECONOMY: Pick = ['002', '27.76亿元'];

const ANSWERABLE: Case[] = [
  { q: '罗星街道2022年地区生产总值是多少', picks: [LX_ROADS, GDP, XJ_ECONOMY], expect: ['108.1亿元'], cites: [GDP] },
  { q: '罗星街道2022年财政总收入是多少？', picks: [XJ_ECONOMY, LX_INVEST, GDP], expect: ['9.63亿元'], cites: [GDP] },
  { q: '罗星街道一般公共预算收入同比增长多少', picks: [GDP, XJ_ECONOMY], expect: ['18.86%'], cites: [GDP] },
  { q: '罗星街道2022年实到外资多少美元', picks: [GDP, LX_INVEST], expect: ['1043万美元'], cites: [LX_INVEST] },
  { q: '罗星街道全年累计外出招商多少次', picks: [NX_PROJECTS, LX_INVEST], expect: ['140余次'], cites: [LX_INVEST] },
  { q: '罗星街道为达普生物提供了多大面积的厂房', picks: [LX_INVEST, ['000', '达普生物']], expect: ['3000平方米'], cites: [['000', '达普生物']] },
  { q: '罗星街道江南未来社区被命名为什么', picks: [LX_ROADS, ['000', '被命名全省首个省级未来社区']], expect: ['全省首个省级未来社区'], cites: [['000', '被命名全省首个省级未来社区']] },
  { q: '罗星街道医保扩面参保率是多少', picks: [GDP, ['000', '99.65%']], expect: ['99.65%'], cites: [['000', '99.65%']] },
  { q: '罗星街道在全县试点建成了几个巡回医疗点', picks: [['000', '永福花园巡回医疗点'], ['000', '99.65%']], expect: ['18个'], cites: [['000', '99.65%']] },
  { q: '罗星街道明年工业投资的目标是多少', picks: [GDP, LX_INVEST, ['000', '工业投资8亿元']], expect: ['8亿元'], cites: [['000', '工业投资8亿元']] },
  { q: '罗星街道有几个党群服务中心获评五星级', picks: [['000', '第一议题'], ['000', '五星级党群服务中心']], expect: ['5个'], cites: [['000', '五星级党群服务中心']] },
  { q: '罗星街道2023年计划建成多少亩高标准农田', picks: [['000', '1050亩'], ['000', '740亩']], expect: ['740亩'], cites: [['000', '740亩']] },
  { q: '罗星街道的“五大行动”包括哪些', picks: [GDP, ['000', '五大行动']], expect: ['产业提级攻坚行动'], cites: [['000', '五大行动']] },
  { q: '南星街道2024年走访了多少家规上企业', picks: [XJ_ECONOMY, NX_PROJECTS, ['001', '五大攻坚战营']], expect: ['190家'], cites: [['001', '五大攻坚战营']] },
  { q: '南星街道更新了多少台电梯', picks: [NX_PROJECTS, ['001', '电梯更新84台']], expect: ['84台'], cites: [['001', '电梯更新84台']] },
  { q: '南星街道拆除了多少处违章建筑', picks: [['001', '电梯更新84台'], ['001', '违章建筑']], expect: ['19处'], cites: [['001', '违章建筑']] },
  { q: '南星街道全年开展安全检查多少次', picks: [['001', '违章建筑'], ['001', '2926次']], expect: ['2926次'], cites: [['001', '2926次']] },
  { q: '南星街道党员模块化教育集中培训了多少人', picks: [['001', '党员模块化教育']], expect: ['745人'], cites: [['001', '党员模块化教育']] },
  { q: '南星街道2025年要重点跟进哪个企业的拿地项目', picks: [NX_PROJECTS, ['001', '新和成']], expect: ['新和成'], cites: [['001', '新和成']] },
  { q: '南星街道2024年围绕什么主题开展工作', picks: [['001', '产业突破年']], expect: ['产业突破年'], cites: [['001', '产业突破年']] },
  { q: '新嘉街道2024年规上工业总产值是多少', picks: [GDP, XJ_ECONOMY], expect: ['152.16亿元'], cites: [XJ_ECONOMY] },
  { q: '新嘉街道限额以上社会消费品零售额增长了多少', picks: [XJ_ECONOMY], expect: ['2.1%'], cites: [XJ_ECONOMY] },
  { q: '新嘉街道化解了多少起矛盾纠纷', picks: [XJ_ECONOMY, ['002', '985起']], expect: ['985起'], cites: [['002', '985起']] },
  { q: '新嘉街道完成了多少项集体决策', picks: [['002', '985起'], ['002', '集体决策218项']], expect: ['218项'], cites: [['002', '集体决策218项']] },
  { q: '新嘉街道百姓健身房的年客流量有多少', picks: [['002', '985起'], ['002', '百姓健身房']], expect: ['2万人次'], cites: [['002', '百姓健身房']] },
  { q: '海宁今年定下的“777”目标是什么', picks: [['003', '186.8'], ['003', '777']], expect: ['投资700亿'], cites: [['003', '777']] },
  { q: '晶科能源落户海宁的项目总投资是多少', picks: [['003', '777'], ['003', '186.8']], expect: ['186.8亿元'], cites: [['003', '186.8']] },
  { q: '魏塘街道组建了多少支暖心服务小分队', picks: [['003', '红巷轻骑兵'], ['003', '183支']], expect: ['183支'], cites: [['003', '183支']] },
  { q: '平湖市纪委监委把多少条惠企助企措施列入监督清单', picks: [['003', '16家企业'], ['003', '45条']], expect: ['45条'], cites: [['003', '45条']] },
  { q: '王店镇组建了多少支网格小分队', picks: [['003', '1168张'], ['003', '124支网格小分队，开通']], expect: ['124支'], cites: [['003', '124支网格小分队，开通']] },
  { q: '盛威安防吸收聘用了多少名当地村民', picks: [['003', '5200万美元'], ['003', '300多名']], expect: ['300多名'], cites: [['003', '300多名']] },
  { q: '南湖云创小镇范围有多少平方公里', picks: [['003', '2021年度考核'], ['003', '3.07平方公里']], expect: ['3.07平方公里'], cites: [['003', '3.07平方公里']] },
  { q: '科技岛所在街道2023年要实现多少亩土地顺利征收', picks: [['004', '樟里村（一期）']], expect: ['600亩'], cites: [['004', '樟里村（一期）']] },
  { q: '“侨之岛”宣讲队伍涵盖多少乡贤侨胞', picks: [['004', '侨之岛']], expect: ['2.65万'], cites: [['004', '侨之岛']] },
  {
    q: '罗星街道和新嘉街道的固定资产投资分别是多少',
    picks: [GDP, NX_PROJECTS, XJ_ECONOMY],
    expect: ['94亿元', '27.76亿元'],
    cites: [GDP, XJ_ECONOMY],
  },
];

/** Questions the seeds cannot answer, with the closest paragraphs retrieval might return. */
const UNANSWERABLE: [string, Pick[]][] = [
  ['罗星街道2019年地区生产总值是多少', [GDP, LX_INVEST]],
  ['北京市海淀区2022年财政收入是多少', [LX_INVEST, GDP]],
  ['罗星街道的地铁线路规划是什么？', [LX_ROADS, ['000', '最美第三通道']]],
  ['你好', [GDP, NX_PROJECTS, XJ_ECONOMY]],
  ['今天天气怎么样', [['003', '777'], GDP]],
  ['南星街道2024年地区生产总值是多少', [NX_PROJECTS, GDP]],
  ['新嘉街道的常住人口有多少', [XJ_ECONOMY, ['002', '百姓健身房']]],
  ['杭州市西湖区2024年地区生产总值是多少', [NX_PROJECTS, GDP]],
  ['新嘉街道2027年的工作计划是什么', [['002', '收官之年'], XJ_ECONOMY]],
  ['海宁市2021年全年GDP是多少', [['003', '777'], ['003', '186.8']]],
  ['罗星街道的二手房均价是多少', [LX_ROADS, GDP]],
  ['给我讲个笑话吧', [GDP, NX_PROJECTS]],
];

let seeds: SeedReports;
beforeAll(async () => {
  seeds = await SeedReports.load();
});

/** The answer's markers are exactly 1..n in order of first use, one per citation. */
function expectWellFormed(a: Answer): void {
  const used = [...new Set([...a.text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))];
  expect(used).toEqual(a.citations.map((c) => c.n));
  expect(used).toEqual(used.map((_n, i) => i + 1));
  expect(new Set(a.citations.map((c) => `${c.source}#${c.paragraph}`)).size).toBe(a.citations.length);
  expect(a.citations.length).toBeLessThanOrEqual(3);
}

describe.each([
  ['whole paragraphs', false],
  ['ingest chunks', true],
])('ExtractiveAnswerer on the seeds (%s)', (_name, chunked) => {
  it.each(ANSWERABLE)('$q', async ({ q, picks, expect: wanted, cites }) => {
    const a = await new ExtractiveAnswerer().answer(decide(q, seeds.retrieved(picks, { chunked })));
    expect(a.found, a.text).toBe(true);
    for (const w of wanted) expect(a.text).toContain(w);
    for (const [prefix, evidence] of cites) {
      const p = seeds.paragraph(prefix, evidence);
      expect(a.citations).toContainEqual(expect.objectContaining({ source: p.report.source, paragraph: p.paragraph, title: p.report.title }));
    }
    expectWellFormed(a);
    // Every figure of the answer is in a cited paragraph.
    const cited = a.citations.map((c) => seeds.reports.find((r) => r.source === c.source)?.paragraphs[c.paragraph - 1]?.text ?? '');
    expect(ungroundedFigures(a.text, cited)).toEqual([]);
    // Quotes are pieces of the cited paragraph.
    for (const [i, c] of a.citations.entries()) {
      for (const piece of c.text.split('…').filter((s) => s.trim() !== '')) expect(cited[i]).toContain(piece.trim());
    }
  });

  it.each(UNANSWERABLE)('says not found: %s', async (q, picks) => {
    const a = await new ExtractiveAnswerer().answer(decide(q, seeds.retrieved(picks, { chunked })));
    expect(a.found).toBe(false);
    // A year the reports do not cover may be answered with another year's figure, that year named and cited.
    const otherYear = /^报告中没有(\d{4})年的这项数据。报告中有(\d{4})年的：/.exec(a.text);
    if (otherYear === null) {
      expect(a.text.startsWith(NOT_FOUND_TEXT)).toBe(true);
      // Paragraphs offered as possibly related are quoted after 可能相关, each cited.
      if (a.citations.length > 0) expect(a.text).toContain('可能相关：');
      expect(a.citations.length).toBeLessThanOrEqual(2);
    } else {
      expect(q).toContain(`${otherYear[1]}年`);
      expect(otherYear[2]).not.toBe(otherYear[1]);
      expect(a.citations).toHaveLength(1);
    }
  });
});

/** Yes/no questions over the seeds and the verdict their answer starts with (undefined: the quote alone). */
const YES_NO: [string, Pick, string | undefined][] = [
  ['罗星街道白水塘路通车了吗？', ['000', '白水塘路'], '已经。'],
  ['罗星街道江南未来社区是不是全省首个省级未来社区', ['000', '被命名全省首个省级未来社区'], '是。'],
  ['新嘉街道2024年发生过民转刑案事件吗？', ['002', '民转刑案'], '否。'],
  // The report says 108.1亿元: the quote answers, no verdict is guessed.
  ['罗星街道2022年地区生产总值是100亿元吗', GDP, undefined],
];

describe.each([
  ['whole paragraphs', false],
  ['ingest chunks', true],
])('yes/no answers on the seeds (%s)', (_name, chunked) => {
  it.each(YES_NO)('%s', async (q, pick, verdict) => {
    const a = await new ExtractiveAnswerer().answer(decide(q, seeds.retrieved([pick], { chunked })));
    expect(a.found, a.text).toBe(true);
    if (verdict === undefined) expect(a.text).not.toMatch(/^(?:是|否|已经|尚未)。/);
    else expect(a.text.startsWith(verdict), a.text).toBe(true);
    const p = seeds.paragraph(...pick);
    expect(a.citations).toContainEqual(expect.objectContaining({ source: p.report.source, paragraph: p.paragraph }));
    expectWellFormed(a);
  });
});

describe('the example of issue #4', () => {
  it('answers 108.1亿元 citing the paragraph of seed 000 that holds it', async () => {
    const a = await new ExtractiveAnswerer().answer(decide('罗星街道2022年地区生产总值是多少', seeds.retrieved([GDP])));
    const p = seeds.paragraph('000', '108.1亿元');
    expect(a.text).toContain('108.1亿元');
    expect(a.citations[0]).toMatchObject({ n: 1, source: '000_66e9643bcf1264a2.txt', paragraph: p.paragraph });
  });
});
