import { afterEach, describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/eval/format-report.js';
import { runEval, type EvalReport } from '../../../src/eval/run-eval.js';
import { FIXTURE_QUESTIONS, fixtureApp } from '../../helpers/eval-fixture.js';
import { evalReport, modeReport, result, unanswerable, wrong } from '../../helpers/eval-results.js';

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
  it('prints the retrieval before the rerank stage only when the reranker changed a ranking', () => {
    const plain = formatReport(evalReport([modeReport('hybrid', [])]));
    expect(plain).not.toContain('before the rerank stage');
    const before = { hitAt1: 0.25, recallAtK: 0.5, mrrAt10: 0.4, ndcgAt10: 0.45 };
    const text = formatReport(evalReport([modeReport('hybrid', [], { beforeRerank: before })]));
    expect(text).toContain('  [hybrid] before the rerank stage: hit@1 0.250 → 0.500, recall@5 0.500 → 0.750, MRR@10 0.400 → 0.600');
  });

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

describe('formatReport at answer level', () => {
  const answered = evalReport([
    modeReport('hybrid', [
      result('r1', { kind: 'figure' }),
      wrong('w1', ['missing "108.1亿元"'], { kind: 'figure', answerText: '增长2.7%[1]。', followUp: true }),
      wrong('refused', ['refused (not found)'], { kind: 'compare', found: false }),
      result('nogold', { verdict: null }),
      result('d-1', { dialogue: 'd', turn: 1 }),
      wrong('d-2', ['does not cite a.txt'], {
        dialogue: 'd',
        turn: 2,
        question: '那南星街道呢？',
        understood: '南星街道地区生产总值是多少？',
        followUp: true,
        gold: { answerAll: ['108.1亿元', '2.7%'], answerAny: ['增长', '上升'], sources: ['a.txt', 'b.txt'] },
      }),
      unanswerable('u-ok', { kind: 'trap' }),
      unanswerable('u-bad', {
        kind: 'trap',
        found: true,
        answerText: '编的答案',
        verdict: { correct: false, problems: ['answered a question the reports cannot answer'] },
        gold: { answerAll: [], answerAny: [], sources: [], nearAnswer: '99亿元', nearYear: '2021' },
      }),
    ]),
  ]);

  it('prints accuracy, false refusals and unanswerable handled after the retrieval lines', () => {
    const lines = formatReport(answered).split('\n');
    const accuracy = lines.indexOf('[hybrid] answer accuracy: 40% (2/5); false refusals: 1; unanswerable handled: 50% (1/2)');
    expect(accuracy).toBeGreaterThan(lines.findIndex((l) => l.startsWith("[hybrid] answerable questions answered 'not found'")));
  });

  it('breaks answers down per kind and per turn', () => {
    const text = formatReport(answered);
    expect(section(text, '[hybrid] answers per kind')).toEqual([
      '[hybrid] answers per kind:',
      '  -        50% (1/2)',
      '  compare  0% (0/1)',
      '  figure   50% (1/2)',
      '  trap     50% (1/2)',
    ]);
    expect(text).toContain('[hybrid] answers per turn: first turns 100% (1/1); follow-ups 0% (0/1)');
    // w1 is no dialogue turn, yet was completed from the question before it; d-2 is a follow-up by design.
    expect(text).toContain('[hybrid] single questions altered by the follow-up logic: 1 (w1)');
  });

  it('lists each wrong answer with what was understood, the answer, the gold and the problems', () => {
    const wrongs = section(formatReport(answered), '[hybrid] wrong answers');
    expect(wrongs).toEqual([
      '[hybrid] wrong answers: 4',
      '  ✗ w1  question w1',
      '    answered: 增长2.7%[1]。',
      '    gold: all "108.1亿元"; cites a.txt',
      '    problems: missing "108.1亿元"',
      '  ✗ refused  question refused',
      '    answered: (not found)',
      '    gold: all "108.1亿元"; cites a.txt',
      '    problems: refused (not found)',
      '  ✗ d-2  那南星街道呢？',
      '    understood: 南星街道地区生产总值是多少？',
      '    answered: answer d-2',
      '    gold: all "108.1亿元", "2.7%"; any "增长" / "上升"; cites a.txt, b.txt',
      '    problems: does not cite a.txt',
      '  ✗ u-bad  question u-bad',
      '    answered: 编的答案',
      '    gold: not found (or "99亿元" with 2021 named)',
      '    problems: answered a question the reports cannot answer',
      '',
    ]);
  });

  it('leaves out an understood text equal to the question', () => {
    const same = evalReport([modeReport('hybrid', [wrong('w', ['x'], { understood: 'question w' })])]);
    expect(formatReport(same)).not.toContain('understood:');
  });

  it('shows at most 20 wrong answers and shortens long answers to one line', () => {
    const many = Array.from({ length: 25 }, (_, i) => wrong(`w${i}`, ['x'], { answerText: '很长的回答\n'.repeat(40) }));
    const text = formatReport(evalReport([modeReport('vector', many)]));
    expect(text).toContain('[vector] wrong answers: 25 (the first 20 shown)');
    expect(text).toContain('  ✗ w19  question w19');
    expect(text).not.toContain('w20');
    expect(text).toContain(`    answered: ${'很长的回答 '.repeat(20).trimEnd()}…\n`);
  });

  it('prints "-" when nothing was scored', () => {
    const text = formatReport(evalReport([modeReport('keyword', [result('n', { verdict: null })])]));
    expect(text).toContain('[keyword] answer accuracy: -; false refusals: 0; unanswerable handled: -');
    expect(text).toContain('[keyword] answers per kind: -');
    expect(text).toContain('[keyword] answers per turn: first turns -; follow-ups -');
    expect(text).toContain('[keyword] wrong answers: 0');
  });
});
