import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/ingest/decode-text.js';
import { isAppError } from '../../../src/errors.js';

const SAMPLE = '罗星街道2022年实现地区生产总值108.1亿元，增长2.7%。\n财政总收入9.63亿元，同比增长21.99%。';
/** Chinese text with no ASCII at all: BOM-less UTF-16 then has no NUL bytes. */
const PURE_HAN = '罗星街道实现地区生产总值一百零八亿元同比增长百分之二点七财政总收入稳步增长';

const utf16le = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf16le'));
const utf16be = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf16le').swap16());
const withBom = (bom: number[], body: Uint8Array): Uint8Array => new Uint8Array([...bom, ...body]);

function expectUnreadable(bytes: Uint8Array, reason: RegExp): void {
  try {
    decodeText(bytes);
  } catch (err) {
    expect(isAppError(err, 'REPORT_UNREADABLE')).toBe(true);
    expect((err as Error).message).toMatch(reason);
    return;
  }
  throw new Error('expected decodeText to throw');
}

describe('decodeText', () => {
  it.each([
    ['UTF-8', new Uint8Array(Buffer.from(SAMPLE, 'utf8')), 'utf-8'],
    ['UTF-8 with BOM', withBom([0xef, 0xbb, 0xbf], new Uint8Array(Buffer.from(SAMPLE, 'utf8'))), 'utf-8'],
    ['GB18030', new Uint8Array(iconv.encode(SAMPLE, 'gb18030')), 'gb18030'],
    ['GBK', new Uint8Array(iconv.encode(SAMPLE, 'gbk')), 'gb18030'],
    ['UTF-16 LE with BOM', withBom([0xff, 0xfe], utf16le(SAMPLE)), 'utf-16le'],
    ['UTF-16 BE with BOM', withBom([0xfe, 0xff], utf16be(SAMPLE)), 'utf-16be'],
    ['UTF-16 LE without BOM', utf16le(SAMPLE), 'utf-16le'],
    ['UTF-16 BE without BOM', utf16be(SAMPLE), 'utf-16be'],
  ] as const)('decodes %s', (_name, bytes, encoding) => {
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.text).toBe(SAMPLE);
  });

  it.each([
    ['LE', utf16le(PURE_HAN), 'utf-16le'],
    ['BE', utf16be(PURE_HAN), 'utf-16be'],
  ] as const)('recognises BOM-less UTF-16 %s without any NUL byte', (_name, bytes, encoding) => {
    expect(decodeText(bytes)).toEqual({ text: PURE_HAN, encoding });
  });

  it('prefers GB18030 for GBK bytes that would also be valid UTF-16', () => {
    const gbk = new Uint8Array(iconv.encode(PURE_HAN, 'gbk'));
    expect(decodeText(gbk)).toEqual({ text: PURE_HAN, encoding: 'gb18030' });
  });

  it('accepts stray NUL bytes inside UTF-8 text', () => {
    const bytes = new Uint8Array([...Buffer.from('第一段。', 'utf8'), 0, ...Buffer.from(SAMPLE.repeat(3), 'utf8')]);
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text).toContain('108.1亿元');
  });

  it('keeps UTF-8 with one damaged byte as UTF-8 instead of guessing GB18030', () => {
    const good = Buffer.from(SAMPLE.repeat(20), 'utf8');
    const damaged = new Uint8Array([...good.subarray(0, 10), 0xff, ...good.subarray(10)]);
    const decoded = decodeText(damaged);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text).toContain('罗星街道');
    expect(decoded.text).toContain('\uFFFD');
  });

  it('reads a two-character GBK file as GB18030', () => {
    expect(decodeText(new Uint8Array(iconv.encode('中文', 'gbk')))).toEqual({ text: '中文', encoding: 'gb18030' });
  });

  it('refuses an empty file', () => {
    expectUnreadable(new Uint8Array(), /empty file/);
  });

  it('refuses binary junk', () => {
    let seed = 42;
    const junk = new Uint8Array(4096).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    });
    expectUnreadable(junk, /unknown encoding|binary content/);
  });

  it('refuses mostly-NUL binary content', () => {
    const bytes = new Uint8Array(2000);
    bytes.set([0x7f, 0x45, 0x4c, 0x46], 0);
    expectUnreadable(bytes, /unknown encoding|binary content/);
  });

  it('refuses bytes that are not text in any supported encoding', () => {
    // Lone UTF-8 continuation bytes and GB18030-invalid pairs, odd length.
    expectUnreadable(new Uint8Array([0x80, 0x80, 0xff, 0x30, 0x80, 0xff, 0x80]), /unknown encoding/);
  });
});
