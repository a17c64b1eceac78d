import { describe, expect, it } from 'vitest';
import {
  encodeListPage,
  encodeRemove,
  encodeUploadChoice,
  MAX_KEYWORD_BYTES,
  MAX_PAGE,
  parseListPage,
  parseRemove,
  parseUploadChoice,
  REMOVE_CANCEL_DATA,
  REMOVE_DATA,
  REMOVE_PAGE_DATA,
  reportKey,
  SOURCES_PAGE_DATA,
  UPLOAD_CHOICE_DATA,
} from '../../../src/bot/report-callback-data.js';

const LONGEST_KEYWORD = '政'.repeat(MAX_KEYWORD_BYTES / 3);

describe('list page buttons', () => {
  it('fit 64 bytes with the longest keyword and the last page, and round-trip', () => {
    for (const kind of ['sources', 'remove'] as const) {
      const data = encodeListPage({ kind, page: MAX_PAGE, keyword: LONGEST_KEYWORD });
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(parseListPage(data)).toEqual({ kind, page: MAX_PAGE, keyword: LONGEST_KEYWORD });
    }
    expect(parseListPage(encodeListPage({ kind: 'sources', page: 2, keyword: '' }))).toEqual({ kind: 'sources', page: 2, keyword: '' });
    expect(parseListPage('ls:3:a:b')).toEqual({ kind: 'sources', page: 3, keyword: 'a:b' });
  });

  it('refuse what cannot be encoded', () => {
    expect(() => encodeListPage({ kind: 'sources', page: 0, keyword: '' })).toThrow(RangeError);
    expect(() => encodeListPage({ kind: 'sources', page: MAX_PAGE + 1, keyword: '' })).toThrow(RangeError);
    expect(() => encodeListPage({ kind: 'sources', page: 1, keyword: LONGEST_KEYWORD + 'a' })).toThrow(RangeError);
  });

  it.each(['', 'ls', 'ls:', 'ls::', 'ls:0:', 'ls:01:', 'ls:10000:', 'ls:-1:', 'ls:1.5:', 'lx:1:', 'LS:1:', ' ls:1:', 'ls:1:a\nb', `ls:1:${LONGEST_KEYWORD}a`, 'ls:1:\u202e'])(
    'rejects %j',
    (data) => expect(parseListPage(data)).toBeUndefined(),
  );
});

describe('remove buttons', () => {
  const key = reportKey({ source: 'a/报告.txt', hash: 'ab'.repeat(32) });

  it('name a report by file and content in 12 hex digits', () => {
    expect(key).toMatch(/^[0-9a-f]{12}$/);
    expect(reportKey({ source: 'a/报告.txt', hash: 'cd'.repeat(32) })).not.toBe(key);
    expect(reportKey({ source: 'b/报告.txt', hash: 'ab'.repeat(32) })).not.toBe(key);
  });

  it('round-trip and fit 64 bytes', () => {
    expect(parseRemove(encodeRemove('pick', key))).toEqual({ action: 'pick', key });
    expect(parseRemove(encodeRemove('confirm', key))).toEqual({ action: 'confirm', key });
    expect(parseRemove(REMOVE_CANCEL_DATA)).toEqual({ action: 'cancel' });
    expect(Buffer.byteLength(encodeRemove('confirm', key))).toBeLessThanOrEqual(64);
    expect(() => encodeRemove('pick', 'xyz')).toThrow(RangeError);
  });

  it.each(['rp:', 'rp:abc', 'rc:0123456789ABC', 'rc:0123456789abc', 'rc:0123456789a', 'rx:', 'rxx', 'rq:0123456789ab'])('rejects %j', (data) => {
    expect(parseRemove(data)).toBeUndefined();
  });
});

describe('upload choice buttons', () => {
  it('round-trip', () => {
    for (const choice of ['replace', 'rename', 'cancel'] as const) expect(parseUploadChoice(encodeUploadChoice('0a1b2c3d', choice))).toEqual({ token: '0a1b2c3d', choice });
    expect(() => encodeUploadChoice('zz', 'replace')).toThrow(RangeError);
  });

  it.each(['uc:', 'uc:0a1b2c3d', 'uc:0a1b2c3d:', 'uc:0a1b2c3d:q', 'uc:0a1b2c3:r', 'uc:0A1B2C3D:r', 'uc:0a1b2c3d:rr'])('rejects %j', (data) => {
    expect(parseUploadChoice(data)).toBeUndefined();
  });
});

describe('routing patterns', () => {
  it('send each format to its handler and no other, and leave the answer buttons alone', () => {
    const patterns = [SOURCES_PAGE_DATA, REMOVE_PAGE_DATA, REMOVE_DATA, UPLOAD_CHOICE_DATA];
    const samples = ['ls:1:', 'lr:1:', 'rp:0123456789ab', 'uc:0a1b2c3d:r'];
    samples.forEach((data, i) => expect(patterns.map((p) => p.test(data))).toEqual(patterns.map((_, j) => j === i)));
    expect(REMOVE_DATA.test(REMOVE_CANCEL_DATA)).toBe(true);
    for (const other of ['p:ab12cd34ef:1', 'new']) expect(patterns.some((p) => p.test(other))).toBe(false);
  });
});
