/**
 * The bot end to end over HTTP: the real grammY bot, runner and auto-retry
 * against FakeBotApi (which refuses what Telegram refuses), with a scriptable
 * FakeApp behind it.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeParagraphRef, NEW_CONVERSATION_DATA } from '../../src/bot/callback-data.js';
import { MSG } from '../../src/bot/messages.js';
import { AppError } from '../../src/errors.js';
import { UPLOAD_FORMATS } from '../../src/ingest/report-formats.js';
import { expectNoLeaksOrCrashes, startBotHarness, type BotHarness, type HarnessOptions } from '../helpers/bot-harness.js';
import { FakeApp, hashOf, NOT_FOUND, SAMPLE_REPORTS, type FakeReport } from '../helpers/fake-app.js';
import { groupChat, makeUser, privateChat, TEXT_LIMIT, type ApiCall, type BotMessage } from '../helpers/fake-bot-api.js';

const ADMIN = makeUser(9001, 'admin');
const QUESTION = '罗星街道2022年地区生产总值是多少？';
const FAST: HarnessOptions['limits'] = { progressIntervalMs: 200, typingIntervalMs: 100 };

let app: FakeApp;
let h: BotHarness | undefined;
let nextUser = 100;
const freshUser = () => makeUser(nextUser++);

async function start(opts: HarnessOptions = {}): Promise<BotHarness> {
  h = await startBotHarness(app, { admins: [ADMIN.id], ...opts, limits: { ...FAST, ...opts.limits } });
  return h;
}

const isSend = (chatId: number) => (c: ApiCall) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId;

beforeEach(() => {
  app = new FakeApp();
});

afterEach(async () => {
  const harness = h;
  h = undefined;
  if (harness === undefined) return;
  await harness.stop();
  expectNoLeaksOrCrashes(harness);
});

describe('questions in a private chat', () => {
  it('answers with numbered citations, quoted paragraphs and one button per citation', async () => {
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    const reply = await api.waitForMessage(u.id);
    expect(app.questions).toEqual([QUESTION]);
    expect(reply.text).toContain('128.6亿元');
    expect(reply.html).toMatch(/<b>\[1\]<\/b> 《罗星街道工作报告》 第2段\n<blockquote>2022年，罗星街道实现地区生产总值128\.6亿元/);
    const buttons = reply.replyMarkup?.inline_keyboard.flat() ?? [];
    const luoxing = SAMPLE_REPORTS[0]!;
    expect(buttons.map((b) => ('callback_data' in b ? b.callback_data : undefined))).toEqual([
      encodeParagraphRef(hashOf(luoxing), 2),
      encodeParagraphRef(hashOf(luoxing), 1),
      NEW_CONVERSATION_DATA,
    ]);
    expect(buttons.at(-1)?.text).toBe('新问题');
    expect(api.callsOf('sendChatAction').some((c) => c.payload.chat_id === u.id && c.payload.action === 'typing')).toBe(true);
  });

  it('says plainly when nothing was found, without citation buttons', async () => {
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, '火星基地的预算是多少');
    const reply = await api.waitForMessage(u.id);
    expect(reply.text).toBe(NOT_FOUND);
    expect(reply.replyMarkup?.inline_keyboard).toEqual([[{ text: '新问题', callback_data: NEW_CONVERSATION_DATA }]]);
  });

  it('keeps the typing indicator up while a slow answer is prepared', async () => {
    app.askDelayMs = 450;
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    await api.waitForMessage(u.id);
    const typing = api.callsOf('sendChatAction').filter((c) => c.payload.chat_id === u.id);
    expect(typing.length).toBeGreaterThanOrEqual(3);
    const sentAt = api.calls.find(isSend(u.id))!.at;
    const afterReply = typing.filter((c) => c.at > sentAt + 150);
    expect(afterReply).toEqual([]);
  });

  it('escapes report text: <b>, & and < > arrive as literal characters', async () => {
    const tricky = '收入<b>增长</b> & 支出 < 预算 > 目标 "引号" &amp;';
    app.onAsk = () => ({ text: `结论：${tricky}[1]`, found: true, answerer: 'fake', citations: [{ n: 1, source: 'luoxing.txt', title: '标题<i>&', paragraph: 2, text: tricky }] });
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    const reply = await api.waitForMessage(u.id);
    expect(reply.text).toContain(`结论：${tricky}[1]`);
    expect(reply.text).toContain('《标题<i>&》 第2段');
    expect(reply.text.split(tricky)).toHaveLength(3);
  });

  it('splits a reply over 4096 characters without breaking a tag or a citation', async () => {
    const long = (n: number) => `第${n}条：` + '全面推进城市更新和老旧小区改造，完善基础设施。'.repeat(40);
    const citations = Array.from({ length: 6 }, (_, i) => ({ n: i + 1, source: 'luoxing.txt', title: `报告${i + 1}`, paragraph: i + 1, text: long(i + 1) }));
    app.onAsk = () => ({ text: '答案'.repeat(1500), found: true, answerer: 'fake', citations });
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    await api.waitForCall((c) => isSend(u.id)(c) && String(c.payload.text).includes('报告6'));
    const refused = api.calls.filter((c) => isSend(u.id)(c) && !c.response.ok);
    expect(refused).toEqual([]);
    const parts = api.sentTo(u.id);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    for (const c of citations) {
      const holders = parts.filter((p) => p.text.includes(`[${c.n}] 《报告${c.n}》`));
      expect(holders).toHaveLength(1);
      expect(holders[0]!.text).toContain(c.text);
    }
    const buttons = parts.flatMap((p) => p.replyMarkup?.inline_keyboard.flat() ?? []);
    expect(buttons).toHaveLength(7); // six citations, then 新问题 under the last part only
    expect(buttons.findIndex((b) => 'callback_data' in b && b.callback_data === NEW_CONVERSATION_DATA)).toBe(6);
    expect(parts.at(-1)?.replyMarkup?.inline_keyboard.at(-1)?.[0]?.text).toBe('新问题');
  });

  it('refuses an over-long question with an explanation and asks nothing', async () => {
    const { api } = await start({ limits: { maxQuestionLength: 50 } });
    const u = freshUser();
    api.sendText(privateChat(u), u, '问'.repeat(51));
    const reply = await api.waitForMessage(u.id);
    expect(reply.text).toContain('问题太长了（51 字）');
    expect(reply.text).toContain('50 字以内');
    expect(app.questions).toEqual([]);
  });

  it('rate-limits a user politely, once per blocked stretch, without limiting others', async () => {
    const { api } = await start({ limits: { rateLimitCount: 3, rateLimitWindowMs: 60_000 } });
    const u = freshUser();
    const other = freshUser();
    for (let i = 0; i < 5; i++) api.sendText(privateChat(u), u, `${QUESTION}${i}`);
    api.sendText(privateChat(u), u, '/help'); // commands are not limited; it also marks the end (same chat: in order)
    api.sendText(privateChat(other), other, QUESTION);
    await api.waitForMessage(other.id);
    await api.waitForMessage(u.id, (m) => m.text.includes('使用说明'));
    const texts = api.sentTo(u.id).map((m) => m.text);
    expect(texts.filter((t) => t.includes('128.6亿元'))).toHaveLength(3);
    expect(texts.filter((t) => t.includes('提问太频繁了，请') && t.includes('秒后再试'))).toHaveLength(1);
    expect(texts).toHaveLength(5);
    expect(app.questions.filter((q) => q !== QUESTION)).toEqual([0, 1, 2].map((i) => `${QUESTION}${i}`));
  });

  it('answers a handler error with an apology and keeps serving', async () => {
    app.askError = new Error('boom: index exploded');
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    const apology = await api.waitForMessage(u.id);
    expect(apology.text).toContain('抱歉');
    expect(apology.text).not.toContain('boom');
    app.askError = undefined;
    api.sendText(privateChat(u), u, QUESTION);
    const answer = await api.waitForMessage(u.id, (m) => m.text.includes('128.6'));
    expect(answer.replyMarkup).toBeDefined();
  });

  it('maps an AppError code to its Chinese text', async () => {
    app.askError = new AppError('INDEX_MISSING');
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    const reply = await api.waitForMessage(u.id);
    expect(reply.text).toContain('索引尚未建立');
  });

  it('gives up on an answer that takes too long, aborting the app call', async () => {
    app.askDelayMs = 1500;
    const { api } = await start({ limits: { answerTimeoutMs: 200 } });
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    const reply = await api.waitForMessage(u.id);
    expect(reply.text).toContain('处理时间过长');
    expect(app.askSignals[0]?.aborted).toBe(true);
  });

  it('does not hold up other chats while one answer is slow', async () => {
    app.askDelayMs = (q) => (q.includes('慢') ? 1500 : 0);
    const { api } = await start();
    const slow = freshUser();
    const quick = freshUser();
    api.sendText(privateChat(slow), slow, `慢${QUESTION}`);
    await new Promise((r) => setTimeout(r, 50));
    api.sendText(privateChat(quick), quick, QUESTION);
    await api.waitForMessage(quick.id);
    expect(api.sentTo(slow.id)).toEqual([]);
    await api.waitForMessage(slow.id);
  });

  it('hints at /help for an unknown command instead of asking it', async () => {
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, '/frobnicate now');
    const reply = await api.waitForMessage(u.id);
    expect(reply.text).toContain('/help');
    expect(app.questions).toEqual([]);
  });
});

describe('questions in groups', () => {
  it('ignores chatter, answers mentions (mention stripped), replies to the bot and /ask', async () => {
    const { api } = await start();
    const g = groupChat(1);
    const u = freshUser();
    api.sendText(g, u, '今天天气不错');
    api.sendText(g, u, `罗星街道的投资 @other_bot 怎么样`);
    api.sendText(g, u, `@Report_QA_Bot ${QUESTION}`);
    const first = await api.waitForMessage(g.id);
    expect(api.sentTo(g.id)).toHaveLength(1); // the chatter before it got nothing (same chat: handled in order)
    expect(app.questions).toEqual([QUESTION]);
    expect(first.replyTo).toBe(3);

    api.sendText(g, u, '新引进了多少个亿元以上项目', { replyTo: first.messageId });
    await api.waitForMessage(g.id, (m) => m.text.includes('亿元以上项目12个'));
    api.sendText(g, u, `/ask ${QUESTION}`);
    api.sendText(g, u, `/ask@report_qa_bot 南星街道辖区共有多少个社区`);
    await api.waitForMessage(g.id, (m) => m.text.includes('社区11个'));
    expect(app.questions).toEqual([QUESTION, '新引进了多少个亿元以上项目', QUESTION, '南星街道辖区共有多少个社区']);
    api.sendText(g, u, '/ask@other_bot 问别的机器人');
    api.sendText(g, u, '/ask');
    await api.waitForMessage(g.id, (m) => m.text.includes('请在 /ask 后面写上问题'));
    expect(app.questions).toHaveLength(4);
  });

  it('does not answer a reply to another user', async () => {
    const { api } = await start();
    const g = groupChat(2);
    const a = freshUser();
    const b = freshUser();
    const msg = api.sendText(g, a, '有人知道吗');
    api.sendText(g, b, QUESTION, { replyTo: msg.message_id });
    api.sendText(g, b, '/help');
    await api.waitForMessage(g.id, (m) => m.text.includes('使用说明'));
    expect(app.questions).toEqual([]);
  });
});

describe('citation buttons', () => {
  async function answerWithButton(api: BotHarness['api'], chatId: number, u: ReturnType<typeof makeUser>): Promise<BotMessage> {
    api.sendText(privateChat(u), u, QUESTION);
    return api.waitForMessage(chatId, (m) => m.replyMarkup !== undefined);
  }

  it('shows the whole paragraph as a reply to the answer', async () => {
    const { api } = await start();
    const u = freshUser();
    const answer = await answerWithButton(api, u.id, u);
    const button = answer.replyMarkup!.inline_keyboard[0]![0]!;
    const data = 'callback_data' in button ? button.callback_data : '';
    const query = api.pressButton(u, answer, data);
    const shown = await api.waitForMessage(u.id, (m) => m.text.includes('第2段') && m.messageId !== answer.messageId);
    expect(shown.text).toContain('《罗星街道工作报告》 第2段');
    expect(shown.text).toContain('罗星街道2022年工作回顾'); // the section path
    expect(shown.text).toContain('2022年，罗星街道实现地区生产总值128.6亿元，同比增长5.2%。');
    expect(shown.replyTo).toBe(answer.messageId);
    const ack = await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === query);
    expect(ack.response.ok).toBe(true);
  });

  it('keeps working after a re-index that left the report unchanged, and says kindly when it changed', async () => {
    const { api } = await start();
    const u = freshUser();
    const answer = await answerWithButton(api, u.id, u);
    const button = answer.replyMarkup!.inline_keyboard[0]![0]!;
    const data = 'callback_data' in button ? button.callback_data : '';

    await app.reindex(); // same reports: the button still resolves
    api.pressButton(u, answer, data);
    await api.waitForMessage(u.id, (m) => m.text.startsWith('《罗星街道工作报告》 第2段'));

    const changed: FakeReport = { ...SAMPLE_REPORTS[0]!, paragraphs: ['改写后的第一段', '改写后的第二段'] };
    app.nextReports = [changed, SAMPLE_REPORTS[1]!];
    await app.reindex();
    const q = api.pressButton(u, answer, data);
    const ack = await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === q);
    expect(ack.payload.show_alert).toBe(true);
    expect(String(ack.payload.text)).toContain('索引已更新');
    expect(api.sentTo(u.id).some((m) => m.text.includes('改写后的第二段'))).toBe(false);
  });

  it.each(['p:zzzzzzzzzz:1', 'p:0123456789:0', 'p:0123456789:1:extra', 'x', 'p:ABCDEF0123:2'])('rejects forged callback data %j', async (data) => {
    const { api } = await start();
    const u = freshUser();
    const answer = await answerWithButton(api, u.id, u);
    const q = api.pressButton(u, answer, data);
    const ack = await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === q);
    expect(String(ack.payload.text)).toContain('按钮已失效');
    expect(api.sentTo(u.id)).toHaveLength(1);
  });
});

describe('the 新问题 button', () => {
  it("ends the conversation of the answer it sits under, whoever presses it, with a short confirmation", async () => {
    const { api } = await start();
    const g = groupChat(3);
    const [a, b] = [freshUser(), freshUser()];
    const asked = api.sendText(g, a, `@report_qa_bot ${QUESTION}`);
    const answer = await api.waitForMessage(g.id, (m) => m.replyTo === asked.message_id);
    const query = api.pressButton(b, answer, NEW_CONVERSATION_DATA);
    const ack = await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === query);
    expect(ack.payload.text).toBe(MSG.newConversationPressed);
    expect(app.forgotten).toEqual([`chat:${g.id}:user:${a.id}`]);
    expect(api.sentTo(g.id)).toHaveLength(1); // a toast, no message
  });
});

describe('commands', () => {
  it('/start explains the bot with examples about the indexed places', async () => {
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, '/start');
    const reply = await api.waitForMessage(u.id);
    expect(reply.text).toContain('注明出处');
    expect(reply.text).toContain('罗星街道的地区生产总值是多少？');
    expect(reply.text).toContain('南星街道');
  });

  it('/help shows /reindex to admins only', async () => {
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, '/help');
    api.sendText(privateChat(ADMIN), ADMIN, '/help');
    expect((await api.waitForMessage(u.id)).text).not.toContain('/reindex');
    expect((await api.waitForMessage(ADMIN.id)).text).toContain('/reindex');
  });

  it('/sources lists titles, regions, dates and paragraph counts', async () => {
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, '/sources');
    const reply = await api.waitForMessage(u.id);
    expect(reply.text).toContain('已收录 2 份报告');
    expect(reply.text).toContain('《罗星街道工作报告》');
    expect(reply.text).toContain('嘉兴市嘉善县罗星街道 · 2023 · 3 段');
  });

  it('/sources shows a long list one page at a time', async () => {
    app.reports = Array.from({ length: 120 }, (_, i) => ({ source: `r${i}.txt`, title: `第${i}份报告：`.padEnd(40, '长'), region: '某市某区', paragraphs: [`段落${i}`] }));
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, '/sources');
    const page = await api.waitForMessage(u.id);
    expect(page.text).toContain('已收录 120 份报告（第1/12页）');
    expect(page.text).toContain('10. 《第9份报告');
    expect(page.text).not.toContain('第10份报告');
    expect(page.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual([MSG.nextPage]);
  });

  it('/status says which embedder and answerer serve the index', async () => {
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, '/status');
    const offline = await api.waitForMessage(u.id);
    expect(offline.text).toMatch(/报告：2 份\n段落：5 个\n检索片段：5 个/);
    expect(offline.text).toContain('offline:hash-v1（256 维）— 内置离线向量');
    expect(offline.text).toContain('摘录式');
    expect(offline.text).toContain('2025-01-22 14:30（北京时间）');
    app.embedderId = 'neural:Xenova/bge-small-zh-v1.5';
    api.sendText(privateChat(u), u, '/status');
    const neural = await api.waitForMessage(u.id, (m) => m.messageId !== offline.messageId);
    expect(neural.text).toContain('神经网络模型');
  });

  it('registers the command menu, with /reindex in admin chats', async () => {
    const { api } = await start();
    const menus = api.callsOf('setMyCommands');
    const everyone = menus.find((c) => c.payload.scope === undefined);
    expect((everyone?.payload.commands as { command: string }[]).map((c) => c.command)).not.toContain('reindex');
    const admin = menus.find((c) => (c.payload.scope as { chat_id?: number } | undefined)?.chat_id === ADMIN.id);
    expect((admin?.payload.commands as { command: string }[]).map((c) => c.command)).toContain('reindex');
  });
});

describe('/reindex', () => {
  it('refuses non-admins and runs nothing', async () => {
    const { api } = await start();
    const u = freshUser();
    api.sendText(privateChat(u), u, '/reindex');
    const g = groupChat(3);
    api.sendText(g, u, '/reindex');
    expect((await api.waitForMessage(u.id)).text).toContain('只有管理员');
    expect((await api.waitForMessage(g.id)).text).toContain('只有管理员');
    expect(app.reindexCalls).toBe(0);
  });

  it('shows progress by editing one message, keeps answering others, refuses a second run, then summarises', async () => {
    app.reindexStepMs = 40; // 2 reports + 5 chunks + 2 = 9 steps ≈ 360 ms of progress
    const held = app.holdReindex();
    const { api } = await start();
    const chat = privateChat(ADMIN);
    api.sendText(chat, ADMIN, '/reindex');
    const progress = await api.waitForMessage(ADMIN.id, (m) => m.text.includes('开始重建索引'));
    await held.reached;

    // Another chat is answered while the rebuild is held open.
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    expect((await api.waitForMessage(u.id)).text).toContain('128.6亿元');
    // A second /reindex, from another admin chat, is refused.
    const g = groupChat(4);
    api.sendText(g, ADMIN, '/reindex');
    expect((await api.waitForMessage(g.id)).text).toContain('已有一个重建索引任务在进行中');
    expect(app.reindexCalls).toBe(1);

    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('已生成向量：5/5'));
    held.release();
    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('索引重建完成'));
    const edits = api.callsOf('editMessageText').filter((c) => c.payload.message_id === progress.messageId);
    expect(edits.every((c) => c.response.ok)).toBe(true);
    for (let i = 1; i < edits.length - 1; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(190);
    expect(edits.length).toBeLessThan(9); // throttled: fewer edits than progress events
    const final = api.botMessages.get(`${ADMIN.id}:${progress.messageId}`)!;
    expect(final.text).toMatch(/报告：2 份（新增 0，更新 0，删除 0，未变 2）/);
    expect(final.text).toContain('本次生成向量：5 个');
    expect(final.text).toContain('broken.pdf：no text layer');
    expect(api.sentTo(ADMIN.id)).toHaveLength(1); // everything happened in that one message
  });

  it('tells the admin why a rebuild failed and that the old index still serves', async () => {
    const { api } = await start();
    app.reindexError = new AppError('MODEL_UNAVAILABLE', `model files missing under /models; token ${api.token} must never be shown`);
    api.sendText(privateChat(ADMIN), ADMIN, '/reindex');
    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('重建索引失败'));
    const msg = api.sentTo(ADMIN.id)[0]!;
    expect(msg.text).toContain('向量模型无法加载');
    expect(msg.text).toContain('model files missing under /models');
    expect(msg.text).toContain('旧索引仍在正常使用');
    expect(msg.text).not.toContain(api.token);
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    expect((await api.waitForMessage(u.id)).text).toContain('128.6亿元');
  });
});

describe('/reindex stopped by shutdown', () => {
  it('says the rebuild was interrupted, not that another one runs', async () => {
    const { api } = await start();
    app.reindexError = new AppError('REINDEX_ABORTED', 'The re-index was stopped because the program is shutting down.');
    api.sendText(privateChat(ADMIN), ADMIN, '/reindex');
    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('重建索引已中断'));
    expect(api.sentTo(ADMIN.id)[0]!.text).not.toContain('已有一个重建索引任务');
  });
});

describe('/reindex refused by the app', () => {
  it('says another re-index runs when the app reports one', async () => {
    const { api } = await start();
    app.reindexError = new AppError('REINDEX_RUNNING', 'A re-index is already running; wait for it to finish.');
    api.sendText(privateChat(ADMIN), ADMIN, '/reindex');
    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('已有一个重建索引任务'));
  });
});

describe('uploads', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-upload-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('saves an admin document under a sanitised name and indexes it with progress', async () => {
    const { api } = await start({ reportsDir: path.join(dir, 'reports') });
    const content = Buffer.from('新报告\n\n本年度完成投资10亿元。\n', 'utf8');
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: '../../etc/新 报告\u202E.TXT', content });
    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('索引重建完成'));
    expect(await fs.readdir(path.join(dir, 'reports'))).toEqual(['新 报告.txt']);
    expect(await fs.readFile(path.join(dir, 'reports', '新 报告.txt'))).toEqual(content);
    expect(await fs.readdir(dir)).toEqual(['reports']); // nothing escaped the folder
    const msg = api.sentTo(ADMIN.id)[0]!;
    expect(msg.text).toContain('已保存 新 报告.txt');
    expect(app.reindexCalls).toBe(1);
  });

  it.each(['.doc', '.html', '.htm'])('accepts a %s upload, a format the registry lists', async (ext) => {
    const { api } = await start({ reportsDir: path.join(dir, 'reports') });
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: `旧报告${ext.toUpperCase()}`, content: Buffer.from('x') });
    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('索引重建完成'));
    expect(await fs.readdir(path.join(dir, 'reports'))).toEqual([`旧报告${ext}`]);
  });

  it('never overwrites unasked: a different file with the same name waits for the admin’s choice', async () => {
    const reports = path.join(dir, 'reports');
    await fs.mkdir(reports);
    await fs.writeFile(path.join(reports, 'a.md'), 'old');
    const { api } = await start({ reportsDir: reports });
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: 'a.md', content: Buffer.from('old') });
    expect((await api.waitForMessage(ADMIN.id)).text).toContain('已有内容完全相同的文件 a.md');
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: 'a.md', content: Buffer.from('new') });
    await api.waitForMessage(ADMIN.id, (m) => m.text.includes('已有同名文件 a.md'));
    expect(await fs.readdir(reports)).toEqual(['a.md']);
    expect(await fs.readFile(path.join(reports, 'a.md'), 'utf8')).toBe('old');
    expect(app.reindexCalls).toBe(0);
  });

  it('refuses documents from non-admins without downloading anything', async () => {
    const { api } = await start({ reportsDir: dir });
    const u = freshUser();
    api.sendDocument(privateChat(u), u, { fileName: 'x.txt', content: Buffer.from('x') });
    expect((await api.waitForMessage(u.id)).text).toContain('只有管理员');
    expect(api.callsOf('getFile')).toEqual([]);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('refuses unsupported types and files over the limit before downloading', async () => {
    const { api } = await start({ reportsDir: dir, limits: { maxUploadBytes: 1000 } });
    const chat = privateChat(ADMIN);
    api.sendDocument(chat, ADMIN, { fileName: 'slides.pptx', content: Buffer.from('x') });
    const unsupported = await api.waitForMessage(ADMIN.id);
    for (const ext of UPLOAD_FORMATS.flatMap((f) => f.extensions)) expect(unsupported.text).toContain(ext);
    expect(unsupported.text).toContain('网页 .html .htm');
    api.sendDocument(chat, ADMIN, { fileName: 'big.pdf', content: Buffer.from('x'), declaredSize: 5000 });
    expect((await api.waitForMessage(ADMIN.id, (m) => m.messageId !== unsupported.messageId)).text).toContain('文件太大');
    expect(api.callsOf('getFile')).toEqual([]);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('stops a download that turns out larger than declared', async () => {
    const { api } = await start({ reportsDir: dir, limits: { maxUploadBytes: 1000 } });
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: 'liar.txt', content: Buffer.alloc(5000, 65), declaredSize: 10 });
    expect((await api.waitForMessage(ADMIN.id)).text).toContain('文件太大');
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('in groups, only takes documents addressed to the bot', async () => {
    const { api } = await start({ reportsDir: dir });
    const g = groupChat(5);
    api.sendDocument(g, ADMIN, { fileName: 'ignored.txt', content: Buffer.from('x') });
    api.sendDocument(g, ADMIN, { fileName: 'taken.txt', content: Buffer.from('y'), caption: '@report_qa_bot 收录' });
    await api.waitForMessage(g.id, (m) => m.text.includes('taken.txt'));
    expect(await fs.readdir(dir)).toEqual(['taken.txt']);
  });
});

describe('Telegram errors', () => {
  it('retries a 429 after retry_after and delivers the answer', async () => {
    const { api } = await start();
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    const reply = await api.waitForMessage(u.id, () => true, 5000);
    expect(reply.text).toContain('128.6亿元');
    const attempts = api.callsOf('sendMessage');
    expect(attempts.map((c) => (c.response.ok ? 200 : c.response.error_code))).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries a 500', async () => {
    const { api } = await start();
    api.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    const u = freshUser();
    api.sendText(privateChat(u), u, QUESTION);
    const reply = await api.waitForMessage(u.id, () => true, 8000);
    expect(reply.text).toContain('128.6亿元');
  });
});

describe('shutdown', () => {
  it('stops polling, lets the answer in flight finish, then closes the app', async () => {
    app.askDelayMs = 400;
    const harness = await start();
    h = undefined;
    const u = freshUser();
    harness.api.sendText(privateChat(u), u, QUESTION);
    await harness.api.waitForCall((c) => c.method === 'sendChatAction' && c.payload.chat_id === u.id);
    await harness.stop();
    expect(harness.api.sentTo(u.id).map((m) => m.text.includes('128.6亿元'))).toEqual([true]);
    expect(app.closed).toBe(true);
    expect(harness.logs.join('\n')).not.toContain(harness.api.token);
  });
});
