import path from 'node:path';
import fc from 'fast-check';
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
    // absolute and Windows paths, NUL in the middle, look-alike slashes kept inside the name
    ['C:\\Users\\x\\r.txt', 'r.txt'],
    ['\\\\server\\share\\r.md', 'r.md'],
    ['C:r.txt', 'C_r.txt'],
    ['/etc/passwd\u0000.txt', 'passwd.txt'],
    ['..／..／etc／r.txt', '／..／etc／r.txt'],
    ['a∕b⁄c.md', 'a∕b⁄c.md'],
    ['..%2F..%2Fr.txt', '%2F..%2Fr.txt'],
    // Windows device names, with or without an extension
    ['CON.txt', 'CON_.txt'],
    ['nul.md', 'nul_.md'],
    ['com1.pdf', 'com1_.pdf'],
    ['LPT9', 'LPT9_'],
    ['aux.tar.txt', 'aux_.tar.txt'],
    ['nul..报告.txt', 'nul_..报告.txt'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['..', 'report'],
  ])('%j → %j', (raw, safe) => {
    expect(safeFileName(raw)).toBe(safe);
  });

  it('keeps names within 200 UTF-8 bytes without cutting a character', () => {
    const name = safeFileName('报'.repeat(300) + '.pdf');
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
    expect(name).toMatch(/^报+\.pdf$/);
  });
});

describe('safeFileName on any input', () => {
  it('always names one entry directly inside the folder, never hidden, never a device, ≤ 200 bytes', () => {
    const dir = path.resolve('/srv/reports');
    const pieces = fc.constantFrom('..', '.', '/', '\\', '\u0000', '／', '∕', 'CON', 'nul', '.txt', '.md', ' ', '\u202E', '\n', '报告', 'a');
    const names = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.array(pieces, { maxLength: 30 }).map((xs) => xs.join('')));
    fc.assert(
      fc.property(names, (raw) => {
        const name = safeFileName(raw);
        expect(name).not.toMatch(/[\/\\\u0000-\u001f<>:"|?*]/);
        expect(name.startsWith('.')).toBe(false);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
        expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
        expect(path.dirname(path.join(dir, name))).toBe(dir);
        expect(path.basename(path.join(dir, name))).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('numberedName', () => {
  it('numbers before the extension', () => {
    expect(numberedName('a.md', 2)).toBe('a (2).md');
    expect(numberedName('报告', 3)).toBe('报告 (3)');
  });
});
