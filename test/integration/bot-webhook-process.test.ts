/**
 * SIGTERM to the real `report-qa bot --webhook` process (node
 * bin/report-qa.js, real app on the seed reports, offline embedder) while an
 * answer is in flight, FakeBotApi playing Telegram on loopback.
 *
 * Decided and checked here: the answer in flight is delivered; from the
 * signal on, posts get 503 and Telegram keeps those updates; the process
 * exits 0; setWebhook was called once at start with the URL and secret and
 * the webhook is left set (no deleteWebhook), so Telegram holds updates while
 * the bot is down. The in-flight answer is held at the fake Bot API (its
 * sendMessage is answered only when the test releases it), so the signal
 * certainly lands mid-answer.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnReportQa, type BotProcess } from '../helpers/bot-process.js';
import { FakeBotApi, makeUser, privateChat } from '../helpers/fake-bot-api.js';
import { freePort } from '../helpers/free-port.js';
import { SEEDS } from '../helpers/seed-app.js';

const WEBHOOK_URL = 'https://bot.example.org/telegram';
const SECRET = 'process-test-secret_0123456789';
const QUESTION = '罗星街道2022年财政总收入有多少？';
const ANSWER = '9.63亿元';

let api: FakeBotApi;
let work: string;
let bot: BotProcess | undefined;

beforeAll(async () => {
  api = await FakeBotApi.start();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-webhook-process-'));
  await fs.cp(SEEDS, path.join(work, 'reports'), { recursive: true });
});
afterAll(async () => {
  if (bot !== undefined && bot.proc.exitCode === null && bot.proc.signalCode === null) bot.proc.kill('SIGKILL');
  await api?.close();
  if (work !== undefined) await fs.rm(work, { recursive: true, force: true });
});

describe('report-qa bot --webhook, stopped by SIGTERM', () => {
  it('delivers the answer in flight, answers new posts 503, leaves the webhook set and exits 0', async () => {
    const port = await freePort();
    bot = spawnReportQa(['bot', '--webhook', WEBHOOK_URL], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: os.tmpdir(),
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        WEBHOOK_PORT: String(port),
        WEBHOOK_SECRET: SECRET,
        REPORTS_DIR: path.join(work, 'reports'),
        INDEX_DIR: path.join(work, 'index'),
        MODEL_DIR: path.join(work, 'models'),
        EMBEDDER: 'offline',
        LOG_LEVEL: 'debug',
      },
    });
    await bot.waitForLine(/bot receives updates by webhook/, 120_000);
    expect(api.webhook).toEqual({ url: WEBHOOK_URL, secretToken: SECRET, allowedUpdates: ['message', 'callback_query'] });
    const origin = `http://127.0.0.1:${port}`;

    // The answer is on its way to Telegram when the signal comes.
    const answer = api.holdNext('sendMessage');
    const a = makeUser(9_101);
    api.sendText(privateChat(a), a, QUESTION);
    expect(await api.deliverWebhook(origin)).toEqual([{ updateId: 1, status: 200 }]);
    await answer.reached;
    expect(api.sentTo(a.id)).toEqual([]);

    bot.proc.kill('SIGTERM');
    // Logged by the signal handler; the webhook server stops accepting in the same turn, before any request is read.
    await bot.waitForLine(/shutting down.*SIGTERM/, 20_000);
    const b = makeUser(9_102);
    api.sendText(privateChat(b), b, '南星街道辖区共有多少个社区');
    expect(await api.deliverWebhook(origin)).toEqual([{ updateId: 2, status: 503 }]);
    const direct = await fetch(`${origin}/telegram`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': SECRET }, body: '{"update_id":99}' });
    expect(direct.status).toBe(503);
    expect(direct.headers.get('retry-after')).toBe('5');
    expect(bot.proc.exitCode).toBeNull(); // still waiting for the answer in flight

    answer.release();
    const exit = await bot.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    const sent = api.sentTo(a.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(ANSWER);
    expect(api.sentTo(b.id)).toEqual([]);
    expect(api.pendingUpdates).toBe(1); // b's question waits at Telegram for the next start
    expect(api.callsOf('setWebhook')).toHaveLength(1);
    expect(api.callsOf('deleteWebhook')).toEqual([]);
    expect(api.callsOf('getUpdates')).toEqual([]);
    expect(api.webhook?.url).toBe(WEBHOOK_URL);
    const log = bot.lines.join('\n');
    expect(log).toContain('bot stopped');
    expect(log).not.toContain('abandoned');
    expect(log).not.toContain(api.token);
    expect(log).not.toContain(SECRET);
  }, 180_000);
});
