import { describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../../../src/answer/extractive-answerer.js';
import { decide, type DecideOptions } from '../../../src/ask/decide.js';
import { figuresMissingFrom } from '../../../src/answer/figure-check.js';
import { NOT_FOUND_TEXT } from '../../../src/answer/messages.js';
import type { RetrievedChunk } from '../../../src/types.js';
import { toPassages } from '../../../src/answer/passages.js';
import { ranked, retrievedChunk } from '../../helpers/retrieved-chunk.js';

const LX = { title: '罗星街道工作回顾', region: '嘉兴市嘉善县罗星街道', date: '2023', source: 'lx.txt' };
const GDP =
  '2022是罗星街道硕果累累、蝶变跃升的一年。全年实现地区生产总值108.1亿元，增长2.7%；财政总收入9.63亿元，同比增长21.99%，增幅列全县第一；完成固定资产投资94亿元，其中，服务业投资86.8亿元。';
const PLAN = '行而不辍，未来可期。展望新的一年，罗星街道将坚持“双招双引”一号工程。加大工业园区有机更新，力争完成工业投资8亿元以上，同比增长12%以上。';
const ROADS = '一座城的建设，关乎一城人的幸福感。2022年，罗星街道完成了未来社区、纬四路等征迁项目12个，推进17个老旧小区改造。';

const answer = (q: string, list: RetrievedChunk[], opts?: DecideOptions) => new ExtractiveAnswerer().answer(decide(q, list, opts));

/** Every figure of the answer is in a cited chunk's text. */
const grounded = (text: string, list: readonly RetrievedChunk[], cited: readonly { source: string; paragraph: number }[]) =>
  figuresMissingFrom(
    text,
    list.filter((c) => cited.some((x) => x.source === c.chunk.source && x.paragraph === c.chunk.paragraph)).map((c) => c.chunk.text),
  );

describe('ExtractiveAnswerer', () => {
  it('prefers the sentence about the asked year over a revised earlier year or a multi-year average', async () => {
    const revised = '根据核算制度，2021年全街道地区生产总值修订为101.2亿元。';
    const average = '五年来地区生产总值年均增长6.1%，迈上百亿元台阶。';
    const actual = '全年实现地区生产总值108.1亿元，增长2.7%。';
    const lx = { ...LX, years: [2022] };
    const list = ranked([revised, { ...lx, paragraph: 2 }], [average, { ...lx, paragraph: 3 }], [actual, { ...lx, paragraph: 4 }]);
    const a = await answer('罗星街道2022年地区生产总值是多少', list);
    expect(a.text.startsWith('全年实现地区生产总值108.1亿元')).toBe(true);
    const growth = await answer('罗星街道2022年地区生产总值增长了多少', list);
    expect(growth.text.startsWith('全年实现地区生产总值108.1亿元')).toBe(true);
  });

  it('reads a sentence as qualified by its nearest heading: the part asked for, not the total above it', async () => {
    const budget = { title: '临江县2024年预算执行情况的报告', subject: '临江县', years: [2024], source: 'lj.txt' };
    const list = ranked(
      ['全县新增政府债券21.4亿元。截至2024年末，全县政府债务余额312.5亿元，控制在限额以内。', { ...budget, paragraph: 30, section: ['四、政府债务情况'] }],
      ['县级新增债券8.2亿元，主要用于学校和医院建设。2024年末，债务余额96.3亿元。', { ...budget, paragraph: 32, section: ['四、政府债务情况', '（一）县级政府债务情况'] }],
    );
    const part = await answer('临江县2024年县级政府债务余额是多少？', list);
    // The quote says neither 临江县 nor 县级: the subject label comes first.
    expect(part.text.startsWith('临江县：2024年末，债务余额96.3亿元[1]')).toBe(true);
    // Without a part asked, the total is the answer.
    expect((await answer('临江县2024年政府债务余额是多少？', list)).text.startsWith('临江县：截至2024年末，全县政府债务余额312.5亿元')).toBe(true);
  });

  it('quotes a list question\'s items up to the full stop when they are separated by semicolons', async () => {
    const targets = '今年主要预期目标是：地区生产总值增长5%左右；城镇新增就业1.2万人；居民收入增长与经济增长同步。另有说明。';
    const a = await answer('罗星街道今年的主要预期目标有哪些', ranked([targets, { ...LX, paragraph: 20 }]));
    expect(a.text).toBe('今年主要预期目标是：地区生产总值增长5%左右；城镇新增就业1.2万人；居民收入增长与经济增长同步[1]。');
  });

  it("offers another year's figure with its year named when the asked year is not reported, as a not-found answer", async () => {
    const list = ranked([GDP, { ...LX, years: [2022], paragraph: 3 }]);
    const a = await answer('罗星街道2019年地区生产总值是多少', list);
    expect(a.found).toBe(false);
    expect(a.text).toMatch(/^报告中没有2019年的这项数据。报告中有2022年的：.*108\.1亿元.*\[1\]。$/);
    expect(a.citations.map((c) => c.paragraph)).toEqual([3]);
    // The sentence's year cannot be told (no year in it, none known for the report): a plain not-found.
    const undated = await answer('罗星街道2019年地区生产总值是多少', ranked([GDP, { ...LX, paragraph: 3 }]));
    expect(undated.found).toBe(false);
    expect(undated.text.startsWith(NOT_FOUND_TEXT)).toBe(true);
  });

  it('does not answer an asked amount of money with a rate alone, but lets a rate answer an asked change', async () => {
    const targets = '今年主要预期目标是：社会消费品零售总额增长5%左右，一般公共预算收入增长4%左右。';
    const list = ranked([targets, { ...LX, paragraph: 20 }]);
    const level = await answer('罗星街道社会消费品零售总额是多少', list);
    expect(level.found).toBe(false);
    const change = await answer('罗星街道社会消费品零售总额增长多少', list);
    expect(change.found).toBe(true);
    expect(change.text).toContain('5%左右');
  });

  it('quotes the clause holding the asked figure and cites its paragraph', async () => {
    const list = ranked([ROADS, { ...LX, paragraph: 16 }], [GDP, { ...LX, paragraph: 3 }]);
    const a = await answer('罗星街道2022年地区生产总值是多少', list);
    expect(a).toMatchObject({ found: true, answerer: 'extractive' });
    expect(a.text).toContain('108.1亿元');
    expect(a.text).toMatch(/\[1\]。$/);
    expect(a.citations).toEqual([
      expect.objectContaining({ n: 1, source: 'lx.txt', paragraph: 3, title: LX.title }),
    ]);
    expect(a.citations[0]?.text).toContain('全年实现地区生产总值108.1亿元');
    expect(grounded(a.text, list, a.citations)).toEqual([]);
  });

  it('prefers the percentage when the question asks how much something grew', async () => {
    const a = await answer('罗星街道2022年财政总收入增长了多少', ranked([GDP, LX]));
    expect(a.text).toContain('21.99%');
  });

  it('prefers the plan when the question asks about next year', async () => {
    const a = await answer('罗星街道明年工业投资要达到多少', ranked([GDP, LX], [PLAN, LX]));
    expect(a.text).toContain('8亿元');
    expect(a.citations[0]?.paragraph).toBe(2);
  });

  it('answers a comparison from both places, one citation each', async () => {
    const xj = { title: '新嘉街道2024年工作报告', region: '嘉兴市南湖区新嘉街道', source: 'xj.txt' };
    const list = ranked([GDP, LX], ['全年实现固定资产投资27.76亿元；规上工业总产值152.16亿元，同比增长3.8%。', xj]);
    const a = await answer('罗星街道和新嘉街道的固定资产投资分别是多少', list);
    expect(a.text).toContain('94亿元');
    expect(a.text).toContain('27.76亿元');
    expect(a.citations.map((c) => c.source)).toEqual(['lx.txt', 'xj.txt']);
    expect(a.text.match(/\[\d\]/g)).toEqual(['[1]', '[2]']);
  });

  it('cites a paragraph once although several of its chunks were retrieved', async () => {
    const cut = GDP.indexOf('财政总收入');
    const list = [
      retrievedChunk(GDP.slice(cut), { ...LX, paragraph: 3, start: cut, rank: 1 }),
      retrievedChunk(GDP.slice(0, cut + 10), { ...LX, paragraph: 3, rank: 2 }),
    ];
    const a = await answer('罗星街道2022年地区生产总值和财政总收入是多少', list);
    expect(a.citations).toHaveLength(1);
    expect(new Set(a.text.match(/\[\d\]/g))).toEqual(new Set(['[1]']));
  });

  it('never cites more than maxCitations paragraphs', async () => {
    const list = ranked(
      ['罗星街道招商引资项目20个，实到外资1043万美元。', { ...LX }],
      ['罗星街道签约服务业项目15个，招商活动7场。', { ...LX }],
      ['罗星街道引进人才项目9个，招商总监1名。', { ...LX }],
    );
    const a = await answer('罗星街道招商引资签约了多少个项目', list, { maxCitations: 1 });
    expect(a.citations).toHaveLength(1);
    expect(a.text).not.toMatch(/\[2\]/);
  });

  it('says not found when the year is not covered, quoting the closest paragraph as possibly related, with its citation', async () => {
    const a = await answer('罗星街道2019年地区生产总值是多少', ranked([GDP, LX]));
    expect(a.found).toBe(false);
    expect(a.text).toBe(`${NOT_FOUND_TEXT}可能相关：全年实现地区生产总值108.1亿元，增长2.7%[1]。`);
    expect(a.citations).toMatchObject([{ n: 1, source: LX.source, paragraph: 1 }]);
  });

  it('quotes at most two related paragraphs, and nothing for a question nothing is related to', async () => {
    const list = ranked([GDP, { ...LX, paragraph: 1 }], [ROADS, { ...LX, paragraph: 2 }], [PLAN, { ...LX, paragraph: 3 }]);
    const related = await answer('罗星街道2019年地区生产总值和老旧小区改造情况', list);
    expect(related.found).toBe(false);
    expect(related.citations.length).toBeLessThanOrEqual(2);
    const absurd = await answer('罗星街道的大熊猫有几只', list);
    expect(absurd).toMatchObject({ text: NOT_FOUND_TEXT, found: false, citations: [] });
  });

  it('says only not found for chit-chat', async () => {
    const a = await answer('你好', ranked([GDP, LX], [PLAN, LX]));
    expect(a.text).toBe(NOT_FOUND_TEXT);
    expect(a.found).toBe(false);
  });

  it('uses the relevance knobs it is given', async () => {
    const a = await answer('罗星街道2022年地区生产总值是多少', ranked([GDP, LX]), { relevance: { maxRank: 0 } });
    expect(a.found).toBe(false);
  });

  it('quotes report text with markup verbatim', async () => {
    const odd = '罗星街道发布<b>重点项目</b>清单 & “*星级*_服务_[第一批]”共12个。';
    const a = await answer('罗星街道重点项目清单有多少个', ranked([odd, LX]));
    expect(a.text).toBe(`${odd.slice(0, -1)}[1]。`);
    expect(a.citations[0]?.text).toBe(odd);
  });

  it('stops when the caller aborts', async () => {
    const ac = new AbortController();
    ac.abort(new Error('gone'));
    await expect(new ExtractiveAnswerer().answer(decide('罗星街道2022年地区生产总值是多少', ranked([GDP, LX])), { signal: ac.signal })).rejects.toThrow('gone');
  });
  it('lists the items that follow an introduction at once, although it announces no list', async () => {
    const intro =
      '2026年是全面推进各项改革的关键之年，做好财政工作意义重大，全市财政将坚持稳中求进工作总基调，更加注重统筹发展和安全，持续提升财政治理效能，为全市经济社会发展提供坚实保障。全年将聚焦重点领域和关键环节，加强财政资源统筹，优化支出结构，兜牢民生底线，防范化解风险，推动财政管理更加科学规范透明，确保全年各项财政工作任务落地见效。';
    const paragraphs = [
      { paragraph: 7, text: intro, kind: 'text' as const, section: [] },
      { paragraph: 8, text: '一、围绕扩大内需，巩固经济回升向好态势', kind: 'heading' as const, section: [] },
      { paragraph: 9, text: '一是落实消费支持政策。', kind: 'text' as const, section: ['一、围绕扩大内需，巩固经济回升向好态势'] },
      { paragraph: 10, text: '二、围绕保障民生，兜牢基层三保底线', kind: 'heading' as const, section: [] },
    ];
    const paragraphAt = (_: string, n: number) => paragraphs.find((p) => p.paragraph === n);
    const decision = decide('罗星街道2026年财政重点工作任务有哪些', ranked([intro, { ...LX, paragraph: 7 }]));
    const a = await new ExtractiveAnswerer().answer(decision, { paragraphAt });
    expect(a.text).toContain('一、围绕扩大内需，巩固经济回升向好态势[2]');
    expect(a.text).toContain('二、围绕保障民生，兜牢基层三保底线[3]');
    expect(a.citations.map((c) => c.paragraph)).toEqual([7, 8, 10]);
  });
  it('answers with the whole list when several retrieved passages are items of it', async () => {
    const items = ['（一）拓展财源，做大财政收入。', '（二）用好政策，促发展防风险。', '（三）罗星街道财政兜牢民生底线。', '（四）罗星街道财政厉行勤俭节约。'];
    const paragraphs = [
      { paragraph: 10, text: '罗星街道2026年财政工作重点抓好以下方面。', kind: 'text' as const, section: [] },
      ...items.map((text, i) => ({ paragraph: 11 + i, text, kind: 'heading' as const, section: [] })),
      { paragraph: 15, text: '二、其他事项', kind: 'heading' as const, section: [] },
    ];
    const paragraphAt = (_: string, n: number) => paragraphs.find((p) => p.paragraph === n);
    // Only the third and fourth items were retrieved, ranked first.
    const list = ranked([items[2] ?? '', { ...LX, paragraph: 13 }], [items[3] ?? '', { ...LX, paragraph: 14 }]);
    const passage = toPassages(list)[0];
    if (passage === undefined) throw new Error('no passage');
    const unit = { start: 0, end: passage.text.length, text: passage.text, sentenceStart: 0, sentenceEnd: passage.text.length };
    const decision = { kind: 'answer' as const, question: '罗星街道2026年财政工作安排有哪些方面', reason: '', usable: list, evidence: [{ passage, unit }] };
    const a = await new ExtractiveAnswerer().answer(decision, { paragraphAt });
    expect(a.text).toBe(
      '罗星街道2026年财政工作重点抓好以下方面[1]：（一）拓展财源，做大财政收入[2]；（二）用好政策，促发展防风险[3]；（三）罗星街道财政兜牢民生底线[4]；（四）罗星街道财政厉行勤俭节约[5]。',
    );
  });

  it('quotes an enumerating sentence to its full stop from the whole paragraph when the chunk ends before it', async () => {
    const goals = '今年罗星街道主要预期目标是：地区生产总值增长6%左右；一般公共预算收入增长3%；城镇新增就业1200人；研发投入强度3.1%左右。';
    const whole = `今年是关键之年。${goals}`;
    const cut = whole.slice(0, whole.indexOf('城镇新增'));
    const paragraphAt = (_: string, n: number) => (n === 4 ? { paragraph: 4, text: whole, kind: 'text' as const, section: [] } : undefined);
    const a = await new ExtractiveAnswerer().answer(decide('罗星街道今年主要预期目标是什么', ranked([cut, { ...LX, paragraph: 4 }])), { paragraphAt });
    expect(a.text).toContain(`${goals.slice(0, -1)}[1]。`);
    expect(a.citations[0]?.paragraph).toBe(4);
  });

  it('quotes a sentence that enumerates on its own, not the section headings that follow it', async () => {
    const goals = '今年罗星街道主要预期目标为：地区生产总值增长6%左右；城镇调查失业率5%以内；居民收入增长与经济增长同步。';
    const paragraphs = [
      { paragraph: 4, text: goals, kind: 'text' as const, section: [] },
      { paragraph: 5, text: '（一）着力提振市场信心', kind: 'heading' as const, section: [] },
      { paragraph: 6, text: '（二）着力扩大有效投资', kind: 'heading' as const, section: [] },
    ];
    const paragraphAt = (_: string, n: number) => paragraphs.find((p) => p.paragraph === n);
    const cut = goals.slice(0, goals.indexOf('；'));
    const a = await new ExtractiveAnswerer().answer(decide('罗星街道今年主要预期目标有哪些', ranked([cut, { ...LX, paragraph: 4 }])), { paragraphAt });
    expect(a.text).toContain('城镇调查失业率5%以内');
    expect(a.text).not.toContain('（一）');
  });
});
