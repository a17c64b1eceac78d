import { describe, expect, it } from 'vitest';
import { formatHtml } from '../../../src/eval/format-html.js';
import { evalReport, modeReport, result, unanswerable, wrong } from '../../helpers/eval-results.js';

const report = evalReport([
  modeReport('hybrid', [
    result('a1', { kind: 'figure' }),
    wrong('a2', ['missing "108.1亿元"'], {
      kind: 'figure',
      question: '罗星街道<b>2022年</b>GDP是多少？',
      answerText: '全年实现地区生产总值108.1亿元[1]。',
      citations: [{ n: 1, source: 'lx.txt', paragraph: 3, text: '全年实现地区生产总值108.1亿元，增长2.7%。' }],
    }),
    wrong('a3', ['refused (not found)'], {
      kind: 'list',
      question: '罗星街道有哪些荣誉？',
      found: false,
      evidence: '荣获省级文明街道',
      answerText: '在已索引的报告中没有找到相关内容。',
      citations: [],
      retrieved: [{ rank: 1, source: 'lx.txt', paragraph: 7, score: 0.8, text: '街道荣获省级文明街道称号。' }],
    }),
    unanswerable('u1', { kind: 'year-trap' }),
  ]),
]);

describe('formatHtml', () => {
  const html = formatHtml(report);

  it('is one self-contained page: no script, no external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('shows the totals and one bar per kind with its counts', () => {
    expect(html).toContain('data-metric="answerable">1/3<');
    expect(html).toContain('data-metric="false-refusals">1<');
    expect(html).toContain('data-metric="unanswerable">1/1<');
    expect(html).toContain('data-metric="misses">2<');
    expect(html.match(/<g data-kind=/g)).toHaveLength(3);
    expect(html).toMatch(/data-kind="figure">.*>1\/2<\/text>/);
  });

  it('lists each wrong answer escaped, with the gold string marked in the cited paragraph', () => {
    expect(html).toContain('罗星街道&lt;b&gt;2022年&lt;/b&gt;GDP是多少？');
    expect(html).not.toContain('<b>2022年</b>');
    expect(html).toContain('地区生产总值<mark>108.1亿元</mark>，增长2.7%');
  });

  it('shows a refusal with the data set evidence and what retrieval ranked first, evidence marked', () => {
    const block = html.slice(html.indexOf('data-id="a3"'));
    expect(block).toContain('evidence (');
    expect(block).toContain('ranked first:');
    expect(block).toContain('lx.txt 第7段：街道<mark>荣获省级文明街道</mark>称号。');
  });

  it('adds the comparison deltas when given one', () => {
    const withCompare = formatHtml(report, {
      baselineFile: 'base.json',
      k: { baseline: 5, now: 5 },
      settingsChanged: [],
      modes: [{ mode: 'hybrid', rows: [{ key: 'accuracy', baseline: 0.5, now: 0.75 }], rightToWrong: [], wrongToRight: [{ id: 'a1', question: 'question a1' }] }],
      onlyBaseline: [],
      onlyNow: [],
    } as Parameters<typeof formatHtml>[1]);
    expect(withCompare).toContain('Compared with base.json');
    expect(withCompare).toContain('<td class="up">+0.250</td>');
    expect(withCompare).toContain('<li>question a1</li>');
  });
});
