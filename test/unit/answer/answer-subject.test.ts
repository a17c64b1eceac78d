import { describe, expect, it } from 'vitest';
import { answerSubjectPrefix } from '../../../src/answer/answer-subject.js';
import { toPassages } from '../../../src/answer/passages.js';
import { analyzeQuestion } from '../../../src/answer/question-analysis.js';
import type { Evidence } from '../../../src/types.js';
import { ranked, type ChunkSpec } from '../../helpers/retrieved-chunk.js';

const CITY = { subject: '宁海市', aliases: ['宁海'], years: [2025], planYears: [2026], source: 'nh.txt' };
const evidenceOf = (...specs: (readonly [text: string, spec?: ChunkSpec])[]): Evidence[] =>
  toPassages(ranked(...specs)).map((passage) => ({ passage, unit: { start: 0, end: passage.text.length, text: passage.text, sentenceStart: 0, sentenceEnd: passage.text.length } }));

describe('answerSubjectPrefix', () => {
  const quote = '年末全市常住人口502.3万人[1]。';
  const ev = evidenceOf([quote, CITY]);

  it('names the subject and the asked year before a quote that says 全市', () => {
    expect(answerSubjectPrefix(analyzeQuestion('宁海2025年末常住人口多少'), ev, quote)).toBe('宁海市（2025年）：');
  });

  it('takes the year the report reviews, or plans for a plan question, when none is asked', () => {
    expect(answerSubjectPrefix(analyzeQuestion('宁海常住人口多少'), ev, quote)).toBe('宁海市（2025年）：');
    expect(answerSubjectPrefix(analyzeQuestion('宁海明年计划新增就业多少人'), ev, quote)).toBe('宁海市（2026年）：');
  });

  it('takes the planned year for a quoted plan, whatever was asked', () => {
    const plan = '全市将新建高标准农田740亩[1]。';
    expect(answerSubjectPrefix(analyzeQuestion('宁海建成高标准农田了吗'), evidenceOf([plan, CITY]), plan)).toBe('宁海市（2026年）：');
  });

  it('leaves out the year the quote names, and says nothing when the quote names the subject', () => {
    expect(answerSubjectPrefix(analyzeQuestion('宁海2025年末常住人口多少'), ev, '2025年末全市常住人口502.3万人[1]。')).toBe('宁海市：');
    expect(answerSubjectPrefix(analyzeQuestion('宁海2025年末常住人口多少'), ev, '宁海年末常住人口502.3万人[1]。')).toBe('');
  });

  it('says nothing for an unknown subject or for quotes from reports about different subjects', () => {
    expect(answerSubjectPrefix(analyzeQuestion('常住人口多少'), evidenceOf([quote, { source: 'x.txt' }]), quote)).toBe('');
    const two = evidenceOf([quote, CITY], [quote, { subject: '象山县', source: 'xs.txt' }]);
    expect(answerSubjectPrefix(analyzeQuestion('常住人口多少'), two, quote)).toBe('');
  });
});
