import { describe, expect, it } from 'vitest';
import { numberedName, safeFileName } from '../../../src/bot/safe-file-name.js';

describe('safeFileName', () => {
  it.each([
    ['南星街道2024年工作总结.txt', '南星街道2024年工作总结.txt'],
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['..\\..\\windows\\report.MD', 'report.md'],
    ['/abs/path/r.pdf', 'r.pdf'],
    ['.hidden.md', 'hidden.md'],
    ['..', 'report'],
    ['', 'report'],
    ['a\u0000b\u0007c.txt', 'abc.txt'],
    ['evil\u202Etxt.exe', 'eviltxt.exe'],
    ['a<b>:c|d?e*.docx', 'a_b__c_d_e_.docx'],
    ['  多  空格\t名.txt  ', '多 空格 名.txt'],
    ['report.txt.', 'report.txt'],
    ['noext', 'noext'],
    ['.txt', 'txt'],
  ])('%j → %j', (raw, safe) => {
    expect(safeFileName(raw)).toBe(safe);
  });

  it('keeps names within 200 UTF-8 bytes without cutting a character', () => {
    const name = safeFileName('报'.repeat(300) + '.pdf');
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
    expect(name).toMatch(/^报+\.pdf$/);
  });
});

describe('numberedName', () => {
  it('numbers before the extension', () => {
    expect(numberedName('a.md', 2)).toBe('a (2).md');
    expect(numberedName('报告', 3)).toBe('报告 (3)');
  });
});
