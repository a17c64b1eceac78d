/**
 * The metrics through the real bot: questions and a /reindex sent through the fake Bot API
 * show up on /metrics and /healthz; `report-qa bot` with METRICS_PORT serves them while it runs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BotMetrics } from '../../src/bot/bot-metrics.js';
import { startOpsServer, type OpsServer } from '../../src/bot/ops-server.js';
import { botCommand } from '../../src/cli/bot-command.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { startBotHarness, type BotHarness } from '../helpers/bot-harness.js';
import { FakeApp } from '../helpers/fake-app.js';
import { FakeBotApi, makeUser, privateChat } from '../helpers/fake-bot-api.js';

const ADMIN = makeUser(9001, 'admin');

let harness: BotHarness | undefined;
let ops: OpsServer | undefined;
let api: FakeBotApi | undefined;
afterEach(async () => {
  await ops?.close();
  await harness?.stop();
  await api?.close();
  ops = harness = api = undefined;
});

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** A port free a moment ago (METRICS_PORT takes no 0). */
async function freePort(): Promise<number> {
  const server = http.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('bot metrics through the fake Bot API', () => {
  it('counts questions by outcome with their latency, Telegram refusals and a /reindex', async () => {
    const app = new FakeApp();
    const metrics = new BotMetrics(app);
    harness = await startBotHarness(app, { admins: [ADMIN.id], metrics });
    ops = await startOpsServer({ port: 0, app, metrics, logger: silentLogger });
    const before = (await (await fetch(`${ops.url}/healthz`)).json()) as { lastUpdateAt: string | null };
    expect(before.lastUpdateAt).toBeNull();

    // Start-up calls may already have been refused (the admin's command menu): count from here.
    const refusedAtStart = sample(await metrics.registry.metrics(), 'report_qa_telegram_api_errors_total{code="400"}') ?? 0;
    const u = makeUser(11);
    // The typing indicator is refused once: a Telegram error, and the answer still goes out.
    harness.api.failNext('sendChatAction', { error_code: 400, description: 'Bad Request: chat not found' });
    harness.api.sendText(privateChat(u), u, '罗星街道2022年地区生产总值是多少？');
    expect((await harness.api.waitForMessage(u.id)).text).toContain('128.6亿元');
    harness.api.sendText(privateChat(u), u, '火星上有多少街道？');
    await harness.api.waitForMessage(u.id, (m) => m.text.includes('没有找到'));
    harness.api.sendText(privateChat(ADMIN), ADMIN, '/reindex');
    await expect.poll(async () => sample(await metrics.registry.metrics(), 'report_qa_reindex_runs_total{result="done"}'), { timeout: 10_000 }).toBe(1);

    const text = await (await fetch(`${ops.url}/metrics`)).text();
    expect(sample(text, 'report_qa_questions_total')).toBe(2);
    expect(sample(text, 'report_qa_answers_total{outcome="found"}')).toBe(1);
    expect(sample(text, 'report_qa_answers_total{outcome="not_found"}')).toBe(1);
    expect(sample(text, 'report_qa_answer_duration_seconds_count')).toBe(2);
    expect(sample(text, 'report_qa_telegram_api_errors_total{code="400"}')).toBe(refusedAtStart + 1);
    expect(sample(text, 'report_qa_reindex_duration_seconds_count')).toBe(1);

    const res = await fetch(`${ops.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { buildId: string; lastUpdateAt: string };
    expect(body.buildId).toBe('b1');
    expect(Date.now() - Date.parse(body.lastUpdateAt)).toBeLessThan(10_000);
  });
});

describe('report-qa bot with METRICS_PORT', () => {
  it('serves /healthz while the bot runs and stops serving after SIGTERM', async () => {
    api = await FakeBotApi.start();
    const port = await freePort();
    const app = new FakeApp();
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, METRICS_PORT: String(port) }, '/tmp');
    const running = botCommand(config, createLogger({ level: 'silent' }), async () => app);
    await api.waitForPolling();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { indexLoaded: boolean }).indexLoaded).toBe(true);
    process.emit('SIGTERM');
    expect(await running).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('stops with a METRICS_PORT error when the port is taken, closing the app', async () => {
    const taken = http.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    try {
      const { port } = taken.address() as AddressInfo;
      const app = new FakeApp();
      const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123:AAAAAAAAAAAAAAAAAAAAAAAAAAAA', METRICS_PORT: String(port) }, '/tmp');
      const failed = await botCommand(config, silentLogger, async () => app).catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(ConfigError);
      expect((failed as ConfigError).message).toContain('METRICS_PORT');
      expect(app.closed).toBe(true);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
