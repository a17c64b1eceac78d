import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { MSG } from '../../../src/bot/messages.js';
import { parseReport } from '../../../src/ingest/parse-report.js';
import { REPORT_EXTENSIONS, REPORT_FORMATS, UPLOAD_FORMATS, extensionList, formatOf } from '../../../src/ingest/report-formats.js';
import { makeChinesePdf, makeDoc, makeDocx } from '../../fixtures/ingest/make-fixtures.js';

const TITLE = '南星街道工作报告';
const SENTENCE = '全年实现地区生产总值108.1亿元，同比增长2.7%。';
const page = (charset: string): string =>
  `<html><head><meta charset="${charset}"><title>${TITLE}_某某区人民政府</title></head><body><ul class="nav"><li><a>首页</a></li></ul>` +
  `<div class="article"><h1>${TITLE}</h1><div class="content"><p>${SENTENCE}</p></div></div><div class="footer">版权所有 某某区人民政府</div></body></html>`;

/** One small file per extension, each holding TITLE and SENTENCE. */
const SAMPLES: Record<string, () => Promise<Uint8Array> | Uint8Array> = {
  '.txt': () => new Uint8Array(iconv.encode(`${TITLE}\n${SENTENCE}`, 'gbk')),
  '.md': () => new Uint8Array(Buffer.from(`# ${TITLE}\n\n**${SENTENCE}**\n`)),
  '.docx': () => makeDocx([TITLE, SENTENCE]),
  '.doc': () => makeDoc([TITLE, SENTENCE]),
  '.pdf': () => makeChinesePdf([[TITLE, SENTENCE]]),
  '.html': () => new Uint8Array(Buffer.from(page('utf-8'))),
  '.htm': () => new Uint8Array(iconv.encode(page('gb2312'), 'gbk')),
};

describe('report formats', () => {
  it('lists each extension once, lower case with the dot', () => {
    expect(new Set(REPORT_EXTENSIONS).size).toBe(REPORT_EXTENSIONS.length);
    for (const ext of REPORT_EXTENSIONS) expect(ext).toMatch(/^\.[a-z0-9]+$/);
    expect(REPORT_EXTENSIONS).toEqual(expect.arrayContaining(['.txt', '.md', '.docx', '.doc', '.pdf', '.html', '.htm']));
  });

  it('finds the format of a name by its extension in any case, and none for other files', () => {
    expect(formatOf('报告.HTM')?.label).toBe('网页');
    expect(formatOf('a/b/旧报告.Doc')).toBe(formatOf('x.doc'));
    for (const name of ['slides.pptx', 'notes.rtf', 'reports.json', 'README', 'x.docx.bak']) expect(formatOf(name), name).toBeUndefined();
  });

  it.each(Object.keys(SAMPLES))('reads a %s report through its registry row', async (ext) => {
    const report = await parseReport(`report${ext}`, await (SAMPLES[ext] as () => Promise<Uint8Array>)());
    expect(report.title).toBe(TITLE);
    expect(report.paragraphs.map((p) => p.text)).toEqual([TITLE, SENTENCE]);
  });

  it('has a sample above for every extension it reads', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...REPORT_EXTENSIONS].sort());
  });

  it('derives the bot upload list, its help and its rejection text from the table', () => {
    expect(UPLOAD_FORMATS).toEqual(REPORT_FORMATS.filter((f) => f.upload));
    const rejection = MSG.uploadUnsupported('slides.pptx');
    const help = MSG.help(true);
    for (const format of UPLOAD_FORMATS) {
      expect(rejection).toContain(`${format.label} ${format.extensions.join(' ')}`);
      for (const ext of format.extensions) expect(help).toContain(ext);
    }
    expect(MSG.help(false)).not.toContain('.docx');
    expect(extensionList(UPLOAD_FORMATS)).toBe(UPLOAD_FORMATS.flatMap((f) => f.extensions).join(' '));
  });
});
