import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CitationBook, quoteAround } from '../../../src/answer/citations.js';
import type { Passage } from '../../../src/types.js';

const S1 = '第一句讲背景情况。';
const S2 = '第二句是用到的那句，地区生产总值108.1亿元。';
const S3 = '第三句讲别的事情。';
const LONG = [S1, S2, S3, '第四句更加无关紧要。', '第五句也是。'].join('');

const at = (text: string, part: string): { start: number; end: number } => {
  const start = text.indexOf(part);
  return { start, end: start + part.length };
};

describe('quoteAround', () => {
  it('returns a short paragraph whole', () => {
    expect(quoteAround(LONG, at(LONG, S2), 500)).toBe(LONG);
  });

  it('keeps the used sentence and trims around it with …', () => {
    const q = quoteAround(LONG, at(LONG, '108.1亿元'), S1.length + S2.length + 2);
    expect(q).toBe(`${S1}${S2}…`);
    const later = quoteAround(LONG, at(LONG, '第三句'), S3.length + 1);
    expect(later).toBe(`…${S3}…`);
  });

  it('adds no mark after a sentence ending in the report’s own ……', () => {
    const text = `同比增长28.9%……${'过去的一年，成绩很好。'.repeat(5)}`;
    expect(quoteAround(text, { start: 0, end: 4 }, 12)).toBe('同比增长28.9%……');
  });

  it('cuts inside a sentence longer than the limit, around the focus', () => {
    const sentence = `${'很长的前文，'.repeat(30)}关键数字9.63亿元${'，很长的后文'.repeat(30)}。`;
    const q = quoteAround(sentence, at(sentence, '9.63亿元'), 40);
    expect(q).toContain('9.63亿元');
    expect(q.startsWith('…') && q.endsWith('…')).toBe(true);
    expect(q.length).toBeLessThanOrEqual(42);
  });

  it('passes markup and Markdown through as plain text', () => {
    const text = '报告写道<b>加粗</b> & “*重点*_[链接](x)”。';
    expect(quoteAround(text, { start: 0, end: 3 })).toBe(text);
  });

  it('always quotes a piece of the paragraph holding the focus (property)', () => {
    const sentence = fc.stringMatching(/^[甲乙丙丁戊己庚辛壬癸0-9，]{1,40}[。！？]$/);
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 12 }), fc.nat(), fc.integer({ min: 20, max: 200 }), (parts, pick, maxChars) => {
        const text = parts.join('');
        const used = parts[pick % parts.length] ?? '';
        const start = parts.slice(0, pick % parts.length).join('').length;
        const focus = { start, end: start + used.length };
        const q = quoteAround(text, focus, maxChars);
        const body = q.replace(/^…/, '').replace(/…$/, '');
        expect(text).toContain(body);
        if (used.length <= maxChars) expect(body).toContain(used);
        expect(q.length).toBeLessThanOrEqual(Math.max(maxChars, used.length) + 2);
        expect(q.startsWith('…') || body.startsWith('…')).toBe(!text.startsWith(body));
        expect(q.endsWith('…') || body.endsWith('…')).toBe(!text.endsWith(body));
      }),
    );
  });
});

const passage = (paragraph: number, text: string, source = 'a.txt', startsMidParagraph = false): Passage => ({
  report: { source, title: `报告${source}` },
  paragraph,
  section: [],
  text,
  startsMidParagraph,
  rank: paragraph,
});

describe('CitationBook', () => {
  it('numbers paragraphs in order of first use and reuses a number', () => {
    const book = new CitationBook();
    const a = passage(7, LONG);
    const b = passage(3, '另一段。', 'b.txt');
    expect(book.cite(a, at(LONG, S2))).toBe(1);
    expect(book.cite(b, { start: 0, end: 2 })).toBe(2);
    expect(book.cite(passage(7, LONG), at(LONG, S3))).toBe(1);
    expect(book.size).toBe(2);
    const cites = book.citations(500);
    expect(cites.map((c) => [c.n, c.source, c.paragraph, c.title])).toEqual([
      [1, 'a.txt', 7, '报告a.txt'],
      [2, 'b.txt', 3, '报告b.txt'],
    ]);
  });

  it('widens the quote to every sentence used from the paragraph', () => {
    const book = new CitationBook();
    const a = passage(1, LONG);
    book.cite(a, at(LONG, S1));
    book.cite(a, at(LONG, S3));
    const [c] = book.citations(S1.length + S2.length + S3.length + 1);
    expect(c?.text).toBe(`${S1}${S2}${S3}…`);
  });

  it('marks a quote that starts inside its paragraph', () => {
    const book = new CitationBook();
    book.cite(passage(1, S2, 'a.txt', true), { start: 0, end: 3 });
    expect(book.citations()[0]?.text).toBe(`…${S2}`);
  });
});
