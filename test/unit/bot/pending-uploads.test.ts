import { describe, expect, it } from 'vitest';
import { PendingUploads } from '../../../src/bot/pending-uploads.js';

describe('PendingUploads', () => {
  it('holds uploads by token and drops the oldest beyond its limit', () => {
    const pending = new PendingUploads(2);
    const a = pending.add({ name: 'a.txt', bytes: Buffer.from('a') });
    const b = pending.add({ name: 'b.txt', bytes: Buffer.from('b') });
    expect(a).toMatch(/^[0-9a-f]{8}$/);
    expect(pending.get(a)?.name).toBe('a.txt');
    const c = pending.add({ name: 'c.txt', bytes: Buffer.from('c') });
    expect(pending.get(a)).toBeUndefined();
    expect([pending.get(b)?.name, pending.get(c)?.name]).toEqual(['b.txt', 'c.txt']);
    pending.delete(b);
    expect(pending.get(b)).toBeUndefined();
  });
});
