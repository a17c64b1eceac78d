import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerBlocks, splitLongHtml, splitMessage, TELEGRAM_TEXT_LIMIT } from '../../../src/bot/format.js';
import { escapeHtml, visibleLength } from '../../../src/bot/html.js';
import type { Answer } from '../../../src/types.js';
import { parseTelegramHtml } from '../../helpers/telegram-html.js';

const parsedText = (html: string): string => {
  const r = parseTelegramHtml(html);
  if (!r.ok) throw new Error(`${r.error}\n${html}`);
  return r.text;
};

describe('escapeHtml', () => {
  it.each([
    ['<b>粗体</b>', '&lt;b&gt;粗体&lt;/b&gt;'],
    ['A & B', 'A &amp; B'],
    ['1 < 2 > 0', '1 &lt; 2 &gt; 0'],
    ['"引号"', '&quot;引号&quot;'],
    ['&amp;', '&amp;amp;'],
  ])('escapes %j', (raw, escaped) => {
    expect(escapeHtml(raw)).toBe(escaped);
    expect(parsedText(escaped)).toBe(raw);
  });
});

describe('visibleLength', () => {
  it('counts text after tags and entities, in UTF-16 units like Telegram', () => {
    expect(visibleLength('<b>[1]</b> &lt;x&gt; 报告')).toBe('[1] <x> 报告'.length);
    expect(visibleLength('😀')).toBe(2);
  });
});

describe('answerBlocks', () => {
  it('renders the answer, then «[n] 《title》 第N段» and the quote, all escaped', () => {
    const answer: Answer = {
      text: '收入<增长>[1]',
      found: true,
      answerer: 't',
      citations: [{ n: 1, source: 'a.txt', title: 'A&B', paragraph: 7, text: '<b>原文</b>' }],
    };
    const blocks = answerBlocks(answer);
    expect(blocks.map((b) => b.citation)).toEqual([undefined, 1]);
    expect(parsedText(blocks[0]!.html)).toBe('收入<增长>[1]');
    expect(parsedText(blocks[1]!.html)).toBe('[1] 《A&B》 第7段\n<b>原文</b>');
    expect(blocks[1]!.html).toContain('<blockquote>');
  });
});

describe('splitMessage', () => {
  it('keeps a short reply in one message', () => {
    expect(splitMessage([{ html: 'a' }, { html: '<b>b</b>', citation: 1 }])).toEqual([{ html: 'a\n\n<b>b</b>', citations: [1] }]);
  });

  it('never splits a citation block that fits, and puts its button with it', () => {
    const block = (n: number) => ({ html: `<b>[${n}]</b>\n<blockquote>${'字'.repeat(30)}</blockquote>`, citation: n });
    const parts = splitMessage([{ html: '答'.repeat(50) }, block(1), block(2), block(3)], 80);
    expect(parts.map((p) => p.citations)).toEqual([[], [1, 2], [3]]);
    for (const p of parts) expect(parsedText(p.html).length).toBeLessThanOrEqual(80);
  });

  it('cuts a single over-long block at a sentence end, reopening its tags', () => {
    const html = `<b>[1]</b>\n<blockquote>${'第一句很长很长。'.repeat(10)}</blockquote>`;
    const parts = splitMessage([{ html, citation: 1 }], 50);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.citations)).toEqual([[1], ...parts.slice(1).map(() => [])]);
    for (const p of parts) {
      expect(parsedText(p.html).length).toBeLessThanOrEqual(50);
      expect(p.html).toContain('<blockquote>');
      expect(parsedText(p.html)).toMatch(/。$/);
    }
    expect(parts.map((p) => parsedText(p.html)).join('')).toBe(parsedText(html));
  });

  it('property: every part parses as Telegram HTML, fits the limit, and no text is lost', () => {
    const text = fc.stringMatching(/^[a-z<>&" 。\n报告😀]{0,40}$/);
    const block = fc.record({
      tag: fc.constantFrom('', 'b', 'i', 'blockquote', 'code'),
      parts: fc.array(fc.tuple(text, fc.boolean()), { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 8 }), fc.integer({ min: 8, max: 120 }), (blocks, limit) => {
        const htmlBlocks = blocks.map((b, i) => {
          const inner = b.parts.map(([t, bold]) => (bold && t !== '' ? `<b>${escapeHtml(t)}</b>` : escapeHtml(t))).join('');
          return { html: `${i}:` + (b.tag === '' ? inner : `<${b.tag}>${inner}</${b.tag}>`), citation: i };
        });
        const parts = splitMessage(htmlBlocks, limit);
        const texts = parts.map((p) => parsedText(p.html));
        for (const t of texts) expect(t.length).toBeLessThanOrEqual(limit);
        const strip = (s: string) => s.replace(/\s/g, '');
        expect(strip(texts.join(''))).toBe(strip(htmlBlocks.map((b) => parsedText(b.html)).join('')));
        expect(parts.flatMap((p) => p.citations)).toEqual(htmlBlocks.map((b) => b.citation));
      }),
      { numRuns: 300 },
    );
  });
});

describe('splitLongHtml', () => {
  it('does not cut a surrogate pair or an entity', () => {
    const pieces = splitLongHtml('😀&amp;😀&lt;😀', 3);
    for (const p of pieces) expect(parsedText(p).length).toBeLessThanOrEqual(3);
    expect(pieces.map(parsedText).join('')).toBe('😀&😀<😀');
  });

  it('splits at the Telegram limit by default', () => {
    const pieces = splitLongHtml(`<i>${'长'.repeat(TELEGRAM_TEXT_LIMIT + 10)}</i>`);
    expect(pieces.map((p) => parsedText(p).length)).toEqual([TELEGRAM_TEXT_LIMIT, 10]);
  });
});
