/**
 * Webhook mode end to end over HTTP: the real bot and runner in webhook mode,
 * FakeBotApi playing Telegram (setWebhook, then POSTs of the pending updates
 * with the secret header), a scriptable FakeApp behind it.
 *
 * Decided and checked here:
 * - setWebhook registers the URL, the secret and the updates polling asks for;
 *   the bot never polls.
 * - A request without the secret or with a wrong one gets 401 and is never
 *   handled; other malformed requests get 400/404/405.
 * - Updates are acknowledged (200) before they are answered; per chat they are
 *   answered in order, other chats are not held up by a slow answer.
 * - At most `maxPending` updates are acknowledged and unanswered (queued or in
 *   flight); beyond that requests get 503 and Telegram keeps the update.
 * - Shutdown: from the stop on, requests get 503 (Telegram keeps the update),
 *   the answer in flight is still delivered, the next start gets what was kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotMetrics } from '../../src/bot/bot-metrics.js';
import { startOpsServer } from '../../src/bot/ops-server.js';
import { silentLogger } from '../../src/log.js';
import { FakeApp } from '../helpers/fake-app.js';
import { FakeBotApi, makeUser, privateChat } from '../helpers/fake-bot-api.js';
import { startWebhookBot, WEBHOOK_URL, type WebhookBot } from '../helpers/webhook-bot.js';

const SECRET = 'test-webhook-secret_0123456789';
const QUESTION = '罗星街道2022年地区生产总值是多少？';
const HOOK_PATH = new URL(WEBHOOK_URL).pathname;

let api: FakeBotApi;
let app: FakeApp;
let bots: WebhookBot[];
let nextUser = 500;
const freshUser = () => makeUser(nextUser++);

async function start(opts: Parameters<typeof startWebhookBot>[2] = {}): Promise<WebhookBot> {
  const bot = await startWebhookBot(api, app, { secret: SECRET, limits: { typingIntervalMs: 100 }, ...opts });
  bots.push(bot);
  return bot;
}

/** A POST to the bot's webhook path as someone other than Telegram might send it. */
async function post(origin: string, body: string, headers: Record<string, string> = {}, path = HOOK_PATH, method = 'POST'): Promise<number> {
  const res = await fetch(`${origin}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(method === 'POST' && { body }) });
  await res.arrayBuffer();
  return res.status;
}

/** An update for a chat the fake does not know: if the bot handled it, its reply would fail, but its question would be asked. */
function strayUpdate(updateId: number, text: string): string {
  const u = makeUser(90_000 + updateId);
  return JSON.stringify({ update_id: updateId, message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: privateChat(u), from: u, text } });
}

beforeEach(async () => {
  api = await FakeBotApi.start();
  app = new FakeApp();
  bots = [];
});

afterEach(async () => {
  for (const b of bots) await b.stop();
  for (const b of bots) {
    expect(b.logs.join('\n')).not.toContain(api.token);
    expect(b.logs.join('\n')).not.toContain(SECRET);
    expect(b.logs.some((l) => l.includes('unhandled error'))).toBe(false);
  }
  await api.close();
});

describe('webhook mode', () => {
  it('registers the URL, its secret and the update kinds with setWebhook, and never polls', async () => {
    await start();
    expect(api.webhook).toEqual({ url: WEBHOOK_URL, secretToken: SECRET, allowedUpdates: ['message', 'callback_query'] });
    expect(api.callsOf('getUpdates')).toEqual([]);
    expect(api.callsOf('deleteWebhook')).toEqual([]);
    expect(api.callsOf('setMyCommands').length).toBeGreaterThan(0);
  });

  it('makes up a secret when none is set, registers it and logs it nowhere', async () => {
    const bot = await startWebhookBot(api, app);
    bots.push(bot);
    const secret = api.webhook?.secretToken ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    expect(await api.deliverWebhook(bot.origin)).toEqual([{ updateId: 1, status: 200 }]);
    expect((await api.waitForMessage(u.id)).text).toContain('128.6亿元');
    expect(await post(bot.origin, strayUpdate(50, '猜'), { 'x-telegram-bot-api-secret-token': SECRET })).toBe(401);
    await bot.stop();
    expect(bot.logs.join('\n')).not.toContain(secret);
  });

  it('acknowledges an update at once and answers it in the background', async () => {
    const bot = await start();
    const held = app.holdAsk('罗星');
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    expect(await api.deliverWebhook(bot.origin)).toEqual([{ updateId: 1, status: 200 }]);
    await held.reached; // acknowledged while the answer is still being prepared
    expect(api.sentTo(u.id)).toEqual([]);
    expect(api.pendingUpdates).toBe(0);
    held.release();
    expect((await api.waitForMessage(u.id)).text).toContain('128.6亿元');
  });

  it('refuses requests without the secret or with a wrong one (401) and never handles them', async () => {
    const bot = await start();
    const wrongSameLength = SECRET.slice(0, -1) + (SECRET.endsWith('9') ? '8' : '9');
    expect(await post(bot.origin, strayUpdate(101, '无密钥'))).toBe(401);
    expect(await post(bot.origin, strayUpdate(102, '错误密钥'), { 'x-telegram-bot-api-secret-token': wrongSameLength })).toBe(401);
    expect(await post(bot.origin, strayUpdate(103, '短密钥'), { 'x-telegram-bot-api-secret-token': 'short' })).toBe(401);
    expect(await post(bot.origin, strayUpdate(104, '空密钥'), { 'x-telegram-bot-api-secret-token': '' })).toBe(401);
    expect(await post(bot.origin, strayUpdate(105, '前缀'), { 'x-telegram-bot-api-secret-token': `${SECRET}x` })).toBe(401);
    const good = { 'x-telegram-bot-api-secret-token': SECRET };
    expect(await post(bot.origin, 'not json', good)).toBe(400);
    expect(await post(bot.origin, JSON.stringify({ message: {} }), good)).toBe(400);
    expect(await post(bot.origin, strayUpdate(106, '别的路径'), good, '/other')).toBe(404);
    expect(await post(bot.origin, '', good, HOOK_PATH, 'GET')).toBe(405);

    // Had any refused update been taken, it would have been asked before this one is answered.
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    expect(await api.deliverWebhook(bot.origin)).toEqual([{ updateId: 1, status: 200 }]);
    await api.waitForMessage(u.id);
    expect(app.questions).toEqual([QUESTION]);
    expect(api.callsOf('sendMessage')).toHaveLength(1);
    expect(bot.logs.filter((l) => l.includes('missing or wrong secret token'))).toHaveLength(5);
  });

  it('answers in order within a chat while a slow answer is in flight, and serves other chats meanwhile', async () => {
    const bot = await start();
    const held = app.holdAsk('罗星');
    const a = freshUser();
    const b = freshUser();
    api.sendText(privateChat(a), a, QUESTION);
    expect(await api.deliverWebhook(bot.origin)).toEqual([{ updateId: 1, status: 200 }]);
    await held.reached;
    api.sendText(privateChat(a), a, '南星街道辖区共有多少个社区');
    api.sendText(privateChat(b), b, '新引进了多少个亿元以上项目');
    expect(await api.deliverWebhook(bot.origin)).toEqual([
      { updateId: 2, status: 200 },
      { updateId: 3, status: 200 },
    ]);
    expect((await api.waitForMessage(b.id)).text).toContain('亿元以上项目12个');
    expect(app.questions).toEqual([QUESTION, '新引进了多少个亿元以上项目']); // a's second waits for its first
    held.release();
    await api.waitForMessage(a.id, (m) => m.text.includes('社区11个'));
    const toA = api.sentTo(a.id);
    expect(toA).toHaveLength(2);
    expect(toA[0]!.text).toContain('128.6亿元');
    expect(toA[1]!.text).toContain('社区11个');
  });

  it('answers 503 beyond maxPending unanswered updates, keeping them at Telegram until there is room', async () => {
    const bot = await start({ maxPending: 2 });
    const held = app.holdAsk('罗星');
    const a = freshUser();
    const b = freshUser();
    api.sendText(privateChat(a), a, QUESTION);
    expect(await api.deliverWebhook(bot.origin)).toEqual([{ updateId: 1, status: 200 }]);
    await held.reached; // in flight: 1 pending
    api.sendText(privateChat(a), a, '南星街道辖区共有多少个社区'); // waits behind a's first: 2 pending
    api.sendText(privateChat(b), b, '新引进了多少个亿元以上项目');
    expect(await api.deliverWebhook(bot.origin)).toEqual([
      { updateId: 2, status: 200 },
      { updateId: 3, status: 503 },
    ]);
    expect(await api.deliverWebhook(bot.origin)).toEqual([{ updateId: 3, status: 503 }]);
    expect(api.pendingUpdates).toBe(1);
    expect(app.questions).toEqual([QUESTION]);
    expect(bot.logs.filter((l) => l.includes('too many updates pending'))).toHaveLength(1);

    held.release();
    await api.waitForMessage(a.id, (m) => m.text.includes('社区11个'));
    // Telegram retries until the bot has room; the handlers finish just after their last send.
    let deliveries = await api.deliverWebhook(bot.origin);
    for (let tries = 1; deliveries[0]?.status === 503 && tries < 200; tries++) {
      await new Promise((r) => setTimeout(r, 10));
      deliveries = await api.deliverWebhook(bot.origin);
    }
    expect(deliveries).toEqual([{ updateId: 3, status: 200 }]);
    expect((await api.waitForMessage(b.id)).text).toContain('亿元以上项目12个');
    expect(bot.logs.some((l) => l.includes('webhook accepts updates again'))).toBe(true);
  });

  it('on shutdown refuses new updates (503, kept by Telegram), finishes the answer in flight, and the next start gets the kept one', async () => {
    const first = await start();
    const held = app.holdAsk('罗星');
    const a = freshUser();
    api.sendText(privateChat(a), a, QUESTION);
    expect(await api.deliverWebhook(first.origin)).toEqual([{ updateId: 1, status: 200 }]);
    await held.reached;

    first.beginStop();
    await new Promise((r) => setImmediate(r)); // the stop has begun: runBot's cleanup runs in the microtasks after the abort
    const b = freshUser();
    api.sendText(privateChat(b), b, '南星街道辖区共有多少个社区');
    expect(await api.deliverWebhook(first.origin)).toEqual([{ updateId: 2, status: 503 }]);
    expect(api.pendingUpdates).toBe(1);
    held.release();
    await first.done;
    expect(api.sentTo(a.id)).toHaveLength(1);
    expect(api.sentTo(a.id)[0]!.text).toContain('128.6亿元');
    await expect(fetch(`${first.origin}${HOOK_PATH}`, { method: 'POST', body: '{}' })).rejects.toThrow(); // no longer listening
    expect(api.webhook?.url).toBe(WEBHOOK_URL); // left set: Telegram keeps updates while the bot is down

    const second = await start();
    expect(await api.deliverWebhook(second.origin)).toEqual([{ updateId: 2, status: 200 }]);
    expect((await api.waitForMessage(b.id)).text).toContain('社区11个');
    expect(api.sentTo(a.id)).toHaveLength(1);
    expect(app.questions).toEqual([QUESTION, '南星街道辖区共有多少个社区']);
  });

  it('an answer that outlives the shutdown grace is abandoned, and the bot still stops', async () => {
    const bot = await start({ shutdownGraceMs: 200 });
    app.holdAsk('罗星'); // never released
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    await api.deliverWebhook(bot.origin);
    await api.waitForCall((c) => c.method === 'sendChatAction' && c.payload.chat_id === u.id);
    await bot.stop();
    expect(bot.logs.join('\n')).toContain('updates still running at shutdown were abandoned');
  });

  it('records the last webhook update for /healthz', async () => {
    const metrics = new BotMetrics(app);
    const ops = await startOpsServer({ port: 0, app, metrics, logger: silentLogger });
    try {
      const bot = await start({ metrics });
      const health = async () => ((await (await fetch(`${ops.url}/healthz`)).json()) as { lastUpdateAt: string | null }).lastUpdateAt;
      expect(await health()).toBeNull();
      expect(await post(bot.origin, strayUpdate(7, '无密钥'))).toBe(401);
      expect(await health()).toBeNull(); // a refused request is no update
      const u = freshUser();
      api.sendText(privateChat(u), u, QUESTION);
      await api.deliverWebhook(bot.origin);
      await api.waitForMessage(u.id);
      const at = await health();
      expect(at).not.toBeNull();
      expect(Number.isNaN(Date.parse(at!))).toBe(false);
    } finally {
      await ops.close();
    }
  });
});
