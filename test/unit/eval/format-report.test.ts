import { afterEach, describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/eval/format-report.js';
import { runEval, type EvalReport } from '../../../src/eval/run-eval.js';
import { FIXTURE_QUESTIONS, fixtureApp } from '../../helpers/eval-fixture.js';

let restore = (): void => {};
afterEach(() => restore());

async function fixtureReport(): Promise<EvalReport> {
  const fixture = fixtureApp();
  restore = fixture.restore;
  return runEval(fixture.app, FIXTURE_QUESTIONS, { k: 2, modes: ['hybrid', 'keyword'] });
}

/** The lines of `text` from the one starting with `start` up to (excluding) the next one starting with `[`. */
function section(text: string, start: string): string[] {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => l.startsWith(start));
  expect(from).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(from + 1);
  const end = rest.findIndex((l) => l.startsWith('['));
  return [lines[from] ?? '', ...(end === -1 ? rest : rest.slice(0, end))];
}

describe('formatReport', () => {
  it('prints one table row per mode with the totals', async () => {
    const text = formatReport(await fixtureReport());
    const lines = text.split('\n');
    expect(lines[0]).toBe('Retrieval evaluation: 4 questions (3 answerable, 1 unanswerable), k=2');
    const header = lines.find((l) => l.startsWith('mode'));
    expect(header?.split(/\s{2,}/)).toEqual([
      'mode', 'hit@1', 'recall@2', 'MRR@10', 'nDCG@10', 'p50 ms', 'p95 ms', 'unanswerable→not found', 'answerable→not found',
    ]);
    // Values from the fixture (see run-eval.test.ts for the arithmetic).
    expect(lines.find((l) => l.startsWith('hybrid'))?.split(/\s{2,}/)).toEqual([
      'hybrid', '0.333', '0.333', '0.444', '0.500', '25.0', '38.5', '100% (1/1)', '33% (1/3)',
    ]);
    expect(lines.find((l) => l.startsWith('keyword'))?.split(/\s{2,}/)).toEqual([
      'keyword', '0.333', '0.667', '0.500', '0.544', '25.0', '38.5', '0% (0/1)', '33% (1/3)',
    ]);
  });

  it('lists every miss with the expected report and evidence and the top 3 results instead', async () => {
    const text = formatReport(await fixtureReport());
    const misses = section(text, '[hybrid] misses');
    expect(misses[0]).toBe('[hybrid] misses (no hit in the top 2): 2');
    expect(misses).toContain('  ✗ q2  罗星街道外出招商多少次？');
    expect(misses).toContain('    expected a.txt: 外出招商140余次  (first hit at rank 3)');
    expect(misses).toContain('  ✗ q3  新嘉街道办理了多少件信访？');
    expect(misses).toContain('    expected b.txt: 信访件2004件');
    // The top 3 of q3's four results.
    expect(misses).toContain('    got 1. a.txt ¶9  0.700  全年办理信访件2004件（抄录在别的报告里）');
    expect(misses).toContain('        2. c.txt ¶6  0.100  无关段落6，内容与问题无关。');
    expect(misses).toContain('        3. c.txt ¶7  0.100  无关段落7，内容与问题无关。');
    expect(misses.join('\n')).not.toContain('¶8');
    expect(misses.join('\n')).not.toMatch(/q1|u1/);
  });

  it('lists unanswerable questions that got an answer and answerable ones refused', async () => {
    const text = formatReport(await fixtureReport());
    expect(section(text, '[hybrid] unanswerable')).toEqual(['[hybrid] unanswerable questions that got an answer: 0']);
    const answered = section(text, '[keyword] unanswerable');
    expect(answered[0]).toBe('[keyword] unanswerable questions that got an answer: 1');
    expect(answered[1]).toMatch(/^ {2}✗ u1 {2}今天天气怎么样？ {2}→ 1\. c\.txt ¶9 {2}0\.100 {2}无关段落9/);
    expect(section(text, "[keyword] answerable questions answered 'not found'")).toEqual([
      "[keyword] answerable questions answered 'not found': 1",
      '  q3',
      '',
    ]);
  });

  it('shortens long result texts to one line', async () => {
    const report = await fixtureReport();
    const long = { rank: 1, source: 'x.txt', paragraph: 3, score: 12.345, text: '很长的段落\n'.repeat(30) };
    const withLong: EvalReport = {
      ...report,
      modes: report.modes.map((m) => ({ ...m, results: m.results.map((r) => (r.id === 'q3' ? { ...r, retrieved: [long] } : r)) })),
    };
    const line = formatReport(withLong).split('\n').find((l) => l.includes('x.txt ¶3'));
    expect(line).toBe(`    got 1. x.txt ¶3  12.3  ${'很长的段落 '.repeat(8).trimEnd()}…`);
  });
});
