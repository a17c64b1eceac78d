import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../../src/bot/middleware/rate-limit.js';

describe('SlidingWindowLimiter', () => {
  it('allows max hits per window, then refuses with the wait, notifying once', () => {
    let now = 0;
    const l = new SlidingWindowLimiter({ max: 2, windowMs: 1000, now: () => now });
    expect(l.hit('u').ok).toBe(true);
    now = 400;
    expect(l.hit('u').ok).toBe(true);
    now = 500;
    expect(l.hit('u')).toEqual({ ok: false, retryAfterMs: 500, firstRefusal: true });
    expect(l.hit('u')).toEqual({ ok: false, retryAfterMs: 500, firstRefusal: false });
    expect(l.hit('other').ok).toBe(true);
    now = 1000; // the first hit left the window
    expect(l.hit('u').ok).toBe(true);
    now = 1100;
    expect(l.hit('u')).toMatchObject({ ok: false, firstRefusal: true });
  });

  it('does not count refused attempts against the user', () => {
    let now = 0;
    const l = new SlidingWindowLimiter({ max: 1, windowMs: 100, now: () => now });
    l.hit('u');
    for (now = 10; now < 100; now += 10) expect(l.hit('u').ok).toBe(false);
    now = 100;
    expect(l.hit('u').ok).toBe(true);
  });

  it('forgets idle users', () => {
    let now = 0;
    const l = new SlidingWindowLimiter({ max: 5, windowMs: 10, now: () => now });
    for (let i = 0; i < 999; i++) l.hit(`u${i}`);
    expect(l.size).toBe(999);
    now = 100;
    l.hit('late');
    expect(l.size).toBe(1);
  });

  it.each([
    [0, 1000],
    [1, 0],
  ])('rejects max=%j windowMs=%j', (max, windowMs) => {
    expect(() => new SlidingWindowLimiter({ max, windowMs })).toThrow(RangeError);
  });
});
