/**
 * Follow-ups rewritten by an LLM (a scripted OpenAI-compatible server on
 * 127.0.0.1): the rewrite is used when it passes the checks; a rewrite naming
 * an unindexed or never-mentioned subject, dropping the message's own slots,
 * or an LLM that fails, is down or too slow, leaves the rules' rewrite; a
 * question that stands alone never reaches the LLM. Last, the app wires it
 * when LLM_BASE_URL is set.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { planQuestion, withLlmFollowUps, type QuestionPlan } from '../../src/ask/plan-question.js';
import { loadConfig } from '../../src/config.js';
import { createEmbedder } from '../../src/embed/create-embedder.js';
import { createLogger, silentLogger } from '../../src/log.js';
import type { PreviousTurn } from '../../src/understand/conversations.js';
import { checkRewrite, LlmFollowUp, type LlmFollowUpOptions } from '../../src/understand/llm-follow-up.js';
import { SubjectCatalog } from '../../src/understand/subject-catalog.js';
import { startFakeLlmServer, systemMessage, userMessage, type FakeLlmServer } from '../helpers/fake-llm-server.js';
import { freePort } from '../helpers/free-port.js';
import { SEEDS } from '../helpers/seed-app.js';

const MODEL = 'fake-rewriter';
const catalog = new SubjectCatalog([
  { source: 'a.txt', subject: '新嘉街道', aliases: ['新嘉'], years: [2024], planYears: [2025] },
  { source: 'b.txt', subject: '南星街道', aliases: ['南星'], years: [2024] },
  { source: 'c.txt', subject: '郑州市', aliases: ['郑州'], within: ['河南省'], years: [2025] },
]);

let server: FakeLlmServer;
let logs: string[];

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  logs = [];
  server.requests.length = 0;
});

function stage(over: Partial<LlmFollowUpOptions> = {}) {
  return withLlmFollowUps(
    new LlmFollowUp({
      llm: { baseUrl: server.baseUrl, model: MODEL },
      logger: createLogger({ level: 'debug', write: (l) => logs.push(l) }),
      timeoutMs: 5_000,
      ...over,
    }),
  );
}

/** Asks `turns` in order through the stage, each turn seeing the ones before; the last turn's plan. */
async function converse(turns: readonly string[], over: Partial<LlmFollowUpOptions> = {}): Promise<QuestionPlan> {
  const understandStage = stage(over);
  const history: PreviousTurn[] = [];
  let plan: QuestionPlan | undefined;
  for (const t of turns) {
    plan = await understandStage(t, catalog, history);
    history.push({ question: plan.understanding.text, slots: plan.understanding.slots });
  }
  if (plan === undefined) throw new Error('no turns');
  return plan;
}

const rules = (turns: readonly string[]): string => {
  const history: PreviousTurn[] = [];
  let text = '';
  for (const t of turns) {
    const u = planQuestion(t, catalog, history).understanding;
    history.push({ question: u.text, slots: u.slots });
    text = u.text;
  }
  return text;
};

const warnings = (): string[] => logs.filter((l) => l.includes('WARN'));

describe('LLM rewrite of follow-ups', () => {
  it('uses an accepted rewrite, asked with the earlier questions and the new message', async () => {
    const turns = ['郑州2025年城镇居民人均可支配收入多少？', '那农村的呢？'];
    const better = '郑州市2025年农村居民人均可支配收入多少?';
    expect(rules(turns)).not.toBe(better);
    server.reply({ content: better });

    const plan = await converse(turns);
    expect(plan.understanding).toMatchObject({ text: better, followUp: true, rewritten: true });
    expect(plan.understanding.subjects.map((s) => s.name)).toEqual(['郑州市']);
    expect(plan.parts[0]?.sources).toEqual(new Set(['c.txt']));

    // The first turn stood alone: only the follow-up was sent, with its context.
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req?.body).toMatchObject({ model: MODEL, temperature: 0 });
    expect(systemMessage(req!)).toContain('追问');
    expect(userMessage(req!)).toContain('1. 郑州2025年城镇居民人均可支配收入多少?');
    expect(userMessage(req!)).toContain('那农村的呢？');
    expect(warnings()).toEqual([]);
  });

  it('reads a labelled, quoted reply after a reasoning block', async () => {
    server.reply({ content: '<think>用户问的是南星街道</think>\n改写：“南星街道2024年限上社零额有多少？”' });
    const plan = await converse(['新嘉街道2024年限上社零额有多少？', '那南星呢？']);
    // Understood text is folded (NFKC): full-width punctuation becomes ASCII.
    expect(plan.understanding.text).toBe('南星街道2024年限上社零额有多少?');
    expect(warnings()).toEqual([]);
  });

  it.each([
    ['an unindexed subject', '杭州市2024年限上社零额增长了多少？', 'adds 杭州市, which no indexed report is about'],
    ['an indexed subject the conversation never named', '郑州市2024年限上社零额增长了多少？', 'adds 郑州市, which the conversation never named'],
    ['a reply dropping the topic it was asked', '新嘉街道2024年限上社零额是多少？', 'drops “增长” of the message'],
    ['a topic nobody asked about', '新嘉街道2024年限上社零额和出口总额增长了多少？', '“出” is in neither the message nor the conversation'],
    ['an answer instead of a question', '增长了12.5%。'.repeat(30), 'is no question'],
  ])('refuses a rewrite adding %s and keeps the rules’ rewrite', async (_case, reply, reason) => {
    const turns = ['新嘉街道2024年限上社零额有多少？', '增长了多少？'];
    server.reply({ content: reply });
    const plan = await converse(turns);
    expect(plan.understanding).toMatchObject({ text: rules(turns), followUp: true });
    expect(plan.understanding.text).toBe('新嘉街道2024年限上社零额增长了多少？');
    expect(warnings().join('\n')).toContain(reason);
  });

  it('refuses a rewrite that drops or changes the place, year or relative year the message names', async () => {
    server.reply({ content: '新嘉街道2024年限上社零额有多少？' });
    const newPlace = ['新嘉街道2024年限上社零额有多少？', '那南星街道呢？'];
    expect((await converse(newPlace)).understanding.text).toBe(rules(newPlace));
    expect(rules(newPlace)).toBe('南星街道2024年限上社零额有多少？');

    server.reply({ content: '新嘉街道2022年限上社零额有多少？' });
    const lastYear = ['新嘉街道2024年限上社零额有多少？', '去年呢？'];
    expect((await converse(lastYear)).understanding.text).toBe('新嘉街道2023年限上社零额有多少？');
    expect(warnings().join('\n')).toContain('drops the place 南星街道');
    expect(warnings().join('\n')).toContain('counts the relative year as 2022, not 2023');
  });

  it('falls back to the rules when the LLM answers an error, is down, or is slower than the timeout', async () => {
    const turns = ['新嘉街道2024年限上社零额有多少？', '那南星街道呢？'];
    server.reply({ status: 500, body: '{"error":"overloaded"}' });
    expect((await converse(turns)).understanding.text).toBe('南星街道2024年限上社零额有多少？');

    const down = await converse(turns, { llm: { baseUrl: `http://127.0.0.1:${await freePort()}/v1`, model: MODEL } });
    expect(down.understanding).toMatchObject({ text: '南星街道2024年限上社零额有多少？', followUp: true });

    server.reply({ content: '南星街道2024年全年限上社零额是多少？', delayMs: 3_000 });
    const slow = await converse(turns, { timeoutMs: 100 });
    expect(slow.understanding.text).toBe('南星街道2024年限上社零额有多少？');
    expect(warnings().join('\n')).toMatch(/HTTP 500[\s\S]*Cannot reach[\s\S]*did not answer within 100 ms/);
  });

  it('never sends a question that stands alone, whatever came before', async () => {
    server.reply({ content: '南星街道2024年限上社零额有多少？' });
    for (const explicit of ['郑州2025年GDP是多少？', '南星街道2024年清理了多少处垃圾？', '郑州市城镇居民人均可支配收入是多少？']) {
      const plan = await converse(['新嘉街道2024年限上社零额有多少？', explicit]);
      expect(plan.understanding.followUp).toBe(false);
      expect(plan.understanding.text).toBe(explicit.replace('？', '?'));
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('checkRewrite', () => {
  const request = (message: string, before: string) => {
    const history = [{ question: before, slots: planQuestion(before, catalog).understanding.slots }];
    return { message, history, catalog, rules: planQuestion(message, catalog, history).understanding };
  };

  it('accepts a rewrite that keeps the message’s own place, year and topic and adds only what came before', () => {
    expect(checkRewrite('郑州市2025年农村居民人均可支配收入是多少？', request('农村居民呢？', '郑州2025年城镇居民人均可支配收入多少？'))).toEqual({
      ok: true,
      text: '郑州市2025年农村居民人均可支配收入是多少？',
    });
    expect(checkRewrite('南星街道2025年一般公共预算收入是多少', request('那南星街道2025年呢', '新嘉街道2024年一般公共预算收入是多少？')).ok).toBe(true);
  });

  it('refuses one that drops the message’s own year or asks nothing', () => {
    expect(checkRewrite('南星街道2024年一般公共预算收入是多少', request('那南星街道2025年呢', '新嘉街道2024年一般公共预算收入是多少？'))).toEqual({
      ok: false,
      reason: 'drops the year 2025',
    });
    expect(checkRewrite('南星街道', request('那南星街道呢', '新嘉街道2024年一般公共预算收入是多少？'))).toMatchObject({ ok: false, reason: 'the reply asks nothing' });
  });
});

describe('the app with LLM_BASE_URL set', () => {
  it('rewrites a follow-up with the LLM and shows it as understood', async () => {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'follow-up-llm-'));
    try {
      await fs.cp(SEEDS, path.join(work, 'reports'), { recursive: true });
      const env = { REPORTS_DIR: path.join(work, 'reports'), INDEX_DIR: path.join(work, 'index'), EMBEDDER: 'offline' };
      const embedder = await createEmbedder(loadConfig(env, work), silentLogger);
      const app = await createApp(loadConfig({ ...env, LLM_BASE_URL: server.baseUrl, LLM_MODEL: MODEL }, work), { embedder });
      try {
        await app.ready();
        // The rewrite request gets a question; the answer request gets "not found" (the extractive answer is then used).
        server.reply((req) => ({ content: systemMessage(req).includes('追问') ? '南星街道2024年的地区生产总值是多少?' : '没有找到' }));
        await app.ask('罗星街道2022年地区生产总值是多少？', { conversation: 'c1' });
        const result = await app.ask('那南星街道2024年呢？', { conversation: 'c1' });
        // The rules would have said 南星街道2024年地区生产总值是多少？
        expect(result).toMatchObject({ understood: '南星街道2024年的地区生产总值是多少?', followUp: true });
        expect(server.requests.filter((r) => systemMessage(r).includes('追问'))).toHaveLength(1);
      } finally {
        await app.close();
      }
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  });
});
