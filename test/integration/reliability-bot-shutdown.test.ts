/**
 * Clean shutdown of the real `report-qa bot` process (node bin/report-qa.js
 * bot) against the fake Bot API, with a temporary reports folder and index.
 *
 * Decided and checked here:
 * - On SIGTERM or SIGINT the bot stops polling; updates it already received
 *   finish within the grace period (10 s) and are answered; updates it never
 *   received stay with Telegram and are answered by the next start; nothing
 *   it handled is handled again after a restart.
 * - A re-index running at that moment is stopped; its progress message says
 *   it was interrupted and the old index keeps serving. No temporary build
 *   folder is left behind, the index loads, and the next start serves and
 *   re-indexes normally.
 * - The process exits 0, well within the grace period plus a margin.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnReportQa, type BotProcess } from '../helpers/bot-process.js';
import { FakeBotApi, makeUser, privateChat, type ApiCall } from '../helpers/fake-bot-api.js';
import { SEEDS } from '../helpers/seed-app.js';

const ADMIN = makeUser(8_100, 'admin');
const QUESTION = '罗星街道2022年财政总收入有多少？';
const ANSWER = '9.63亿元';
/**
 * Bound on signal → exit: the shutdown grace (10 s), the confirming getUpdates
 * (≤ 5 s), the CLI's 2 s for abandoned work, and a margin for a loaded machine.
 */
const EXIT_WITHIN_MS = 20_000;

let api: FakeBotApi;
let work: string;
let env: NodeJS.ProcessEnv;
const running: BotProcess[] = [];

/** With `holdReads`, the first read of a report named `*${HOLD_SUFFIX}` waits until the build is aborted. */
const HOLD_READ = path.resolve(import.meta.dirname, '../helpers/hold-report-read.mjs');
const HOLD_SUFFIX = '-hold.txt';

function startBot(opts: { holdReads?: boolean } = {}): BotProcess {
  const bot = spawnReportQa(['bot'], {
    cwd: work,
    env: opts.holdReads === true ? { ...env, HOLD_READ_SUFFIX: HOLD_SUFFIX } : env,
    nodeArgs: opts.holdReads === true ? ['--import', HOLD_READ] : [],
  });
  running.push(bot);
  return bot;
}

/** Resolves once `cond` holds; fails after `timeoutMs`. */
async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const answersTo = (userId: number) => api.sentTo(userId).filter((m) => m.text.includes(ANSWER));

async function tempEntries(): Promise<string[]> {
  const index = path.join(work, 'index');
  const top = (await fs.readdir(index)).filter((n) => n.includes('.tmp'));
  const builds = (await fs.readdir(path.join(index, 'builds'))).filter((n) => n.startsWith('.'));
  return [...top, ...builds.map((n) => `builds/${n}`)];
}

beforeAll(async () => {
  api = await FakeBotApi.start();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-shutdown-'));
  await fs.cp(SEEDS, path.join(work, 'reports'), { recursive: true });
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: os.tmpdir(),
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    REPORTS_DIR: path.join(work, 'reports'),
    INDEX_DIR: path.join(work, 'index'),
    MODEL_DIR: path.join(work, 'models'),
    EMBEDDER: 'offline',
    LOG_LEVEL: 'debug',
    ADMIN_USER_IDS: String(ADMIN.id),
  };
});

afterAll(async () => {
  for (const b of running) if (b.proc.exitCode === null && b.proc.signalCode === null) b.proc.kill('SIGKILL');
  await api?.close();
  if (work !== undefined) await fs.rm(work, { recursive: true, force: true });
});

describe('report-qa bot shutdown', () => {
  it('SIGTERM mid-work: answers in flight are delivered once, the re-index says it was interrupted, the next start serves and re-indexes', async () => {
    const first = startBot({ holdReads: true });
    await first.waitForLine(/bot is polling/, 120_000);
    const a = makeUser(8_201);
    api.sendText(privateChat(a), a, QUESTION);
    await until(() => answersTo(a.id).length === 1, 20_000, 'the first answer');

    // A re-index that is certainly still running when the signal comes: it reads three more
    // reports and then waits on the fourth (see hold-report-read.mjs) until the signal aborts it.
    const seedTexts = await Promise.all((await fs.readdir(SEEDS)).filter((f) => f.endsWith('.txt')).map((f) => fs.readFile(path.join(SEEDS, f), 'utf8')));
    await fs.mkdir(path.join(work, 'reports', 'extra'));
    const extra = ['合成报告0.txt', '合成报告1.txt', '合成报告2.txt', `合成报告3${HOLD_SUFFIX}`];
    for (const [i, name] of extra.entries()) {
      const body = seedTexts.join('\n\n').replace(/\d+(\.\d+)?/g, (d) => String(Number(d) + i + 1));
      await fs.writeFile(path.join(work, 'reports', 'extra', name), `合成报告第${i}号\n\n${body}`);
    }
    api.sendText(privateChat(ADMIN), ADMIN, '/reindex');
    const progress = await api.waitForMessage(ADMIN.id, (m) => m.text.includes('开始重建索引'), 20_000);
    await first.waitForLine(/hold-report-read: holding .*合成报告3-hold\.txt/, 30_000);

    // Three answers in flight: every sendMessage now takes 1.5 s.
    api.setLatency('sendMessage', 1500);
    const delayedBefore = api.faults.delayed;
    const inFlight = [makeUser(8_202), makeUser(8_203), makeUser(8_204)];
    for (const u of inFlight) api.sendText(privateChat(u), u, QUESTION);
    const typing = (u: { id: number }) => (c: ApiCall) => c.method === 'sendChatAction' && c.payload.chat_id === u.id;
    for (const u of inFlight) await api.waitForCall(typing(u), 20_000);
    // Their three answers have reached the fake and are held there by the latency.
    await until(() => api.faults.delayed >= delayedBefore + 3, 20_000, 'the three answers on the wire');

    const t0 = performance.now();
    first.proc.kill('SIGTERM');
    const exit = await first.exited;
    const exitMs = exit.at - t0;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(EXIT_WITHIN_MS);
    api.setLatency('sendMessage', 0);

    for (const u of inFlight) expect(answersTo(u.id)).toHaveLength(1);
    const final = api.botMessages.get(`${ADMIN.id}:${progress.messageId}`)!;
    expect(final.text).toContain('重建索引已中断');
    expect(final.text).toContain('旧索引仍在使用');
    const log = first.lines.join('\n');
    expect(log).toContain('shutting down');
    expect(log).toContain('bot stopped');
    expect(log).not.toContain(api.token);
    expect(await tempEntries()).toEqual([]);

    // While the bot is down a question arrives; the next start answers it, and only it.
    const late = makeUser(8_205);
    api.sendText(privateChat(late), late, QUESTION);
    const second = startBot();
    await second.waitForLine(/bot is polling/, 120_000);
    await until(() => answersTo(late.id).length === 1, 20_000, 'the question sent while the bot was down');
    await new Promise((r) => setTimeout(r, 1500));
    for (const u of [a, ...inFlight]) expect(answersTo(u.id)).toHaveLength(1); // nothing handled twice
    expect(answersTo(late.id)).toHaveLength(1);
    expect(await tempEntries()).toEqual([]);

    // The interrupted re-index can be run again, to the end.
    api.sendText(privateChat(ADMIN), ADMIN, '/reindex');
    const again = await api.waitForMessage(ADMIN.id, (m) => m.messageId > progress.messageId && m.text.includes('开始重建索引'), 20_000);
    await until(() => api.botMessages.get(`${ADMIN.id}:${again.messageId}`)!.text.includes('索引重建完成'), 120_000, 'the re-index to finish');
    expect(api.botMessages.get(`${ADMIN.id}:${again.messageId}`)!.text).toMatch(/新增 4/);

    process.stdout.write(`SIGTERM → exit 0 in ${exitMs.toFixed(0)} ms with 3 answers in flight and a re-index running\n`);

    // SIGINT (Ctrl-C) stops it the same way — here on a slow network: the poll that would
    // confirm the last batch to Telegram is still on its way when the signal comes.
    api.setLatency('sendMessage', 1000);
    api.setLatency('getUpdates', 3000);
    const b = makeUser(8_206);
    api.sendText(privateChat(b), b, QUESTION);
    await api.waitForCall(typing(b), 20_000);
    await new Promise((r) => setTimeout(r, 200));
    const t1 = performance.now();
    second.proc.kill('SIGINT');
    const exit2 = await second.exited;
    api.setLatency('sendMessage', 0);
    api.setLatency('getUpdates', 0);
    expect(exit2).toMatchObject({ code: 0, signal: null });
    expect(exit2.at - t1).toBeLessThan(EXIT_WITHIN_MS);
    expect(answersTo(b.id)).toHaveLength(1);
    expect(second.lines.join('\n')).not.toContain(api.token);
    expect(await tempEntries()).toEqual([]);
    process.stdout.write(`SIGINT → exit 0 in ${(exit2.at - t1).toFixed(0)} ms with 1 answer in flight and a slow poll\n`);

    // The next start does not answer that question again.
    const third = startBot();
    await third.waitForLine(/bot is polling/, 120_000);
    const c = makeUser(8_207);
    api.sendText(privateChat(c), c, QUESTION);
    await until(() => answersTo(c.id).length === 1, 20_000, 'a question to the third start');
    await new Promise((r) => setTimeout(r, 1000));
    expect(answersTo(b.id)).toHaveLength(1);
    third.proc.kill('SIGTERM');
    expect(await third.exited).toMatchObject({ code: 0 });
  }, 420_000);

  it('a Bot API that stops answering does not keep the process alive past the grace period', async () => {
    const bot = startBot();
    await bot.waitForLine(/bot is polling/, 120_000);
    api.setLatency('sendMessage', 300_000);
    const u = makeUser(8_301);
    api.sendText(privateChat(u), u, QUESTION);
    await api.waitForCall((c) => c.method === 'sendChatAction' && c.payload.chat_id === u.id, 20_000);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    bot.proc.kill('SIGTERM');
    const exit = await bot.exited;
    api.setLatency('sendMessage', 0);
    process.stdout.write(`SIGTERM with a hung sendMessage → exit ${exit.code} in ${(exit.at - t0).toFixed(0)} ms\n`);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - t0).toBeLessThan(EXIT_WITHIN_MS);
    expect(bot.lines.join('\n')).toContain('updates still running at shutdown were abandoned');
  }, 120_000);

  it('SIGKILL while a build is being written: the next start removes the half-written folder and serves', async () => {
    const bot = startBot();
    await bot.waitForLine(/bot is polling/, 120_000);
    const seedTexts = await Promise.all((await fs.readdir(SEEDS)).filter((f) => f.endsWith('.txt')).map((f) => fs.readFile(path.join(SEEDS, f), 'utf8')));
    for (let i = 20; i < 30; i++) {
      const body = seedTexts.join('\n\n').replace(/\d+(\.\d+)?/g, (d) => String(Number(d) + i + 1));
      await fs.writeFile(path.join(work, 'reports', 'extra', `合成报告${i}.txt`), `合成报告第${i}号\n\n${body}`);
    }
    api.sendText(privateChat(ADMIN), ADMIN, '/reindex');
    await until(() => bot.lines.some((l) => l.includes('re-index started')), 20_000, 'the re-index to start');
    const builds = path.join(work, 'index', 'builds');
    let seen: string[] = [];
    const end = performance.now() + 120_000;
    while (seen.length === 0 && performance.now() < end) {
      seen = (await fs.readdir(builds)).filter((n) => n.startsWith('.tmp-'));
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    }
    bot.proc.kill('SIGKILL');
    expect((await bot.exited).signal).toBe('SIGKILL');
    expect(seen.length).toBe(1); // the kill landed while the new build was being written
    expect(await tempEntries()).not.toEqual([]);

    const next = startBot();
    await next.waitForLine(/bot is polling/, 120_000);
    const u = makeUser(8_401);
    api.sendText(privateChat(u), u, QUESTION);
    await until(() => answersTo(u.id).length === 1, 20_000, 'an answer after the kill');
    expect(await tempEntries()).toEqual([]);
    next.proc.kill('SIGTERM');
    expect(await next.exited).toMatchObject({ code: 0 });
  }, 300_000);
});
