import { describe, expect, it } from 'vitest';
import { mergeAnswers } from '../../../src/answer/merge-answers.js';
import { PART_NOT_FOUND_TEXT } from '../../../src/answer/messages.js';
import type { Answer, Citation } from '../../../src/types.js';

const cite = (n: number, source: string, paragraph: number): Citation => ({ n, source, title: source, paragraph, text: `${source}¶${paragraph}` });
const found = (text: string, citations: Citation[]): Answer => ({ text, found: true, citations, answerer: 'extractive' });
const notFound: Answer = { text: '在已索引的报告中没有找到相关内容。', found: false, citations: [], answerer: 'extractive' };

describe('mergeAnswers', () => {
  it('puts each part on its own labelled line and numbers citations once across parts', () => {
    const merged = mergeAnswers([
      { label: '临江', answer: found('年末常住人口1304万人[1]。增长0.5%[2]。', [cite(1, 'a.txt', 3), cite(2, 'a.txt', 4)]) },
      { label: '东湖', answer: found('年末常住人口1313万人[1]。', [cite(1, 'b.txt', 7)]) },
    ]);
    expect(merged.text).toBe('临江：年末常住人口1304万人[1]。增长0.5%[2]。\n东湖：年末常住人口1313万人[3]。');
    expect(merged.citations.map((c) => [c.n, c.source, c.paragraph])).toEqual([
      [1, 'a.txt', 3],
      [2, 'a.txt', 4],
      [3, 'b.txt', 7],
    ]);
    expect(merged.found).toBe(true);
  });

  it('says which part the reports do not answer, and quotes a sentence two parts share once', () => {
    const gdp = found('实现地区生产总值4658亿元，增长4.5%[1]。', [cite(1, 'a.txt', 4)]);
    const merged = mergeAnswers([{ answer: gdp }, { answer: gdp }, { label: '东湖', answer: notFound }]);
    expect(merged.text).toBe(`实现地区生产总值4658亿元，增长4.5%[1]。\n东湖：${PART_NOT_FOUND_TEXT}`);
    expect(merged.citations).toHaveLength(1);
  });

  it('is the first not-found answer when no part is answered', () => {
    expect(mergeAnswers([{ label: '临江', answer: notFound }, { label: '东湖', answer: notFound }])).toBe(notFound);
  });
  it('does not label a part that already names its subject first', () => {
    const merged = mergeAnswers([
      { label: '临江', answer: found('临江市（2025年）：年末常住人口1304万人[1]。', [cite(1, 'a.txt', 3)]) },
      { label: '东湖', answer: found('年末常住人口1313万人[1]。', [cite(1, 'b.txt', 7)]) },
    ]);
    expect(merged.text).toBe('临江市（2025年）：年末常住人口1304万人[1]。\n东湖：年末常住人口1313万人[2]。');
  });
});
