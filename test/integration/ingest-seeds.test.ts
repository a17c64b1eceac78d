import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_OPTIONS, chunkReport } from '../../src/ingest/chunk.js';
import { parseReport } from '../../src/ingest/parse-report.js';
import { readReports } from '../../src/ingest/read-reports.js';
import type { Paragraph, Report } from '../../src/types.js';

const SEEDS = path.resolve('seeds');
const S000 = '000_66e9643bcf1264a2.txt';
const S001 = '001_e2c7ed4295899fe4.txt';
const S002 = '002_ab471fbdba255351.txt';
const S003 = '003_27b9736ab03bda84.txt';
const S004 = '004_fb0e9855fe739ea6.txt';

/** Paragraph and heading counts checked by eye against the seed files. */
const EXPECTED = {
  [S000]: { paragraphs: 25, headings: 6 },
  [S001]: { paragraphs: 29, headings: 7 },
  [S002]: { paragraphs: 17, headings: 0 },
  [S003]: { paragraphs: 57, headings: 8 },
  [S004]: { paragraphs: 12, headings: 3 },
};

/** Paragraph-final punctuation a whole paragraph may end with (independent of the implementation's list). */
const WHOLE = /[。！？；…”』）：:!?;)]$/;

let reports: Map<string, Report>;
const seed = (source: string): Report => {
  const r = reports.get(source);
  if (!r) throw new Error(`seed ${source} not read`);
  return r;
};
const texts = (r: Report): string[] => r.paragraphs.map((p) => p.text);
const containing = (r: Report, needle: string): Paragraph => {
  const found = r.paragraphs.filter((p) => p.text.includes(needle));
  expect(found, `exactly one paragraph contains ${needle}`).toHaveLength(1);
  return found[0] as Paragraph;
};

beforeAll(async () => {
  const result = await readReports(SEEDS);
  expect(result.skipped).toEqual([]);
  reports = new Map(result.reports.map((r) => [r.source, r]));
});

describe('seed reports', () => {
  it('reads all five with their reports.json titles', () => {
    expect([...reports.keys()]).toEqual([S000, S001, S002, S003, S004]);
    expect(seed(S002).title).toBe('新嘉街道办事处2024年工作报告');
    expect(seed(S000).region).toBe('嘉兴市嘉善县罗星街道');
  });

  it.each(Object.entries(EXPECTED))('%s has the expected paragraphs', (source, expected) => {
    const r = seed(source);
    expect(r.paragraphs).toHaveLength(expected.paragraphs);
    expect(r.paragraphs.filter((p) => p.kind === 'heading')).toHaveLength(expected.headings);
    expect(r.paragraphs.map((p) => p.paragraph)).toEqual(Array.from({ length: expected.paragraphs }, (_, i) => i + 1));
  });

  it.each(Object.keys(EXPECTED))('%s has no text paragraph ending mid-sentence', (source) => {
    const broken = seed(source).paragraphs.filter((p) => p.kind === 'text' && !WHOLE.test(p.text));
    expect(broken.map((p) => p.text)).toEqual([]);
  });

  it('re-joins the paragraphs of 000 broken by blank lines', () => {
    const r = seed(S000);
    containing(r, '推动现代农业高质量发展，建成高标准农田1050亩，组建三合共富工坊。');
    containing(r, '街道结合归谷风貌样板区七大建设项目，进一步优化小镇发展环境');
    containing(r, '“一支队伍管执法”经验做法获省、市领导调研肯定');
    expect(texts(r).some((t) => t.startsWith('成高标准农田') || t.startsWith('样板区七大'))).toBe(false);
  });

  it('keeps the figures of 000 intact', () => {
    const p = containing(seed(S000), '财政总收入9.63亿元');
    for (const figure of ['108.1亿元', '21.99%', '38.7亿元', '28.9%']) expect(p.text).toContain(figure);
  });

  it('re-joins the hard-wrapped sentences of 003 and collapses spaces around its figures', () => {
    const r = seed(S003);
    containing(r, '1月，海宁市集中开工投产一批重大项目，并组建春节期间项目施工保障小组');
    containing(r, '盛威安防在天凝投资办企业，一方面，吸收聘用了300多名当地村民');
    containing(r, '干窑镇自推进“窑乡有礼”新时代文明实践以来');
    containing(r, '总投资186.8亿元');
  });

  it('drops the metadata table of 002 but keeps its publisher and date; without reports.json the title and the region (with the district and city the body names) come from the body', async () => {
    const r = seed(S002);
    expect(texts(r).filter((t) => /索\s*引\s*号|发布单位|\|/.test(t))).toEqual([]);
    expect(r.publisher).toBe('新嘉街道');
    expect(r.date).toBe('2025-01-22');
    const withoutMeta = await parseReport(S002, await readFile(path.join(SEEDS, S002)));
    expect(withoutMeta).toMatchObject({ date: '2025-01-22', publisher: '新嘉街道', title: '新嘉街道2024年报告', subject: '新嘉街道', within: ['南湖区', '嘉兴市', '浙江省'], region: '嘉兴市南湖区新嘉街道' });
  });

  it('keeps the articles of 003 apart and drops their bylines', () => {
    const r = seed(S003);
    const title = '暖心小队做居民“勤务员”';
    expect(containing(r, '外卖小哥李豪').section).toEqual([title]);
    expect(containing(r, '做好居民群众“勤务员”').section).toEqual([title]);
    expect(containing(r, '平湖市纪委监委联合该市税务局').section).toEqual(['联动监督护航经济发展']);
    expect(r.paragraphs.filter((p) => p.section[0] === title)).toHaveLength(4);
    expect(texts(r)).not.toContain('钟逸格 徐洁');
    expect(texts(r)).not.toContain('张会');
  });

  it('keeps the photo captions of 003 as text paragraphs, not headings', () => {
    const caption = containing(seed(S003), '（图片由澉浦镇提供）');
    expect(caption).toMatchObject({ kind: 'text', section: [] });
  });

  it('gives the marked paragraphs of 004 their own leading clause only', () => {
    const r = seed(S004);
    expect(containing(r, '紧抓融入全市').section).toEqual(['一、2022年工作总结', '（一）重大项目招引聚焦“核心点、撬动点、支撑点”三目标']);
    expect(containing(r, '始终坚持全岛东西并进').section).toEqual(['一、2022年工作总结', '（二）城乡融合发展实现“高标准、高品质、高效率”三同步']);
    expect(containing(r, '启动樟里村').section[0]).toBe('二、2023年工作思路');
  });

  it('recognises the outline headings of 001', () => {
    const r = seed(S001);
    expect(containing(r, '(一)坚持不懈抓产业,发展基础更加坚实')).toMatchObject({ kind: 'heading', section: ['一、2024年工作总结'] });
    expect(containing(r, '成功推进毛戈平总部项目').section).toEqual(['一、2024年工作总结', '(一)坚持不懈抓产业,发展基础更加坚实', '1.项目招引精准发力']);
  });

  it('chunks every seed within bounds, headings excluded', () => {
    for (const r of reports.values()) {
      const chunks = chunkReport(r);
      const headings = new Set(r.paragraphs.filter((p) => p.kind === 'heading').map((p) => p.paragraph));
      for (const c of chunks) {
        expect(c.text.length).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxChars);
        expect(c.text).toBe(r.paragraphs[c.paragraph - 1]?.text.slice(c.start, c.end));
        expect(headings.has(c.paragraph)).toBe(false);
      }
      const chunked = new Set(chunks.map((c) => c.paragraph));
      expect(r.paragraphs.filter((p) => p.kind === 'text' && !chunked.has(p.paragraph))).toEqual([]);
    }
  });
});
