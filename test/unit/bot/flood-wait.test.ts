import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { floodWait } from '../../../src/bot/flood-wait.js';

type Prev = Parameters<ReturnType<typeof floodWait>>[0];

const tooMany = (retryAfter: number) => ({ ok: false as const, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });
const done = { ok: true as const, result: true };

/** A `prev` answering with `results` in turn, recording when it was called. */
function scripted(results: readonly unknown[]): { prev: Prev; calls: number[] } {
  const calls: number[] = [];
  const prev = (async () => {
    calls.push(Date.now());
    return results[calls.length - 1];
  }) as unknown as Prev;
  return { prev, calls };
}

/** Calls the transformer; grammY's per-method payload and signal types are beside the point here. */
function call(budgetSeconds: number, prev: Prev, signal?: AbortSignal): ReturnType<ReturnType<typeof floodWait>> {
  return floodWait({ budgetSeconds })(prev, 'sendMessage', { chat_id: 1, text: 'x' }, signal as Parameters<ReturnType<typeof floodWait>>[3]);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('floodWait', () => {
  it('repeats a 429 after retry_after, as often as the budget allows', async () => {
    const { prev, calls } = scripted([tooMany(2), tooMany(1), tooMany(3), done]);
    const res = call(10, prev);
    await vi.runAllTimersAsync();
    expect(await res).toEqual(done);
    expect(calls.map((t) => t - calls[0]!)).toEqual([0, 2000, 3000, 6000]);
  });

  it('returns the 429 once waiting would exceed the budget', async () => {
    const { prev, calls } = scripted([tooMany(4), tooMany(4), done]);
    const res = call(6, prev);
    await vi.runAllTimersAsync();
    expect(await res).toEqual(tooMany(4));
    expect(calls).toHaveLength(2);
  });

  it('passes other failures through untouched', async () => {
    const failure = { ok: false as const, error_code: 500, description: 'Internal Server Error' };
    const { prev, calls } = scripted([failure]);
    expect(await call(60, prev)).toEqual(failure);
    expect(calls).toHaveLength(1);
  });

  it('stops waiting when the call is aborted', async () => {
    const { prev, calls } = scripted([tooMany(30), done]);
    const abort = new AbortController();
    const res = call(60, prev, abort.signal);
    const failed = expect(res).rejects.toThrow('aborted');
    await vi.advanceTimersByTimeAsync(1000);
    abort.abort();
    await failed;
    expect(calls).toHaveLength(1);
  });
});
