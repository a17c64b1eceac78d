import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { extractDocText } from '../../../src/ingest/extract-doc.js';
import { makeDoc, makeDocx } from '../../fixtures/ingest/make-fixtures.js';

const PARAGRAPHS = ['新嘉街道办事处工作报告', '一、2024年工作回顾', '全年实现固定资产投资27.76亿元，“专精特新”企业新增12家——同比增长3.8%。'];

async function reason(bytes: Uint8Array): Promise<string> {
  try {
    await extractDocText(bytes);
  } catch (err) {
    expect(isAppError(err, 'REPORT_UNREADABLE')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('extractDocText', () => {
  it('reads the main text of a Word 97-2003 file, one paragraph per line, quotes and dashes as written', async () => {
    expect((await extractDocText(makeDoc(PARAGRAPHS))).split('\n').filter((l) => l !== '')).toEqual(PARAGRAPHS);
  });

  it('reads a .docx saved under a .doc name as a .docx', async () => {
    expect((await extractDocText(await makeDocx(PARAGRAPHS))).split('\n').filter((l) => l !== '')).toEqual(PARAGRAPHS);
  });

  it('says what a file that is not a .doc is', async () => {
    const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
    expect(await reason(text('{\\rtf1\\ansi 正文}'))).toMatch(/not a Word 97-2003 \.doc \(it is an RTF file/);
    expect(await reason(text('<html><body>正文</body></html>'))).toMatch(/not a Word 97-2003 \.doc \(it is a web page/);
    expect(await reason(text('随便一些文字'))).toMatch(/no OLE compound file header/);
    expect(await reason(new Uint8Array())).toMatch(/empty file/);
  });

  it('reports a damaged OLE file or a damaged Word stream as a damaged .doc', async () => {
    const doc = makeDoc(PARAGRAPHS);
    expect(await reason(doc.subarray(0, 600))).toMatch(/^damaged \.doc: /);
    const broken = Buffer.from(doc);
    const at = broken.indexOf(Buffer.from([0xec, 0xa5, 0xc1, 0x00])); // the FIB's wIdent and nFib
    broken.writeUInt16LE(0x1234, at);
    expect(await reason(new Uint8Array(broken))).toMatch(/^damaged \.doc: .*magic number/i);
  });
});
