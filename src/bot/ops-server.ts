/**
 * The health and metrics server (on when METRICS_PORT is set): node:http on
 * 127.0.0.1 only, since neither endpoint is meant for the internet.
 * `GET /healthz` answers 200 with an index loaded, else 503, so a supervisor
 * or load balancer can tell a bot that can answer from one that cannot;
 * `GET /metrics` is the bot's registry in Prometheus text format.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { App } from '../types.js';
import type { BotMetrics } from './bot-metrics.js';
import { health } from './health.js';

export interface OpsServerOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly app: Pick<App, 'status' | 'reindexing'>;
  readonly metrics: BotMetrics;
  readonly logger: Logger;
}

export interface OpsServer {
  /** e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  close(): Promise<void>;
}

export const OPS_HOST = '127.0.0.1';

/** Listens; rejects when the port cannot be bound (e.g. already in use). */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const { app, metrics, logger } = opts;
  const server = http.createServer((req, res) => {
    void respond(req, res).catch((err: unknown) => {
      logger.error('health or metrics request failed', { path: req.url, error: describeError(err) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });

  const respond = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/healthz' && path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /healthz or /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      const body = health(app, metrics.lastUpdateAt);
      res.writeHead(body.indexLoaded ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : `${JSON.stringify(body)}\n`);
      return;
    }
    const text = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : text);
  };

  server.listen(opts.port, OPS_HOST);
  // Rejects with the 'error' (EADDRINUSE…) if it comes before 'listening'.
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${OPS_HOST}:${port}`;
  logger.info('health and metrics served', { url });
  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
