/**
 * Per-user limits, sliding windows kept in memory. `rateLimit` is for
 * questions: over the limit, the user is told once how long to wait; further
 * questions in the same blocked stretch are dropped silently so the bot does
 * not spam back. `updateFloodGuard` caps everything a user sends.
 */
import type { MiddlewareFn } from 'grammy';
import type { Logger } from '../../log.js';
import type { BotContext } from '../context.js';
import { inThread } from '../in-thread.js';
import { MSG } from '../messages.js';

export interface RateLimitOptions {
  /** Questions allowed per user within `windowMs`. */
  readonly max: number;
  readonly windowMs: number;
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number; readonly firstRefusal: boolean };

/** How many hits between sweeps of idle users (keeps memory bounded). */
const SWEEP_EVERY = 1000;

/** A sliding-window counter per key. */
export class SlidingWindowLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #hits = new Map<string, { times: number[]; refused: boolean }>();
  #sinceSweep = 0;

  constructor(options: RateLimitOptions) {
    if (!Number.isInteger(options.max) || options.max < 1) throw new RangeError(`max must be a positive integer, got ${options.max}`);
    if (!(options.windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${options.windowMs}`);
    this.#max = options.max;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
  }

  /** Records an attempt by `key` and says whether it is allowed. */
  hit(key: string): RateDecision {
    const now = this.#now();
    if (++this.#sinceSweep >= SWEEP_EVERY) this.#sweep(now);
    const entry = this.#hits.get(key) ?? { times: [], refused: false };
    this.#hits.set(key, entry);
    entry.times = entry.times.filter((t) => now - t < this.#windowMs);
    if (entry.times.length < this.#max) {
      entry.times.push(now);
      entry.refused = false;
      return { ok: true };
    }
    const firstRefusal = !entry.refused;
    entry.refused = true;
    return { ok: false, retryAfterMs: entry.times[0]! + this.#windowMs - now, firstRefusal };
  }

  /** Number of keys currently tracked (for tests of the sweep). */
  get size(): number {
    return this.#hits.size;
  }

  #sweep(now: number): void {
    this.#sinceSweep = 0;
    for (const [key, entry] of this.#hits) {
      if (entry.times.every((t) => now - t >= this.#windowMs)) this.#hits.delete(key);
    }
  }
}

/** Middleware limiting questions per sender (user id, never chat id). */
export function rateLimit(options: RateLimitOptions): MiddlewareFn<BotContext> {
  const limiter = new SlidingWindowLimiter(options);
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined) return;
    const decision = limiter.hit(String(userId));
    if (decision.ok) return next();
    if (decision.firstRefusal) await ctx.reply(MSG.rateLimited(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))), inThread(ctx));
  };
}

/**
 * Drops, silently, a user's updates (messages, button presses) beyond `max`
 * per `windowMs`, before they queue up: every update in flight holds one of
 * the runner's concurrency slots, so one user sending hundreds of commands,
 * each reply waiting for Telegram's flood control, would stall every chat.
 * Install it before `sequentialize`.
 */
export function updateFloodGuard(options: RateLimitOptions, logger: Logger): MiddlewareFn<BotContext> {
  const limiter = new SlidingWindowLimiter(options);
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined) return next();
    const decision = limiter.hit(String(userId));
    if (decision.ok) return next();
    if (decision.firstRefusal) logger.warn('dropping updates of a user over the flood limit', { userId, max: options.max, windowMs: options.windowMs });
  };
}
