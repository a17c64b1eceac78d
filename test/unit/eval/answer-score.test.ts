import { describe, expect, it } from 'vitest';
import { scoreAnswer } from '../../../src/eval/answer-score.js';
import type { EvalQuestion } from '../../../src/eval/dataset.js';

const base: EvalQuestion = {
  id: 'q',
  question: '罗星街道2022年地区生产总值是多少？',
  source: 'a.txt',
  evidence: null,
  answerable: true,
  sources: ['a.txt'],
  answerAll: ['108.1亿元'],
  answerAny: [],
};
const cite = (...sources: string[]) => sources.map((source) => ({ source }));

describe('scoreAnswer', () => {
  it('accepts a found answer holding the gold strings and citing the source, across width and spaces', () => {
    expect(scoreAnswer(base, { text: '全年实现地区生产总值 １０８.１ 亿元[1]。', found: true, citations: cite('a.txt') })).toEqual({
      scored: true,
      correct: true,
      problems: [],
    });
  });

  it('names each problem: refusal, missing string, none of the alternatives, uncited source', () => {
    expect(scoreAnswer(base, { text: '没有找到', found: false, citations: [] })).toMatchObject({ correct: false, problems: ['refused (not found)'] });
    const q = { ...base, answerAny: ['增长2.7%', '增长2.7个百分点'], sources: ['a.txt', 'b.txt'] };
    const v = scoreAnswer(q, { text: '地区生产总值100亿元[1]。', found: true, citations: cite('a.txt') });
    expect(v).toMatchObject({ correct: false });
    expect(v.scored && v.problems).toEqual(['missing "108.1亿元"', 'none of "增长2.7%" / "增长2.7个百分点"', 'does not cite b.txt']);
  });

  it('does not score an answerable question without gold strings', () => {
    expect(scoreAnswer({ ...base, answerAll: [] }, { text: 'x', found: true, citations: [] })).toEqual({ scored: false });
  });

  it('scores an unanswerable question: right when refused, or when a year trap names the other year and its figure', () => {
    const trap: EvalQuestion = { ...base, answerable: false, source: null, sources: [], answerAll: [], nearAnswer: '108.1亿元', nearYear: '2022' };
    expect(scoreAnswer(trap, { text: '没有找到', found: false, citations: [] })).toMatchObject({ correct: true });
    expect(scoreAnswer(trap, { text: '报告未给出2021年数据；2022年为108.1亿元[1]。', found: true, citations: cite('a.txt') })).toMatchObject({ correct: true });
    expect(scoreAnswer(trap, { text: '地区生产总值108.1亿元[1]。', found: true, citations: cite('a.txt') })).toMatchObject({
      correct: false,
      problems: ['answered a question the reports cannot answer'],
    });
  });
});
