/**
 * A scriptable OpenAI-compatible chat completions server on 127.0.0.1 (port 0)
 * for LLM answerer tests. Each test sets what the next requests get back and
 * inspects every request received.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';

/** A request as the fake received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
}

/** What the fake answers to one request. */
export type FakeReply =
  /** A well-formed completion whose first choice says `content`. */
  | { readonly content: string; readonly delayMs?: number }
  /** Any status and raw body. */
  | { readonly status: number; readonly body: string; readonly delayMs?: number };

export interface FakeLlmServer {
  /** Base URL to put in `LlmConfig.baseUrl`, e.g. `http://127.0.0.1:40123/v1`. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Sets the reply for all following requests; a function sees the request first. */
  reply(reply: FakeReply | ((req: RecordedRequest) => FakeReply)): void;
  close(): Promise<void>;
}

/** The user message of a recorded chat request, or '' when there is none. */
export function userMessage(req: RecordedRequest): string {
  return messageOf(req, 'user');
}

/** The system message of a recorded chat request, or '' when there is none. */
export function systemMessage(req: RecordedRequest): string {
  return messageOf(req, 'system');
}

/** The number under which a recorded request shows the passage containing `text`, or 0 when none does. */
export function passageNumber(req: RecordedRequest, text: string): number {
  const blocks = userMessage(req).split(/\n(?=\[\d+\] 《)/);
  const block = blocks.find((b) => b.includes(text));
  return Number(/^\[(\d+)\]/.exec(block ?? '')?.[1] ?? 0);
}

export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const requests: RecordedRequest[] = [];
  let script: FakeReply | ((req: RecordedRequest) => FakeReply) = { content: '没有找到' };
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const reply = typeof script === 'function' ? script(recorded) : script;
      const send = (): void => {
        if (res.destroyed) return;
        if ('content' in reply) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id: `chatcmpl-${requests.length}`,
              object: 'chat.completion',
              model: 'fake',
              choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.content } }],
            }),
          );
        } else {
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(reply.body);
        }
      };
      if (reply.delayMs === undefined) send();
      else {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, reply.delayMs);
        timers.add(t);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake LLM server has no TCP address');
  const { port } = address;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    reply(r) {
      script = r;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function messageOf(req: RecordedRequest, role: string): string {
  const messages = typeof req.body === 'object' && req.body !== null ? Object.getOwnPropertyDescriptor(req.body, 'messages')?.value : undefined;
  if (!Array.isArray(messages)) return '';
  for (const m of messages) {
    if (typeof m === 'object' && m !== null && m.role === role && typeof m.content === 'string') return m.content;
  }
  return '';
}
