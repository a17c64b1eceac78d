import { describe, expect, it } from 'vitest';
import { markdownLines } from '../../../src/ingest/markdown-lines.js';
import { plainLines } from '../../../src/ingest/source-lines.js';
import { structureText as structureLines } from '../../../src/ingest/structure-text.js';

/** The cleaner on plain text, or on Markdown read as the registry reads it. */
const structureText = (text: string, markdown = false) => structureLines(markdown ? markdownLines(text) : plainLines(text));

const view = (text: string, markdown = false) =>
  structureText(text, markdown).paragraphs.map((p) => ({ kind: p.kind, text: p.text, section: p.section }));

const LONG = '这是一个足够长的正文句子，用来说明正文已经开始并且包含标点。';

describe('structureText', () => {
  it('re-joins a paragraph broken by blank lines without inserting a space between CJK characters', () => {
    const paragraphs = view(`推动现代农业高质量发展，建\n\n成高标准农田1050亩，组建三合共富工坊。\n\n第二段。`);
    expect(paragraphs.map((p) => p.text)).toEqual(['推动现代农业高质量发展，建成高标准农田1050亩，组建三合共富工坊。', '第二段。']);
  });

  it('re-joins hard-wrapped lines and separates Latin words with a space', () => {
    expect(view('Summary, first.\nThe report was\nwritten in 2023.').map((p) => p.text)).toEqual(['Summary, first.', 'The report was written in 2023.']);
  });

  it('numbers paragraphs 1..n, headings included', () => {
    const result = structureText(`报告标题\n${LONG}\n一、工作回顾\n${LONG}`);
    expect(result.paragraphs.map((p) => p.paragraph)).toEqual([1, 2, 3, 4]);
  });

  it('never swallows a heading into an unfinished line', () => {
    const paragraphs = view(`${LONG}\n他说，这件事还没有结束\n二、下一步工作\n${LONG}`);
    expect(paragraphs.map((p) => p.kind)).toEqual(['text', 'text', 'heading', 'text']);
    expect(paragraphs[2]?.text).toBe('二、下一步工作');
  });

  it('keeps section paths outermost first and closes sibling headings', () => {
    const text = ['一、2024年工作总结', '(一)坚持不懈抓产业,发展基础更加坚实', LONG, '(二)持之以恒提内涵', LONG, '二、2025年工作思路', LONG].join('\n');
    const paragraphs = view(text);
    expect(paragraphs[2]?.section).toEqual(['一、2024年工作总结', '(一)坚持不懈抓产业,发展基础更加坚实']);
    expect(paragraphs[4]?.section).toEqual(['一、2024年工作总结', '(二)持之以恒提内涵']);
    expect(paragraphs[6]?.section).toEqual(['二、2025年工作思路']);
    expect(paragraphs[3]).toMatchObject({ kind: 'heading', section: ['一、2024年工作总结'] });
  });

  it('gives a marked line that continues into body text its own section, for itself only', () => {
    const text = ['一、2022年工作总结', '（一）重大项目招引聚焦三目标。紧抓发展机遇，加快动能培育。', LONG, '（二）城乡融合发展实现三同步。始终坚持东西并进。'].join('\n');
    const paragraphs = view(text);
    expect(paragraphs[1]).toMatchObject({ kind: 'text', section: ['一、2022年工作总结', '（一）重大项目招引聚焦三目标'] });
    expect(paragraphs[2]?.section).toEqual(['一、2022年工作总结']);
    expect(paragraphs[3]?.section).toEqual(['一、2022年工作总结', '（二）城乡融合发展实现三同步']);
  });

  it('treats the first title line as the document title and keeps front matter as text', () => {
    const text = ['2026年北京市政府工作报告', '——2026年1月25日在北京市第十六届人民代表大会第四次会议上', '北京市市长 殷勇', '各位代表：', `现在，${LONG}`].join('\n');
    const result = structureText(text);
    expect(result.title).toBe('2026年北京市政府工作报告');
    expect(result.paragraphs.map((p) => p.kind)).toEqual(['heading', 'text', 'text', 'text', 'text']);
    expect(result.paragraphs.every((p) => p.section.length === 0)).toBe(true);
    expect(result.paragraphs[2]?.text).toBe('北京市市长 殷勇');
  });

  it('uses unmarked title lines as headings in a document without a marked outline', () => {
    const paragraphs = view(['总标题在这里', LONG, '抓项目 育产业 激发经济发展“星动能”', LONG].join('\n'));
    expect(paragraphs[2]?.kind).toBe('heading');
    expect(paragraphs[3]?.section).toEqual(['抓项目 育产业 激发经济发展“星动能”']);
  });

  it('keeps stray title-like lines as text in a document with a marked outline', () => {
    const paragraphs = view(['一、工作回顾', LONG, '文件下载', '二、工作安排', LONG].join('\n'));
    expect(paragraphs[2]).toMatchObject({ kind: 'text', text: '文件下载', section: ['一、工作回顾'] });
    expect(paragraphs[4]?.section).toEqual(['二、工作安排']);
  });

  describe('newspaper pages', () => {
    const page = [
      '海宁全力冲刺“开门红”',
      '张会',
      `第一篇文章的正文，${LONG}`,
      '嘉善县大云镇新年充满民俗文氛围（图片由大云镇提供）',
      '暖心小队做居民“勤务员”',
      '钟逸格 徐洁',
      '外卖小哥李豪是暖心配送服务小分队的一员。',
      '干窑镇自推进“窑乡有礼”新时代',
      '文明实践以来，坚持以文明创建为统领。',
    ].join('\n\n');

    it('keeps articles apart under their titles and drops bylines', () => {
      const paragraphs = view(page);
      expect(paragraphs.map((p) => p.text)).not.toContain('张会');
      expect(paragraphs.map((p) => p.text)).not.toContain('钟逸格 徐洁');
      expect(paragraphs[0]).toMatchObject({ kind: 'heading', section: [] });
      expect(paragraphs[1]?.section).toEqual(['海宁全力冲刺“开门红”']);
      expect(paragraphs[3]).toMatchObject({ kind: 'heading', text: '暖心小队做居民“勤务员”' });
      expect(paragraphs[4]?.section).toEqual(['暖心小队做居民“勤务员”']);
    });

    it('keeps photo captions as text paragraphs outside any article', () => {
      expect(view(page)[2]).toEqual({ kind: 'text', text: '嘉善县大云镇新年充满民俗文氛围（图片由大云镇提供）', section: [] });
    });

    it('joins a short wrapped line that only looks like a title', () => {
      expect(view(page)[5]?.text).toBe('干窑镇自推进“窑乡有礼”新时代文明实践以来，坚持以文明创建为统领。');
    });
  });

  it('merges a table flattened to one cell per line into one paragraph', () => {
    const text = ['一、综合', LONG, '表1 2025年年末常住人口', '指标', '年末数（万人）', '全市常住人口', '199.5', '其中：城镇', '122.5', LONG].join('\n');
    const paragraphs = view(text);
    expect(paragraphs.map((p) => p.text)).toEqual(['一、综合', LONG, '表1 2025年年末常住人口', '指标 年末数（万人） 全市常住人口 199.5 其中：城镇 122.5', LONG]);
    expect(paragraphs[3]?.section).toEqual(['一、综合']);
  });

  it('reads Markdown headings, title and sections', () => {
    const result = structureText(['# 工作报告', '', '## 一、回顾', '', LONG, '', '## 二、安排', '', LONG].join('\n'), true);
    expect(result.title).toBe('工作报告');
    expect(result.paragraphs.map((p) => p.section)).toEqual([[], ['工作报告'], ['工作报告', '一、回顾'], ['工作报告'], ['工作报告', '二、安排']]);
  });

  it('returns publisher and date from page furniture', () => {
    const result = structureText(`发布单位 | 新嘉街道 | 发布日期 | 2025-01-22 |\n${LONG}`);
    expect(result).toMatchObject({ publisher: '新嘉街道', date: '2025-01-22' });
    expect(result.paragraphs).toHaveLength(1);
  });

  it('drops NUL and control characters', () => {
    expect(view('第一\u0000段\u0007文字。').map((p) => p.text)).toEqual(['第一段文字。']);
  });

  it('handles a one-million-character line in bounded time', () => {
    const started = Date.now();
    const paragraphs = view('数'.repeat(1_000_000));
    expect(paragraphs).toHaveLength(1);
    expect(paragraphs[0]?.text.length).toBe(1_000_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('returns no paragraph for blank text', () => {
    expect(structureText(' \n\u3000\n').paragraphs).toEqual([]);
  });
});
