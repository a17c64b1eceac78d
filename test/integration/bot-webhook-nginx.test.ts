/**
 * Webhook mode behind a real reverse proxy: Debian's nginx, started by the
 * test on 127.0.0.1 with the `location` block of the README's example,
 * proxies to the bot's webhook server; FakeBotApi delivers its updates to
 * nginx as Telegram would to the public URL (TLS, nginx's job, is left out).
 * Checked: the path and the X-Telegram-Bot-Api-Secret-Token header reach the
 * bot unchanged (an update is answered), a wrong secret gets the bot's 401
 * through the proxy and is not handled, and the bot's 503 at shutdown reaches
 * Telegram so it keeps the update.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeApp } from '../helpers/fake-app.js';
import { FakeBotApi, makeUser, privateChat } from '../helpers/fake-bot-api.js';
import { HAS_NGINX, NGINX, startNginx, type Nginx } from '../helpers/nginx.js';
import { startWebhookBot, WEBHOOK_URL, type WebhookBot } from '../helpers/webhook-bot.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SECRET = 'nginx-test-secret_0123456789';
const QUESTION = '罗星街道2022年地区生产总值是多少？';
const HOOK_PATH = new URL(WEBHOOK_URL).pathname;

/** The README's `location` block, pointed at this test's bot and webhook path. */
async function readmeLocation(botOrigin: string): Promise<string> {
  const readme = await fs.readFile(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(readme)?.[1];
  const location = block === undefined ? undefined : /^ *location = \/telegram \{[\s\S]*?^ *\}$/m.exec(block)?.[0];
  if (location === undefined) throw new Error('README.md has no ```nginx block with `location = /telegram { … }`');
  expect(location).toContain('proxy_pass http://127.0.0.1:8080;');
  return location.replace('location = /telegram ', `location = ${HOOK_PATH} `).replace('http://127.0.0.1:8080', botOrigin);
}

if (!HAS_NGINX) console.log(`bot-webhook-nginx: skipped, ${NGINX} is missing (apt-get install nginx-light)`);

describe.skipIf(!HAS_NGINX)(`webhook mode behind nginx${HAS_NGINX ? '' : ` (skipped: ${NGINX} missing)`}`, () => {
  let api: FakeBotApi;
  let app: FakeApp;
  let bot: WebhookBot;
  let nginx: Nginx;

  beforeEach(async () => {
    api = await FakeBotApi.start();
    app = new FakeApp();
    bot = await startWebhookBot(api, app, { secret: SECRET });
    nginx = await startNginx(await readmeLocation(bot.origin));
  });
  afterEach(async () => {
    await bot.stop();
    await nginx.stop();
    await api.close();
    expect(bot.logs.join('\n')).not.toContain(SECRET);
  });

  it('passes the path and the secret header through: an update posted to nginx is answered', async () => {
    const u = makeUser(701);
    api.sendText(privateChat(u), u, QUESTION);
    expect(await api.deliverWebhook(nginx.origin)).toEqual([{ updateId: 1, status: 200 }]);
    expect((await api.waitForMessage(u.id)).text).toContain('128.6亿元');
    expect(app.questions).toEqual([QUESTION]);
  });

  it("gives the bot's 401 for a wrong or missing secret through the proxy, and the update is not handled", async () => {
    const u = makeUser(702);
    const body = JSON.stringify({ update_id: 9, message: { message_id: 1, date: 1, chat: privateChat(u), from: u, text: QUESTION } });
    const post = async (headers: Record<string, string>): Promise<number> => {
      const res = await fetch(`${nginx.origin}${HOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      await res.arrayBuffer();
      return res.status;
    };
    expect(await post({ 'x-telegram-bot-api-secret-token': `${SECRET}x` })).toBe(401);
    expect(await post({})).toBe(401);
    expect(bot.logs.filter((l) => l.includes('missing or wrong secret token'))).toHaveLength(2);
    // Other paths are not proxied at all.
    expect((await fetch(`${nginx.origin}/other`, { method: 'POST', body })).status).toBe(404);

    const v = makeUser(703);
    api.sendText(privateChat(v), v, QUESTION);
    expect(await api.deliverWebhook(nginx.origin)).toEqual([{ updateId: 1, status: 200 }]);
    await api.waitForMessage(v.id);
    expect(app.questions).toEqual([QUESTION]); // only the delivery with the right secret
    expect(api.sentTo(u.id)).toEqual([]);
  });

  it("passes the bot's 503 at shutdown on, so Telegram keeps the update", async () => {
    const held = app.holdAsk('罗星');
    const a = makeUser(704);
    api.sendText(privateChat(a), a, QUESTION);
    expect(await api.deliverWebhook(nginx.origin)).toEqual([{ updateId: 1, status: 200 }]);
    await held.reached;
    bot.beginStop();
    await new Promise((r) => setImmediate(r)); // runBot's cleanup has begun
    const b = makeUser(705);
    api.sendText(privateChat(b), b, '南星街道辖区共有多少个社区');
    expect(await api.deliverWebhook(nginx.origin)).toEqual([{ updateId: 2, status: 503 }]);
    expect(api.pendingUpdates).toBe(1);
    held.release();
    await bot.done;
    expect(api.sentTo(a.id)[0]!.text).toContain('128.6亿元');
  });
});
