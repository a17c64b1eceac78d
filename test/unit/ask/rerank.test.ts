import { describe, expect, it } from 'vitest';
import { firstK, identityReranker } from '../../../src/ask/rerank.js';
import { ranked } from '../../helpers/retrieved-chunk.js';

const list = ranked(['甲段。', {}], ['乙段。', {}], ['丙段。', {}]);

describe('identityReranker', () => {
  it("keeps the retriever's order in a new array", async () => {
    const out = await identityReranker.rerank('问题', list);
    expect(out).toEqual(list);
    expect(out).not.toBe(list);
  });
});

describe('firstK', () => {
  it('keeps the first k and ranks them 1..k in their new order', () => {
    const reversed = [...list].reverse();
    const top = firstK(reversed, 2);
    expect(top.map((r) => r.chunk.text)).toEqual(['丙段。', '乙段。']);
    expect(top.map((r) => r.rank)).toEqual([1, 2]);
    // An unchanged result is passed on as it is.
    expect(firstK(list, 3)[0]).toBe(list[0]);
  });
});
