/**
 * Nobody gets what is not theirs: the real bot over HTTP against the fake Bot
 * API.
 * - Admin rights go by the sender's user id only: not a chat id, not a
 *   username, not a forwarded message's author, not a message sent on behalf
 *   of a chat (channel, anonymous group admin).
 * - Uploaded file names never leave REPORTS_DIR.
 * - Callback data is validated: garbage, oversized, unknown or foreign
 *   hashes, paragraphs out of range get a polite answer, never a crash.
 * - The bot token and the LLM API key never appear in a log line, an error, a
 *   reply or anything sent to Telegram, through a whole session with failures
 *   (a dropped file download, an LLM that echoes the key in errors and even
 *   in an answer).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Chat, Message, User } from 'grammy/types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { encodeParagraphRef } from '../../src/bot/callback-data.js';
import { MSG } from '../../src/bot/messages.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { App } from '../../src/types.js';
import { expectNoLeaksOrCrashes, startBotHarness, type BotHarness } from '../helpers/bot-harness.js';
import { FakeApp } from '../helpers/fake-app.js';
import { groupChat, makeUser, privateChat, type BotMessage } from '../helpers/fake-bot-api.js';
import { passageNumber, startFakeLlmServer, userMessage, type FakeLlmServer } from '../helpers/fake-llm-server.js';
import { SEEDS, startSeedApp, type SeedApp } from '../helpers/seed-app.js';

const ADMIN: User = { id: 5_550_001, is_bot: false, first_name: 'Admin', username: 'report_admin' };
/** Telegram's placeholder senders: anonymous group admins, posts on behalf of a channel. */
const GROUP_ANONYMOUS_BOT: User = { id: 1_087_968_824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };
const CHANNEL_BOT: User = { id: 136_817_688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' };

let h: BotHarness | undefined;

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(async () => {
  const harness = h;
  h = undefined;
  if (harness === undefined) return;
  await harness.stop();
  expectNoLeaksOrCrashes(harness);
  expect(harness.logs.some((l) => l.includes('update failed'))).toBe(false);
});

describe('admin rights go by the sender’s user id only', () => {
  let app: FakeApp;
  let dir: string;
  beforeEach(async () => {
    app = new FakeApp();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-admin-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const someone = (id: number, extra: Partial<User> = {}): User => ({ ...makeUser(id), ...extra });
  /** Group chats are negative in Telegram; these impostors are built to collide anyway. */
  const impostors: [string, () => { chat: Chat; from: User; extra?: Partial<Message> }][] = [
    ['a group whose chat id equals the admin’s user id', () => ({ chat: { id: ADMIN.id, type: 'group', title: 'look-alike' }, from: someone(7001) })],
    ['a supergroup with the admin’s id as chat id', () => ({ chat: { id: ADMIN.id, type: 'supergroup', title: 'look-alike' }, from: someone(7002) })],
    ['a user whose username is the admin’s', () => ({ chat: privateChat(someone(7003, { username: ADMIN.username })), from: someone(7003, { username: ADMIN.username }) })],
    ['a user named like the admin', () => ({ chat: privateChat(someone(7004, { first_name: 'Admin' })), from: someone(7004, { first_name: 'Admin', username: 'REPORT_ADMIN' }) })],
    ['a message forwarded from the admin', () => ({ chat: privateChat(someone(7005)), from: someone(7005), extra: { forward_origin: { type: 'user', sender_user: ADMIN, date: 1 } } })],
    ['an anonymous group admin', () => ({ chat: groupChat(71), from: GROUP_ANONYMOUS_BOT, extra: { sender_chat: groupChat(71) } })],
    ['a post on behalf of a channel', () => ({ chat: groupChat(72), from: CHANNEL_BOT, extra: { sender_chat: { id: -100_777, type: 'channel', title: 'news' } } })],
    ['a message on behalf of a chat that claims the admin as sender', () => ({ chat: groupChat(73), from: ADMIN, extra: { sender_chat: { id: -100_778, type: 'channel', title: 'spoof' } } })],
  ];

  it.each(impostors)('/reindex, /help and a document from %s: refused, nothing runs or downloads', async (_, make) => {
    // The placeholder senders are listed too: a misconfigured list must still not let chats in.
    h = await startBotHarness(app, { admins: [ADMIN.id, GROUP_ANONYMOUS_BOT.id, CHANNEL_BOT.id], reportsDir: dir });
    const { api } = h;
    const { chat, from, extra } = make();
    const mention = chat.type === 'private' ? '' : ' @report_qa_bot';
    const cmd = api.sendText(chat, from, `/reindex${chat.type === 'private' ? '' : '@report_qa_bot'}`, extra === undefined ? {} : { extra });
    const refusal = await api.waitForMessage(chat.id, (m) => m.text === MSG.adminOnly, 5000);
    if (chat.type !== 'private') expect(refusal.replyTo).toBe(cmd.message_id);
    api.sendText(chat, from, `/help${chat.type === 'private' ? '' : '@report_qa_bot'}`, extra === undefined ? {} : { extra });
    const help = await api.waitForMessage(chat.id, (m) => m.text.includes('使用说明'), 5000);
    expect(help.text).not.toContain('/reindex');
    api.sendDocument(chat, from, { fileName: 'evil.txt', content: Buffer.from('伪造的报告'), caption: `收录${mention}`, ...(extra !== undefined && { extra }) });
    await api.waitForMessage(chat.id, (m) => m.text === MSG.adminOnly && m.messageId !== refusal.messageId, 5000);
    expect(app.reindexCalls).toBe(0);
    expect(api.callsOf('getFile')).toEqual([]);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('the admin, by user id, in a private chat and in a group (positive control)', async () => {
    h = await startBotHarness(app, { admins: [ADMIN.id], reportsDir: dir });
    const { api } = h;
    api.sendText(privateChat(ADMIN), ADMIN, '/reindex');
    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('索引重建完成'), 10_000);
    const g = groupChat(74);
    api.sendText(g, ADMIN, '/reindex@report_qa_bot');
    await until(() => app.reindexCalls === 2, 10_000, 'the second re-index');
  });
});

describe('abuse', () => {
  it('one user flooding the bot with commands does not starve other chats', async () => {
    const app = new FakeApp();
    h = await startBotHarness(app, { api: { floodControl: { private: { burst: 3, perSecond: 1 } } } });
    const { api } = h;
    const spammer = makeUser(7300);
    for (let i = 0; i < 700; i++) api.sendText(privateChat(spammer), spammer, i % 2 === 0 ? '/help' : '/sources');
    await until(() => api.sentTo(spammer.id).length >= 3, 10_000, 'the first replies to the spammer');
    const other = makeUser(7301);
    const t0 = performance.now();
    api.sendText(privateChat(other), other, '罗星街道2022年地区生产总值是多少？');
    await api.waitForMessage(other.id, (m) => m.text.includes('128.6亿元'), 10_000);
    expect(performance.now() - t0).toBeLessThan(3000);
    // The spammer got at most the guard's share, and it was logged once.
    expect(h.logs.filter((l) => l.includes('over the flood limit'))).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(api.sentTo(spammer.id).length).toBeLessThanOrEqual(20);
  }, 30_000);
});

describe('uploaded file names stay inside REPORTS_DIR', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-names-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const NAMES: [string, string][] = [
    ['../../outside.txt', 'outside.txt'],
    ['/etc/cron.d/job.md', 'job.md'],
    ['..\\..\\windows\\r.txt', 'r.txt'],
    ['C:\\Windows\\r.pdf', 'r.pdf'],
    ['a\u0000b.txt', 'ab.txt'],
    ['..／..／look-alike.txt', '／..／look-alike.txt'],
    ['CON.txt', 'CON_.txt'],
    ['.bashrc.md', 'bashrc.md'],
    ['\u202Etxt.exe.txt', 'txt.exe.txt'],
    ['x'.repeat(400) + '.txt', 'x'.repeat(195) + '.txt'],
  ];

  it('saves each nasty name as a plain file directly in the folder', async () => {
    const app = new FakeApp();
    const reports = path.join(dir, 'reports');
    h = await startBotHarness(app, { admins: [ADMIN.id], reportsDir: reports });
    const { api } = h;
    for (const [i, [name, saved]] of NAMES.entries()) {
      api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: name, content: Buffer.from(`报告${i}`) });
      await until(() => app.reindexCalls === i + 1, 10_000, `the upload of ${JSON.stringify(name)}`);
      await until(() => !app.reindexing, 10_000, 'the re-index');
      expect(await fs.readFile(path.join(reports, saved), 'utf8')).toBe(`报告${i}`);
    }
    expect((await fs.readdir(reports)).sort()).toEqual(NAMES.map(([, s]) => s).sort());
    expect(await fs.readdir(dir)).toEqual(['reports']); // nothing beside the folder
    for (const n of await fs.readdir(reports)) expect((await fs.lstat(path.join(reports, n))).isFile()).toBe(true);
  });
});

describe('callback data on the real index', () => {
  let seed: SeedApp;
  beforeAll(async () => {
    seed = await startSeedApp();
  }, 300_000);
  afterAll(async () => {
    await seed?.cleanup();
  });

  it('garbage, oversized, foreign hashes, paragraphs out of range and negative numbers get a polite answer', async () => {
    // This user presses ~30 buttons in a second: validation is under test here, not the flood guard.
    h = await startBotHarness(seed.app, { admins: [ADMIN.id], reportsDir: seed.config.reportsDir, limits: { updateLimitCount: 1000 } });
    const { api } = h;
    const u = makeUser(7100);
    api.sendText(privateChat(u), u, '罗星街道2022年财政总收入有多少？');
    const answer = await api.waitForMessage(u.id, (m) => m.replyMarkup !== undefined, 30_000);
    const report = seed.app.sources().find((s) => s.source.startsWith('000'))!;
    const other = seed.app.sources().find((s) => s.source.startsWith('001'))!;
    const invalid = ['', 'x', 'p', 'p:', 'p::', 'p:0:1', `p:${report.hash.slice(0, 10)}:`, `p:${report.hash.slice(0, 10)}:-1`, `p:${report.hash.slice(0, 10)}:0`,
      `p:${report.hash.slice(0, 10)}:007`, `p:${report.hash.slice(0, 10)}:1e3`, `p:${report.hash.slice(0, 10)}:99999999999`, `p:${report.hash.slice(0, 10).toUpperCase()}:1`,
      `p:${report.hash}:1`, `p:${report.hash.slice(0, 10)}:1 `, `p:${report.hash.slice(0, 10)}:1\n`, 'p:../../etc:1', '\u0000\u0000', '🙂'.repeat(40), 'p:' + 'a'.repeat(300) + ':1',
      '{"p":1}', 'p:0123456789:1:2'];
    const gone = [
      encodeParagraphRef('0123456789abcdef', 1), // a report this index does not hold
      encodeParagraphRef(report.hash, report.paragraphs + 1), // one past the last paragraph
      encodeParagraphRef(report.hash, 999_999),
      encodeParagraphRef(other.hash, other.paragraphs + 1),
    ];
    const answers = new Map<string, string>();
    for (const data of [...invalid, ...gone]) {
      const q = api.pressButton(u, answer, data);
      const ack = await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === q, 5000);
      expect(ack.response.ok).toBe(true);
      answers.set(data, String(ack.payload.text));
    }
    for (const data of invalid) expect(answers.get(data), JSON.stringify(data)).toBe(MSG.buttonInvalid);
    for (const data of gone) expect(answers.get(data), data).toBe(MSG.paragraphGone);
    expect(api.sentTo(u.id)).toEqual([answer]); // no paragraph was sent for any of them

    // Another report's valid paragraph is public content: it is shown, as a reply to the answer.
    const q = api.pressButton(u, answer, encodeParagraphRef(other.hash, 2));
    await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === q);
    const shown = await api.waitForMessage(u.id, (m: BotMessage) => m.replyTo === answer.messageId, 5000);
    expect(shown.text).toContain(`《${other.title}》 第2段`);

    // A button on an inline message (no chat to write to) answers with a short alert.
    const inline = api.pressInlineButton(u, encodeParagraphRef(report.hash, 3));
    const alert = await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === inline);
    expect([...String(alert.payload.text)].length).toBeLessThanOrEqual(200);
    const bad = api.pressInlineButton(u, 'p:zz:1');
    expect(String((await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === bad)).payload.text)).toBe(MSG.buttonInvalid);

    // Still serving.
    api.sendText(privateChat(u), u, '罗星街道2022年地区生产总值是多少？');
    await api.waitForMessage(u.id, (m) => m.text.includes('108.1亿元'), 30_000);
    expect(h.logs.filter((l) => l.includes('invalid callback data'))).toHaveLength(invalid.length + 1);
  });
});

describe('secrets never leave the process', () => {
  const KEY = 'sk-live-ABCDEF0123456789-secret-key';
  let llm: FakeLlmServer;
  let work: string;

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-secrets-'));
    await fs.cp(SEEDS, path.join(work, 'reports'), { recursive: true });
  });
  afterAll(async () => {
    await llm?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('a whole session with failures: the token and the key are in no log line, reply, payload or prompt', async () => {
    const appLogs: string[] = [];
    const config = loadConfig(
      {
        REPORTS_DIR: path.join(work, 'reports'),
        INDEX_DIR: path.join(work, 'index'),
        MODEL_DIR: path.join(work, 'models'),
        EMBEDDER: 'offline',
        LLM_BASE_URL: llm.baseUrl,
        LLM_API_KEY: KEY,
        LLM_MODEL: 'fake-model',
      },
      work,
    );
    // Capturing loggers that mask nothing themselves: whatever they get is what the code wrote.
    const app: App = await createApp(config, { logger: createLogger({ level: 'debug', write: (l) => appLogs.push(l) }) });
    await app.ready();
    h = await startBotHarness(app, { admins: [ADMIN.id], reportsDir: config.reportsDir });
    const { api } = h;
    const token = api.token;

    // The LLM endpoint: a good answer, errors that quote the key, and an answer that leaks it.
    llm.reply((req) => {
      const q = userMessage(req);
      const n = passageNumber(req, '9.63亿元');
      if (q.includes('#ok')) return { content: `罗星街道2022年财政总收入9.63亿元[${n}]。` };
      if (q.includes('#401')) return { status: 401, body: `{"error":{"message":"Incorrect API key provided: ${KEY}"}}` };
      if (q.includes('#500')) return { status: 500, body: `upstream failed; request headers: Authorization: Bearer ${KEY}` };
      if (q.includes('#junk')) return { status: 200, body: `<html>proxy error for key=${KEY}</html>` };
      return { content: `罗星街道2022年财政总收入9.63亿元[${n}]。（调试：API key ${KEY}）` };
    });
    const u = makeUser(7200);
    const tags = ['#ok', '#401', '#500', '#junk', '#leak'];
    for (const tag of tags) api.sendText(privateChat(u), u, `罗星街道2022年财政总收入有多少？${tag}`);
    await until(() => api.sentTo(u.id).length >= tags.length, 30_000, 'five answers');

    // Uploads: one whose download is dropped, one that works and is indexed.
    api.dropNext('file', 'before');
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: '新报告.txt', content: Buffer.from('青云镇新建蓝莓基地3200亩。') });
    await api.waitForMessage(ADMIN.id, (m) => m.text === MSG.uploadFailed, 10_000);
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: '新报告.txt', content: Buffer.from('青云镇新建蓝莓基地3200亩。') });
    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('索引重建完成'), 60_000);
    // Telegram failures on the way out: a dropped connection and a 500.
    api.dropNext('sendMessage', 'before');
    api.sendText(privateChat(u), u, '/status');
    await api.waitForMessage(u.id, (m) => m.text === MSG.deliveryFailed, 10_000);
    api.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    api.sendText(privateChat(u), u, '/sources');
    await api.waitForMessage(u.id, (m) => m.text.includes('已收录'), 15_000);
    await h.stop();
    await app.close();
    const harness = h;
    h = undefined;

    const replies = api.calls.filter((c) => c.method === 'sendMessage' && c.response.ok).map((c) => String(c.payload.text));
    expect(replies.filter((t) => t.includes('9.63亿元'))).toHaveLength(tags.length); // every question answered, by the LLM or extractively
    expect(llm.requests.length).toBeGreaterThanOrEqual(tags.length);
    expect(llm.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true); // the key is only ever sent where it belongs
    const everything = [
      ...harness.logs,
      ...appLogs,
      ...api.calls.map((c) => JSON.stringify(c.payload) + JSON.stringify(c.response)),
      ...llm.requests.map((r) => JSON.stringify(r.body) + r.path),
    ].join('\n');
    for (const secret of [token, KEY, token.split(':')[1]!, KEY.slice(0, 16)]) expect(everything).not.toContain(secret);
    // The failures did happen and were logged (masked).
    expect(appLogs.some((l) => l.includes('llm answer not used') && l.includes('401'))).toBe(true);
    expect(harness.logs.some((l) => l.includes('upload download failed'))).toBe(true);
    expect(harness.logs.some((l) => l.includes('telegram call failed') && l.includes('sendMessage'))).toBe(true);
  }, 120_000);
});
