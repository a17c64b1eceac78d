/** The health and metrics server on its own: both endpoints, their status codes, and a registry per bot. */
import { afterEach, describe, expect, it } from 'vitest';
import { BotMetrics } from '../../../src/bot/bot-metrics.js';
import { health } from '../../../src/bot/health.js';
import { startOpsServer, type OpsServer } from '../../../src/bot/ops-server.js';
import { AppError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import type { App } from '../../../src/types.js';
import { FakeApp } from '../../helpers/fake-app.js';

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An app whose first build has not finished: no index is loaded. */
const NO_INDEX: Pick<App, 'status' | 'reindexing'> = {
  reindexing: true,
  status() {
    throw new AppError('INDEX_MISSING', 'No index is loaded.');
  },
};

async function serve(app: Pick<App, 'status' | 'reindexing'>, metrics = new BotMetrics(app)): Promise<OpsServer> {
  server = await startOpsServer({ port: 0, app, metrics, logger: silentLogger });
  return server;
}

/** The value of one sample line, e.g. `report_qa_answers_total{outcome="found"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /healthz', () => {
  it('answers 200 with the build, its age and the last update when an index is loaded', async () => {
    const app = new FakeApp();
    app.builtAt = new Date(Date.now() - 90_000).toISOString();
    const metrics = new BotMetrics(app);
    const at = new Date('2026-01-02T03:04:05.000Z');
    metrics.updateReceived(at);
    const { url } = await serve(app, metrics);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', indexLoaded: true, buildId: app.status().buildId, builtAt: app.builtAt, reindexing: false, lastUpdateAt: at.toISOString() });
    expect(body['indexAgeSeconds']).toBeGreaterThanOrEqual(89);
    expect(body['indexAgeSeconds']).toBeLessThan(120);
  });

  it('answers 503 while no index is loaded, with nulls rather than made-up values', async () => {
    const { url } = await serve(NO_INDEX);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'no_index', indexLoaded: false, buildId: null, builtAt: null, indexAgeSeconds: null, reindexing: true, lastUpdateAt: null });
  });
});

describe('GET /metrics', () => {
  it('renders what was recorded in Prometheus text format', async () => {
    const app = new FakeApp();
    const metrics = new BotMetrics(app);
    metrics.questionAsked();
    metrics.questionEnded('found', 0.3);
    metrics.questionAsked();
    metrics.questionEnded('not_found', 0.02);
    metrics.questionAsked();
    metrics.questionEnded('timeout');
    metrics.telegramError(429);
    metrics.telegramError(429);
    metrics.telegramError('network');
    metrics.reindexEnded('done', 12);
    metrics.reindexEnded('busy');
    metrics.updateReceived(new Date(1_700_000_000_000));
    const { url } = await serve(app, metrics);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE report_qa_answer_duration_seconds histogram');
    expect(sample(text, 'report_qa_questions_total')).toBe(3);
    expect(sample(text, 'report_qa_answers_total{outcome="found"}')).toBe(1);
    expect(sample(text, 'report_qa_answers_total{outcome="not_found"}')).toBe(1);
    expect(sample(text, 'report_qa_answers_total{outcome="timeout"}')).toBe(1);
    expect(sample(text, 'report_qa_answers_total{outcome="error"}')).toBe(0);
    // Only answers that were sent have a latency.
    expect(sample(text, 'report_qa_answer_duration_seconds_count')).toBe(2);
    expect(sample(text, 'report_qa_answer_duration_seconds_bucket{le="0.05"}')).toBe(1);
    expect(sample(text, 'report_qa_telegram_api_errors_total{code="429"}')).toBe(2);
    expect(sample(text, 'report_qa_telegram_api_errors_total{code="network"}')).toBe(1);
    expect(sample(text, 'report_qa_reindex_runs_total{result="done"}')).toBe(1);
    expect(sample(text, 'report_qa_reindex_runs_total{result="busy"}')).toBe(1);
    expect(sample(text, 'report_qa_reindex_duration_seconds_count')).toBe(1);
    expect(sample(text, 'report_qa_reindex_duration_seconds_sum')).toBe(12);
    expect(sample(text, 'report_qa_last_update_timestamp_seconds')).toBe(1_700_000_000);
    expect(sample(text, 'report_qa_index_loaded')).toBe(1);
    expect(sample(text, 'report_qa_index_age_seconds')).toBeGreaterThan(0);
  });

  it('says whether an index is loaded, with age 0 while none is', async () => {
    const { url } = await serve(NO_INDEX);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(sample(text, 'report_qa_index_loaded')).toBe(0);
    expect(sample(text, 'report_qa_index_age_seconds')).toBe(0);
  });

  it('keeps each bot’s counts in its own registry', async () => {
    const app = new FakeApp();
    const a = new BotMetrics(app);
    const b = new BotMetrics(app);
    a.questionAsked();
    expect(sample(await a.registry.metrics(), 'report_qa_questions_total')).toBe(1);
    expect(sample(await b.registry.metrics(), 'report_qa_questions_total')).toBe(0);
  });
});

describe('other requests', () => {
  it('answers 404 for other paths and 405 for other methods', async () => {
    const { url } = await serve(new FakeApp());
    expect((await fetch(`${url}/`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('rejects when the port is taken', async () => {
    const first = await serve(new FakeApp());
    const port = Number(new URL(first.url).port);
    await expect(startOpsServer({ port, app: new FakeApp(), metrics: new BotMetrics(new FakeApp()), logger: silentLogger })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('health', () => {
  it('never reports a negative age when the index was built “in the future” (clock skew)', () => {
    const app = new FakeApp();
    app.builtAt = '2030-01-01T00:00:00.000Z';
    expect(health(app, undefined, new Date('2029-12-31T23:59:00.000Z')).indexAgeSeconds).toBe(0);
  });
});
