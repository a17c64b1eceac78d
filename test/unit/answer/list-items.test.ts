import { describe, expect, it } from 'vitest';
import { followingItems, isLeadIn } from '../../../src/answer/list-items.js';
import type { Paragraph } from '../../../src/types.js';

const report = (rows: [text: string, section: string[], kind?: 'heading'][]): Paragraph[] =>
  rows.map(([text, section, kind], i) => ({ paragraph: i + 1, text, section, kind: kind ?? 'text' }));

describe('list items', () => {
  it('recognises lead-ins', () => {
    expect(isLeadIn('重点做好十个方面工作：')).toBe(true);
    expect(isLeadIn('市财政局将坚持……重点抓好五个方面。')).toBe(true);
    expect(isLeadIn('全年实现地区生产总值108.1亿元。')).toBe(false);
  });

  it('reads the numbered paragraphs after a lead-in, skipping their body text and sub-items, until an outer heading', () => {
    const paragraphs = report([
      ['重点抓好三个方面：', ['二、2026年工作']],
      ['（一）广开源。依托基层网格化组织优势，做好税源管理。', ['二、2026年工作']],
      ['1.加强税源管理。', ['二、2026年工作']],
      ['（二）紧节流。预算编制和执行严格做到过紧日子。', ['二、2026年工作']],
      ['正文段落。', ['二、2026年工作']],
      ['（三）保重点。坚决围绕打造七个强市。', ['二、2026年工作']],
      ['三、其他', [], 'heading'],
      ['（一）不属于这个列表。', ['三、其他']],
    ]);
    const lookup = (_: string, n: number) => paragraphs[n - 1];
    expect(followingItems('x', 1, 1, lookup).map((i) => i.text)).toEqual(['（一）广开源', '（二）紧节流', '（三）保重点']);
  });

  it('finds nothing when no numbered paragraph follows closely', () => {
    const paragraphs = report([['一段话。', []], ['另一段话。', []], ['再一段。', []], ['还有一段。', []], ['又一段。', []], ['（一）太远了。', []]]);
    expect(followingItems('x', 1, 0, (_, n) => paragraphs[n - 1])).toEqual([]);
  });
});
