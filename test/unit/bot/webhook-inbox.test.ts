import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { WebhookInbox } from '../../../src/bot/webhook-inbox.js';

const update = (id: number): Update => ({ update_id: id }) as Update;

describe('WebhookInbox', () => {
  it('hands updates to take in arrival order, at most `limit` at a time', async () => {
    const inbox = new WebhookInbox(10);
    for (const id of [1, 2, 3]) expect(inbox.push(update(id))).toBe(true);
    const signal = new AbortController().signal;
    expect((await inbox.take(2, signal)).map((u) => u.update_id)).toEqual([1, 2]);
    expect((await inbox.take(0, signal)).map((u) => u.update_id)).toEqual([3]);
    expect(inbox.size).toBe(0);
  });

  it('wakes a waiting take on push, and rejects it when the signal aborts', async () => {
    const inbox = new WebhookInbox(10);
    const stop = new AbortController();
    const taking = inbox.take(5, stop.signal);
    inbox.push(update(7));
    expect((await taking).map((u) => u.update_id)).toEqual([7]);
    const waiting = inbox.take(5, stop.signal);
    stop.abort();
    await expect(waiting).rejects.toThrow('the webhook inbox was closed');
  });

  it('refuses updates once maxPending are queued or in flight, and takes more as they finish', async () => {
    const inbox = new WebhookInbox(3);
    const signal = new AbortController().signal;
    expect([1, 2, 3].map((id) => inbox.push(update(id)))).toEqual([true, true, true]);
    expect(inbox.push(update(4))).toBe(false);
    await inbox.take(2, signal); // taken, not finished: still pending
    expect(inbox.size).toBe(1);
    expect(inbox.pending).toBe(3);
    expect(inbox.push(update(4))).toBe(false);
    inbox.finished();
    expect(inbox.pending).toBe(2);
    expect(inbox.push(update(4))).toBe(true);
    expect(inbox.push(update(5))).toBe(false);
    expect((await inbox.take(10, signal)).map((u) => u.update_id)).toEqual([3, 4]);
    expect(inbox.size).toBe(0); // an empty queue does not mean room: three are in flight
    expect(inbox.push(update(5))).toBe(false);
  });

  it('rejects a bound that is not a positive integer, and more finishes than takes', () => {
    expect(() => new WebhookInbox(0)).toThrow(RangeError);
    expect(() => new WebhookInbox(1.5)).toThrow(RangeError);
    expect(() => new WebhookInbox(1).finished()).toThrow(/more often than updates were taken/);
  });
});
