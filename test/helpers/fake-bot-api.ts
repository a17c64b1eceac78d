/**
 * A Telegram Bot API server for tests: node:http on 127.0.0.1 (random port)
 * implementing the methods the bot uses, so the real grammY bot and runner
 * talk HTTP to it exactly as to api.telegram.org (`apiRoot`). Tests inject
 * updates (messages, mentions, replies, button presses, documents) and await
 * the bot's calls.
 *
 * It refuses what Telegram refuses, so passing tests mean something:
 * text over 4096 characters after entity parsing, malformed HTML, empty text,
 * callback data over 64 bytes, an edit that changes nothing, unknown chats,
 * messages, callback queries and methods, a wrong token. Failures can be
 * scripted (429 with retry_after, 500), and, opt-in, the faults of a real
 * network and server: Telegram's flood control (429 per chat and overall),
 * connections dropped before or after the call took effect, slow responses.
 *
 * Webhooks as on Telegram: setWebhook checks the URL (HTTPS, ports 443, 80,
 * 88, 8443) and the secret token; while one is set getUpdates gets 409 and
 * `deliverWebhook` POSTs the pending updates, with the secret header, to where
 * the public URL leads (a test has no DNS for it); an update stays pending
 * until the bot answers it with a 2xx.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chat, InlineKeyboardMarkup, Message, MessageEntity, Update, User, UserFromGetMe } from 'grammy/types';
import { parseTelegramHtml } from './telegram-html.js';

export const TEXT_LIMIT = 4096;
export const CALLBACK_DATA_LIMIT = 64;
export const GET_FILE_LIMIT = 20 * 1024 * 1024;

type Payload = Record<string, unknown>;

export type ApiResult = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

export interface ApiCall {
  readonly method: string;
  readonly payload: Payload;
  /** `performance.now()` when the request arrived. */
  readonly at: number;
  readonly response: ApiResult;
  /**
   * The connection was destroyed instead of answering: `before` the call took
   * effect (nothing happened), or `after` it (e.g. the message was sent, but
   * the bot never learnt so). `response` is what the call did.
   */
  readonly dropped?: 'before' | 'after';
}

/** A message the bot sent (and its current state after edits). */
export interface BotMessage {
  readonly chatId: number;
  readonly messageId: number;
  html: string;
  /** The text as the user sees it (entities parsed). */
  text: string;
  replyMarkup?: InlineKeyboardMarkup;
  readonly replyTo?: number;
  edits: number;
}

export interface ScriptedFailure {
  readonly error_code: number;
  readonly description: string;
  readonly retry_after?: number;
}

/** A token bucket: `burst` messages at once, then `perSecond` sustained. */
export interface FloodRule {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * Telegram's flood control on sendMessage, modelled as token buckets per chat
 * (private and group chats differ) and overall. A refused call gets 429 with
 * an honest `retry_after` (whole seconds until a message may be sent) and has
 * no effect, as on Telegram.
 */
export interface FloodControl {
  readonly private?: FloodRule;
  readonly group?: FloodRule;
  readonly global?: FloodRule;
}

/** What setWebhook registered. */
export interface FakeWebhook {
  readonly url: string;
  readonly secretToken?: string;
  readonly allowedUpdates?: readonly string[];
}

/** One POST of `deliverWebhook`: the update and the HTTP status the bot answered. */
export interface WebhookDelivery {
  readonly updateId: number;
  readonly status: number;
}

export const WEBHOOK_PORTS = [443, 80, 88, 8443];

export interface FakeBotApiOptions {
  token?: string;
  username?: string;
  botId?: number;
  floodControl?: FloodControl;
}

/** Counts of the faults the server injected, by kind. */
export interface FaultCounts {
  /** 429 from flood control. */
  flood: number;
  /** Scripted failures (failNext), by HTTP status. */
  scripted: Record<number, number>;
  dropBefore: number;
  dropAfter: number;
  /** Responses held back by `setLatency`. */
  delayed: number;
}

const CHAT_ACTIONS = new Set(['typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note']);

export function makeUser(id: number, firstName = `user${id}`): User {
  return { id, is_bot: false, first_name: firstName };
}

export function privateChat(user: User): Chat.PrivateChat {
  return { id: user.id, type: 'private', first_name: user.first_name };
}

export function groupChat(id: number, title = `group${id}`): Chat.SupergroupChat {
  return { id: id < 0 ? id : -1_000_000_000_000 - id, type: 'supergroup', title };
}

export class FakeBotApi {
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly calls: ApiCall[] = [];
  /** Bot messages by `chatId:messageId`. */
  readonly botMessages = new Map<string, BotMessage>();
  apiRoot = '';

  readonly #server: http.Server;
  readonly #updates: Update[] = [];
  #nextUpdateId = 1;
  readonly #messageIds = new Map<number, number>();
  readonly #chats = new Map<number, Chat>();
  readonly #messages = new Map<string, Message>();
  readonly #queries = new Map<string, boolean>();
  readonly #files = new Map<string, { path: string; content: Buffer; size: number }>();
  readonly #failures: { method: string; failure: ScriptedFailure; left: number }[] = [];
  readonly #drops: { method: string; when: 'before' | 'after'; left: number }[] = [];
  readonly #latency = new Map<string, number>();
  readonly #holds: { method: string; reached: () => void; released: Promise<void> }[] = [];
  readonly #flood: FloodControl | undefined;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly faults: FaultCounts = { flood: 0, scripted: {}, dropBefore: 0, dropAfter: 0, delayed: 0 };
  readonly #pollers = new Set<() => void>();
  readonly #callWaiters = new Set<(c: ApiCall) => void>();
  readonly #pollWaiters: (() => void)[] = [];
  #polls = 0;
  #webhook: FakeWebhook | undefined;
  /** `performance.now()` when each update (by id) was handed to the bot by getUpdates. */
  readonly #deliveredAt = new Map<number, number>();
  readonly #updateOfMessage = new Map<string, number>();

  private constructor(opts: FakeBotApiOptions) {
    this.token = opts.token ?? '123456789:AAFakeTokenForTests_abcdefghijklmn';
    this.botInfo = {
      id: opts.botId ?? 777_000_001,
      is_bot: true,
      first_name: 'Report QA',
      username: opts.username ?? 'report_qa_bot',
      can_join_groups: true,
      can_read_all_group_messages: true,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
    } as UserFromGetMe;
    this.#flood = opts.floodControl;
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
  }

  static async start(opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const api = new FakeBotApi(opts);
    api.#server.listen(0, '127.0.0.1');
    await once(api.#server, 'listening');
    const { port } = api.#server.address() as AddressInfo;
    api.apiRoot = `http://127.0.0.1:${port}`;
    return api;
  }

  async close(): Promise<void> {
    for (const wake of this.#pollers) wake();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---- injecting updates -------------------------------------------------

  /**
   * A user's text message; entities (commands, mentions) are added as Telegram
   * does. `extra` adds fields such as `sender_chat` or `forward_origin`.
   */
  sendText(chat: Chat, from: User, text: string, opts: { replyTo?: number; extra?: Partial<Message> } = {}): Message {
    const entities = detectEntities(text);
    return this.#inject(chat, from, { text, ...(entities.length > 0 && { entities }), ...opts.extra }, opts.replyTo);
  }

  /** A user's document; the content is served by getFile and the file path. `extra` as for sendText. */
  sendDocument(
    chat: Chat,
    from: User,
    doc: { fileName: string; content: Buffer; declaredSize?: number; caption?: string; mimeType?: string; extra?: Partial<Message> },
  ): Message {
    const n = this.#files.size + 1;
    const fileId = `file-${n}`;
    this.#files.set(fileId, { path: `documents/file_${n}.bin`, content: doc.content, size: doc.declaredSize ?? doc.content.length });
    const caption = doc.caption;
    const captionEntities = caption === undefined ? [] : detectEntities(caption);
    return this.#inject(
      chat,
      from,
      {
        document: {
          file_id: fileId,
          file_unique_id: `u-${fileId}`,
          file_name: doc.fileName,
          mime_type: doc.mimeType ?? 'text/plain',
          file_size: doc.declaredSize ?? doc.content.length,
        },
        ...(caption !== undefined && { caption }),
        ...(captionEntities.length > 0 && { caption_entities: captionEntities }),
        ...doc.extra,
      },
      undefined,
    );
  }

  /** A press on an inline button of a bot message; returns the callback query id. */
  pressButton(from: User, message: BotMessage, data: string): string {
    const id = `cq-${this.#nextUpdateId}`;
    this.#queries.set(id, false);
    const stored = this.#messages.get(`${message.chatId}:${message.messageId}`);
    if (stored === undefined) throw new Error(`no message ${message.chatId}:${message.messageId}`);
    this.#push({ update_id: this.#nextUpdateId++, callback_query: { id, from, message: stored, chat_instance: `ci${message.chatId}`, data } } as Update);
    return id;
  }

  /**
   * A press on a button of an inline-mode message: the query carries
   * `inline_message_id` and no message. Returns the callback query id.
   */
  pressInlineButton(from: User, data: string): string {
    const id = `cq-${this.#nextUpdateId}`;
    this.#queries.set(id, false);
    this.#push({ update_id: this.#nextUpdateId++, callback_query: { id, from, inline_message_id: `im-${id}`, chat_instance: 'ci-inline', data } } as Update);
    return id;
  }

  /** The next `times` calls of `method` fail with `failure` (HTTP status = error_code). */
  failNext(method: string, failure: ScriptedFailure, times = 1): void {
    this.#failures.push({ method, failure, left: times });
  }

  /**
   * The next `times` calls of `method` get their connection destroyed instead
   * of a response: `before` the call takes effect, or `after` it did (for
   * getUpdates: after the batch was handed out, which the bot never receives).
   * `method` 'file' drops file downloads.
   */
  dropNext(method: string, when: 'before' | 'after', times = 1): void {
    this.#drops.push({ method, when, left: times });
  }

  /** Every response to `method` is held back `ms` (0 removes the delay). */
  setLatency(method: string, ms: number): void {
    if (ms > 0) this.#latency.set(method, ms);
    else this.#latency.delete(method);
  }

  /**
   * The next call of `method` is held before it takes effect: `reached`
   * resolves when it arrives, and it is carried out and answered on
   * `release`, unless the bot has hung up meanwhile (then it never happened,
   * as when a process dies with its request on the wire).
   */
  holdNext(method: string): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const hold = { method, arrived: new Promise<void>((r) => (reached = r)), released: new Promise<void>((r) => (release = r)), reached: () => reached() };
    this.#holds.push(hold);
    return { reached: hold.arrived, release };
  }

  /**
   * Delivers the pending updates to the webhook, in order and one at a time,
   * as Telegram does: POST to `origin` + the webhook URL's path with the
   * registered secret in X-Telegram-Bot-Api-Secret-Token. Stops at the first
   * answer that is not 2xx; that update and the ones after it stay pending.
   */
  async deliverWebhook(origin: string): Promise<WebhookDelivery[]> {
    const hook = this.#webhook;
    if (hook === undefined) throw new Error('no webhook is set (setWebhook was not called)');
    const url = new URL(hook.url);
    const deliveries: WebhookDelivery[] = [];
    while (this.#updates.length > 0) {
      const update = this.#updates[0]!;
      const res = await fetch(`${origin}${url.pathname}${url.search}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(hook.secretToken !== undefined && { 'x-telegram-bot-api-secret-token': hook.secretToken }) },
        body: JSON.stringify(update),
      });
      await res.arrayBuffer();
      deliveries.push({ updateId: update.update_id, status: res.status });
      if (res.status < 200 || res.status > 299) break;
      this.#updates.shift();
      this.#deliveredAt.set(update.update_id, performance.now());
    }
    return deliveries;
  }

  /** The webhook setWebhook registered, if one is set. */
  get webhook(): FakeWebhook | undefined {
    return this.#webhook;
  }

  /** Updates injected and not yet confirmed (getUpdates) or delivered (webhook). */
  get pendingUpdates(): number {
    return this.#updates.length;
  }

  // ---- observing ---------------------------------------------------------

  /** Resolves with the first call (past or future) matching `pred`. */
  async waitForCall(pred: (c: ApiCall) => boolean, timeoutMs = 5000): Promise<ApiCall> {
    const past = this.calls.find(pred);
    if (past !== undefined) return past;
    return new Promise<ApiCall>((resolve, reject) => {
      const waiter = (c: ApiCall): void => {
        if (!pred(c)) return;
        this.#callWaiters.delete(waiter);
        clearTimeout(timer);
        resolve(c);
      };
      const timer = setTimeout(() => {
        this.#callWaiters.delete(waiter);
        const recent = this.calls.slice(-8).map((c) => `${c.method} ${JSON.stringify(c.payload).slice(0, 160)} → ${JSON.stringify(c.response).slice(0, 120)}`);
        reject(new Error(`no matching Bot API call within ${timeoutMs} ms; last calls:\n${recent.join('\n')}`));
      }, timeoutMs);
      this.#callWaiters.add(waiter);
    });
  }

  /** Waits for a successful `sendMessage` to `chatId` whose text satisfies `pred`. */
  async waitForMessage(chatId: number, pred: (m: BotMessage) => boolean = () => true, timeoutMs = 5000): Promise<BotMessage> {
    const call = await this.waitForCall((c) => {
      if (c.method !== 'sendMessage' || !c.response.ok || Number(c.payload.chat_id) !== chatId) return false;
      const m = this.#botMessageOf(c);
      return m !== undefined && pred(m);
    }, timeoutMs);
    return this.#botMessageOf(call)!;
  }

  /** Resolves once the bot has made a getUpdates request (it is polling). */
  async waitForPolling(): Promise<void> {
    if (this.#polls > 0) return;
    await new Promise<void>((resolve) => this.#pollWaiters.push(resolve));
  }

  /** Successful sendMessage results to `chatId`, in order. */
  sentTo(chatId: number): BotMessage[] {
    return this.calls
      .filter((c) => c.method === 'sendMessage' && c.response.ok && Number(c.payload.chat_id) === chatId)
      .map((c) => this.#botMessageOf(c)!)
      .filter((m) => m !== undefined);
  }

  /** `performance.now()` when the update carrying this injected message reached the bot. */
  deliveredAt(message: Message): number | undefined {
    const id = this.#updateOfMessage.get(`${message.chat.id}:${message.message_id}`);
    return id === undefined ? undefined : this.#deliveredAt.get(id);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  #botMessageOf(c: ApiCall): BotMessage | undefined {
    if (!c.response.ok) return undefined;
    const r = c.response.result as Message;
    return this.botMessages.get(`${r.chat.id}:${r.message_id}`);
  }

  // ---- internals ---------------------------------------------------------

  #inject(chat: Chat, from: User, content: Partial<Message>, replyTo: number | undefined): Message {
    this.#chats.set(chat.id, chat);
    const reply = replyTo === undefined ? undefined : this.#messages.get(`${chat.id}:${replyTo}`);
    if (replyTo !== undefined && reply === undefined) throw new Error(`no message ${replyTo} in chat ${chat.id} to reply to`);
    const message = {
      message_id: this.#nextMessageId(chat.id),
      date: Math.floor(Date.now() / 1000),
      chat,
      from,
      ...content,
      ...(reply !== undefined && { reply_to_message: reply }),
    } as Message;
    this.#messages.set(`${chat.id}:${message.message_id}`, message);
    this.#updateOfMessage.set(`${chat.id}:${message.message_id}`, this.#nextUpdateId);
    this.#push({ update_id: this.#nextUpdateId++, message } as Update);
    return message;
  }

  #push(update: Update): void {
    this.#updates.push(update);
    for (const wake of this.#pollers) wake();
  }

  #nextMessageId(chatId: number): number {
    const id = (this.#messageIds.get(chatId) ?? 0) + 1;
    this.#messageIds.set(chatId, id);
    return id;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && fileMatch !== null) {
      // File downloads can be dropped too: `dropNext('file', …)`.
      const drop = this.#drops.find((d) => d.method === 'file' && d.left > 0);
      if (drop !== undefined) {
        drop.left--;
        this.faults[drop.when === 'before' ? 'dropBefore' : 'dropAfter']++;
        res.destroy();
        return;
      }
      return this.#serveFile(fileMatch[1]!, fileMatch[2]!, res);
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (m === null) return send(res, { ok: false, error_code: 404, description: 'Not Found' });
    const at = performance.now();
    const body = await readBody(req);
    let payload: Payload = {};
    try {
      payload = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Payload);
    } catch {
      return send(res, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    const method = m[2]!;
    const call = { method, payload, at };
    if (m[1] !== this.token) return this.#answer(res, call, { ok: false, error_code: 401, description: 'Unauthorized' });
    const held = this.#holds.findIndex((h) => h.method === method);
    if (held >= 0) {
      const [hold] = this.#holds.splice(held, 1);
      hold!.reached();
      await hold!.released;
      if (res.destroyed) return;
    }
    const latency = this.#latency.get(method);
    if (latency !== undefined) {
      this.faults.delayed++;
      await new Promise((r) => setTimeout(r, latency));
      if (res.destroyed) return;
    }
    const drop = this.#drops.find((d) => d.method === method && d.left > 0);
    if (drop !== undefined) drop.left--;
    if (drop?.when === 'before') {
      this.faults.dropBefore++;
      return this.#answer(res, { ...call, dropped: 'before' }, { ok: false, error_code: 599, description: 'connection dropped before the call' });
    }
    const callRes = drop?.when === 'after' ? { ...call, dropped: 'after' as const } : call;
    if (drop?.when === 'after') this.faults.dropAfter++;
    const scripted = this.#failures.find((f) => f.method === method && f.left > 0);
    if (scripted !== undefined) {
      scripted.left--;
      const { error_code, description, retry_after } = scripted.failure;
      this.faults.scripted[error_code] = (this.faults.scripted[error_code] ?? 0) + 1;
      return this.#answer(res, callRes, { ok: false, error_code, description, ...(retry_after !== undefined && { parameters: { retry_after } }) });
    }
    if (method === 'getUpdates') return this.#getUpdates(payload, res, at, drop?.when === 'after');
    const flooded = method === 'sendMessage' ? this.#floodCheck(Number(payload.chat_id)) : undefined;
    if (flooded !== undefined) {
      this.faults.flood++;
      return this.#answer(res, callRes, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${flooded}`, parameters: { retry_after: flooded } });
    }
    this.#answer(res, callRes, this.#call(method, payload));
  }

  /** Records the call and answers it, or destroys the connection when the call is marked dropped. */
  #answer(res: http.ServerResponse, call: Omit<ApiCall, 'response'>, response: ApiResult): void {
    const recorded: ApiCall = { ...call, response };
    this.calls.push(recorded);
    if (call.dropped !== undefined) res.destroy();
    else send(res, response);
    for (const w of [...this.#callWaiters]) w(recorded);
  }

  /** Seconds to wait when a message to `chatId` now would exceed flood control; takes the tokens otherwise. */
  #floodCheck(chatId: number): number | undefined {
    const flood = this.#flood;
    if (flood === undefined) return undefined;
    const chat = this.#chats.get(chatId);
    const rules: [string, FloodRule | undefined][] = [
      ['global', flood.global],
      [`chat:${chatId}`, chat?.type === 'private' ? flood.private : flood.group],
    ];
    const now = performance.now();
    let wait = 0;
    const buckets: { tokens: number; at: number }[] = [];
    for (const [key, rule] of rules) {
      if (rule === undefined) continue;
      const b = this.#buckets.get(key) ?? { tokens: rule.burst, at: now };
      b.tokens = Math.min(rule.burst, b.tokens + ((now - b.at) / 1000) * rule.perSecond);
      b.at = now;
      this.#buckets.set(key, b);
      buckets.push(b);
      if (b.tokens < 1) wait = Math.max(wait, (1 - b.tokens) / rule.perSecond);
    }
    if (wait > 0) return Math.max(1, Math.ceil(wait));
    for (const b of buckets) b.tokens -= 1;
    return undefined;
  }

  /** Long polling; with `drop`, the batch is handed out and the connection destroyed instead. */
  #getUpdates(payload: Payload, res: http.ServerResponse, at: number, drop = false): void {
    if (this.#webhook !== undefined) {
      return this.#answer(res, { method: 'getUpdates', payload, at }, {
        ok: false,
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    this.#polls++;
    for (const wake of this.#pollWaiters.splice(0)) wake();
    const offset = Number(payload.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(payload.limit ?? 100)));
    const timeoutS = Number(payload.timeout ?? 0);
    // Confirmed updates are forgotten, as on Telegram.
    while (this.#updates.length > 0 && this.#updates[0]!.update_id < offset) this.#updates.shift();
    const ready = (): Update[] => this.#updates.filter((u) => u.update_id >= offset).slice(0, limit);
    const respond = (): void => {
      this.#pollers.delete(wake);
      clearTimeout(timer);
      if (res.writableEnded || res.destroyed) return;
      const batch = ready();
      const now = performance.now();
      if (!drop) for (const u of batch) if (!this.#deliveredAt.has(u.update_id)) this.#deliveredAt.set(u.update_id, now);
      this.#answer(res, { method: 'getUpdates', payload, at, ...(drop && { dropped: 'after' as const }) }, { ok: true, result: batch });
    };
    const wake = (): void => respond();
    let timer: NodeJS.Timeout | undefined;
    if (ready().length > 0 || timeoutS <= 0) return respond();
    this.#pollers.add(wake);
    timer = setTimeout(respond, timeoutS * 1000);
    res.on('close', () => {
      this.#pollers.delete(wake);
      clearTimeout(timer);
    });
  }

  #call(method: string, p: Payload): ApiResult {
    switch (method) {
      case 'getMe':
        return { ok: true, result: this.botInfo };
      case 'deleteWebhook':
        this.#webhook = undefined;
        if (p.drop_pending_updates === true) this.#updates.length = 0;
        return { ok: true, result: true };
      case 'setWebhook':
        return this.#setWebhook(p);
      case 'getWebhookInfo':
        return { ok: true, result: { url: this.#webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.#updates.length } };
      case 'setMyCommands':
        return this.#setMyCommands(p);
      case 'sendMessage':
        return this.#sendMessage(p);
      case 'editMessageText':
        return this.#editMessageText(p);
      case 'sendChatAction':
        if (!this.#chats.has(Number(p.chat_id))) return bad('chat not found');
        if (!CHAT_ACTIONS.has(String(p.action))) return bad('wrong parameter action in request');
        return { ok: true, result: true };
      case 'answerCallbackQuery':
        return this.#answerCallbackQuery(p);
      case 'getFile':
        return this.#getFile(p);
      default:
        return { ok: false, error_code: 404, description: 'Not Found' };
    }
  }

  #setWebhook(p: Payload): ApiResult {
    let url: URL;
    try {
      url = new URL(String(p.url));
    } catch {
      return bad('bad webhook: Failed to resolve host: Name or service not known');
    }
    if (url.protocol !== 'https:') return bad('bad webhook: An HTTPS URL must be provided for webhook');
    if (!WEBHOOK_PORTS.includes(url.port === '' ? 443 : Number(url.port))) return bad('bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
    const secret = p.secret_token;
    if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) return bad('secret token contains unallowed characters');
    const allowed = p.allowed_updates;
    if (allowed !== undefined && !Array.isArray(allowed)) return bad("can't parse allowed updates JSON object");
    if (p.drop_pending_updates === true) this.#updates.length = 0;
    this.#webhook = {
      url: url.href,
      ...(typeof secret === 'string' && { secretToken: secret }),
      ...(Array.isArray(allowed) && { allowedUpdates: allowed.map(String) }),
    };
    return { ok: true, result: true };
  }

  #setMyCommands(p: Payload): ApiResult {
    const commands = p.commands;
    if (!Array.isArray(commands) || commands.length > 100) return bad('commands must be an array of at most 100');
    for (const c of commands as { command?: unknown; description?: unknown }[]) {
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) return bad('BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) return bad('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    const scope = p.scope as { type?: string; chat_id?: number } | undefined;
    if (scope?.type === 'chat' && !this.#chats.has(Number(scope.chat_id))) return bad('chat not found');
    return { ok: true, result: true };
  }

  #sendMessage(p: Payload): ApiResult {
    const chatId = Number(p.chat_id);
    const chat = this.#chats.get(chatId);
    if (chat === undefined) return bad('chat not found');
    const parsed = parseText(p);
    if (!parsed.ok) return parsed.error;
    const markup = checkMarkup(p.reply_markup);
    if (markup !== undefined && 'error' in markup) return markup.error;
    const rp = p.reply_parameters as { message_id?: number; allow_sending_without_reply?: boolean } | undefined;
    let replyTo: Message | undefined;
    if (rp?.message_id !== undefined) {
      replyTo = this.#messages.get(`${chatId}:${rp.message_id}`);
      if (replyTo === undefined && rp.allow_sending_without_reply !== true) return bad('message to be replied not found');
    }
    const messageId = this.#nextMessageId(chatId);
    const message = {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username },
      text: parsed.text,
      ...(markup !== undefined && { reply_markup: markup.value }),
      ...(replyTo !== undefined && { reply_to_message: replyTo }),
    } as Message;
    this.#messages.set(`${chatId}:${messageId}`, message);
    this.botMessages.set(`${chatId}:${messageId}`, {
      chatId,
      messageId,
      html: String(p.text),
      text: parsed.text,
      ...(markup !== undefined && { replyMarkup: markup.value }),
      ...(replyTo !== undefined && { replyTo: replyTo.message_id }),
      edits: 0,
    });
    return { ok: true, result: message };
  }

  #editMessageText(p: Payload): ApiResult {
    const key = `${Number(p.chat_id)}:${Number(p.message_id)}`;
    const mine = this.botMessages.get(key);
    if (mine === undefined) return bad('message to edit not found');
    const parsed = parseText(p);
    if (!parsed.ok) return parsed.error;
    const markup = checkMarkup(p.reply_markup);
    if (markup !== undefined && 'error' in markup) return markup.error;
    if (String(p.text) === mine.html && JSON.stringify(markup?.value) === JSON.stringify(mine.replyMarkup)) {
      return bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    mine.html = String(p.text);
    mine.text = parsed.text;
    if (markup === undefined) delete mine.replyMarkup;
    else mine.replyMarkup = markup.value;
    mine.edits++;
    const stored = this.#messages.get(key)!;
    const edited = { ...stored, text: parsed.text, edit_date: Math.floor(Date.now() / 1000) } as Message;
    this.#messages.set(key, edited);
    return { ok: true, result: edited };
  }

  #answerCallbackQuery(p: Payload): ApiResult {
    const id = String(p.callback_query_id);
    if (this.#queries.get(id) !== false) return bad('query is too old and response timeout expired or query ID is invalid');
    if (p.text !== undefined && [...String(p.text)].length > 200) return bad('MESSAGE_TOO_LONG');
    this.#queries.set(id, true);
    return { ok: true, result: true };
  }

  #getFile(p: Payload): ApiResult {
    const f = this.#files.get(String(p.file_id));
    if (f === undefined) return bad('invalid file_id');
    if (f.size > GET_FILE_LIMIT) return bad('file is too big');
    return { ok: true, result: { file_id: String(p.file_id), file_unique_id: `u-${String(p.file_id)}`, file_size: f.size, file_path: f.path } };
  }

  #serveFile(token: string, filePath: string, res: http.ServerResponse): void {
    const f = token === this.token ? [...this.#files.values()].find((x) => x.path === filePath) : undefined;
    if (f === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(f.content.length) }).end(f.content);
  }
}

function bad(description: string): ApiResult {
  return { ok: false, error_code: 400, description: `Bad Request: ${description}` };
}

type ParsedText = { ok: true; text: string } | { ok: false; error: ApiResult };

/** The message text as Telegram would store it, or the refusal. */
function parseText(p: Payload): ParsedText {
  if (typeof p.text !== 'string') return { ok: false, error: bad('message text is empty') };
  let text = p.text;
  if (p.parse_mode === 'HTML') {
    const parsed = parseTelegramHtml(p.text);
    if (!parsed.ok) return { ok: false, error: { ok: false, error_code: 400, description: parsed.error } };
    text = parsed.text;
  } else if (p.parse_mode !== undefined) {
    return { ok: false, error: bad(`unsupported parse_mode ${String(p.parse_mode)} in this fake`) };
  }
  if (text.trim() === '') return { ok: false, error: bad('message text is empty') };
  if (text.length > TEXT_LIMIT) return { ok: false, error: bad('message is too long') };
  return { ok: true, text };
}

function checkMarkup(raw: unknown): { value: InlineKeyboardMarkup } | { error: ApiResult } | undefined {
  if (raw === undefined) return undefined;
  const markup = (typeof raw === 'string' ? JSON.parse(raw) : raw) as InlineKeyboardMarkup;
  if (!Array.isArray(markup.inline_keyboard)) return { error: bad('inline keyboard expected') };
  for (const row of markup.inline_keyboard) {
    for (const b of row) {
      if (typeof b.text !== 'string' || b.text === '') return { error: bad('text buttons are unallowed in the inline keyboard') };
      if ('callback_data' in b) {
        const bytes = Buffer.byteLength(b.callback_data);
        if (bytes < 1 || bytes > CALLBACK_DATA_LIMIT) return { error: bad('BUTTON_DATA_INVALID') };
      }
    }
  }
  return { value: markup };
}

/** Commands at the start and @mentions, with UTF-16 offsets, as Telegram marks them. */
function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const cmd = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/.exec(text);
  if (cmd !== null) entities.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
  for (const m of text.matchAll(/(?<![A-Za-z0-9_/])@[A-Za-z0-9_]{5,32}/g)) {
    entities.push({ type: 'mention', offset: m.index, length: m[0].length });
  }
  return entities;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function send(res: http.ServerResponse, body: ApiResult): void {
  if (res.writableEnded || res.destroyed) return;
  const status = body.ok ? 200 : body.error_code;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
