/** `report-qa bot` end to end: start-up, a question, SIGTERM; and a token Telegram rejects. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { botCommand } from '../../src/cli/bot-command.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { FakeApp } from '../helpers/fake-app.js';
import { FakeBotApi, makeUser, privateChat } from '../helpers/fake-bot-api.js';

let api: FakeBotApi | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await api?.close();
  api = undefined;
});

describe('botCommand', () => {
  it('runs until SIGTERM, answering questions, then closes the app', async () => {
    api = await FakeBotApi.start();
    const sigtermListeners = process.listenerCount('SIGTERM');
    const app = new FakeApp();
    const lines: string[] = [];
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ADMIN_USER_IDS: '5' }, '/tmp');
    const running = botCommand(config, createLogger({ level: 'debug', write: (l) => lines.push(l) }), async () => app);
    await api.waitForPolling();
    const u = makeUser(11);
    api.sendText(privateChat(u), u, '罗星街道2022年地区生产总值是多少？');
    expect((await api.waitForMessage(u.id)).text).toContain('128.6亿元');
    process.emit('SIGTERM');
    expect(await running).toBe(0);
    expect(app.closed).toBe(true);
    expect(lines.join('\n')).toContain('shutting down');
    expect(lines.join('\n')).not.toContain(api.token);
    expect(process.listenerCount('SIGTERM')).toBe(sigtermListeners);
  });

  it('exits 1 when Telegram rejects the token', async () => {
    api = await FakeBotApi.start();
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const app = new FakeApp();
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '999:WrongTokenWrongTokenWrongToken', TELEGRAM_API_ROOT: api.apiRoot }, '/tmp');
    expect(await botCommand(config, createLogger({ level: 'silent' }), async () => app)).toBe(1);
    expect(written.join('')).toContain('401');
    expect(app.closed).toBe(true);
  });
});
