/**
 * A small evaluation scenario with known scores, shared by the run-eval,
 * format-report and eval-command tests. Rankings per mode (k = 2):
 *
 * | question | hybrid            | keyword          | found (both) | latency |
 * | q1       | hit at rank 1     | hit at rank 2    | yes          | 10 ms   |
 * | q2       | hit at rank 3     | no hit           | yes          | 20 ms   |
 * | q3       | evidence, wrong report (miss) | hit at rank 1 | no   | 30 ms   |
 * | u1       | unanswerable      | unanswerable     | hybrid no, keyword yes | 40 ms |
 */
import { vi } from 'vitest';
import { performance } from 'node:perf_hooks';
import type { EvalQuestion } from '../../src/eval/dataset.js';
import type { RetrievalMode } from '../../src/types.js';
import { scriptedApp, type ScriptedResult } from './scripted-app.js';

export const FIXTURE_QUESTIONS: EvalQuestion[] = [
  answerable('q1', '罗星街道经济总量是多少？', 'a.txt', '地区生产总值108.1亿元', ['figure', 'paraphrase']),
  answerable('q2', '罗星街道外出招商多少次？', 'a.txt', '外出招商140余次'),
  answerable('q3', '新嘉街道办理了多少件信访？', 'b.txt', '信访件2004件', ['shared-topic']),
  { id: 'u1', question: '今天天气怎么样？', source: null, evidence: null, answerable: false, sources: [], answerAll: [], answerAny: [], tags: ['unanswerable'] },
];

function answerable(id: string, question: string, source: string, evidence: string, tags?: string[]): EvalQuestion {
  return { id, question, source, evidence, answerable: true, sources: [source], answerAll: [], answerAny: [], ...(tags ? { tags } : {}) };
}

const filler = (n: number): ScriptedResult => ({ source: 'c.txt', paragraph: n, text: `无关段落${n}，内容与问题无关。`, score: 0.1 });

const RANKINGS: Record<string, Partial<Record<RetrievalMode, ScriptedResult[]>>> = {
  q1: {
    hybrid: [{ source: 'a.txt', paragraph: 2, text: '全年实现地区生产总值 108.1 亿元，增长2.7%', score: 0.9 }, filler(1), filler(2)],
    keyword: [filler(1), { source: 'a.txt', paragraph: 2, text: '全年实现地区生产总值108.1亿元', score: 0.8 }, filler(2)],
  },
  q2: {
    hybrid: [filler(1), filler(2), { source: 'a.txt', paragraph: 4, text: '全年累计外出招商140余次', score: 0.5 }],
    keyword: [filler(3), filler(4), filler(5)],
  },
  q3: {
    hybrid: [
      { source: 'a.txt', paragraph: 9, text: '全年办理信访件2004件（抄录在别的报告里）', score: 0.7 },
      filler(6),
      filler(7),
      filler(8),
    ],
    keyword: [{ source: 'b.txt', paragraph: 8, text: '全年办理信访件2004件，信访总量同比下降11.17%', score: 12.5 }],
  },
  u1: { hybrid: [filler(9)], keyword: [filler(9)] },
};

const FOUND: Record<string, Record<RetrievalMode, boolean>> = {
  q1: { hybrid: true, vector: true, keyword: true },
  q2: { hybrid: true, vector: true, keyword: true },
  q3: { hybrid: false, vector: false, keyword: false },
  u1: { hybrid: false, vector: false, keyword: true },
};

const LATENCY_MS: Record<string, number> = { q1: 10, q2: 20, q3: 30, u1: 40 };

const idOf = (question: string): string => FIXTURE_QUESTIONS.find((q) => q.question === question)?.id ?? '?';

/**
 * The scripted app for the scenario. `performance.now` is replaced by a fake
 * clock that each `retrieve` advances by the question's latency, so measured
 * latencies are exact; call `restore()` afterwards. `beforeRerank` scripts
 * the ranking before the rerank stage from the final one.
 */
export function fixtureApp(opts: { beforeRerank?: (results: ScriptedResult[]) => ScriptedResult[] } = {}): {
  app: ReturnType<typeof scriptedApp>;
  restore: () => void;
} {
  const { beforeRerank } = opts;
  let clock = 1000;
  const spy = vi.spyOn(performance, 'now').mockImplementation(() => clock);
  const app = scriptedApp({
    results: (question, mode) => RANKINGS[idOf(question)]?.[mode] ?? [],
    ...(beforeRerank !== undefined && { beforeRerank: (question, mode) => beforeRerank(RANKINGS[idOf(question)]?.[mode] ?? []) }),
    found: (question, mode) => FOUND[idOf(question)]?.[mode] ?? true,
    onRetrieve: (question) => {
      clock += LATENCY_MS[idOf(question)] ?? 0;
    },
    sources: ['a.txt', 'b.txt', 'c.txt'],
  });
  return { app, restore: () => spy.mockRestore() };
}
