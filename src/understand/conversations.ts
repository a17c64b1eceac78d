/**
 * Conversation memory: each conversation's last few turns — the question as
 * understood and its slots — so a follow-up can be completed (the slots, by
 * the rules) or rewritten (the questions, by an optional LLM). In memory
 * only, with a time-to-live (a question asked half an hour later starts
 * afresh) and a cap on the number of conversations (the oldest is forgotten
 * first). Holds questions, place names, years and topics, never chunk ids, so
 * it survives a re-index.
 */
import { ExpiringMap } from '../expiring-map.js';
import type { TurnSlots } from './follow-up.js';

/** One earlier turn of a conversation. */
export interface PreviousTurn {
  /** The question as understood (completed when it was a follow-up). */
  readonly question: string;
  readonly slots: TurnSlots;
}

export interface ConversationOptions {
  /** Default 30 minutes. */
  readonly ttlMs?: number;
  /** Default 10,000 conversations. */
  readonly maxConversations?: number;
  /** Turns kept per conversation, the newest last; default 3. */
  readonly maxTurns?: number;
  /** Injected clock, for tests. */
  readonly now?: () => number;
}

export const DEFAULT_CONVERSATION_TTL_MS = 30 * 60 * 1000;

export class Conversations {
  readonly #turns: ExpiringMap<readonly PreviousTurn[]>;
  readonly #maxTurns: number;

  constructor(opts: ConversationOptions = {}) {
    this.#turns = new ExpiringMap({
      ttlMs: opts.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS,
      maxEntries: opts.maxConversations ?? 10_000,
      ...(opts.now !== undefined && { now: opts.now }),
    });
    this.#maxTurns = opts.maxTurns ?? 3;
  }

  /** The last turns of conversation `key`, oldest first; empty when it has expired or never was. */
  history(key: string): readonly PreviousTurn[] {
    return this.#turns.get(key) ?? [];
  }

  /** Adds a turn; the time-to-live counts from the newest turn. */
  record(key: string, turn: PreviousTurn): void {
    this.#turns.set(key, [...this.history(key), turn].slice(-this.#maxTurns));
  }

  /** Forgets conversation `key` (/new). */
  reset(key: string): void {
    this.#turns.delete(key);
  }
}
