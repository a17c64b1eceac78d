/**
 * The ask pipeline's stages, replaced one at a time through `AppOverrides` on
 * the real app over the seeds: the rerank stage sees a wider candidate list
 * than k and its order is what the decision and `retrieve` use (the
 * retriever's own order stays available with `rerank: false`); a replaced
 * decider's decision is what the answerer writes up; a replaced understand
 * stage decides what is searched for.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../../src/answer/extractive-answerer.js';
import { LlmAnswerer } from '../../src/answer/llm-answerer.js';
import { planQuestion } from '../../src/ask/plan-question.js';
import { RERANK_CANDIDATES } from '../../src/ask/rerank.js';
import { createApp, type AppOverrides } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { OfflineEmbedder } from '../../src/embed/offline-embedder.js';
import { buildFromReports } from '../../src/build-from-reports.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import type { App, Decision, Reranker, RetrievedChunk } from '../../src/types.js';
import { passageNumber, startFakeLlmServer, userMessage } from '../helpers/fake-llm-server.js';

const SEEDS = path.resolve('seeds');
const Q = '罗星街道财政总收入是多少';
const embedder = new OfflineEmbedder();
const tokenizer = new JiebaTokenizer();
let work: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ask-pipeline-'));
  await buildFromReports({ reportsDir: SEEDS, indexDir: path.join(work, 'index'), embedder, tokenizer });
}, 120_000);

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

async function withApp<T>(overrides: AppOverrides, use: (app: App) => Promise<T>): Promise<T> {
  const config = loadConfig({ REPORTS_DIR: SEEDS, INDEX_DIR: path.join(work, 'index'), EMBEDDER: 'offline', LOG_LEVEL: 'silent' }, work);
  const app = await createApp(config, { embedder, tokenizer, ...overrides });
  try {
    await app.ready();
    return await use(app);
  } finally {
    await app.close();
  }
}

const holds = (r: RetrievedChunk): boolean => r.chunk.text.includes('财政总收入9.63亿元');

describe('the ask pipeline', () => {
  it('answers from the default stages', async () => {
    const answer = await withApp({}, async (app) => (await app.ask(Q)).answer);
    expect(answer.found).toBe(true);
    expect(answer.text).toContain('9.63亿元');
  });

  it('reranks a wider candidate list than k; ask and retrieve use its order, rerank: false the retriever’s', async () => {
    const seen: number[] = [];
    // Moves every chunk holding the answer to the end of the candidates.
    const burying: Reranker = {
      rerank: async (_q, candidates) => {
        seen.push(candidates.length);
        return [...candidates.filter((r) => !holds(r)), ...candidates.filter(holds)];
      },
    };
    await withApp({ reranker: burying }, async (app) => {
      const before = await app.retrieve(Q, { k: 5, rerank: false });
      const after = await app.retrieve(Q, { k: 5 });
      expect(before.some(holds)).toBe(true);
      expect(after.some(holds)).toBe(false);
      expect(after.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
      expect(seen).toEqual([RERANK_CANDIDATES]);
      const asked = await app.ask(Q, { k: 5 });
      expect(asked.answer.text).not.toContain('9.63亿元');
      expect(asked.retrieved.some(holds)).toBe(false);
    });
  });

  it("writes up the replaced decider's decision", async () => {
    const decisions: Decision[] = [];
    const extractive = new ExtractiveAnswerer();
    const answer = await withApp(
      {
        decider: { decide: (question, ranked) => ({ kind: 'not-found', question, reason: 'test decider', related: ranked.slice(0, 1) }) },
        answerer: { id: 'recording', answer: (d, o) => (decisions.push(d), extractive.answer(d, o)) },
      },
      async (app) => (await app.ask(Q)).answer,
    );
    expect(answer.found).toBe(false);
    expect(decisions.map((d) => [d.kind, d.question, d.reason])).toEqual([['not-found', Q, 'test decider']]);
  });

  it('searches for what the understand stage plans', async () => {
    const searched: string[] = [];
    const answer = await withApp(
      {
        understand: (message, catalog, previous) => planQuestion(message === '那个收入呢' ? Q : message, catalog, previous),
        retriever: (snapshot, e) => {
          const retriever = new Retriever(snapshot, e);
          return {
            retrieve: (question, opts) => {
              searched.push(question);
              return retriever.retrieve(question, opts);
            },
          };
        },
      },
      async (app) => (await app.ask('那个收入呢')).answer,
    );
    expect(searched).toEqual([Q]);
    expect(answer.text).toContain('9.63亿元');
  });
  it('answers a comparison per subject, then compares the cited figures', async () => {
    const answer = await withApp({}, async (app) => (await app.ask('罗星街道和南星街道谁改造的老旧小区多？')).answer);
    const lines = answer.text.split('\n');
    expect(lines[0]).toMatch(/^罗星街道(?:（\d{4}年）)?：.*17个老旧小区.*\[1\]/);
    expect(lines[1]).toMatch(/^南星街道(?:（\d{4}年）)?：.*8个老旧小区.*\[2\]/);
    expect(lines[2]).toBe('比较：罗星街道17个，南星街道8个，罗星街道更多（相差9个）。');
  });

  it('labels and compares the parts written by the LLM answerer the same way', async () => {
    const server = await startFakeLlmServer();
    try {
      // The model quotes the passage's sentence on old residential areas, with its number.
      server.reply((req) => {
        const n = passageNumber(req, '个老旧小区');
        const sentence = /[^。；]*\d+个老旧小区[^。；]*/.exec(userMessage(req).split(/\n(?=\[\d+\] 《)/).find((b) => b.startsWith(`[${n}]`)) ?? '')?.[0];
        return { content: sentence === undefined ? '没有找到' : `${sentence.trim()}[${n}]。` };
      });
      const answerer = new LlmAnswerer({ llm: { baseUrl: server.baseUrl, model: 'fake' }, fallback: new ExtractiveAnswerer(), timeoutMs: 5_000 });
      const answer = await withApp({ answerer }, async (app) => (await app.ask('罗星街道和南星街道谁改造的老旧小区多？')).answer);
      expect(answer.answerer).toBe('llm:fake');
      const lines = answer.text.split('\n');
      expect(lines[0]).toMatch(/^罗星街道(?:（\d{4}年）)?：.*17个老旧小区.*\[1\]/);
      expect(lines[1]).toMatch(/^南星街道(?:（\d{4}年）)?：.*8个老旧小区.*\[2\]/);
      expect(lines[2]).toBe('比较：罗星街道17个，南星街道8个，罗星街道更多（相差9个）。');
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
