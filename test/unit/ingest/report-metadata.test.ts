import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metadataFor, readReportMetadata } from '../../../src/ingest/report-metadata.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'report-meta-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readReportMetadata', () => {
  it('gives no entries and no warning without reports.json', async () => {
    expect(await readReportMetadata(dir)).toEqual({ entries: new Map() });
  });

  it('reads entries, trims values and accepts a numeric date', async () => {
    await writeFile(path.join(dir, 'reports.json'), JSON.stringify({ 'a.txt': { title: ' 标题 ', date: 2023, region: '嘉兴市' }, 'sub\\b.md': {} }));
    const metadata = await readReportMetadata(dir);
    expect(metadata.warning).toBeUndefined();
    expect(metadataFor(metadata, 'a.txt')).toEqual({ title: '标题', date: '2023', region: '嘉兴市' });
    expect(metadataFor(metadata, 'sub/b.md')).toEqual({});
  });

  it('matches an entry by bare file name for a report in a sub-folder', async () => {
    await writeFile(path.join(dir, 'reports.json'), JSON.stringify({ 'c.txt': { title: 'T' } }));
    expect(metadataFor(await readReportMetadata(dir), 'deep/er/c.txt')).toEqual({ title: 'T' });
  });

  it('reads a GBK-encoded reports.json', async () => {
    await writeFile(path.join(dir, 'reports.json'), iconv.encode(JSON.stringify({ 'a.txt': { title: '新嘉街道办事处工作报告' } }), 'gbk'));
    expect(metadataFor(await readReportMetadata(dir), 'a.txt')?.title).toBe('新嘉街道办事处工作报告');
  });

  it.each([
    ['{ "a.txt": { "title": ', /not valid JSON/],
    ['["a.txt"]', /must be a JSON object/],
  ])('turns malformed content %s into a warning', async (content, reason) => {
    await writeFile(path.join(dir, 'reports.json'), content);
    const metadata = await readReportMetadata(dir);
    expect(metadata.entries.size).toBe(0);
    expect(metadata.warning?.source).toBe('reports.json');
    expect(metadata.warning?.reason).toMatch(reason);
  });

  it('ignores invalid entries and fields with a warning and keeps the rest', async () => {
    await writeFile(path.join(dir, 'reports.json'), JSON.stringify({ 'a.txt': 'title', 'b.txt': { title: ['x'], region: '杭州' } }));
    const metadata = await readReportMetadata(dir);
    expect(metadataFor(metadata, 'a.txt')).toBeUndefined();
    expect(metadataFor(metadata, 'b.txt')).toEqual({ region: '杭州' });
    expect(metadata.warning?.reason).toMatch(/"a\.txt" is not an object.*"b\.txt"\.title is not a string/);
  });

  it('reads the identity fields: subject, kind, and years as a number, digits or a list', async () => {
    const entries = {
      'a.txt': { subject: ' 罗星街道 ', kind: '工作总结', years: 2022, planYears: '2023' },
      'b.txt': { years: [2025, '2024', 2025] },
    };
    await writeFile(path.join(dir, 'reports.json'), JSON.stringify(entries));
    const metadata = await readReportMetadata(dir);
    expect(metadata.warning).toBeUndefined();
    expect(metadataFor(metadata, 'a.txt')).toEqual({ subject: '罗星街道', kind: '工作总结', years: [2022], planYears: [2023] });
    expect(metadataFor(metadata, 'b.txt')).toEqual({ years: [2024, 2025] });
  });

  it('ignores years that are no years, with a warning naming the field', async () => {
    await writeFile(path.join(dir, 'reports.json'), JSON.stringify({ 'a.txt': { years: '去年', planYears: [2023, 99], kind: '统计公报' } }));
    const metadata = await readReportMetadata(dir);
    expect(metadataFor(metadata, 'a.txt')).toEqual({ kind: '统计公报' });
    expect(metadata.warning?.reason).toMatch(/"a\.txt"\.years is not a year or a list of years.*"a\.txt"\.planYears is not a year/);
  });
});
