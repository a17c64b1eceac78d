/**
 * Conversation memory: the slots of each conversation's last question, so a
 * follow-up can be completed. In memory only, with a time-to-live (a question
 * asked half an hour later starts afresh) and a cap on the number of
 * conversations (the oldest is forgotten first). Holds place names, years and
 * topics, never chunk ids, so it survives a re-index.
 */
import type { TurnSlots } from './follow-up.js';

export interface ConversationOptions {
  /** Default 30 minutes. */
  readonly ttlMs?: number;
  /** Default 10,000 conversations. */
  readonly maxConversations?: number;
  /** Injected clock, for tests. */
  readonly now?: () => number;
}

export const DEFAULT_CONVERSATION_TTL_MS = 30 * 60 * 1000;

export class Conversations {
  readonly #turns = new Map<string, { slots: TurnSlots; at: number }>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: ConversationOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS;
    this.#max = Math.max(1, opts.maxConversations ?? 10_000);
    this.#now = opts.now ?? Date.now;
  }

  /** The last turn of conversation `key`, unless it has expired. */
  last(key: string): TurnSlots | undefined {
    const turn = this.#turns.get(key);
    if (turn === undefined) return undefined;
    if (this.#now() - turn.at > this.#ttlMs) {
      this.#turns.delete(key);
      return undefined;
    }
    return turn.slots;
  }

  record(key: string, slots: TurnSlots): void {
    this.#turns.delete(key); // re-inserted last: Map order is the eviction order
    this.#turns.set(key, { slots, at: this.#now() });
    while (this.#turns.size > this.#max) {
      const oldest = this.#turns.keys().next().value;
      if (oldest === undefined) break;
      this.#turns.delete(oldest);
    }
  }

  /** Forgets conversation `key` (/new). */
  reset(key: string): void {
    this.#turns.delete(key);
  }
}
