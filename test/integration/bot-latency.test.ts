/**
 * Update-to-reply latency of the bot with the real app on the seeds, over
 * HTTP to the local fake Bot API: 20 private chats ask 10 questions each
 * (the seeds question set), each chat waiting for its reply before asking the
 * next, all chats at once. Prints median and p95 of
 * - update → reply: from the update being queued on the server to the
 *   server receiving the bot's sendMessage (includes long-poll delivery);
 * - delivered → reply: from getUpdates handing the update to the bot.
 * Fails if a question goes unanswered, a reply is refused, or chats were not
 * served concurrently.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../helpers/bot-harness.js';
import { makeUser, privateChat } from '../helpers/fake-bot-api.js';
import { startSeedApp, type SeedApp } from '../helpers/seed-app.js';

const CHATS = 20;
const PER_CHAT = 10;
const DATASET = path.resolve(import.meta.dirname, '../eval/seeds-qa.jsonl');

let seed: SeedApp;
let h: BotHarness;

beforeAll(async () => {
  seed = await startSeedApp();
  h = await startBotHarness(seed.app, { limits: { rateLimitCount: 1000, updateLimitCount: 1000 } }); // measuring, not limiting
}, 300_000);

afterAll(async () => {
  await h?.stop();
  await seed?.cleanup();
});

/** True when a sendMessage result is a message sent after message `id` in its chat. */
function isAfter(result: unknown, id: number): boolean {
  return typeof result === 'object' && result !== null && 'message_id' in result && typeof result.message_id === 'number' && result.message_id > id;
}

function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

describe('bot latency', () => {
  it(`answers ${CHATS * PER_CHAT} questions from ${CHATS} chats`, async () => {
    const questions = (await fs.readFile(DATASET, 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { question: string }).question);
    const { api } = h;

    // Baselines: the app alone, then the bot with one chat at a time.
    const appAlone: number[] = [];
    for (const q of questions.slice(0, 50)) {
      const t = performance.now();
      await seed.app.ask(q);
      appAlone.push(performance.now() - t);
    }
    const single: number[] = [];
    const solo = makeUser(9_999);
    for (const q of questions.slice(50, 90)) {
      const t = performance.now();
      const asked = api.sendText(privateChat(solo), solo, q);
      const reply = await api.waitForCall((x) => x.method === 'sendMessage' && Number(x.payload.chat_id) === solo.id && x.response.ok && isAfter(x.response.result, asked.message_id), 30_000);
      single.push(reply.at - t);
      await new Promise((r) => setTimeout(r, 5));
    }

    const total: number[] = [];
    const handled: number[] = [];
    const started = performance.now();

    await Promise.all(
      Array.from({ length: CHATS }, async (_, c) => {
        const user = makeUser(10_000 + c);
        const chat = privateChat(user);
        for (let i = 0; i < PER_CHAT; i++) {
          const question = questions[(c * PER_CHAT + i) % questions.length]!;
          const t0 = performance.now();
          const asked = api.sendText(chat, user, question);
          const reply = await api.waitForCall(
            (x) => x.method === 'sendMessage' && Number(x.payload.chat_id) === user.id && x.response.ok && isAfter(x.response.result, asked.message_id),
            30_000,
          );
          total.push(reply.at - t0);
          handled.push(reply.at - (api.deliveredAt(asked) ?? t0));
          // A long reply may come in several messages: let them go out before the next question.
          await new Promise((r) => setTimeout(r, 5));
        }
      }),
    );

    const wall = performance.now() - started;
    const sortedTotal = [...total].sort((a, b) => a - b);
    const sortedHandled = [...handled].sort((a, b) => a - b);
    const refused = api.calls.filter((x) => x.method === 'sendMessage' && !x.response.ok);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    const stats = (xs: readonly number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `median ${fmt(quantile(s, 0.5))}, p95 ${fmt(quantile(s, 0.95))}`;
    };
    process.stdout.write(
      [
        `bot latency, real app on the seeds (offline embedder), ${total.length} questions from ${CHATS} chats, closed loop:`,
        `  update → reply     median ${fmt(quantile(sortedTotal, 0.5))}, p95 ${fmt(quantile(sortedTotal, 0.95))}, max ${fmt(sortedTotal.at(-1)!)}`,
        `  delivered → reply  median ${fmt(quantile(sortedHandled, 0.5))}, p95 ${fmt(quantile(sortedHandled, 0.95))}`,
        `  wall ${fmt(wall)}, throughput ${((total.length / wall) * 1000).toFixed(1)} questions/s`,
        `baselines: app.ask alone (${appAlone.length} sequential) ${stats(appAlone)}; one chat at a time through the bot (${single.length}) ${stats(single)}`,
        '',
      ].join('\n'),
    );

    expect(total).toHaveLength(CHATS * PER_CHAT);
    expect(refused).toEqual([]);
    // Served concurrently: the wall time is well under the sum of the latencies.
    expect(wall).toBeLessThan(total.reduce((a, b) => a + b, 0) / 4);
  }, 600_000);
});
