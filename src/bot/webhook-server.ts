/**
 * The webhook endpoint: node:http speaking plain HTTP to a reverse proxy that
 * terminates TLS. Telegram POSTs each update with the secret that setWebhook
 * registered in `X-Telegram-Bot-Api-Secret-Token`; a request without it or
 * with a wrong one gets 401 and its body is never read. An accepted update is
 * handed on and acknowledged (200) at once, not when it has been answered:
 * Telegram treats a slow response as a failed delivery and sends the update
 * again, and an answer may take a minute. Once `stopAccepting` is called every
 * request gets 503, which Telegram retries later, so no update is
 * acknowledged that this process will not handle. The same 503 answers an
 * update `onUpdate` refuses because too many are pending (webhook-inbox.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';

export interface WebhookServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** The path of the public webhook URL; other paths get 404. */
  readonly path: string;
  readonly secret: string;
  /** Takes an update: true acknowledges it, false (too many pending) answers 503 so Telegram delivers it later. */
  readonly onUpdate: (update: Update) => boolean;
  readonly logger: Logger;
}

export interface WebhookServer {
  /** Where the proxy forwards to, e.g. `http://127.0.0.1:8080`. */
  readonly origin: string;
  /** From now on every request gets 503 (Telegram delivers it again later). */
  stopAccepting(): void;
  close(): Promise<void>;
}

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** An update is a few kilobytes; anything near this is not from Telegram. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Listens; rejects when the address cannot be bound (e.g. the port is in use). */
export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const { logger } = opts;
  const expected = digest(opts.secret);
  let accepting = true;
  /** Refusing because the inbox is full: logged when it begins and ends, not per request. */
  let busy = false;

  const respond = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== opts.path) return reply(res, 404, 'not found');
    if (req.method !== 'POST') return reply(res, 405, 'method not allowed', { allow: 'POST' });
    if (!sameSecret(req.headers[SECRET_HEADER], expected)) {
      logger.warn('webhook request refused: missing or wrong secret token', { path: opts.path });
      return reply(res, 401, 'unauthorized');
    }
    if (!accepting) return reply(res, 503, 'shutting down', { 'retry-after': '5' });
    const body = await readBody(req);
    if (body === undefined) return reply(res, 413, 'too large', { connection: 'close' });
    const update = parseUpdate(body);
    if (update === undefined) {
      logger.warn('webhook request refused: the body is not a Telegram update');
      return reply(res, 400, 'not an update');
    }
    // The body may have been read while shutdown began: then Telegram keeps the update.
    if (!accepting) return reply(res, 503, 'shutting down', { 'retry-after': '5' });
    if (!opts.onUpdate(update)) {
      if (!busy) logger.warn('webhook update refused: too many updates pending; Telegram will deliver them again', { updateId: update.update_id });
      busy = true;
      return reply(res, 503, 'busy', { 'retry-after': '5' });
    }
    if (busy) logger.info('webhook accepts updates again');
    busy = false;
    reply(res, 200);
  };

  const server = http.createServer((req, res) => {
    void respond(req, res).catch((err: unknown) => {
      logger.error('webhook request failed', { error: describeError(err) });
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.listen(opts.port, opts.host);
  // Rejects with the 'error' (EADDRINUSE…) if it comes before 'listening'.
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  return {
    origin,
    stopAccepting() {
      accepting = false;
    },
    async close() {
      accepting = false;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares digests of equal length, so the time taken tells nothing about the secret, not even its length. */
function sameSecret(given: string | string[] | undefined, expected: Buffer): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), expected);
}

/** The body, or undefined when it exceeds MAX_BODY_BYTES. */
async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseUpdate(body: Buffer): Update | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const ok = typeof value === 'object' && value !== null && 'update_id' in value && Number.isSafeInteger(value.update_id);
  return ok ? (value as Update) : undefined;
}

function reply(res: http.ServerResponse, status: number, text?: string, headers: http.OutgoingHttpHeaders = {}): void {
  if (text === undefined) {
    res.writeHead(status, { 'content-length': '0', ...headers }).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
}
