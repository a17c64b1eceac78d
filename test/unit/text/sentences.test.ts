import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../src/text/sentences.js';

const texts = (t: string): string[] => splitSentences(t).map((s) => s.text);

describe('splitSentences', () => {
  it.each([
    ['增长2.7%。财政总收入9.63亿元！同比增长？', ['增长2.7%。', '财政总收入9.63亿元！', '同比增长？']],
    ['一是加强保障；二是提供支撑。', ['一是加强保障；', '二是提供支撑。']],
    ['他说：“太方便了！”随后离开。', ['他说：“太方便了！”', '随后离开。']],
    ['同比增长28.9%……过去的一年，交出了高分报表。', ['同比增长28.9%……', '过去的一年，交出了高分报表。']],
    ['没有句号的结尾', ['没有句号的结尾']],
    ['First one. Second one? 3.5 stays', ['First one.', 'Second one?', '3.5 stays']],
    ['2024年,南星街道;荣获浙江省荣誉!', ['2024年,南星街道;', '荣获浙江省荣誉!']],
  ])('splits %s', (input, expected) => {
    expect(texts(input)).toEqual(expected);
  });

  it('keeps decimals and numbered markers inside a sentence', () => {
    expect(texts('1.项目招引精准发力。总投资186.8亿元。')).toEqual(['1.项目招引精准发力。', '总投资186.8亿元。']);
  });

  it('returns offsets into the source and trims whitespace around sentences', () => {
    const text = '  第一句。 第二句！  ';
    const spans = splitSentences(text);
    expect(spans.map((s) => [s.start, s.end])).toEqual([
      [2, 6],
      [7, 11],
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('gives nothing for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('  \n ')).toEqual([]);
  });

  it('handles a million characters without punctuation in linear time', () => {
    const long = '字'.repeat(1_000_000);
    const started = Date.now();
    expect(splitSentences(long)).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
