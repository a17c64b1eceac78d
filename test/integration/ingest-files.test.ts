import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { chunkReport } from '../../src/ingest/chunk.js';
import { INGEST_VERSION, parseReport, reportHash } from '../../src/ingest/parse-report.js';
import { listReportFiles, readReports } from '../../src/ingest/read-reports.js';
import { createLogger } from '../../src/log.js';
import type { Report } from '../../src/types.js';
import { makeAsciiPdf, makeChinesePdf, makeDoc, makeDocx } from '../fixtures/ingest/make-fixtures.js';

const TEXT = '罗星街道工作报告\n\n2022年，罗星街道实现地区生产总值108.1亿元，增长2.7%。\n\n一、抓项目 育产业\n\n财政总收入9.63亿元，同比\n\n增长21.99%。';
const EXPECTED_PARAGRAPHS = ['罗星街道工作报告', '2022年，罗星街道实现地区生产总值108.1亿元，增长2.7%。', '一、抓项目 育产业', '财政总收入9.63亿元，同比增长21.99%。'];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ingest-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const put = async (name: string, content: string | Uint8Array): Promise<void> => {
  await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
  await writeFile(path.join(dir, name), content);
};
const bySource = (reports: readonly Report[]): Map<string, Report> => new Map(reports.map((r) => [r.source, r]));

describe('readReports: encodings', () => {
  it('reads the same text in every supported encoding', async () => {
    const utf16le = Buffer.from(TEXT, 'utf16le');
    const utf16be = Buffer.from(TEXT, 'utf16le').swap16();
    await put('utf8.txt', Buffer.from(TEXT, 'utf8'));
    await put('utf8-bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]));
    await put('gb18030.txt', iconv.encode(TEXT, 'gb18030'));
    await put('gbk.txt', iconv.encode(TEXT, 'gbk'));
    await put('utf16le.txt', utf16le);
    await put('utf16le-bom.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]));
    await put('utf16be.txt', utf16be);
    await put('utf16be-bom.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]));
    const { reports, skipped } = await readReports(dir);
    expect(skipped).toEqual([]);
    expect(reports).toHaveLength(8);
    for (const r of reports) {
      expect(r.paragraphs.map((p) => p.text), r.source).toEqual(EXPECTED_PARAGRAPHS);
      expect(r.title).toBe('罗星街道工作报告');
    }
  });
});

describe('readReports: formats', () => {
  it('reads Markdown with its # title and sections', async () => {
    await put('report.md', '# 南星街道工作总结\n\n## 一、2024年工作总结\n\n全年走访规上企业**190家**574次。\n\n## 二、2025年工作思路\n\n聚焦经济发展高质。\n');
    const [r] = (await readReports(dir)).reports;
    expect(r?.title).toBe('南星街道工作总结');
    expect(r?.paragraphs.map((p) => [p.kind, p.text, p.section])).toEqual([
      ['heading', '南星街道工作总结', []],
      ['heading', '一、2024年工作总结', ['南星街道工作总结']],
      ['text', '全年走访规上企业190家574次。', ['南星街道工作总结', '一、2024年工作总结']],
      ['heading', '二、2025年工作思路', ['南星街道工作总结']],
      ['text', '聚焦经济发展高质。', ['南星街道工作总结', '二、2025年工作思路']],
    ]);
  });

  it('reads a .docx built from the minimal OOXML parts', async () => {
    await put('report.docx', await makeDocx(['新嘉街道办事处工作报告', '一、2024年工作回顾', '全年实现固定资产投资27.76亿元；规上工业总产值152.16亿元，同比', '增长3.8%。']));
    const { reports, skipped } = await readReports(dir);
    expect(skipped).toEqual([]);
    expect(reports[0]?.title).toBe('新嘉街道办事处工作报告');
    expect(reports[0]?.paragraphs.map((p) => p.text)).toEqual([
      '新嘉街道办事处工作报告',
      '一、2024年工作回顾',
      '全年实现固定资产投资27.76亿元；规上工业总产值152.16亿元，同比增长3.8%。',
    ]);
  });

  it('reads an ASCII PDF, re-joining wrapped lines and a paragraph broken by a page break', async () => {
    await put(
      'report.pdf',
      makeAsciiPdf([
        ['Annual work report', 'The district grew by 2.7 percent, and revenue', 'reached 9.63 billion yuan.', 'Investment rose to'],
        ['94 billion yuan in total.', '2'],
      ]),
    );
    const [r] = (await readReports(dir)).reports;
    expect(r?.paragraphs.map((p) => p.text)).toEqual([
      'Annual work report',
      'The district grew by 2.7 percent, and revenue reached 9.63 billion yuan.',
      'Investment rose to 94 billion yuan in total.',
    ]);
  });

  it('reads a Chinese PDF written with a Type0/Identity-H font and a ToUnicode CMap', async () => {
    await put(
      'report.pdf',
      makeChinesePdf([
        ['海宁全力冲刺开门红', '晶科能源项目落户海宁，总投资186.8亿元；马桥街道9个重大项目', '集中开工。'],
        ['第 2 页', '海宁定下了“777”目标，全力抓项目扩投资。'],
      ]),
    );
    const [r] = (await readReports(dir)).reports;
    expect(r?.title).toBe('海宁全力冲刺开门红');
    expect(r?.paragraphs.map((p) => p.text)).toEqual([
      '海宁全力冲刺开门红',
      '晶科能源项目落户海宁，总投资186.8亿元；马桥街道9个重大项目集中开工。',
      '海宁定下了“777”目标，全力抓项目扩投资。',
    ]);
  });

  it('reads a folder of saved web pages and legacy .doc files into chunks, without the pages\' furniture', async () => {
    const body = ['2024年，全镇实现规上工业产值152.16亿元，同比增长3.8%。', '新建高标准农田1050亩，组建共富工坊3家。'];
    const page = (charset: string): string =>
      `<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}"><title>青云镇工作报告_镇务公开_青云镇人民政府</title>` +
      '<script>var nav = "脚本文字";</script></head><body><div class="nav"><a>首页</a><a>镇务公开</a></div>' +
      `<div class="detail"><h1>青云镇工作报告</h1><div class="info">发布日期：2025-01-22&nbsp;&nbsp;来源：青云镇党政办&nbsp;&nbsp;字号：<a>大</a> <a>中</a> <a>小</a></div><div id="zoom">${body.map((p) => `<p>${p}</p>`).join('')}</div>` +
      '<p>【打印本页】【关闭窗口】</p></div><div class="footer">版权所有：青云镇人民政府 技术支持：某某公司</div></body></html>';
    await put('web/青云镇.html', iconv.encode(page('gb2312'), 'gbk'));
    await put('web/青云镇副本.HTM', Buffer.from(page('utf-8')));
    await put('old/青云镇.doc', makeDoc(['青云镇工作报告', ...body]));
    const { reports, skipped } = await readReports(dir);
    expect(skipped).toEqual([]);
    expect(reports.map((r) => r.source)).toEqual(['old/青云镇.doc', 'web/青云镇.html', 'web/青云镇副本.HTM']);
    for (const r of reports) {
      expect(r.title, r.source).toBe('青云镇工作报告');
      const chunks = chunkReport(r);
      expect(chunks.map((c) => c.text), r.source).toEqual(body);
    }
    const pages = reports.filter((r) => r.source.startsWith('web/'));
    expect(pages.map((r) => [r.date, r.publisher])).toEqual([['2025-01-22', '青云镇党政办'], ['2025-01-22', '青云镇党政办']]);
  });

  it('bounds the chunks of a one-million-character single line', async () => {
    await put('huge-line.txt', '统计数据'.repeat(250_000));
    const [r] = (await readReports(dir)).reports;
    expect(r?.paragraphs).toHaveLength(1);
    const chunks = chunkReport(r as Report);
    expect(chunks.every((c) => c.text.length <= 300)).toBe(true);
    expect(chunks.reduce((n, c) => n + c.text.length, 0)).toBe(1_000_000);
  });
});

/** A valid .docx whose central directory declares a 2 GB word/document.xml. */
async function zipBombDocx(): Promise<Uint8Array> {
  const bytes = Buffer.from(await makeDocx(['正文。']));
  for (let p = 0; p + 4 <= bytes.length; p++) {
    if (bytes.readUInt32LE(p) === 0x02014b50) bytes.writeUInt32LE(0x7fffffff, p + 24);
  }
  return bytes;
}

describe('readReports: files that cannot be read', () => {
  it('skips each bad file with a reason and a warning, and reads the rest', async () => {
    const docx = await makeDocx(['正文第一段。', '正文第二段。']);
    const pdf = makeAsciiPdf([['Some text here.']]);
    await put('good.txt', TEXT);
    await put('empty.txt', '');
    await put('blank.md', ' \n\u3000\n');
    await put('junk.txt', new Uint8Array(3000).map((_, i) => (i * 7919 + 13) % 256));
    await put('unknown.txt', new Uint8Array([0x80, 0x80, 0xff, 0x30, 0x80, 0xff, 0x80]));
    await put('truncated.docx', docx.subarray(0, Math.floor(docx.length / 2)));
    await put('not-a-zip.docx', '这不是一个docx文件。');
    await put('bomb.docx', await zipBombDocx());
    await put('truncated.pdf', pdf.subarray(0, Math.floor(pdf.length * 0.6)));
    await put('truncated.doc', makeDoc(['正文第一段。']).subarray(0, 600));
    await put('rtf.doc', '{\\rtf1\\ansi 正文}');
    await put('binary.html', new Uint8Array(3000).map((_, i) => (i * 7919 + 13) % 256));
    await put('furniture.htm', '<html><body><ul class="nav"><li><a>首页</a></li></ul><p>【打印本页】【关闭窗口】</p></body></html>');
    await put('huge.txt', '');
    await truncate(path.join(dir, 'huge.txt'), 21 * 1024 * 1024);
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });

    const { reports, skipped } = await readReports(dir, { logger });

    expect(reports.map((r) => r.source)).toEqual(['good.txt']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.source, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      [
        'binary.html', 'blank.md', 'bomb.docx', 'empty.txt', 'furniture.htm', 'huge.txt', 'junk.txt', 'not-a-zip.docx', 'rtf.doc',
        'truncated.doc', 'truncated.docx', 'truncated.pdf', 'unknown.txt',
      ].sort(),
    );
    expect(reasons['empty.txt']).toMatch(/empty file/);
    expect(reasons['blank.md']).toMatch(/no text/);
    expect(reasons['junk.txt']).toMatch(/unknown encoding|binary content/);
    expect(reasons['unknown.txt']).toMatch(/unknown encoding/);
    expect(reasons['truncated.docx']).toMatch(/truncated|damaged|central directory/);
    expect(reasons['not-a-zip.docx']).toMatch(/not a zip/);
    expect(reasons['bomb.docx']).toMatch(/zip bomb/);
    expect(reasons['truncated.pdf']).toMatch(/damaged \.pdf/);
    expect(reasons['huge.txt']).toMatch(/too large/);
    expect(reasons['truncated.doc']).toMatch(/^damaged \.doc: /);
    expect(reasons['rtf.doc']).toMatch(/not a Word 97-2003 \.doc \(it is an RTF file/);
    expect(reasons['binary.html']).toMatch(/binary content|unknown encoding/);
    expect(reasons['furniture.htm']).toMatch(/no text found in the web page/);
    expect(lines.filter((l) => l.includes('report skipped'))).toHaveLength(skipped.length);
    expect(lines.some((l) => l.includes('"source":"bomb.docx"'))).toBe(true);
  });

  it('parseReport throws REPORT_UNREADABLE with the reason', async () => {
    await expect(parseReport('x.txt', new Uint8Array())).rejects.toSatisfy((err: unknown) => isAppError(err, 'REPORT_UNREADABLE'));
    await expect(parseReport('x.rtf', new Uint8Array([1]))).rejects.toThrow(/unsupported file type/);
  });
});

describe('listReportFiles', () => {
  it('lists report files recursively, sorted, with / separators, ignoring the rest', async () => {
    await put('b.txt', 'x');
    await put('A/z.md', 'x');
    await put('A/deeper/y.PDF', 'x');
    await put('a.docx', 'x');
    await put('reports.json', '{}');
    await put('notes.json', '{}');
    await put('image.png', 'x');
    await put('.hidden.txt', 'x');
    await put('.git/c.txt', 'x');
    await put('~$lock.docx', 'x');
    const files = await listReportFiles(dir);
    expect(files.map((f) => f.source)).toEqual(['A/deeper/y.PDF', 'A/z.md', 'a.docx', 'b.txt']);
    expect(files[0]?.path).toBe(path.join(dir, 'A', 'deeper', 'y.PDF'));
    expect(files[3]?.size).toBe(1);
  });

  it('follows symlinked folders and stops at link cycles', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'ingest-corpus-'));
    try {
      await writeFile(path.join(outside, 'corpus.txt'), 'x');
      await put('own.txt', 'x');
      await symlink(outside, path.join(dir, 'gov-reports'));
      await symlink(dir, path.join(dir, 'loop'));
      await symlink(path.join(dir, 'missing'), path.join(dir, 'broken.txt'));
      expect((await listReportFiles(dir)).map((f) => f.source)).toEqual(['gov-reports/corpus.txt', 'own.txt']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('throws REPORTS_DIR_MISSING for a missing folder', async () => {
    await expect(listReportFiles(path.join(dir, 'nope'))).rejects.toSatisfy((err: unknown) => isAppError(err, 'REPORTS_DIR_MISSING'));
    await expect(readReports(path.join(dir, 'nope'))).rejects.toSatisfy((err: unknown) => isAppError(err, 'REPORTS_DIR_MISSING'));
  });
});

describe('readReports: metadata, reuse, progress, abort', () => {
  it('lets reports.json override title, date and region', async () => {
    await put('a.txt', TEXT);
    await put('sub/b.txt', TEXT);
    await put('reports.json', JSON.stringify({ 'a.txt': { title: '覆盖的标题', date: '2023', region: '嘉兴市' }, 'sub/b.txt': { region: '杭州市' } }));
    const reports = bySource((await readReports(dir)).reports);
    expect(reports.get('a.txt')).toMatchObject({ title: '覆盖的标题', date: '2023', region: '嘉兴市' });
    expect(reports.get('sub/b.txt')).toMatchObject({ title: '罗星街道工作报告', region: '杭州市' });
  });

  it('reports a malformed reports.json as a warning and still reads every report', async () => {
    await put('a.txt', TEXT);
    await put('reports.json', '{ "a.txt": ');
    const lines: string[] = [];
    const { reports, skipped } = await readReports(dir, { logger: createLogger({ level: 'warn', write: (l) => lines.push(l) }) });
    expect(reports.map((r) => r.title)).toEqual(['罗星街道工作报告']);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ source: 'reports.json', reason: expect.stringMatching(/not valid JSON/) });
    expect(lines.some((l) => l.includes('reports.json'))).toBe(true);
  });

  it('uses a reused report for an unchanged hash and reports progress', async () => {
    await put('a.txt', TEXT);
    await put('b.txt', TEXT + '\n补充一段。');
    const first = bySource((await readReports(dir)).reports);
    const progress: [number, number][] = [];
    const asked: [string, string][] = [];
    const cached = first.get('a.txt') as Report;
    const { reports } = await readReports(dir, {
      onProgress: (done, total) => progress.push([done, total]),
      reuse: (source, hash) => {
        asked.push([source, hash]);
        return hash === cached.hash ? cached : undefined;
      },
    });
    expect(reports[0]).toBe(cached);
    expect(reports[1]).not.toBe(first.get('b.txt'));
    expect(reports[1]).toEqual(first.get('b.txt'));
    expect(asked).toEqual([
      ['a.txt', reportHash(await readFile(path.join(dir, 'a.txt')))],
      ['b.txt', reportHash(await readFile(path.join(dir, 'b.txt')))],
    ]);
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('changes the hash when the bytes or the reports.json entry change', () => {
    const bytes = new Uint8Array(Buffer.from(TEXT));
    const base = reportHash(bytes);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(reportHash(bytes)).toBe(base);
    expect(reportHash(new Uint8Array(Buffer.from(TEXT + ' ')))).not.toBe(base);
    expect(reportHash(bytes, { title: 'T' })).not.toBe(base);
    expect(reportHash(bytes, { region: 'T' })).not.toBe(reportHash(bytes, { title: 'T' }));
    expect(INGEST_VERSION).toMatch(/\S/);
  });

  it('stops when the signal is aborted', async () => {
    await put('a.txt', TEXT);
    await put('b.txt', TEXT);
    const controller = new AbortController();
    const run = readReports(dir, { signal: controller.signal, onProgress: () => controller.abort(new Error('stop now')) });
    await expect(run).rejects.toThrow('stop now');
  });
});
