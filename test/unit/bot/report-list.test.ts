import { describe, expect, it } from 'vitest';
import { parseListPage, parseRemove, reportKey } from '../../../src/bot/report-callback-data.js';
import { matchReports, normalizeKeyword, PAGE_SIZE, renderPage } from '../../../src/bot/report-list.js';
import type { ReportSummary } from '../../../src/types.js';
import { parseTelegramHtml } from '../../helpers/telegram-html.js';

function report(i: number, extra: Partial<ReportSummary> = {}): ReportSummary {
  return { source: `r${i}.txt`, title: `第${i}份报告`, hash: i.toString(16).padStart(64, '0'), paragraphs: i + 1, chunks: i + 1, ...extra };
}

const text = (html: string): string => {
  const r = parseTelegramHtml(html);
  if (!r.ok) throw new Error(r.error);
  return r.text;
};

const buttons = (p: ReturnType<typeof renderPage>) => p.keyboard?.inline_keyboard.flat() ?? [];

describe('matchReports', () => {
  const reports = [
    report(1, { title: '郑州市2024年政府工作报告', subject: '郑州市', aliases: ['郑州'], region: '河南省郑州市' }),
    report(2, { title: 'Annual Report', subject: '罗星街道', source: 'luoxing/2023.md' }),
    report(3, { title: '统计公报', region: '嘉兴市' }),
  ];

  it('matches title, subject, aliases, region and file name; every term must match', () => {
    expect(matchReports(reports, '郑州').map((r) => r.hash)).toEqual([reports[0]!.hash]);
    expect(matchReports(reports, '罗星').map((r) => r.hash)).toEqual([reports[1]!.hash]);
    expect(matchReports(reports, 'luoxing').map((r) => r.hash)).toEqual([reports[1]!.hash]);
    expect(matchReports(reports, '嘉兴').map((r) => r.hash)).toEqual([reports[2]!.hash]);
    expect(matchReports(reports, '郑州 2024')).toHaveLength(1);
    expect(matchReports(reports, '郑州 2023')).toHaveLength(0);
    expect(matchReports(reports, '')).toHaveLength(3);
  });

  it('ignores case and full-width forms', () => {
    expect(matchReports(reports, normalizeKeyword('ａｎｎｕａｌ'))).toHaveLength(1);
    expect(normalizeKeyword('  郑州　 2024 ')).toBe('郑州 2024');
  });
});

describe('renderPage', () => {
  const many = Array.from({ length: 116 }, (_, i) => report(i + 1));

  it('shows ten reports a page with a counter, ▶ on the first page, ◀ ▶ inside, ◀ on the last', () => {
    const first = renderPage(many, { kind: 'sources', page: 1, keyword: '' });
    expect(text(first.html)).toContain('已收录 116 份报告（第1/12页）');
    expect(text(first.html)).toContain('1. 《第1份报告》');
    expect(text(first.html)).toContain('10. 《第10份报告》');
    expect(text(first.html)).not.toContain('11. ');
    expect(buttons(first).map((b) => ('callback_data' in b ? parseListPage(b.callback_data) : undefined))).toEqual([{ kind: 'sources', page: 2, keyword: '' }]);

    const middle = renderPage(many, { kind: 'sources', page: 5, keyword: '' });
    expect(buttons(middle).map((b) => ('callback_data' in b ? parseListPage(b.callback_data)?.page : undefined))).toEqual([4, 6]);

    const last = renderPage(many, { kind: 'sources', page: 12, keyword: '' });
    expect(text(last.html)).toContain('第12/12页');
    expect(text(last.html)).toContain('116. 《第116份报告》');
    expect(buttons(last).map((b) => ('callback_data' in b ? parseListPage(b.callback_data)?.page : undefined))).toEqual([11]);
  });

  it('clamps a page past the end to the last one, and has no buttons for a single page', () => {
    expect(renderPage(many, { kind: 'sources', page: 99, keyword: '' }).html).toBe(renderPage(many, { kind: 'sources', page: 12, keyword: '' }).html);
    const one = renderPage(many.slice(0, PAGE_SIZE), { kind: 'sources', page: 1, keyword: '' });
    expect(one.keyboard).toBeUndefined();
    expect(text(one.html)).not.toContain('页');
  });

  it('keeps the keyword in the page buttons and says so when nothing matches', () => {
    const p = renderPage(many, { kind: 'sources', page: 1, keyword: '第1' });
    expect(text(p.html)).toContain('包含“第1”的报告：28 份（第1/3页）'); // 1, 10–19, 100–116
    expect(buttons(p).map((b) => ('callback_data' in b ? parseListPage(b.callback_data)?.keyword : undefined))).toEqual(['第1']);
    expect(text(renderPage(many, { kind: 'sources', page: 1, keyword: '<郑州>' }).html)).toContain('没有找到标题、地区或文件名包含“<郑州>”的报告');
    expect(text(renderPage([], { kind: 'sources', page: 1, keyword: '' }).html)).toBe('索引中还没有报告。');
  });

  it('under /remove, gives one button per report naming it by key, and shows file names', () => {
    const p = renderPage(many, { kind: 'remove', page: 2, keyword: '' });
    const picks = buttons(p).flatMap((b) => ('callback_data' in b ? [parseRemove(b.callback_data)] : [])).filter((b) => b !== undefined);
    expect(picks).toEqual(many.slice(10, 20).map((r) => ({ action: 'pick', key: reportKey(r) })));
    expect(text(p.html)).toContain('选择要删除的报告（共 116 份）（第2/12页）');
    expect(text(p.html)).toContain('r11.txt');
  });

  it('escapes titles and stays under 4096 characters with long titles and file names', () => {
    const long = Array.from({ length: 10 }, (_, i) => report(i, { title: `<b>&${'长'.repeat(300)}`, source: `${'名'.repeat(60)}${i}.txt`, region: '某市'.repeat(20) }));
    for (const kind of ['sources', 'remove'] as const) {
      const t = text(renderPage(long, { kind, page: 1, keyword: '' }).html);
      expect(t).toContain('《<b>&长');
      expect(t.length).toBeLessThanOrEqual(4096);
    }
  });
});
