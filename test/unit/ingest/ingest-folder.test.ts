import { describe, expect, it } from 'vitest';
import { chunkReport } from '../../../src/ingest/chunk.js';
import { chunkFolder, type IngestedBefore } from '../../../src/ingest/ingest-folder.js';
import type { IndexedChunk, Report } from '../../../src/types.js';

function report(source: string, texts: readonly string[], extra: Partial<Report> = {}): Report {
  return {
    source,
    title: `${source} 报告`,
    hash: `hash-${texts.join('|')}`,
    paragraphs: texts.map((text, i) => ({ paragraph: i + 1, text, kind: 'text' as const, section: [] })),
    ...extra,
  };
}

/** What an index built from `reports` from scratch holds of them. */
function indexed(reports: readonly Report[]): IngestedBefore {
  const folder = chunkFolder({ reports: [...reports], skipped: [] }, undefined);
  return { reports: new Map(reports.map((r) => [r.source, r])), chunks: folder.chunks, nextChunkId: folder.nextChunkId };
}

const idsOf = (chunks: ReadonlyMap<number, IndexedChunk>, source: string): number[] =>
  [...chunks.values()].filter((c) => c.source === source).map((c) => c.chunkId);

describe('chunkFolder', () => {
  const a = report('a.txt', ['全年实现地区生产总值108.1亿元。', '城镇居民人均可支配收入增长5%。']);
  const b = report('b.txt', ['新建学校三所。']);
  const c = report('c.txt', ['完成投资3.46亿元。']);

  it('chunks every report of a first build, numbering chunks from 0', () => {
    const folder = chunkFolder({ reports: [a, b], skipped: [{ source: 'x.pdf', reason: 'no text found' }] }, undefined);
    const expected = [...chunkReport(a), ...chunkReport(b)];
    expect([...folder.chunks.keys()]).toEqual(expected.map((_, i) => i));
    expect(folder.fresh.map(({ chunkId: _, ...chunk }) => chunk)).toEqual(expected);
    expect(folder.nextChunkId).toBe(expected.length);
    expect(folder).toMatchObject({ added: ['a.txt', 'b.txt'], changed: [], removed: [], dropped: [], skipped: [{ source: 'x.pdf' }] });
    expect(folder.kept.size).toBe(0);
  });

  it('keeps unchanged reports with their chunk ids, gives changed and added ones fresh ids, and drops removed ones', () => {
    const before = indexed([a, b, c]);
    const b2 = report('b.txt', ['新建学校三所。', '新增床位200张。']);
    const d = report('d.txt', ['引进企业12家。']);
    const folder = chunkFolder({ reports: [a, b2, d], skipped: [] }, before);

    expect(folder.added).toEqual(['d.txt']);
    expect(folder.changed).toEqual(['b.txt']);
    expect(folder.removed).toEqual(['c.txt']);
    expect([...folder.kept]).toEqual(['a.txt']);
    expect(idsOf(folder.chunks, 'a.txt')).toEqual(idsOf(before.chunks, 'a.txt'));
    expect([...folder.dropped].sort()).toEqual([...idsOf(before.chunks, 'b.txt'), ...idsOf(before.chunks, 'c.txt')].sort());
    // fresh ids start after every id ever given, so no stale id names a new chunk
    expect(Math.min(...folder.fresh.map((ch) => ch.chunkId))).toBe(before.nextChunkId);
    expect(folder.fresh.map((ch) => ch.source)).toEqual([...chunkReport(b2), ...chunkReport(d)].map((ch) => ch.source));
    expect(folder.nextChunkId).toBe(before.nextChunkId + folder.fresh.length);
  });

  it('re-chunks a report whose bytes are unchanged but whose metadata changed', () => {
    const before = indexed([a]);
    const retitled = { ...a, title: '另一个标题' };
    const folder = chunkFolder({ reports: [retitled], skipped: [] }, before);
    expect(folder.changed).toEqual(['a.txt']);
    expect(folder.kept.size).toBe(0);
    expect(folder.dropped.length).toBe(before.chunks.size);
  });
});
