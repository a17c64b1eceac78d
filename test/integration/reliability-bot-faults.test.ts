/**
 * Telegram-side faults, with the real bot (grammY, runner, auto-retry) over
 * HTTP against the fake Bot API and a FakeApp: flood control (429 with
 * retry_after), 5xx, connections dropped before or after a call took effect,
 * a slow Bot API. The bot must keep serving, deliver every answer it can
 * exactly once, and log failures without the token.
 *
 * What Telegram's semantics make unavoidable: sendMessage is not idempotent
 * and a dropped connection does not say whether the message was sent. The bot
 * never re-sends after a network failure (a resend could duplicate the
 * answer); it tells the user that the answer may not have arrived instead. A
 * 429 means the call had no effect, so it is retried after retry_after.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MSG } from '../../src/bot/messages.js';
import { expectNoLeaksOrCrashes, startBotHarness, type BotHarness, type HarnessOptions } from '../helpers/bot-harness.js';
import { FakeApp } from '../helpers/fake-app.js';
import { groupChat, makeUser, privateChat } from '../helpers/fake-bot-api.js';

const QUESTION = '罗星街道2022年地区生产总值是多少？';
const ANSWER = '128.6亿元';

let app: FakeApp;
let h: BotHarness | undefined;
let nextUser = 3000;
const freshUser = () => makeUser(nextUser++);

async function start(opts: HarnessOptions = {}): Promise<BotHarness> {
  h = await startBotHarness(app, { ...opts, limits: { typingIntervalMs: 200, rateLimitCount: 100, ...opts.limits } });
  return h;
}

const answersTo = (harness: BotHarness, chatId: number) => harness.api.sentTo(chatId).filter((m) => m.text.includes(ANSWER));

/** Resolves once `cond` holds; fails after `timeoutMs`. */
async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeEach(() => {
  app = new FakeApp();
});

/** Faults injected over the whole file, by kind (printed at the end). */
const injected = { flood429: 0, server5xx: 0, dropBefore: 0, dropAfter: 0, delayedResponses: 0 };

afterAll(() => {
  process.stdout.write(`faults injected: ${JSON.stringify(injected)}\n`);
});

afterEach(async () => {
  const harness = h;
  h = undefined;
  if (harness === undefined) return;
  const f = harness.api.faults;
  injected.flood429 += f.flood;
  injected.server5xx += Object.entries(f.scripted).reduce((n, [code, k]) => n + (Number(code) >= 500 ? k : 0), 0);
  injected.dropBefore += f.dropBefore;
  injected.dropAfter += f.dropAfter;
  injected.delayedResponses += f.delayed;
  await harness.stop();
  // Failures are logged, never with the token.
  expectNoLeaksOrCrashes(harness);
});

describe('flood control (429 with retry_after)', () => {
  it('delivers every answer exactly once when Telegram throttles chats and the whole bot', async () => {
    const { api } = await start({ api: { floodControl: { private: { burst: 1, perSecond: 1 }, group: { burst: 2, perSecond: 1 }, global: { burst: 4, perSecond: 4 } } } });
    const users = Array.from({ length: 6 }, freshUser);
    const g = groupChat(901);
    for (const u of users) for (let i = 0; i < 2; i++) api.sendText(privateChat(u), u, `${QUESTION}#${i}`);
    for (const u of users.slice(0, 3)) api.sendText(g, u, `/ask ${QUESTION}`);
    await until(() => users.every((u) => answersTo(h!, u.id).length >= 2) && answersTo(h!, g.id).length >= 3, 30_000, 'all answers');
    await new Promise((r) => setTimeout(r, 1500)); // a duplicate would arrive now
    for (const u of users) expect(answersTo(h!, u.id)).toHaveLength(2);
    expect(answersTo(h!, g.id).map((m) => m.replyTo).sort()).toEqual([1, 2, 3]);
    expect(api.faults.flood).toBeGreaterThan(3);
    // Every refusal was a 429 and every retry waited at least retry_after.
    const sends = api.callsOf('sendMessage');
    for (const [i, c] of sends.entries()) {
      if (c.response.ok) continue;
      expect(c.response.error_code).toBe(429);
      const wait = (c.response.parameters?.retry_after ?? 0) * 1000;
      const retry = sends.slice(i + 1).find((x) => x.payload.chat_id === c.payload.chat_id && x.payload.text === c.payload.text);
      expect(retry!.at - c.at).toBeGreaterThanOrEqual(wait - 50);
    }
    expect(h!.logs.filter((l) => l.includes('telegram refused a call') && l.includes('"code":429'))).toHaveLength(api.faults.flood);
  }, 40_000);
});

describe('server errors', () => {
  it('keeps polling through a 500 on getUpdates and answers once', async () => {
    const { api } = await start();
    api.failNext('getUpdates', { error_code: 500, description: 'Internal Server Error' });
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION); // ends the poll in flight; the next one gets the 500
    await api.waitForCall((c) => c.method === 'getUpdates' && !c.response.ok, 5000);
    api.sendText(privateChat(u), u, `${QUESTION}?`);
    await until(() => answersTo(h!, u.id).length === 2, 15_000, 'both answers');
    await new Promise((r) => setTimeout(r, 300));
    expect(answersTo(h!, u.id)).toHaveLength(2);
    expect(app.questions).toEqual([QUESTION, `${QUESTION}?`]);
    expect(h!.logs.some((l) => l.includes('telegram refused a call') && l.includes('getUpdates') && l.includes('500'))).toBe(true);
  });
});

describe('dropped connections', () => {
  it('getUpdates dropped after the batch was handed out: the updates come again and are answered once', async () => {
    const { api } = await start({ api: {} });
    api.dropNext('getUpdates', 'after', 2);
    const users = [freshUser(), freshUser()];
    for (const u of users) api.sendText(privateChat(u), u, QUESTION);
    for (const u of users) await api.waitForMessage(u.id, (m) => m.text.includes(ANSWER), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    for (const u of users) expect(answersTo(h!, u.id)).toHaveLength(1);
    expect(api.callsOf('getUpdates').filter((c) => c.dropped === 'after').length).toBe(2);
    expect(app.questions).toHaveLength(2);
    expect(h!.logs.some((l) => l.includes('telegram call failed') && l.includes('getUpdates'))).toBe(true);
  });

  it('getUpdates dropped before: polling goes on', async () => {
    const { api } = await start();
    api.dropNext('getUpdates', 'before', 3);
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    await api.waitForMessage(u.id, (m) => m.text.includes(ANSWER), 10_000);
    expect(api.callsOf('getUpdates').filter((c) => c.dropped === 'before').length).toBeGreaterThanOrEqual(1);
  });

  it.each(['before', 'after'] as const)('sendMessage dropped %s it took effect: the answer is never sent twice, the user is told, the bot goes on', async (when) => {
    const { api } = await start();
    const u = freshUser();
    api.dropNext('sendMessage', when);
    api.sendText(privateChat(u), u, QUESTION);
    const notice = await api.waitForMessage(u.id, (m) => m.text === MSG.deliveryFailed, 10_000);
    expect(notice.text).toContain('重新提问');
    // Exactly one answer when the answer went through, none when it did not; never two.
    expect(answersTo(h!, u.id)).toHaveLength(when === 'after' ? 1 : 0);
    api.sendText(privateChat(u), u, QUESTION);
    await until(() => answersTo(h!, u.id).length === (when === 'after' ? 2 : 1), 5000, 'the next answer');
    await new Promise((r) => setTimeout(r, 300));
    expect(answersTo(h!, u.id)).toHaveLength(when === 'after' ? 2 : 1);
    expect(h!.logs.some((l) => l.includes('telegram call failed') && l.includes('sendMessage') && l.includes('network'))).toBe(true);
  });

  it('a download dropped mid-way fails the upload politely, without a URL or the token', async () => {
    const admin = makeUser(3999);
    const { api } = await start({ admins: [admin.id], reportsDir: '/nonexistent-reports-for-faults' });
    api.dropNext('file', 'before');
    api.sendDocument(privateChat(admin), admin, { fileName: 'r.txt', content: Buffer.from('新报告') });
    const reply = await api.waitForMessage(admin.id, () => true, 10_000);
    expect(reply.text).toBe(MSG.uploadFailed);
    const line = h!.logs.find((l) => l.includes('upload download failed'))!;
    expect(line).not.toMatch(/https?:\/\//);
  });
});

describe('a slow Bot API', () => {
  it('answers concurrent chats concurrently when every sendMessage takes a second', async () => {
    const { api } = await start();
    api.setLatency('sendMessage', 1000);
    api.setLatency('sendChatAction', 1000);
    const users = Array.from({ length: 10 }, freshUser);
    const t0 = performance.now();
    for (const u of users) api.sendText(privateChat(u), u, QUESTION);
    for (const u of users) await api.waitForMessage(u.id, (m) => m.text.includes(ANSWER), 15_000);
    const wall = performance.now() - t0;
    expect(wall).toBeLessThan(4000); // ten slow sends in parallel, not one after another
    for (const u of users) expect(answersTo(h!, u.id)).toHaveLength(1);
    expect(api.faults.delayed).toBeGreaterThanOrEqual(10);
  });

  it('keeps answering when long polls are slow to come back', async () => {
    const { api } = await start();
    api.setLatency('getUpdates', 700);
    const u = freshUser();
    for (let i = 0; i < 3; i++) {
      api.sendText(privateChat(u), u, `${QUESTION}${i}`);
      await until(() => answersTo(h!, u.id).length === i + 1, 10_000, `answer ${i + 1}`);
    }
  });
});

describe('faults together', () => {
  it('a burst through 429s, 500s and dropped connections: each question answered at most once, the bot keeps serving', async () => {
    const { api } = await start({ api: { floodControl: { private: { burst: 2, perSecond: 2 } } } });
    api.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    api.dropNext('getUpdates', 'after');
    api.dropNext('sendMessage', 'after');
    const users = Array.from({ length: 8 }, freshUser);
    for (const u of users) for (let i = 0; i < 3; i++) api.sendText(privateChat(u), u, `${QUESTION}#${i}`);
    const replies = (u: (typeof users)[number]) => api.sentTo(u.id).map((m) => m.text);
    await until(() => users.every((u) => replies(u).length >= 3), 30_000, 'a reply to every question');
    await new Promise((r) => setTimeout(r, 1500));
    let notices = 0;
    for (const u of users) {
      const texts = replies(u);
      const answers = texts.filter((t) => t.includes(ANSWER)).length;
      const told = texts.filter((t) => t === MSG.deliveryFailed).length;
      notices += told;
      expect(answers).toBeLessThanOrEqual(3); // never an answer twice
      expect(answers + told).toBeGreaterThanOrEqual(3); // every question answered, or the user told
      expect(texts).toHaveLength(answers + told);
    }
    expect(notices).toBe(1); // the one dropped send; 429 and 502 were retried
    expect(app.questions).toHaveLength(24); // the dropped getUpdates batch was not handled twice
  }, 45_000);
});
