/**
 * The bot with the real app on the seed reports (offline embedder, temporary
 * REPORTS_DIR copy and INDEX_DIR), over HTTP against the fake Bot API.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_CONVERSATION_DATA, parseParagraphRef } from '../../src/bot/callback-data.js';
import { MSG } from '../../src/bot/messages.js';
import { startBotHarness, type BotHarness } from '../helpers/bot-harness.js';
import { groupChat, makeUser, privateChat } from '../helpers/fake-bot-api.js';
import { startSeedApp, type SeedApp } from '../helpers/seed-app.js';

const ADMIN = makeUser(4242, 'admin');
const LUOXING = '罗星街道：奏响高质量发展“最”强音 奋力书写中国式现代化“星”答卷';
const NEW_REPORT = ['# 青云镇2024年工作报告', '', '2024年，青云镇实现地区生产总值57.3亿元，同比增长6.1%。', '', '全镇新建蓝莓种植基地3200亩，带动农户增收。', ''].join('\n');
const NEW_QUESTION = '青云镇新建了多少亩蓝莓种植基地？';

let seed: SeedApp;
let h: BotHarness;
let nextUser = 500;
const freshUser = () => makeUser(nextUser++);

beforeAll(async () => {
  seed = await startSeedApp();
  h = await startBotHarness(seed.app, { admins: [ADMIN.id], reportsDir: seed.config.reportsDir, limits: { progressIntervalMs: 300 } });
}, 300_000);

afterAll(async () => {
  await h?.stop();
  expect(h.logs.join('\n')).not.toContain(h.api.token);
  await seed?.cleanup();
});

describe('the bot on the seed reports', () => {
  it('answers a figure question with a citation whose button shows the real paragraph', async () => {
    const { api } = h;
    const u = freshUser();
    api.sendText(privateChat(u), u, '罗星街道2022年地区生产总值是多少？');
    const reply = await api.waitForMessage(u.id, () => true, 30_000);
    expect(reply.text).toContain('108.1亿元');
    expect(reply.text).toMatch(new RegExp(`\\[1\\] 《${LUOXING}》 第\\d+段`));
    const button = reply.replyMarkup!.inline_keyboard[0]![0]!;
    const data = 'callback_data' in button ? button.callback_data : '';
    const ref = parseParagraphRef(data)!;
    const source = seed.app.sources().find((s) => s.hash.startsWith(ref.hashPrefix))!;
    const paragraph = seed.app.paragraph(source.source, ref.paragraph)!;
    expect(paragraph.text).toContain('108.1亿元');

    api.pressButton(u, reply, data);
    const shown = await api.waitForMessage(u.id, (m) => m.replyTo === reply.messageId, 10_000);
    expect(shown.text).toContain(`《${LUOXING}》 第${ref.paragraph}段`);
    expect(shown.text).toContain(paragraph.text.trim());
  });

  it('answers a mention in a group and says plainly when nothing is found', async () => {
    const { api } = h;
    const g = groupChat(77);
    const u = freshUser();
    api.sendText(g, u, '@report_qa_bot 火星基地2024年的年度预算是多少？');
    const reply = await api.waitForMessage(g.id, () => true, 30_000);
    expect(reply.text).toContain('在已索引的报告中没有找到相关内容');
    expect(reply.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['新问题']);
  });

  it('a reply to an answer in a group continues the conversation of that answer, whoever replies', async () => {
    const { api } = h;
    const g = groupChat(79);
    const [a, b] = [freshUser(), freshUser()];
    const own = api.sendText(g, b, '@report_qa_bot 罗星街道2022年地区生产总值是多少？');
    await api.waitForMessage(g.id, (m) => m.replyTo === own.message_id, 30_000);
    const asked = api.sendText(g, a, '@report_qa_bot 新嘉街道2024年规上工业总产值是多少？');
    const answer = await api.waitForMessage(g.id, (m) => m.replyTo === asked.message_id, 30_000);
    expect(answer.text).toContain('152.16亿元');

    // B replies to A's answer: A's subject and figure, not B's own last question.
    const reply = api.sendText(g, b, '那南星街道呢？', { replyTo: answer.messageId });
    const continued = await api.waitForMessage(g.id, (m) => m.replyTo === reply.message_id, 30_000);
    expect(continued.text).toContain('（理解为：南星街道2024年规上工业总产值是多少？）');

    // B's own conversation is still B's: a follow-up without a reply completes B's last question.
    const mine = api.sendText(g, b, '@report_qa_bot 那南星街道呢？');
    const completed = await api.waitForMessage(g.id, (m) => m.replyTo === mine.message_id, 30_000);
    expect(completed.text).toContain('（理解为：南星街道2022年地区生产总值是多少？）');
  });

  it('新问题 under an answer ends its conversation: the next follow-up cue stands alone', async () => {
    const { api } = h;
    const u = freshUser();
    api.sendText(privateChat(u), u, '新嘉街道2024年规上工业总产值是多少？');
    const answer = await api.waitForMessage(u.id, (m) => m.text.includes('152.16亿元'), 30_000);
    api.sendText(privateChat(u), u, '那南星街道呢？');
    await api.waitForMessage(u.id, (m) => m.text.startsWith('（理解为：南星街道2024年规上工业总产值是多少？）'), 30_000);

    const query = api.pressButton(u, answer, NEW_CONVERSATION_DATA);
    const ack = await api.waitForCall((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === query);
    expect(ack.payload.text).toBe(MSG.newConversationPressed);
    const last = api.sentTo(u.id).at(-1)!.messageId;
    api.sendText(privateChat(u), u, '那罗星街道呢？');
    const fresh = await api.waitForMessage(u.id, (m) => m.messageId > last, 30_000);
    expect(fresh.text).not.toContain('理解为');
  });

  it('/status and /sources describe the real index', async () => {
    const { api } = h;
    const u = freshUser();
    const status = seed.app.status();
    api.sendText(privateChat(u), u, '/status');
    const s = await api.waitForMessage(u.id);
    expect(s.text).toContain(`报告：${status.reports} 份`);
    expect(s.text).toContain(`检索片段：${status.chunks} 个`);
    expect(s.text).toContain(`${status.embedder.id}（${status.embedder.dimensions} 维）— 内置离线向量`);
    api.sendText(privateChat(u), u, '/sources');
    const list = await api.waitForMessage(u.id, (m) => m.text.includes('已收录'));
    for (const r of seed.app.sources()) expect(list.text).toContain(`《${r.title}》`);
    // The region, the kind and the years each report covers.
    expect(list.text).toContain('杭州市上城区南星街道 · 工作总结 · 2024年 · 计划2025年 · 2025');
  });

  it('indexes an admin upload with progress while other chats are answered from the old index', async () => {
    const { api } = h;
    const held = seed.holdEmbedding();
    api.sendDocument(privateChat(ADMIN), ADMIN, { fileName: '青云镇2024年工作报告.md', content: Buffer.from(NEW_REPORT) });
    const progress = await api.waitForMessage(ADMIN.id, (m) => m.text.includes('已保存 青云镇2024年工作报告.md'), 10_000);
    await held.reached;
    expect(seed.app.reindexing).toBe(true);

    // While the rebuild is held open: answers keep coming, from the old index.
    const u = freshUser();
    api.sendText(privateChat(u), u, '罗星街道2022年地区生产总值是多少？');
    expect((await api.waitForMessage(u.id, () => true, 30_000)).text).toContain('108.1亿元');
    api.sendText(privateChat(u), u, NEW_QUESTION);
    const before = await api.waitForMessage(u.id, (m) => !m.text.includes('108.1亿元'), 30_000);
    expect(before.text).not.toContain('3200亩');
    expect(seed.app.reindexing).toBe(true);

    // A second /reindex is refused; a non-admin's is refused too.
    const g = groupChat(78);
    api.sendText(g, ADMIN, '/reindex');
    expect((await api.waitForMessage(g.id)).text).toContain('已有一个重建索引任务在进行中');
    api.sendText(g, u, '/reindex');
    await api.waitForMessage(g.id, (m) => m.text.includes('只有管理员'));

    held.release();
    await api.waitForCall((c) => c.method === 'editMessageText' && String(c.payload.text).includes('索引重建完成'), 120_000);
    const final = api.botMessages.get(`${ADMIN.id}:${progress.messageId}`)!;
    expect(final.text).toMatch(/新增 1，更新 0，删除 0，未变 5/);
    expect(final.text).toContain('新增：青云镇2024年工作报告.md');
    expect(await fs.readFile(path.join(seed.config.reportsDir, '青云镇2024年工作报告.md'), 'utf8')).toBe(NEW_REPORT);

    api.sendText(privateChat(u), u, NEW_QUESTION);
    const after = await api.waitForMessage(u.id, (m) => m.text.includes('3200亩'), 30_000);
    expect(after.replyMarkup).toBeDefined();
  }, 300_000);
});
