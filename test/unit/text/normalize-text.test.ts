import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/text/normalize-text.js';

describe('normalizeText', () => {
  it.each([
    ['总投资 186.8 亿元', '总投资186.8亿元'],
    ['“11GW 高效电池和 15GW 高效组件项目”', '“11GW高效电池和15GW高效组件项目”'],
    ['以 20 条“真金白银”', '以20条“真金白银”'],
    ['浙江省 AAAA 级景区镇', '浙江省AAAA级景区镇'],
    ['同比增长 28.9 %', '同比增长28.9%'],
    ['共 1 000 人', '共1 000人'],
    ['抓项目 育产业 激发经济发展', '抓项目 育产业 激发经济发展'],
    ['Made in China', 'Made in China'],
  ])('applies the number spacing rule to %s', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('never changes the digits of a figure', () => {
    for (const figure of ['9.63亿元', '28.9%', '38.7亿元', '1043万美元', '2/3']) {
      expect(normalizeText(`财政总收入 ${figure} ，增长`)).toContain(figure);
    }
  });

  it('normalises odd spaces, zero-width characters, control characters and line endings', () => {
    const raw = '\u3000\u3000第一段\u00A0文字\u200B。\r\n第二段\u0000文字\t内容。\r第三段\u2028第四段\f';
    expect(normalizeText(raw)).toBe('第一段 文字。\n第二段文字 内容。\n第三段\n第四段');
  });

  it('turns full-width digits, letters and percent into ASCII', () => {
    expect(normalizeText('１９９３年增长１２．５％，ＧＤＰ')).toBe('1993年增长12.5%，GDP');
  });

  it('keeps full-width Chinese punctuation', () => {
    expect(normalizeText('一、（一）增长，达到：“好”！')).toBe('一、（一）增长，达到：“好”！');
  });
});
