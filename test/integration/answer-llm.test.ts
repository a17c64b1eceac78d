/**
 * The LLM answerer against a scripted OpenAI-compatible server on 127.0.0.1:
 * the answer is used only when it is well-formed and grounded; otherwise (and
 * on timeout, HTTP errors, refused connections) the extractive answer is
 * returned and the reason logged, never with the API key.
 */
import fs from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROMPTS_DIR, SYSTEM_PROMPT_FILE, USER_TEMPLATE_FILE } from '../../src/answer/answer-prompts.js';
import { ExtractiveAnswerer } from '../../src/answer/extractive-answerer.js';
import { decide } from '../../src/ask/decide.js';
import { LlmAnswerer, type LlmAnswererOptions } from '../../src/answer/llm-answerer.js';
import { NOT_FOUND_TEXT } from '../../src/answer/messages.js';
import type { LlmConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { RetrievedChunk } from '../../src/types.js';
import { passageNumber, startFakeLlmServer, systemMessage, userMessage, type FakeLlmServer } from '../helpers/fake-llm-server.js';
import { SeedReports, type Pick } from '../helpers/seed-reports.js';

const MODEL = 'fake-model';
const API_KEY = 'sk-test-SECRET-0123456789abcdef';
const GDP: Pick = ['000', '108.1亿元'];
const ROADS: Pick = ['000', '纬四路'];
const XJ: Pick = ['002', '27.76亿元'];
const Q = '罗星街道2022年地区生产总值是多少';

let server: FakeLlmServer;
let seeds: SeedReports;
let logs: string[];
let retrieved: RetrievedChunk[];

beforeAll(async () => {
  server = await startFakeLlmServer();
  seeds = await SeedReports.load();
  retrieved = seeds.retrieved([ROADS, GDP, XJ]);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  logs = [];
  server.requests.length = 0;
});

function answerer(over: Omit<Partial<LlmAnswererOptions>, 'llm'> & { llm?: Partial<LlmConfig> } = {}): LlmAnswerer {
  const { llm, ...rest } = over;
  return new LlmAnswerer({
    llm: { baseUrl: server.baseUrl, model: MODEL, ...llm },
    fallback: new ExtractiveAnswerer(),
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    timeoutMs: 5_000,
    ...rest,
  });
}

describe('LlmAnswerer', () => {
  it('uses a well-behaved answer and maps its [n] to citations', async () => {
    server.reply((req) => ({ content: `罗星街道2022年地区生产总值为108.1亿元，增长2.7%[${passageNumber(req, '108.1亿元')}]。` }));
    const a = await answerer().answer(decide(Q, retrieved));
    const p = seeds.paragraph(...GDP);
    expect(a).toMatchObject({ found: true, answerer: `llm:${MODEL}`, text: '罗星街道2022年地区生产总值为108.1亿元，增长2.7%[1]。' });
    expect(a.citations).toEqual([
      expect.objectContaining({ n: 1, source: p.report.source, paragraph: p.paragraph, title: p.report.title }),
    ]);
    expect(a.citations[0]?.text).toContain('全年实现地区生产总值108.1亿元');

    const [req] = server.requests;
    expect(server.requests).toHaveLength(1);
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBeUndefined();
    expect(req?.body).toMatchObject({ model: MODEL, stream: false, temperature: 0 });
    expect(userMessage(req!)).toContain(Q);
    expect(userMessage(req!)).toContain(p.text);
    expect(logs.filter((l) => l.includes('WARN'))).toEqual([]);
  });

  it('puts the verdict of a yes/no question first, unless the answer starts with one', async () => {
    const q = '罗星街道2022年地区生产总值是108.1亿元吗';
    const written = (req: Parameters<typeof passageNumber>[0]) => `罗星街道2022年地区生产总值为108.1亿元[${passageNumber(req, '全年实现地区生产总值')}]。`;
    server.reply((req) => ({ content: written(req) }));
    expect((await answerer().answer(decide(q, retrieved))).text).toBe('是。罗星街道2022年地区生产总值为108.1亿元[1]。');
    server.reply((req) => ({ content: `是的，${written(req)}` }));
    expect((await answerer().answer(decide(q, retrieved))).text).toBe('是的，罗星街道2022年地区生产总值为108.1亿元[1]。');
  });

  it('names the subject and year before an answer that says only 全年', async () => {
    server.reply((req) => ({ content: `全年实现地区生产总值108.1亿元[${passageNumber(req, '108.1亿元')}]。` }));
    expect((await answerer().answer(decide(Q, retrieved))).text).toBe('罗星街道（2022年）：全年实现地区生产总值108.1亿元[1]。');
  });

  it('numbers only the usable passages, so a distractor is never sent', async () => {
    server.reply({ content: '没有找到' });
    await answerer().answer(decide(Q, retrieved));
    const user = userMessage(server.requests[0]!);
    expect(user).toContain('108.1亿元');
    expect(user).not.toContain('纬四路');
  });

  it('falls back to the extractive answer when the server is too slow', async () => {
    server.reply({ content: '地区生产总值108.1亿元[1]。', delayMs: 3_000 });
    const started = Date.now();
    const a = await answerer({ timeoutMs: 200 }).answer(decide(Q, retrieved));
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(a).toMatchObject({ found: true, answerer: 'extractive' });
    expect(a.text).toContain('108.1亿元');
    expect(logs.join('\n')).toMatch(/WARN.*llm answer not used.*did not answer within 200 ms/);
  });

  it('falls back on HTTP 500', async () => {
    server.reply({ status: 500, body: '{"error":"boom"}' });
    const a = await answerer().answer(decide(Q, retrieved));
    expect(a.answerer).toBe('extractive');
    expect(a.text).toContain('108.1亿元');
    expect(logs.join('\n')).toMatch(/WARN.*HTTP 500/);
  });

  it('falls back when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const a = await answerer({ llm: { baseUrl: `http://127.0.0.1:${port}/v1` } }).answer(decide(Q, retrieved));
    expect(a.answerer).toBe('extractive');
    expect(logs.join('\n')).toMatch(/WARN.*Cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/);
  });

  it('falls back when the answer holds a figure the passages do not', async () => {
    server.reply((req) => ({ content: `地区生产总值118.1亿元，增长2.7%[${passageNumber(req, '108.1亿元')}]。` }));
    const a = await answerer().answer(decide(Q, retrieved));
    expect(a.answerer).toBe('extractive');
    expect(a.text).not.toContain('118.1');
    expect(logs.join('\n')).toContain('figures not in the cited passages: 118.1亿元');
  });

  it('falls back when the answer cites a passage that does not exist', async () => {
    const q = '罗星街道的未来社区建设得怎么样';
    server.reply({ content: '罗星街道江南未来社区被命名为全省首个省级未来社区[9]。' });
    const a = await answerer().answer(decide(q, seeds.retrieved([['000', '被命名全省首个省级未来社区'], ROADS, ['000', '同济未来社区']])));
    const user = userMessage(server.requests[0]!);
    expect(user).toContain('[3] 《');
    expect(user).not.toContain('[4] 《');
    expect(a.answerer).toBe('extractive');
    expect(logs.join('\n')).toContain('cites [9] but there are 3 passages');
  });

  it.each([
    ['a refusal', { content: '没有找到' }, 'found no answer'],
    ['an empty answer', { content: '  ' }, 'empty answer'],
    ['an answer without citations', { content: '罗星街道地区生产总值为108.1亿元。' }, 'cites no passage'],
    ['a body that is not a completion', { status: 200, body: '<html>gateway</html>' }, 'no choices[0].message.content'],
  ] as const)('falls back on %s', async (_name, reply, reason) => {
    server.reply(reply);
    const a = await answerer().answer(decide(Q, retrieved));
    expect(a.answerer).toBe('extractive');
    expect(a.found).toBe(true);
    expect(logs.join('\n')).toContain(reason);
  });

  it('does not call the LLM when nothing relevant was retrieved', async () => {
    const a = await answerer().answer(decide('罗星街道的大熊猫有几只', retrieved));
    expect(server.requests).toHaveLength(0);
    expect(a).toMatchObject({ found: false, answerer: `llm:${MODEL}`, citations: [] });
    expect(a.text.startsWith(NOT_FOUND_TEXT)).toBe(true);
  });

  it('gives the same other-year caveat as the extractive answerer, without calling the LLM', async () => {
    const decision = decide('罗星街道2019年地区生产总值是多少', retrieved);
    expect(decision.kind).toBe('other-year');
    const a = await answerer().answer(decision);
    const extractive = await new ExtractiveAnswerer().answer(decision);
    expect(server.requests).toHaveLength(0);
    expect(a).toEqual({ ...extractive, answerer: `llm:${MODEL}` });
    expect(a.found).toBe(false);
    expect(a.text).toContain('2022');
    expect(a.citations.map((c) => c.text)).toEqual([expect.stringContaining('108.1亿元')]);
  });

  it('rethrows when the caller aborts, without falling back', async () => {
    server.reply({ content: '地区生产总值108.1亿元[1]。', delayMs: 3_000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user left')), 100);
    await expect(answerer().answer(decide(Q, retrieved), { signal: ac.signal })).rejects.toThrow('user left');
    expect(logs.join('\n')).not.toContain('WARN');
  });

  it('sends the API key as a Bearer token and never logs it', async () => {
    server.reply((req) =>
      req.headers.authorization === `Bearer ${API_KEY}`
        ? { status: 401, body: `{"error":"key ${API_KEY} has no quota"}` }
        : { status: 400, body: 'no key' },
    );
    const a = await answerer({ llm: { apiKey: API_KEY } }).answer(decide(Q, retrieved));
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(a.answerer).toBe('extractive');
    const all = logs.join('\n');
    expect(all).toMatch(/HTTP 401/);
    expect(all).toContain('***');
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain(API_KEY.slice(0, 16));
  });
});

describe('LlmAnswerer prompts', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-prompts-'));
    for (const f of [SYSTEM_PROMPT_FILE, USER_TEMPLATE_FILE]) fs.copyFileSync(path.join(DEFAULT_PROMPTS_DIR, f), path.join(dir, f));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends the shipped prompt files', async () => {
    server.reply({ content: '没有找到' });
    await answerer().answer(decide(Q, retrieved));
    const req = server.requests[0]!;
    expect(systemMessage(req)).toBe(fs.readFileSync(path.join(DEFAULT_PROMPTS_DIR, SYSTEM_PROMPT_FILE), 'utf8').trim());
    const template = fs.readFileSync(path.join(DEFAULT_PROMPTS_DIR, USER_TEMPLATE_FILE), 'utf8');
    expect(userMessage(req).startsWith(template.slice(0, template.indexOf('{{question}}')))).toBe(true);
  });

  it('sends what the files say when the answerer is built: an edited file changes the request', async () => {
    server.reply({ content: '没有找到' });
    const before = answerer({ promptsDir: dir });
    fs.writeFileSync(path.join(dir, SYSTEM_PROMPT_FILE), '新的系统提示：只依据资料回答。');
    fs.writeFileSync(path.join(dir, USER_TEMPLATE_FILE), '新模板 Q={{question}}\n资料：\n{{passages}}\n完');
    const after = answerer({ promptsDir: dir });
    await before.answer(decide(Q, retrieved));
    await after.answer(decide(Q, retrieved));
    const [first, second] = server.requests;
    expect(systemMessage(first!)).not.toContain('新的系统提示');
    expect(systemMessage(second!)).toBe('新的系统提示：只依据资料回答。');
    expect(userMessage(second!).startsWith(`新模板 Q=${Q}\n资料：\n[1] 《`)).toBe(true);
    expect(userMessage(second!).endsWith('\n完')).toBe(true);
  });

  it('refuses to start without its prompt files', () => {
    fs.rmSync(path.join(dir, USER_TEMPLATE_FILE));
    expect(() => answerer({ promptsDir: dir })).toThrow(USER_TEMPLATE_FILE);
  });
});
