import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BuildClock } from '../../../src/index/build-clock.js';
import type { BuildProgress } from '../../../src/types.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BuildClock', () => {
  it('adds each lap to its step, and sums the steps into their phases', () => {
    const clock = new BuildClock();
    vi.advanceTimersByTime(10);
    clock.lap('read');
    vi.advanceTimersByTime(3);
    clock.lap('chunk');
    // embedding and vector insertion alternate: two laps each
    for (const ms of [20, 5, 30, 7]) {
      vi.advanceTimersByTime(ms);
      clock.lap(ms > 10 ? 'embed' : 'vectors');
    }
    vi.advanceTimersByTime(40);
    clock.lap('userWords');
    vi.advanceTimersByTime(8);
    clock.lap('keyword');
    vi.advanceTimersByTime(2);
    clock.lap('write');

    const t = clock.times();
    expect(t.stepMs).toEqual({ read: 10, chunk: 3, embed: 50, vectors: 12, userWords: 40, keyword: 8, write: 2 });
    expect(t.phaseMs).toEqual({ read: 10, embed: 65, index: 48, write: 2 });
    expect(t.durationMs).toBe(125);
  });

  it('reports progress with the time since the build started', () => {
    const seen: BuildProgress[] = [];
    const clock = new BuildClock((p) => seen.push(p));
    vi.advanceTimersByTime(1500);
    clock.progress('embed', 3, 9);
    expect(seen).toEqual([{ phase: 'embed', done: 3, total: 9, elapsedMs: 1500 }]);
  });

  it('counts time before the first lap into it, and nothing twice', () => {
    const clock = new BuildClock();
    vi.advanceTimersByTime(4);
    clock.lap('read');
    clock.lap('chunk');
    expect(clock.times().stepMs.read).toBe(4);
    expect(clock.times().stepMs.chunk).toBe(0);
  });
});
