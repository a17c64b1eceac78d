import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildSentencePool,
  chunkTexts,
  generateQuestions,
  generateReports,
  writeCorpus,
  type SourceText,
} from '../../../bench/synthetic-corpus.js';
import { chunkReport } from '../../../src/ingest/chunk.js';
import { readReports } from '../../../src/ingest/read-reports.js';

const SOURCES: SourceText[] = [
  {
    name: 'a.txt',
    places: ['罗星街道'],
    text: [
      '罗星街道2022年工作总结',
      '一、经济发展',
      '2022年罗星街道实现地区生产总值108.1亿元，增长2.7%。罗星完成固定资产投资94亿元，其中服务业投资86.8亿元。财政总收入9.63亿元。',
      '二、民生保障',
      '新建养老驿站3家，改造老旧小区12个，惠及居民4500户。罗星街道新增就业岗位1200个，城镇登记失业率控制在2%以内。',
    ].join('\n'),
  },
  {
    name: 'b.txt',
    places: ['三门峡市'],
    text: [
      '（一）农业',
      '全年三门峡全市粮食总产量160.5万吨，比上年增长1.2%。蔬菜产量210万吨，水果产量185万吨，肉类总产量15.3万吨。',
      '三门峡市规模以上工业增加值增长6.1%，高技术产业增加值增长12.4%，新能源汽车产量增长35%。',
    ].join('\n'),
  },
];

describe('synthetic corpus', () => {
  const pool = buildSentencePool(SOURCES);

  it('pools sentences with the sources’ place names taken out', () => {
    expect(pool.sentences).toHaveLength(8); // lines under 20 characters are not paragraphs
    expect(pool.sentences.join('')).not.toMatch(/罗星|三门峡/);
    expect(pool.headings).toEqual(expect.arrayContaining(['一、经济发展', '（一）农业']));
    expect(pool.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(buildSentencePool([SOURCES[0]!]).fingerprint).not.toBe(pool.fingerprint);
  });

  it('generates the same reports for the same seed, and others for another seed', () => {
    const one = generateReports(pool, { chunks: 300, seed: 1 });
    expect(generateReports(pool, { chunks: 300, seed: 1 })).toEqual(one);
    expect(generateReports(pool, { chunks: 300, seed: 2 })).not.toEqual(one);
    expect(generateQuestions(one, 20, 5)).toEqual(generateQuestions(one, 20, 5));
  });

  it('stops once the chunk target is reached, with each report in its own place', () => {
    const reports = generateReports(pool, { chunks: 300, seed: 3 });
    const total = reports.reduce((s, r) => s + r.chunks, 0);
    expect(total).toBeGreaterThanOrEqual(300);
    expect(total - (reports.at(-1)?.chunks ?? 0)).toBeLessThan(300);
    for (const r of reports) {
      const text = r.paragraphs.join('');
      expect(text).not.toMatch(/罗星|三门峡/);
      expect(r.title).toContain(r.place);
      expect(r.region.endsWith(r.place)).toBe(true);
    }
    expect(reports.some((r) => r.paragraphs.join('').includes(r.place.replace(/(街道|市)$/, '')))).toBe(true);
    expect(new Set(reports.map((r) => r.file)).size).toBe(reports.length);
  });

  it('redraws figures but keeps years', () => {
    const text = generateReports(pool, { chunks: 300, seed: 4 })
      .flatMap((r) => r.paragraphs)
      .join('');
    expect(text).toContain('2022年');
    expect(text).toMatch(/\d+\.\d亿元/);
    expect((text.match(/108\.1亿元/g) ?? []).length).toBeLessThan((text.match(/\d+\.\d亿元/g) ?? []).length);
  });

  it('gives question-like queries of realistic length', () => {
    const questions = generateQuestions(generateReports(pool, { chunks: 200, seed: 6 }), 30, 7);
    expect(questions).toHaveLength(30);
    for (const q of questions) expect(q.length).toBeGreaterThanOrEqual(4);
    for (const q of questions) expect(q.length).toBeLessThanOrEqual(40);
  });

  describe('writeCorpus', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'synthetic-corpus-test-'));
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('writes reports that the real ingest reads with their titles, regions and chunk counts', async () => {
      const reports = generateReports(pool, { chunks: 200, seed: 8 });
      await writeCorpus(dir, reports);
      const { reports: read, skipped } = await readReports(dir);
      expect(skipped).toEqual([]);
      expect(read.map((r) => r.source).sort()).toEqual(reports.map((r) => r.file).sort());
      for (const r of reports) {
        const got = read.find((x) => x.source === r.file);
        expect(got).toMatchObject({ title: r.title, region: r.region });
        expect(chunkReport(got!).length).toBe(r.chunks);
      }
      expect(chunkTexts(reports, 5)).toHaveLength(5);
      expect(chunkTexts(reports, 5)[0]).toContain(reports[0]!.title);
    });
  });
});
