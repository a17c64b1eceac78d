import { describe, expect, it } from 'vitest';
import { answerUnits } from '../../../src/answer/answer-units.js';

describe('answerUnits', () => {
  it('offers each short sentence as it is', () => {
    const text = '增长2.7%。总收入9.63亿元！';
    expect(answerUnits(text).map((u) => u.text)).toEqual(['增长2.7%。', '总收入9.63亿元！']);
  });

  it('also offers clause windows of a long sentence, within the limit', () => {
    const text = '全年实现地区生产总值108.1亿元，增长2.7%，财政总收入9.63亿元，同比增长21.99%，增幅列全县第一。';
    const units = answerUnits(text, 30);
    expect(units[0]?.text).toBe(text);
    const windows = units.slice(1);
    expect(windows.map((u) => u.text)).toContain('全年实现地区生产总值108.1亿元，增长2.7%，');
    for (const u of windows) {
      expect(text.slice(u.start, u.end)).toBe(u.text);
      expect([u.sentenceStart, u.sentenceEnd]).toEqual([0, text.length]);
    }
  });

  it('does not cut a number at its thousands separator', () => {
    const text = `${'前文，'.repeat(20)}完成楼小通核查20,736条,发现问题1,726个。`;
    const texts = answerUnits(text, 30).map((u) => u.text);
    expect(texts.some((t) => t.includes('20,736条'))).toBe(true);
    expect(texts.some((t) => t.endsWith('20,'))).toBe(false);
  });

  it('never offers a chart or table caption: it names data it does not hold', () => {
    const text = '图2 2021-2025年常住人口城镇化率（%）。常住人口城镇化率为81.52%。';
    expect(answerUnits(text).map((u) => u.text)).toEqual(['常住人口城镇化率为81.52%。']);
    expect(answerUnits('表1 2025年年末常住人口数及其构成').map((u) => u.text)).toEqual([]);
  });
});
