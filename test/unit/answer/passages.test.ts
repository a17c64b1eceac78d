import { describe, expect, it } from 'vitest';
import { GAP, toPassages } from '../../../src/answer/passages.js';
import { retrievedChunk } from '../../helpers/retrieved-chunk.js';

const PARAGRAPH = '甲句说了一件事。乙句说了第二件事。丙句说了第三件事。丁句说了第四件事。';
const piece = (from: number, to: number, rank: number, paragraph = 4) =>
  retrievedChunk(PARAGRAPH.slice(from, to), { start: from, rank, paragraph });

describe('toPassages', () => {
  it('merges overlapping chunks of one paragraph by their offsets', () => {
    const [p, ...rest] = toPassages([piece(8, 26, 2), piece(0, 17, 1)]);
    expect(rest).toEqual([]);
    expect(p?.text).toBe(PARAGRAPH.slice(0, 26));
    expect(p?.startsMidParagraph).toBe(false);
    expect(p?.rank).toBe(1);
  });

  it('joins pieces that do not touch with a gap mark', () => {
    const [p] = toPassages([piece(0, 8, 1), piece(17, 26, 3)]);
    expect(p?.text).toBe(PARAGRAPH.slice(0, 8) + GAP + PARAGRAPH.slice(17, 26));
  });

  it('drops a chunk wholly inside another and keeps one passage per paragraph, by best rank', () => {
    const passages = toPassages([piece(0, 9, 3, 9), piece(0, 26, 2), piece(8, 17, 4), piece(9, 17, 1, 9)]);
    expect(passages.map((p) => [p.paragraph, p.rank])).toEqual([
      [9, 1],
      [4, 2],
    ]);
    expect(passages[1]?.text).toBe(PARAGRAPH.slice(0, 26));
    expect(passages[0]?.text).toBe(PARAGRAPH.slice(0, 17));
  });

  it('marks a passage that starts mid-paragraph', () => {
    expect(toPassages([piece(8, 17, 1)])[0]?.startsMidParagraph).toBe(true);
  });
});
