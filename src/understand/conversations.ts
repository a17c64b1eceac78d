/**
 * Conversation memory: the slots of each conversation's last question, so a
 * follow-up can be completed. In memory only, with a time-to-live (a question
 * asked half an hour later starts afresh) and a cap on the number of
 * conversations (the oldest is forgotten first). Holds place names, years and
 * topics, never chunk ids, so it survives a re-index.
 */
import { ExpiringMap } from '../expiring-map.js';
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
  readonly #turns: ExpiringMap<TurnSlots>;

  constructor(opts: ConversationOptions = {}) {
    this.#turns = new ExpiringMap({
      ttlMs: opts.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS,
      maxEntries: opts.maxConversations ?? 10_000,
      ...(opts.now !== undefined && { now: opts.now }),
    });
  }

  /** The last turn of conversation `key`, unless it has expired. */
  last(key: string): TurnSlots | undefined {
    return this.#turns.get(key);
  }

  record(key: string, slots: TurnSlots): void {
    this.#turns.set(key, slots);
  }

  /** Forgets conversation `key` (/new). */
  reset(key: string): void {
    this.#turns.delete(key);
  }
}
