import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_OPTIONS, chunkReport, embeddingText } from '../../../src/ingest/chunk.js';
import type { Chunk, Paragraph, Report } from '../../../src/types.js';

function report(paragraphs: readonly { text: string; kind?: 'heading' | 'text'; section?: string[] }[]): Report {
  return {
    source: 'a/b.txt',
    title: '报告',
    hash: 'h',
    paragraphs: paragraphs.map((p, i) => ({ paragraph: i + 1, text: p.text, kind: p.kind ?? 'text', section: p.section ?? [] })),
  };
}

/** Every index of every text paragraph lies inside some chunk of that paragraph. */
function uncovered(r: Report, chunks: readonly Chunk[]): number {
  let missing = 0;
  for (const p of r.paragraphs) {
    if (p.kind === 'heading') continue;
    const covered = new Uint8Array(p.text.length);
    for (const c of chunks) if (c.paragraph === p.paragraph) covered.fill(1, c.start, c.end);
    missing += covered.length - covered.reduce((a, b) => a + b, 0);
  }
  return missing;
}

describe('chunkReport', () => {
  it('makes one chunk of a short paragraph and none of a heading', () => {
    const r = report([{ text: '一、工作回顾', kind: 'heading' }, { text: '全年实现地区生产总值108.1亿元。', section: ['一、工作回顾'] }]);
    expect(chunkReport(r)).toEqual([
      { source: 'a/b.txt', paragraph: 2, start: 0, end: 18, text: '全年实现地区生产总值108.1亿元。', section: ['一、工作回顾'] },
    ]);
  });

  it('splits a long paragraph at sentence ends with one sentence of overlap', () => {
    const [s1, s2, s3, s4] = ['第一句话写在这里。', '第二句话也写在这里！', '第三句话还在这里？', '第四句话到此为止。'] as const;
    const r = report([{ text: s1 + s2 + s3 + s4 }]);
    const chunks = chunkReport(r, { maxChars: 20, overlapSentences: 1 });
    expect(chunks.map((c) => c.text)).toEqual([s1 + s2, s2 + s3, s3 + s4]);
    expect(chunkReport(r, { maxChars: 20, overlapSentences: 0 }).map((c) => c.text)).toEqual([s1 + s2, s3 + s4]);
  });

  it('splits an over-long sentence at commas, then hard at maxChars', () => {
    const r = report([{ text: '甲乙丙丁，戊己庚辛，壬癸子丑寅卯辰巳午未申酉。' }]);
    const chunks = chunkReport(r, { maxChars: 8, overlapSentences: 0 });
    expect(chunks.map((c) => c.text)).toEqual(['甲乙丙丁，', '戊己庚辛，', '壬癸子丑寅卯辰巳', '午未申酉。']);
  });

  it('keeps chunks of a one-million-character line bounded', () => {
    const text = '数'.repeat(1_000_000);
    const chunks = chunkReport(report([{ text }]));
    expect(chunks).toHaveLength(Math.ceil(1_000_000 / DEFAULT_CHUNK_OPTIONS.maxChars));
    expect(Math.max(...chunks.map((c) => c.text.length))).toBe(DEFAULT_CHUNK_OPTIONS.maxChars);
  });

  it('never cuts a surrogate pair in half', () => {
    const chunks = chunkReport(report([{ text: '😀'.repeat(50) }]), { maxChars: 5, overlapSentences: 0 });
    for (const c of chunks) expect(c.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    expect(chunks.map((c) => c.text).join('')).toBe('😀'.repeat(50));
  });

  it('refuses invalid options', () => {
    expect(() => chunkReport(report([{ text: 'x' }]), { maxChars: 1 })).toThrow(/maxChars/);
    expect(() => chunkReport(report([{ text: 'x' }]), { overlapSentences: -1 })).toThrow(/overlapSentences/);
  });

  describe('properties', () => {
    const piece = fc.constantFrom('增长', '亿元', '9.63', '，', '、', '。', '！', '？', '；', '……', '”', ' ', 'ab', '😀', '罗星街道', '项目');
    const paragraphText = fc.array(piece, { minLength: 1, maxLength: 300 }).map((parts) => parts.join('').trim()).filter((t) => t !== '');
    const paragraphs = fc.array(
      fc.record({ text: paragraphText, kind: fc.constantFrom<'heading' | 'text'>('text', 'text', 'text', 'heading') }),
      { minLength: 1, maxLength: 8 },
    );
    const options = fc.record({ maxChars: fc.integer({ min: 2, max: 400 }), overlapSentences: fc.integer({ min: 0, max: 3 }) });

    it('covers every character of every text paragraph, in order, within bounds', () => {
      fc.assert(
        fc.property(paragraphs, options, (ps, opts) => {
          const r = report(ps);
          const chunks = chunkReport(r, opts);
          const byNumber = new Map<number, Paragraph>(r.paragraphs.map((p) => [p.paragraph, p]));
          expect(uncovered(r, chunks)).toBe(0);
          for (let k = 0; k < chunks.length; k++) {
            const c = chunks[k] as Chunk;
            const p = byNumber.get(c.paragraph);
            expect(p?.kind).toBe('text');
            expect(c.text).toBe(p?.text.slice(c.start, c.end));
            expect(c.text.length).toBeGreaterThan(0);
            expect(c.text.length).toBeLessThanOrEqual(opts.maxChars);
            if (k > 0) expect(c.paragraph).toBeGreaterThanOrEqual((chunks[k - 1] as Chunk).paragraph);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('embeddingText', () => {
  const chunk: Chunk = { source: 's.txt', paragraph: 3, start: 0, end: 4, text: '正文内容', section: ['一、回顾', '（一）产业'] };

  it('puts title, region and section path before the chunk text', () => {
    expect(embeddingText({ source: 's.txt', title: '南星街道工作总结', region: '杭州市上城区南星街道' }, chunk)).toBe(
      '南星街道工作总结（杭州市上城区南星街道）\n一、回顾 > （一）产业\n正文内容',
    );
  });

  it('omits a missing region and an empty section path', () => {
    expect(embeddingText({ source: 's.txt', title: '标题' }, { ...chunk, section: [] })).toBe('标题\n正文内容');
  });
});
