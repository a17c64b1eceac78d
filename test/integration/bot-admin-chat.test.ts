/**
 * Operating the bot from the chat, end to end over HTTP against FakeBotApi:
 * the paged /sources, /remove with confirmation, replace-or-rename for an
 * upload whose name is taken (the old file kept as a backup until the
 * re-index succeeded), the admin gate on buttons, and forged or stale buttons.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MSG } from '../../src/bot/messages.js';
import { BACKUP_DIR } from '../../src/bot/report-files.js';
import { AppError } from '../../src/errors.js';
import { expectNoLeaksOrCrashes, startBotHarness, type BotHarness } from '../helpers/bot-harness.js';
import { FakeApp, SAMPLE_REPORTS, type FakeReport } from '../helpers/fake-app.js';
import type { Chat } from 'grammy/types';
import { groupChat, makeUser, privateChat, type BotMessage, type FakeBotApi } from '../helpers/fake-bot-api.js';

const ADMIN = makeUser(9101, 'admin');
const USER = makeUser(9102, 'someone');

let app: FakeApp;
let h: BotHarness | undefined;
let dir: string;

async function start(): Promise<FakeBotApi> {
  h = await startBotHarness(app, { admins: [ADMIN.id], reportsDir: dir, limits: { progressIntervalMs: 200 } });
  return h.api;
}

beforeEach(async () => {
  app = new FakeApp();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-admin-'));
});

afterEach(async () => {
  const harness = h;
  h = undefined;
  if (harness !== undefined) {
    await harness.stop();
    expectNoLeaksOrCrashes(harness);
  }
  await fs.rm(dir, { recursive: true, force: true });
});

const many = (n: number): FakeReport[] =>
  Array.from({ length: n }, (_, i) => ({ source: `r${i + 1}.txt`, title: `第${i + 1}份报告`, region: i % 2 === 0 ? '郑州市' : '嘉兴市', paragraphs: [`段落${i + 1}`] }));

const buttonsOf = (m: BotMessage) => (m.replyMarkup?.inline_keyboard.flat() ?? []).map((b) => ({ text: b.text, data: 'callback_data' in b ? b.callback_data : '' }));
const button = (m: BotMessage, text: string): string => {
  const b = buttonsOf(m).find((x) => x.text.includes(text));
  if (b === undefined) throw new Error(`no button "${text}" on: ${m.text}`);
  return b.data;
};

/** Presses `data` on `m` as `from`; resolves with the callback's answer text and the message as it is then. */
async function press(api: FakeBotApi, from: typeof ADMIN, m: BotMessage, data: string): Promise<{ answer: string | undefined; message: BotMessage }> {
  const id = api.pressButton(from, m, data);
  const call = await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === id);
  return { answer: call.payload.text as string | undefined, message: api.botMessages.get(`${m.chatId}:${m.messageId}`)! };
}

const finalText = (api: FakeBotApi, what: string) =>
  api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes(what), 10_000).then((c) => String(c.payload.text));

describe('/sources pages', () => {
  it('pages through 116 reports with ◀ ▶ by editing one message, clamped at the ends', async () => {
    app.reports = many(116);
    const api = await start();
    api.sendText(privateChat(USER), USER, '/sources');
    const first = await api.waitForMessage(USER.id);
    expect(first.text).toContain('已收录 116 份报告（第1/12页）');
    expect(first.text).toContain('10. 《第10份报告》');
    expect(buttonsOf(first).map((b) => b.text)).toEqual([MSG.nextPage]);

    let { message } = await press(api, USER, first, button(first, '下一页'));
    expect(message.text).toContain('第2/12页');
    expect(message.text).toContain('11. 《第11份报告》');
    expect(buttonsOf(message).map((b) => b.text)).toEqual([MSG.previousPage, MSG.nextPage]);
    ({ message } = await press(api, USER, message, button(message, '上一页')));
    expect(message.text).toContain('第1/12页');

    ({ message } = await press(api, USER, message, 'ls:12:'));
    expect(message.text).toContain('116. 《第116份报告》');
    expect(buttonsOf(message).map((b) => b.text)).toEqual([MSG.previousPage]);
    // A page past the end (the index shrank since) shows the last page: nothing changes, nothing fails.
    const beyond = await press(api, USER, message, 'ls:13:');
    expect(beyond.answer).toBeUndefined();
    expect(beyond.message.text).toBe(message.text);
    expect(api.sentTo(USER.id)).toHaveLength(1); // one message, edited
  });

  it('filters by title or region, keeps the filter across pages, and says when nothing matches', async () => {
    app.reports = many(116);
    const api = await start();
    const chat = privateChat(USER);
    api.sendText(chat, USER, '/sources 郑州');
    const zz = await api.waitForMessage(USER.id);
    expect(zz.text).toContain('包含“郑州”的报告：58 份（第1/6页）');
    const next = await press(api, USER, zz, button(zz, '下一页'));
    expect(next.message.text).toContain('第2/6页');
    expect(next.message.text).toContain('11. 《第21份报告》');
    expect(next.message.text).not.toContain('嘉兴市');

    api.sendText(chat, USER, '/sources 第116份');
    expect((await api.waitForMessage(USER.id, (m) => m.messageId > zz.messageId)).text).toContain('1. 《第116份报告》');
    api.sendText(chat, USER, '/sources 上海<b>');
    const none = await api.waitForMessage(USER.id, (m) => m.text.includes('没有找到'));
    expect(none.text).toContain('包含“上海<b>”的报告');
    api.sendText(chat, USER, `/sources ${'很长的关键词'.repeat(4)}`);
    await api.waitForMessage(USER.id, (m) => m.text === MSG.keywordTooLong);
  });

  it('refuses forged page buttons', async () => {
    app.reports = many(30);
    const api = await start();
    api.sendText(privateChat(USER), USER, '/sources');
    const first = await api.waitForMessage(USER.id);
    for (const data of ['ls:0:', 'ls:2', 'ls:abc:', 'ls:2:\u0000x']) {
      const r = await press(api, USER, first, data);
      expect(r.answer).toBe(MSG.buttonInvalid);
      expect(r.message.text).toBe(first.text);
    }
  });
});

describe('/remove', () => {
  beforeEach(async () => {
    for (const r of SAMPLE_REPORTS) await fs.writeFile(path.join(dir, r.source), r.paragraphs.join('\n'));
  });

  async function pickLuoxing(api: FakeBotApi, chat: Chat = privateChat(ADMIN)): Promise<BotMessage> {
    api.sendText(chat, ADMIN, '/remove');
    const list = await api.waitForMessage(chat.id, (m) => m.text.includes('选择要删除的报告'));
    expect(list.text).toContain('luoxing.txt');
    const { message } = await press(api, ADMIN, list, button(list, '罗星街道工作报告'));
    expect(message.text).toContain('确定要删除这份报告吗？');
    expect(buttonsOf(message).map((b) => b.text)).toEqual([MSG.confirmRemoveButton, MSG.cancelButton]);
    return message;
  }

  it('removes a report after confirmation, keeping it as a backup until the re-index succeeded', async () => {
    const api = await start();
    const confirm = await pickLuoxing(api);
    app.nextReports = SAMPLE_REPORTS.filter((r) => r.source !== 'luoxing.txt');
    const hold = app.holdReindex();
    const confirmData = button(confirm, '确认删除');
    const { message } = await press(api, ADMIN, confirm, confirmData);
    expect(message.text).toContain('已确认删除《罗星街道工作报告》');
    expect(buttonsOf(message)).toEqual([]);
    await hold.reached;
    expect(await fs.readdir(dir)).not.toContain('luoxing.txt');
    const kept = await fs.readdir(path.join(dir, BACKUP_DIR));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/luoxing\.txt$/);
    hold.release();
    const done = await finalText(api, '索引重建完成');
    expect(done).toContain('已移除 <code>luoxing.txt</code>');
    expect(await fs.readdir(path.join(dir, BACKUP_DIR))).toEqual([]);
    expect((await fs.readdir(dir)).sort()).toEqual([BACKUP_DIR, 'nanxing.txt']);
    expect(app.sources().map((r) => r.source)).toEqual(['nanxing.txt']);
    expect(h!.logs.some((l) => l.includes('admin change') && l.includes('"action":"remove"') && l.includes(`"userId":${ADMIN.id}`) && l.includes('luoxing.txt'))).toBe(true);

    // The confirmation pressed again: the report is gone from the index, so the button is stale.
    expect((await press(api, ADMIN, message, confirmData)).answer).toBe(MSG.removeStale);
    expect(app.reindexCalls).toBe(1);
  });

  it('restores the file when the re-index fails', async () => {
    const api = await start();
    const confirm = await pickLuoxing(api);
    app.reindexError = new AppError('REINDEX_FAILED', 'disk full');
    await press(api, ADMIN, confirm, button(confirm, '确认删除'));
    const failed = await finalText(api, '重建索引失败');
    expect(failed).toContain('已恢复原文件 <code>luoxing.txt</code>');
    expect(await fs.readFile(path.join(dir, 'luoxing.txt'), 'utf8')).toBe(SAMPLE_REPORTS[0]!.paragraphs.join('\n'));
    expect(await fs.readdir(path.join(dir, BACKUP_DIR))).toEqual([]);
    expect(h!.logs.some((l) => l.includes('admin change undone') && l.includes('luoxing.txt'))).toBe(true);
  });

  it('cancels without touching anything', async () => {
    const api = await start();
    const confirm = await pickLuoxing(api);
    const { message } = await press(api, ADMIN, confirm, button(confirm, '取消'));
    expect(message.text).toBe(MSG.removeCancelled);
    expect(buttonsOf(message)).toEqual([]);
    expect((await fs.readdir(dir)).sort()).toEqual(['luoxing.txt', 'nanxing.txt']);
    expect(app.reindexCalls).toBe(0);
  });

  it('refuses /remove and its buttons to non-admins, in a group where both can press', async () => {
    const api = await start();
    const g = groupChat(31);
    api.sendText(g, USER, '/remove');
    expect((await api.waitForMessage(g.id)).text).toBe(MSG.adminOnly);
    const confirm = await pickLuoxing(api, g);
    for (const data of [button(confirm, '确认删除'), button(confirm, '取消'), 'lr:1:']) {
      const r = await press(api, USER, confirm, data);
      expect(r.answer).toBe(MSG.adminOnlyButton);
      expect(r.message.text).toBe(confirm.text);
    }
    expect((await fs.readdir(dir)).sort()).toEqual(['luoxing.txt', 'nanxing.txt']);
    expect(app.reindexCalls).toBe(0);
  });

  it('says so when the report changed since the list was shown', async () => {
    const api = await start();
    const confirm = await pickLuoxing(api);
    app.nextReports = [{ ...SAMPLE_REPORTS[0]!, paragraphs: ['改过的内容'] }, SAMPLE_REPORTS[1]!];
    await app.reindex();
    const r = await press(api, ADMIN, confirm, button(confirm, '确认删除'));
    expect(r.answer).toBe(MSG.removeStale);
    expect((await fs.readdir(dir)).sort()).toEqual(['luoxing.txt', 'nanxing.txt']);
    expect(r.message.text).toBe(confirm.text);
  });
});

describe('an upload whose name is taken', () => {
  beforeEach(async () => {
    await fs.writeFile(path.join(dir, 'a.md'), 'old');
  });

  async function upload(api: FakeBotApi, content = 'new'): Promise<BotMessage> {
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: 'a.md', content: Buffer.from(content) });
    const ask = await api.waitForMessage(ADMIN.id, (m) => m.text.includes('已有同名文件 a.md'));
    expect(buttonsOf(ask).map((b) => b.text)).toEqual([MSG.uploadReplaceButton, MSG.uploadRenameButton, MSG.cancelButton]);
    return ask;
  }

  it('replaces the file, keeping the old one as a backup until the re-index succeeded', async () => {
    const api = await start();
    const ask = await upload(api);
    expect(await fs.readdir(dir)).toEqual(['a.md']); // nothing written before the choice
    const hold = app.holdReindex();
    const renameData = button(ask, '另存');
    const { message } = await press(api, ADMIN, ask, button(ask, '替换'));
    expect(message.text).toContain('已选择替换原文件');
    await hold.reached;
    expect(await fs.readFile(path.join(dir, 'a.md'), 'utf8')).toBe('new');
    const [kept] = await fs.readdir(path.join(dir, BACKUP_DIR));
    expect(await fs.readFile(path.join(dir, BACKUP_DIR, kept!), 'utf8')).toBe('old');
    hold.release();
    expect(await finalText(api, '索引重建完成')).toContain('已替换 <code>a.md</code>');
    expect(await fs.readdir(path.join(dir, BACKUP_DIR))).toEqual([]);
    expect(h!.logs.some((l) => l.includes('admin change') && l.includes('"action":"replace"') && l.includes(`"userId":${ADMIN.id}`) && l.includes('"file":"a.md"'))).toBe(true);
    // The choice cannot be made twice.
    expect((await press(api, ADMIN, message, renameData)).answer).toBe(MSG.uploadChoiceExpired);
  });

  it('puts the old file back when the re-index fails', async () => {
    const api = await start();
    const ask = await upload(api);
    app.reindexError = new AppError('REINDEX_FAILED', 'disk full');
    await press(api, ADMIN, ask, button(ask, '替换'));
    expect(await finalText(api, '重建索引失败')).toContain('已恢复原文件 <code>a.md</code>');
    expect(await fs.readFile(path.join(dir, 'a.md'), 'utf8')).toBe('old');
    expect(await fs.readdir(path.join(dir, BACKUP_DIR))).toEqual([]);
  });

  it('saves under a new name on request, or nothing on cancel', async () => {
    const api = await start();
    const ask = await upload(api);
    await press(api, ADMIN, ask, button(ask, '另存'));
    await finalText(api, '索引重建完成');
    expect(await fs.readFile(path.join(dir, 'a (2).md'), 'utf8')).toBe('new');
    expect(await fs.readFile(path.join(dir, 'a.md'), 'utf8')).toBe('old');
    expect(h!.logs.some((l) => l.includes('"action":"upload"') && l.includes('a (2).md'))).toBe(true);

    const again = await upload(api, 'newer');
    const { message } = await press(api, ADMIN, again, button(again, '取消'));
    expect(message.text).toContain('已取消');
    expect((await fs.readdir(dir)).sort()).toEqual(['a (2).md', 'a.md']);
    expect(app.reindexCalls).toBe(1);
  });

  it('still says so when the same bytes arrive, without asking', async () => {
    const api = await start();
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: 'a.md', content: Buffer.from('old') });
    const reply = await api.waitForMessage(ADMIN.id);
    expect(reply.text).toContain('已有内容完全相同的文件 a.md');
    expect(reply.replyMarkup).toBeUndefined();
  });

  it('refuses the choice to non-admins and forged tokens', async () => {
    const api = await start();
    const ask = await upload(api);
    expect((await press(api, USER, ask, button(ask, '替换'))).answer).toBe(MSG.adminOnlyButton);
    expect((await press(api, ADMIN, ask, 'uc:00000000:r')).answer).toBe(MSG.uploadChoiceExpired);
    expect((await press(api, ADMIN, ask, 'uc:zz:r')).answer).toBe(MSG.buttonInvalid);
    expect(await fs.readFile(path.join(dir, 'a.md'), 'utf8')).toBe('old');
    expect(app.reindexCalls).toBe(0);
    // The real choice still works afterwards.
    await press(api, ADMIN, ask, button(ask, '替换'));
    await finalText(api, '索引重建完成');
    expect(await fs.readFile(path.join(dir, 'a.md'), 'utf8')).toBe('new');
  });
});

describe('/reindex', () => {
  it('is logged with the admin’s user id', async () => {
    const api = await start();
    api.sendText(privateChat(ADMIN), ADMIN, '/reindex');
    await finalText(api, '索引重建完成');
    expect(h!.logs.some((l) => l.includes('admin change') && l.includes('"action":"reindex"') && l.includes(`"userId":${ADMIN.id}`))).toBe(true);
  });
});
