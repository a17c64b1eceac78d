import { describe, expect, it } from 'vitest';
import { encodeParagraphRef, parseParagraphRef } from '../../../src/bot/callback-data.js';

const HASH = 'ab12cd34ef56'.padEnd(64, '0');

describe('encodeParagraphRef', () => {
  it('fits Telegram\'s 64-byte limit and round-trips', () => {
    const data = encodeParagraphRef(HASH, 999_999);
    expect(data).toBe('p:ab12cd34ef:999999');
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(parseParagraphRef(data)).toEqual({ hashPrefix: 'ab12cd34ef', paragraph: 999_999 });
  });

  it.each([
    ['not-hex-hash', 1],
    [HASH, 0],
    [HASH, 1.5],
    [HASH, 1_000_000],
  ])('throws for hash %j, paragraph %j', (hash, paragraph) => {
    expect(() => encodeParagraphRef(hash, paragraph)).toThrow(RangeError);
  });
});

describe('parseParagraphRef', () => {
  it.each(['', 'p:ab12cd34ef:', 'p:ab12cd34ef:01', 'p:ab12cd34e:1', 'p:ab12cd34ef0:1', 'p:AB12CD34EF:1', 'q:ab12cd34ef:1', 'p:ab12cd34ef:1\n', ' p:ab12cd34ef:1', 'p:ab12cd34ef:-1', 'p:ab12cd34ef:1234567'])(
    'rejects %j',
    (data) => {
      expect(parseParagraphRef(data)).toBeUndefined();
    },
  );
});
