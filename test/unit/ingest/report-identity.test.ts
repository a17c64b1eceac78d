import { describe, expect, it } from 'vitest';
import { inferIdentity } from '../../../src/ingest/report-identity.js';
import type { Paragraph } from '../../../src/types.js';

const paras = (...texts: string[]): Paragraph[] => texts.map((text, i) => ({ paragraph: i + 1, text, kind: 'text', section: [] }));

describe('inferIdentity', () => {
  it('reads subject, kind and years from a descriptive file name', () => {
    const id = inferIdentity({ source: 'corpus/郑州市_2025_统计公报.txt', title: '2025年郑州市国民经济和社会发展统计公报', paragraphs: paras('2025年，全市经济…') });
    expect(id).toMatchObject({ subject: '郑州市', aliases: ['郑州'], within: ['河南省'], kind: '统计公报', years: [2025] });
    expect(id.title).toBe('2025年郑州市国民经济和社会发展统计公报');
  });

  it('reads a street office from the body when the file name is a hash and there is no title', () => {
    const id = inferIdentity({
      source: '002_ab471fbdba255351.txt',
      paragraphs: paras('2024年,新嘉街道办事处坚持以习近平新时代中国特色社会主义思想为指导', '这一年,我们千方百计抓招商'),
    });
    expect(id).toMatchObject({ subject: '新嘉街道', aliases: ['新嘉'], years: [2024] });
    expect(id.title).not.toMatch(/^002_/);
    expect(id.title).toContain('新嘉街道');
  });

  it('a government work report reviews the year before its own and plans its own; a bare title gets the subject', () => {
    const id = inferIdentity({ source: 'x/河南省_2026_政府工作报告.txt', title: '政府工作报告', paragraphs: paras('各位代表：现在，我代表省人民政府，向大会报告工作') });
    expect(id).toMatchObject({ subject: '河南省', kind: '政府工作报告', years: [2025], planYears: [2026] });
    expect(id.title).toBe('河南省2026年政府工作报告');
  });

  it('recognises the State Council from its speaker, also in Traditional script', () => {
    const id = inferIdentity({ source: '0c1544968c8a.txt', paragraphs: paras('各位代表：', '現在，我代表中央人民政府作工作報告。') });
    expect(id).toMatchObject({ subject: '国务院', aliases: expect.arrayContaining(['全国', '我国']) });
  });

  it('budget reports plan the next year; a masked subject stays unknown', () => {
    expect(inferIdentity({ source: 'a.txt', title: '关于三亚市2025年预算执行情况和2026年预算草案的报告', paragraphs: paras('各位代表') })).toMatchObject({
      subject: '三亚市',
      kind: '预算报告',
      years: [2025],
      planYears: [2026],
    });
    const masked = inferIdentity({ source: '004_fb.txt', title: '街道2022年工作总结及2023年工作思路', paragraphs: paras('今年以来，*街道深入贯彻落实区委区政府的部署要求') });
    expect(masked.subject).toBeUndefined();
    expect(masked).toMatchObject({ years: [2022], planYears: [2023] });
  });

  it('places a street in the county and city its body names, but not in a county whose name is only a word', () => {
    const id = inferIdentity({
      source: 'a.txt',
      paragraphs: paras('2024年，云溪街道坚持稳中求进', '助力嘉善县高质量发展，嘉善科技园落地', '嘉兴市级示范点', '共同富裕示范区建设，富裕群众'),
    });
    expect(id).toMatchObject({ subject: '云溪街道', within: ['嘉善县', '嘉兴市', '浙江省'] });
    const alone = inferIdentity({ source: 'b.txt', paragraphs: paras('2024年，云溪街道坚持稳中求进', '共同富裕，富裕群众，惠民实事') });
    expect(alone.within).toBeUndefined();
  });

  it('a review that turns to 新的一年 plans the next year; a 二、2025年工作思路 section plans its year', () => {
    const review = inferIdentity({ source: 'a.txt', paragraphs: paras('2022年，云溪街道砥砺奋进', '新的一年，云溪街道将继续奋斗') });
    expect(review).toMatchObject({ years: [2022], planYears: [2023] });
    const sections = inferIdentity({
      source: 'b.txt',
      paragraphs: [
        { paragraph: 1, text: '一、2024年工作总结', kind: 'heading', section: [] },
        { paragraph: 2, text: '2024年，云溪街道砥砺奋进', kind: 'text', section: [] },
        { paragraph: 3, text: '二、2025年工作思路', kind: 'heading', section: [] },
      ],
    });
    expect(sections).toMatchObject({ years: [2024], planYears: [2025] });
    // A statistical bulletin plans nothing, whatever it says of the new year.
    const bulletin = inferIdentity({ source: 'c.txt', title: '2025年云溪市国民经济和社会发展统计公报', paragraphs: paras('新的一年，我们将…') });
    expect(bulletin.planYears).toBeUndefined();
  });

  it("takes reports.json's subject, kind and years over what it infers", () => {
    const id = inferIdentity({
      source: 'a.txt',
      paragraphs: paras('2024年，新嘉街道办事处坚持稳中求进'),
      subject: '某某公司',
      region: '嘉兴市南湖区',
      kind: '新闻报道',
      years: [2023],
      planYears: [2024],
    });
    expect(id).toMatchObject({ subject: '某某公司', within: ['南湖区', '嘉兴市'], kind: '新闻报道', years: [2023], planYears: [2024] });
  });

  it.each([
    ['a byline', '宁德市财政局局长 赵鹏', 'x/宁德市_2025_预算执行报告.txt', '宁德市2025年预算报告'],
    ['the tail of 在…会议上', '人民代表大会第五次会议上', 'x/宁德市_2025_预算执行报告.txt', '宁德市2025年预算报告'],
    ['an icon glyph and 微信', '\ue600微信', 'x/宁德市_2025_预算执行报告.txt', '宁德市2025年预算报告'],
    ['a bare year and kind', '2026年政府工作报告', 'x/宁德市_2026_政府工作报告.txt', '宁德市2026年政府工作报告'],
    ['the publishing body, with a descriptive file name', '宁德市人民政府', 'x/宁德市_2025_经济运行情况.txt', '宁德市2025年经济运行情况'],
  ])('replaces %s by a title that tells the report apart', (_what, title, source, expected) => {
    expect(inferIdentity({ source, title, paragraphs: paras('各位代表') }).title).toBe(expected);
  });
});
