import { describe, expect, it } from 'vitest';
import type { EvalQuestion } from '../../../src/eval/dataset.js';
import { askingOrder, runEval } from '../../../src/eval/run-eval.js';
import type { Citation } from '../../../src/types.js';
import { scriptedApp } from '../../helpers/scripted-app.js';

function item(id: string, fields: Partial<EvalQuestion> = {}): EvalQuestion {
  return {
    id,
    question: `question ${id}`,
    source: 'a.txt',
    evidence: null,
    answerable: true,
    sources: ['a.txt'],
    answerAll: ['108.1亿元'],
    answerAny: [],
    ...fields,
  };
}

const cite = (source: string): Citation => ({ n: 1, source, title: source, paragraph: 3, text: '地区生产总值108.1亿元' });

// right: cites a.txt with the gold; wrong-text: cites a.txt without it; refused; unanswerable handled / answered.
const QUESTIONS: EvalQuestion[] = [
  item('right', { kind: 'figure' }),
  item('wrong', { kind: 'figure' }),
  item('refused', { kind: 'compare' }),
  item('nogold', { answerAll: [] }),
  item('d-2', { dialogue: 'd', turn: 2, kind: 'follow' }),
  item('u-ok', { source: null, sources: [], answerable: false, answerAll: [], kind: 'trap' }),
  item('d-1', { dialogue: 'd', turn: 1, kind: 'follow' }),
  item('u-bad', { source: null, sources: [], answerable: false, answerAll: [], kind: 'trap' }),
];

const ANSWERS: Record<string, { found: boolean; text: string; understood?: string; followUp?: true }> = {
  right: { found: true, text: '地区生产总值108.1亿元[1]。' },
  wrong: { found: true, text: '增长2.7%[1]。', understood: '罗星街道增长了多少？', followUp: true },
  refused: { found: false, text: '没有找到' },
  nogold: { found: true, text: '随便' },
  'd-1': { found: true, text: '108.1亿元[1]' },
  'd-2': { found: true, text: '不知道[1]', understood: '那南星街道的地区生产总值呢？', followUp: true },
  'u-ok': { found: false, text: '没有找到' },
  'u-bad': { found: true, text: '编的答案[1]' },
};

const idOf = (question: string): string => question.replace('question ', '');

async function run() {
  const app = scriptedApp({
    results: () => [{ source: 'a.txt', paragraph: 3, text: '地区生产总值108.1亿元' }],
    found: (q) => ANSWERS[idOf(q)]?.found ?? true,
    answer: (q) => {
      const a = ANSWERS[idOf(q)];
      return {
        text: a?.text ?? '',
        citations: [cite('a.txt')],
        ...(a?.understood !== undefined && { understood: a.understood }),
        ...(a?.followUp === true && { followUp: a.followUp }),
      };
    },
  });
  const report = await runEval(app, QUESTIONS, { k: 2, modes: ['hybrid'], runId: 'r1' });
  return { report, calls: app.calls };
}

describe('askingOrder', () => {
  it('puts a dialogue where its first line is, in turn order', () => {
    expect(askingOrder(QUESTIONS).map((q) => q.id)).toEqual(['right', 'wrong', 'refused', 'nogold', 'd-1', 'd-2', 'u-ok', 'u-bad']);
  });
});

describe('runEval at answer level', () => {
  it('asks once per question: dialogue turns in their conversation, the other questions in one of their own', async () => {
    const { calls } = await run();
    const asks = calls.filter((c) => c.kind === 'ask');
    expect(asks.map((c) => [idOf(c.question ?? ''), c.conversation])).toEqual([
      ['right', 'eval:r1:hybrid'],
      ['wrong', 'eval:r1:hybrid'],
      ['refused', 'eval:r1:hybrid'],
      ['nogold', 'eval:r1:hybrid'],
      ['d-1', 'eval:r1:hybrid:d'],
      ['d-2', 'eval:r1:hybrid:d'],
      ['u-ok', 'eval:r1:hybrid'],
      ['u-bad', 'eval:r1:hybrid'],
    ]);
    // Retrieval sees the same conversation, so a follow-up is searched for as understood.
    expect(calls.filter((c) => c.kind === 'retrieve' && c.question === 'question d-2').map((c) => c.conversation)).toEqual([
      'eval:r1:hybrid:d',
      'eval:r1:hybrid:d',
    ]);
  });

  it('counts the single questions the follow-up logic completed, not the dialogue turns it completed', async () => {
    const { report } = await run();
    expect(report.modes[0]?.answers.singlesAltered).toBe(1);
    expect(report.modes[0]?.results.filter((r) => r.followUp === true).map((r) => r.id)).toEqual(['wrong', 'd-2']);
  });

  it('totals accuracy, false refusals and unanswerable handled', async () => {
    const { report } = await run();
    const answers = report.modes[0]?.answers;
    // scored answerable: right ✓, wrong ✗, refused ✗, d-1 ✓, d-2 ✗ (nogold not scored)
    expect(answers?.answerable).toEqual({ scored: 5, correct: 2, accuracy: 0.4 });
    expect(answers?.falseRefusals).toBe(1);
    expect(answers?.unanswerable).toEqual({ scored: 2, correct: 1, accuracy: 0.5 });
  });

  it('breaks the scored questions down per kind and per dialogue turn', async () => {
    const { report } = await run();
    const answers = report.modes[0]?.answers;
    expect(answers?.byKind).toEqual({
      compare: { scored: 1, correct: 0, accuracy: 0 },
      figure: { scored: 2, correct: 1, accuracy: 0.5 },
      follow: { scored: 2, correct: 1, accuracy: 0.5 },
      trap: { scored: 2, correct: 1, accuracy: 0.5 },
    });
    expect(answers?.byTurn).toEqual({
      first: { scored: 1, correct: 1, accuracy: 1 },
      followUps: { scored: 1, correct: 0, accuracy: 0 },
    });
  });

  it('keeps what a miss needs: understood, answer, gold, problems, cited paragraph', async () => {
    const { report } = await run();
    const d2 = report.modes[0]?.results.find((r) => r.id === 'd-2');
    expect(d2).toMatchObject({
      understood: '那南星街道的地区生产总值呢？',
      answerText: '不知道[1]',
      gold: { answerAll: ['108.1亿元'], sources: ['a.txt'] },
      verdict: { correct: false, problems: ['missing "108.1亿元"'] },
      citations: [{ n: 1, source: 'a.txt', paragraph: 3, text: '地区生产总值108.1亿元' }],
    });
    expect(report.modes[0]?.results.find((r) => r.id === 'nogold')?.verdict).toBeNull();
  });
});
