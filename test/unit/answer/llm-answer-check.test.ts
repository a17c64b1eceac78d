import { describe, expect, it } from 'vitest';
import { checkLlmAnswer, MAX_LLM_ANSWER_CHARS } from '../../../src/answer/llm-answer-check.js';
import type { Passage } from '../../../src/types.js';

const passage = (source: string, paragraph: number, text: string): Passage => ({
  report: { source, title: `《${source}》` },
  paragraph,
  section: [],
  text,
  startsMidParagraph: false,
  rank: paragraph,
});

const PASSAGES = [
  passage('a.txt', 3, '2022是罗星街道硕果累累的一年。全年实现地区生产总值108.1亿元，增长2.7%；财政总收入9.63亿元。'),
  passage('b.txt', 5, '全年实现固定资产投资27.76亿元；规上工业总产值152.16亿元，同比增长3.8%。'),
  passage('c.txt', 9, '罗星街道完成了征迁项目12个。'),
];
const Q = '罗星街道2022年地区生产总值是多少？';

describe('checkLlmAnswer', () => {
  it('renumbers the cited passages in order of first use and quotes them', () => {
    const r = checkLlmAnswer('新嘉街道固定资产投资27.76亿元[2]；罗星街道地区生产总值108.1亿元[1]。再说一次[2]。', PASSAGES, Q);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.text).toBe('新嘉街道固定资产投资27.76亿元[1]；罗星街道地区生产总值108.1亿元[2]。再说一次[1]。');
    expect(r.citations.map((c) => [c.n, c.source, c.paragraph])).toEqual([
      [1, 'b.txt', 5],
      [2, 'a.txt', 3],
    ]);
    expect(r.citations[1]?.text).toContain('108.1亿元');
  });

  it.each([
    ['地区生产总值108.1亿元【1】。', '地区生产总值108.1亿元[1]。'],
    ['地区生产总值108.1亿元[1, 3]。', '地区生产总值108.1亿元[1][2]。'],
    ['地区生产总值108.1亿元[资料1]。', '地区生产总值108.1亿元[1]。'],
    ['<think>先想想[3]</think>地区生产总值108.1亿元。[1]', '地区生产总值108.1亿元。[1]'],
  ])('reads loose marker forms: %s', (content, text) => {
    const r = checkLlmAnswer(content, PASSAGES, Q);
    expect(r.ok && r.text).toBe(text);
  });

  it.each([
    ['', 'empty answer'],
    ['[1]', 'empty answer'],
    ['没有找到。', 'no answer'],
    ['资料中未提及相关内容。', 'no answer'],
    ['108.1 billion yuan [1]', 'not Chinese'],
    ['地区生产总值108.1亿元。', 'cites no passage'],
    ['地区生产总值108.1亿元[9]。', 'cites [9] but there are 3 passages'],
    ['地区生产总值118.1亿元[1]。', 'figures not in the cited passages: 118.1亿元'],
    ['固定资产投资27.76亿元[1]。', 'figures not in the cited passages: 27.76亿元'],
    [`地区生产总值108.1亿元[1]。${'很长'.repeat(MAX_LLM_ANSWER_CHARS)}`, 'too long'],
  ])('refuses %j', (content, reason) => {
    const r = checkLlmAnswer(content, PASSAGES, Q);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  it('accepts a year shown in the cited passage title', () => {
    const titled = [{ ...passage('d.txt', 2, '全年走访规上企业190家。'), report: { source: 'd.txt', title: '南星街道2024年工作总结' } }];
    expect(checkLlmAnswer('2024年南星街道走访规上企业190家[1]。', titled, '南星街道走访了多少家企业').ok).toBe(true);
    expect(checkLlmAnswer('2023年南星街道走访规上企业190家[1]。', titled, '南星街道走访了多少家企业').ok).toBe(false);
  });

  it('accepts an English answer to an English question', () => {
    expect(checkLlmAnswer('GDP was 108.1亿元 [1].', PASSAGES, 'What was the GDP?').ok).toBe(true);
  });

  it('passes report text with markup through unchanged', () => {
    const odd = [passage('x.txt', 1, '标题<b>粗体</b> & *星号* _下划线_ [方括号]，共12个。')];
    const r = checkLlmAnswer('报告写有<b>粗体</b> & *星号*，共12个[1]。', odd, '共有几个？');
    expect(r.ok && r.text).toBe('报告写有<b>粗体</b> & *星号*，共12个[1]。');
    expect(r.ok && r.citations[0]?.text).toBe(odd[0]?.text);
  });
});
