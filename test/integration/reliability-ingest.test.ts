/**
 * Hostile report files (issue #8): whatever lands in the reports folder, a
 * read gives a valid Report or a SkippedFile with a clear reason, never a
 * crash, in bounded time and memory. Complements ingest-files.test.ts, which
 * covers one of each ordinary bad file.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { MAX_REPORT_BYTES, parseReport } from '../../src/ingest/parse-report.js';
import { readReports } from '../../src/ingest/read-reports.js';
import type { Report } from '../../src/types.js';
import { makeAsciiPdf, makeChinesePdf, makeDocx } from '../fixtures/ingest/make-fixtures.js';
import { deflatedEntry, deflatedZeros, storedEntry, zipBytes, type RawZipEntry } from '../helpers/zip-bytes.js';

const TEXT = '罗星街道工作报告\n\n2022年，罗星街道实现地区生产总值108.1亿元，增长2.7%。\n\n财政总收入9.63亿元，同比增长21.99%。';
const DOCUMENT_XML_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'reliability-ingest-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A report is valid when its paragraphs are numbered 1..n, non-empty and free of NUL characters. */
function expectValidReport(r: Report): void {
  expect(r.paragraphs.length).toBeGreaterThan(0);
  r.paragraphs.forEach((p, i) => {
    expect(p.paragraph).toBe(i + 1);
    expect(p.text.trim()).not.toBe('');
    expect(p.text).not.toContain('\u0000');
  });
  expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(r.title.length).toBeGreaterThan(0);
}

/** The parts of a minimal .docx other than word/document.xml, as stored entries. */
async function docxParts(): Promise<RawZipEntry[]> {
  const zip = await JSZip.loadAsync(await makeDocx(['正文。']));
  const out: RawZipEntry[] = [];
  for (const [name, file] of Object.entries(zip.files)) {
    if (!file.dir && name !== 'word/document.xml') out.push(storedEntry(name, await file.async('uint8array')));
  }
  return out;
}

const documentXml = (paragraphs: readonly string[]): string =>
  DOCUMENT_XML_HEAD + paragraphs.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('') + '</w:body></w:document>';

/** Samples RSS every 10 ms while `fn` runs (the readers yield often); returns the peak growth in bytes. */
async function peakRssGrowth<T>(fn: () => Promise<T>): Promise<{ value: T; growth: number; ms: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growth: peak - before, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

describe('parseReport on random and mutated bytes (fast-check, seeded)', () => {
  it('gives a valid Report or REPORT_UNREADABLE for every input, each within seconds', async () => {
    const valid: Record<string, Uint8Array> = {
      '.txt': Buffer.from(TEXT),
      '.md': Buffer.from(`# 标题\n\n${TEXT}`),
      '.docx': await makeDocx(['新嘉街道办事处工作报告', '全年实现固定资产投资27.76亿元。']),
      '.pdf': makeChinesePdf([['海宁全力冲刺开门红', '晶科能源项目落户海宁，总投资186.8亿元。']]),
    };
    const outcomes: Record<string, number> = {};
    let slowest = 0;
    for (const [ext, base] of Object.entries(valid)) {
      const bytes = fc.oneof(
        fc.uint8Array({ maxLength: 4096 }),
        // overwrite a few bytes of a valid file, sometimes cutting it short
        fc
          .record({ at: fc.nat(base.length - 1), patch: fc.uint8Array({ minLength: 1, maxLength: 32 }), cut: fc.option(fc.nat(base.length)) })
          .map(({ at, patch, cut }) => {
            const b = Buffer.from(base);
            b.set(patch.subarray(0, b.length - at), at);
            return cut === null ? b : b.subarray(0, cut);
          }),
      );
      await fc.assert(
        fc.asyncProperty(bytes, async (input) => {
          const started = performance.now();
          try {
            expectValidReport(await parseReport(`fuzz${ext}`, input));
            outcomes[`${ext} read`] = (outcomes[`${ext} read`] ?? 0) + 1;
          } catch (err) {
            if (!isAppError(err, 'REPORT_UNREADABLE')) throw err;
            expect(err.message.length).toBeGreaterThan(5);
            outcomes[`${ext} skipped`] = (outcomes[`${ext} skipped`] ?? 0) + 1;
          }
          slowest = Math.max(slowest, performance.now() - started);
          expect(performance.now() - started).toBeLessThan(10_000);
        }),
        { seed: 20_260_808, numRuns: 120 },
      );
    }
    console.info(`fuzzed parseReport: ${JSON.stringify(outcomes)}; slowest ${Math.round(slowest)} ms`);
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(4 * 120);
    for (const ext of Object.keys(valid)) expect(outcomes[`${ext} read`] ?? 0, `${ext}: some mutations keep a readable file`).toBeGreaterThan(0);
  });

  it('reads text with NUL bytes and damaged UTF-8 anywhere, or skips it as binary', async () => {
    const text = Buffer.from(TEXT.repeat(40));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(text.length - 1), fc.constantFrom(0x00, 0x80, 0xff, 0xc3, 0xe4)), { maxLength: 40 }), async (edits) => {
        const b = Buffer.from(text);
        for (const [at, byte] of edits) b[at] = byte;
        try {
          expectValidReport(await parseReport('nul.txt', b));
        } catch (err) {
          if (!isAppError(err, 'REPORT_UNREADABLE')) throw err;
          expect(err.message).toMatch(/binary content|unknown encoding/);
        }
      }),
      { seed: 8, numRuns: 150 },
    );
  });
});

describe('readReports on a folder of hostile files', () => {
  it('reads the good ones and skips each bad one with its reason, in bounded time and memory', async () => {
    const folder = path.join(dir, 'hostile');
    const put = async (name: string, content: string | Uint8Array): Promise<void> => {
      await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
      await writeFile(path.join(folder, name), content);
    };
    const parts = await docxParts();

    // 50 MB of real text, written in pieces (never held whole): over the size limit
    await mkdir(folder, { recursive: true });
    const big = createWriteStream(path.join(folder, 'huge 50MB.txt'));
    const piece = Buffer.from('统计数据表第一行，数值108.1亿元。\n'.repeat(20_000));
    for (let written = 0; written < 50 * 1024 * 1024; written += piece.length) {
      if (!big.write(piece)) await once(big, 'drain');
    }
    big.end();
    await once(big, 'finish');

    // text in every encoding, NULs, damaged UTF-8, a one-million-character line
    await put('编码/utf8 带BOM.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]));
    await put('编码/gbk.txt', iconv.encode(TEXT.replaceAll('罗星', '南星'), 'gbk'));
    await put('编码/utf16le.txt', Buffer.from(TEXT.replaceAll('罗星', '新嘉'), 'utf16le'));
    await put('编码/utf16be bom.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(TEXT.replaceAll('罗星', '马桥'), 'utf16le').swap16()]));
    await put('nul bytes.txt', Buffer.from(`\u0000${TEXT.replace('，', '，\u0000')}\n\n${'\u0000'.repeat(3)}${TEXT.repeat(20)}`));
    const damaged = Buffer.from(TEXT.repeat(30));
    damaged[100] = 0xff;
    damaged[900] = 0xc3;
    await put('damaged utf8.txt', damaged);
    // invalid as UTF-8 (0xFF every 10 bytes), GB18030 (0xFF) and UTF-16 (odd length)
    const invalid = Buffer.from(TEXT.repeat(30) + '.').map((b, i) => (i % 10 === 0 ? 0xff : b));
    await put('mostly invalid utf8.txt', invalid.length % 2 === 0 ? invalid.subarray(1) : invalid);
    await put('one line.txt', '统计数据'.repeat(250_000));
    // 130,000 short lines with no figure cell: one run of table-cell-like lines
    await put('name list.txt', Array.from({ length: 130_000 }, (_, i) => `名单第${i}位 成员`).join('\n'));
    await put('random bytes.md', new Uint8Array(5000).map((_, i) => (i * 2654435761) >>> 24));

    // archives: understated, overstated, too much XML, many entries, truncated
    await put('bomb understated.docx', zipBytes([...parts, { name: 'word/document.xml', data: deflatedZeros(1024), method: 8, declaredSize: 2048 }]));
    await put('bomb declared.docx', zipBytes([...parts, { ...deflatedEntry('word/document.xml', documentXml(['正文。'])), declaredSize: 0x7fff_0000 }]));
    const filler = Array.from({ length: 2000 }, (_, i) => `<w:p><w:r><w:t>第${i}段，数值${i}.5亿元，${'统计'.repeat(i % 50)}</w:t></w:r></w:p>`).join('');
    await put('too much xml.docx', zipBytes([...parts, deflatedEntry('word/document.xml', DOCUMENT_XML_HEAD + filler.repeat(30) + '</w:body></w:document>')]));
    await put(
      'many entries.docx',
      zipBytes([
        ...parts,
        deflatedEntry('word/document.xml', documentXml(['条目很多的文档', '全年新增就业岗位1200个。'])),
        ...Array.from({ length: 20_000 }, (_, i) => storedEntry(`word/media/x${i}.bin`, 'x')),
      ]),
    );
    const good = await makeDocx(['截断的文档', '正文第一段。']);
    await put('truncated.docx', good.subarray(0, good.length - 30));

    // PDFs: header only, a page tree that loops, nesting far too deep, truncated
    await put('header only.pdf', '%PDF-1.7\n');
    await put(
      'loop.pdf',
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    await put('nested.pdf', `%PDF-1.4\n1 0 obj ${'['.repeat(200_000)} endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
    const pdf = makeAsciiPdf([['Annual work report', 'Revenue reached 9.63 billion yuan.']]);
    await put('truncated.pdf', pdf.subarray(0, Math.floor(pdf.length / 2)));

    // names: spaces, CJK, emoji, right-to-left, a tab and a line break
    await put('2024年 工作 报告.txt', TEXT.replaceAll('罗星', '长安'));
    await put('📊 统计公报 🎉.md', TEXT.replaceAll('罗星', '海宁'));
    await put('子 目录/émoji 🚀 report.txt', TEXT.replaceAll('罗星', '嘉善'));
    await put('تقرير עברית.txt', TEXT.replaceAll('罗星', '桐乡'));
    await put('tab\tand\nnewline.txt', TEXT.replaceAll('罗星', '平湖'));

    const { value, growth, ms } = await peakRssGrowth(() => readReports(folder));
    const reasons = Object.fromEntries(value.skipped.map((s) => [s.source, s.reason]));
    const read = new Map(value.reports.map((r) => [r.source, r]));
    console.info(
      `hostile folder: ${value.reports.length} read, ${value.skipped.length} skipped in ${Math.round(ms)} ms, ` +
        `peak RSS growth ${Math.round(growth / 2 ** 20)} MB\n` +
        value.skipped.map((s) => `  skipped ${JSON.stringify(s.source)}: ${s.reason}`).join('\n'),
    );

    expect(reasons).toEqual({
      'huge 50MB.txt': expect.stringMatching(/too large \(50\.\d MB; the limit is 20\.0 MB\)/),
      'mostly invalid utf8.txt': expect.stringMatching(/unknown encoding|binary content/),
      'random bytes.md': expect.stringMatching(/unknown encoding|binary content/),
      'bomb understated.docx': expect.stringMatching(/word\/document\.xml inflates past its declared 2048 bytes; possible zip bomb/),
      'bomb declared.docx': expect.stringMatching(/possible zip bomb/),
      'too much xml.docx': expect.stringMatching(/XML declares \d+\.\d MB \(limit 10\.0 MB\)/),
      'truncated.docx': expect.stringMatching(/truncated|damaged|central directory/),
      'header only.pdf': expect.stringMatching(/damaged \.pdf/),
      'loop.pdf': expect.stringMatching(/damaged \.pdf: .*circular/),
      'nested.pdf': expect.stringMatching(/damaged \.pdf/),
      'truncated.pdf': expect.stringMatching(/damaged \.pdf/),
    });
    expect(MAX_REPORT_BYTES).toBeLessThan(50 * 1024 * 1024);
    for (const r of value.reports) expectValidReport(r);
    const paragraphsOf = (source: string): string[] => read.get(source)?.paragraphs.map((p) => p.text) ?? [];
    expect(paragraphsOf('编码/gbk.txt')[1]).toBe('2022年，南星街道实现地区生产总值108.1亿元，增长2.7%。');
    expect(paragraphsOf('编码/utf16le.txt')[1]).toContain('新嘉街道');
    expect(paragraphsOf('编码/utf16be bom.txt')[1]).toContain('马桥街道');
    expect(paragraphsOf('编码/utf8 带BOM.md')[0]).toBe('罗星街道工作报告');
    expect(paragraphsOf('nul bytes.txt')[1]).toBe('2022年，罗星街道实现地区生产总值108.1亿元，增长2.7%。');
    expect(paragraphsOf('damaged utf8.txt').join('')).toContain('\uFFFD');
    expect(paragraphsOf('one line.txt').join('').length).toBe(1_000_000);
    expect(paragraphsOf('name list.txt').length).toBeGreaterThan(100_000);
    expect(paragraphsOf('many entries.docx')).toEqual(['条目很多的文档', '全年新增就业岗位1200个。']);
    for (const [name, place] of [
      ['2024年 工作 报告.txt', '长安'],
      ['📊 统计公报 🎉.md', '海宁'],
      ['子 目录/émoji 🚀 report.txt', '嘉善'],
      ['تقرير עברית.txt', '桐乡'],
      ['tab\tand\nnewline.txt', '平湖'],
    ] as const) {
      expect(paragraphsOf(name)[1], name).toContain(`${place}街道`);
    }
    expect(value.reports.length + value.skipped.length).toBe(25);

    // Generous bounds: the understated bomb alone inflates to 1 GiB if anything reads it whole.
    expect(growth).toBeLessThan(600 * 2 ** 20);
    expect(ms).toBeLessThan(90_000);
  });
});
