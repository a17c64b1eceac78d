import { afterEach, describe, expect, it } from 'vitest';
import { runEval } from '../../../src/eval/run-eval.js';
import { FIXTURE_QUESTIONS, fixtureApp } from '../../helpers/eval-fixture.js';

let restore = (): void => {};
afterEach(() => restore());

async function run(modes: ('hybrid' | 'keyword')[] = ['hybrid', 'keyword']) {
  const fixture = fixtureApp();
  restore = fixture.restore;
  const progress: [number, number][] = [];
  const report = await runEval(fixture.app, FIXTURE_QUESTIONS, { k: 2, modes, onProgress: (d, t) => progress.push([d, t]) });
  return { report, progress, calls: fixture.app.calls };
}

describe('runEval', () => {
  it('scores each mode from the scripted rankings', async () => {
    const { report } = await run();
    expect(report.k).toBe(2);
    expect(report.depth).toBe(10);
    expect(report.modes.map((m) => m.mode)).toEqual(['hybrid', 'keyword']);

    // hybrid: q1 hit@1, q2 first hit at rank 3 (outside k = 2), q3 only a wrong-report copy.
    //   hit@1 = 1/3; recall@2 = 1/3; MRR = (1 + 1/3 + 0) / 3 = 4/9; nDCG = (1 + 1/log2(4) + 0) / 3 = 0.5
    //   latencies 10, 20, 30, 40 → p50 = 25, p95 = 30 + 0.85 × 10 = 38.5
    //   u1 answered 'not found' (1/1); q3 answered 'not found' (1/3)
    const hybrid = report.modes[0]?.totals;
    expect(hybrid).toMatchObject({ questions: 4, answerable: 3, unanswerable: 1, unanswerableNotFound: 1 });
    expect(hybrid?.hitAt1).toBeCloseTo(1 / 3, 9);
    expect(hybrid?.recallAtK).toBeCloseTo(1 / 3, 9);
    expect(hybrid?.mrrAt10).toBeCloseTo(4 / 9, 9);
    expect(hybrid?.ndcgAt10).toBeCloseTo(0.5, 9);
    expect(hybrid?.latencyP50Ms).toBeCloseTo(25, 9);
    expect(hybrid?.latencyP95Ms).toBeCloseTo(38.5, 9);
    expect(hybrid?.answerableNotFound).toBeCloseTo(1 / 3, 9);

    // keyword: q1 at rank 2, q2 none, q3 at rank 1.
    //   hit@1 = 1/3; recall@2 = 2/3; MRR = (1/2 + 0 + 1) / 3 = 0.5; nDCG = (1/log2(3) + 0 + 1) / 3 = 0.543643
    //   u1 got an answer → unanswerableNotFound = 0
    const keyword = report.modes[1]?.totals;
    expect(keyword?.hitAt1).toBeCloseTo(1 / 3, 9);
    expect(keyword?.recallAtK).toBeCloseTo(2 / 3, 9);
    expect(keyword?.mrrAt10).toBeCloseTo(0.5, 9);
    expect(keyword?.ndcgAt10).toBeCloseTo(0.543643, 6);
    expect(keyword?.unanswerableNotFound).toBe(0);
  });

  it('keeps per-question results: first hit rank, scores, latency, decision and the top max(k, 3)', async () => {
    const { report } = await run(['hybrid']);
    const [q1, q2, q3, u1] = report.modes[0]?.results ?? [];
    expect(q1).toMatchObject({ id: 'q1', answerable: true, firstHitRank: 1, latencyMs: 10, found: true, tags: ['figure', 'paraphrase'] });
    expect(q1?.scores).toEqual({ hitAt1: 1, recallAtK: 1, reciprocalRank: 1, ndcg: 1 });
    expect(q2).toMatchObject({ firstHitRank: 3, scores: { hitAt1: 0, recallAtK: 0 } });
    expect(q2?.scores?.reciprocalRank).toBeCloseTo(1 / 3, 9);
    expect(q3).toMatchObject({ firstHitRank: null, found: false, scores: { reciprocalRank: 0, ndcg: 0 } });
    expect(u1).toMatchObject({ id: 'u1', answerable: false, scores: null, firstHitRank: null, found: false, tags: ['unanswerable'] });
    expect(q3?.retrieved).toEqual([
      { rank: 1, source: 'a.txt', paragraph: 9, score: 0.7, text: '全年办理信访件2004件（抄录在别的报告里）' },
      { rank: 2, source: 'c.txt', paragraph: 6, score: 0.1, text: '无关段落6，内容与问题无关。' },
      { rank: 3, source: 'c.txt', paragraph: 7, score: 0.1, text: '无关段落7，内容与问题无关。' },
    ]);
  });

  it('retrieves to depth max(k, 10) after one warm-up query, once more without the rerank stage, and asks with k', async () => {
    const { calls } = await run(['keyword']);
    const questions = FIXTURE_QUESTIONS.map((q) => q.question);
    expect(calls).toEqual([
      { kind: 'retrieve', question: questions[0], k: 10, mode: 'keyword' },
      ...questions.flatMap((question) => [
        { kind: 'retrieve', question, k: 10, mode: 'keyword', conversation: expect.stringMatching(/^eval:\w+:keyword$/) },
        { kind: 'retrieve', question, k: 10, mode: 'keyword', rerank: false, conversation: expect.stringMatching(/^eval:\w+:keyword$/) },
        { kind: 'ask', question, k: 2, mode: 'keyword', conversation: expect.stringMatching(/^eval:\w+:keyword$/) },
      ]),
    ]);
  });

  it('scores the ranking before the rerank stage only when the reranker changed it', async () => {
    const { report } = await run(['hybrid']);
    expect(report.modes[0]?.totals.beforeRerank).toBeNull();
    expect(report.modes[0]?.results.every((r) => r.scoresBeforeRerank === undefined)).toBe(true);

    // Before a reranker, the retriever's order was the reverse of the final one:
    // q1's hit was last of 3 (rank 3), q2's first; q3 holds no hit either way.
    const fixture = fixtureApp({ beforeRerank: (results) => [...results].reverse() });
    restore = fixture.restore;
    const reranked = await runEval(fixture.app, FIXTURE_QUESTIONS, { k: 2, modes: ['hybrid'] });
    const totals = reranked.modes[0]?.totals;
    const [q1, q2, q3] = reranked.modes[0]?.results ?? [];
    expect(q1?.scores?.hitAt1).toBe(1);
    expect(q1?.scoresBeforeRerank).toMatchObject({ hitAt1: 0, recallAtK: 0 });
    expect(q1?.scoresBeforeRerank?.reciprocalRank).toBeCloseTo(1 / 3, 9);
    expect(q2?.scoresBeforeRerank).toMatchObject({ hitAt1: 1, recallAtK: 1, reciprocalRank: 1 });
    expect(q3?.scoresBeforeRerank).toMatchObject({ hitAt1: 0, reciprocalRank: 0 });
    expect(totals?.hitAt1).toBeCloseTo(1 / 3, 9);
    expect(totals?.beforeRerank?.hitAt1).toBeCloseTo(1 / 3, 9);
    // MRR before: (1/3 + 1 + 0) / 3; after: (1 + 1/3 + 0) / 3 — equal, recall@2 too; the per-question scores differ.
    expect(totals?.beforeRerank?.mrrAt10).toBeCloseTo(4 / 9, 9);
  });

  it('reports progress over questions × modes', async () => {
    const { progress } = await run();
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((d) => [d, 8]));
  });

  it('gives null averages when a kind of question is missing', async () => {
    const fixture = fixtureApp();
    restore = fixture.restore;
    const onlyUnanswerable = FIXTURE_QUESTIONS.filter((q) => q.source === null);
    const report = await runEval(fixture.app, onlyUnanswerable, { k: 2, modes: ['hybrid'] });
    expect(report.modes[0]?.totals).toMatchObject({ hitAt1: null, recallAtK: null, mrrAt10: null, ndcgAt10: null, answerableNotFound: null });
  });
});
