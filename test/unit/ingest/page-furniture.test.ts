import { describe, expect, it } from 'vitest';
import { stripFurniture } from '../../../src/ingest/page-furniture.js';

const lines = (...texts: string[]) => texts.map((text) => ({ text }));
const BODY = '2024年,新嘉街道办事处坚持以习近平新时代中国特色社会主义思想为指导,深入贯彻党的二十大精神。';

describe('stripFurniture', () => {
  it('drops the 索引号/发布单位/文号 rows and keeps publisher and date', () => {
    const result = stripFurniture(
      lines('索 引 号 | 002550284/2025-00626 | 公开分类 | |', '发布单位 | 新嘉街道 | 发布日期 | 2025-01-22 |', '文 号 | 主题词 |', BODY),
    );
    expect(result.lines.map((l) => l.text)).toEqual([BODY]);
    expect(result.publisher).toBe('新嘉街道');
    expect(result.date).toBe('2025-01-22');
  });

  it('drops key：value lines, page words and breadcrumbs above the text only', () => {
    const result = stripFurniture(
      lines(
        '政府信息公开 > 政府公报 > 2019年 >',
        '正文',
        '2025年三门峡市国民经济和社会发展统计公报',
        '发布时间：2026-06-22 16:28',
        '来源 : 南方日报',
        '标 题：关于某市预算的报告',
        BODY,
        '来源：市统计局',
      ),
    );
    expect(result.lines.map((l) => l.text)).toEqual(['2025年三门峡市国民经济和社会发展统计公报', BODY, '来源：市统计局']);
    expect(result.date).toBe('2026-06-22');
    expect(result.publisher).toBe('南方日报');
    expect(result.title).toBe('关于某市预算的报告');
  });

  it('reads an info line of several fields, and keeps a line whose fields are not all furniture', () => {
    const info = stripFurniture(lines('发布时间：2025-01-22 来源：某某市发展和改革委员会 字号：大 中 小', BODY));
    expect(info.lines.map((l) => l.text)).toEqual([BODY]);
    expect(info.date).toBe('2025-01-22');
    expect(info.publisher).toBe('某某市发展和改革委员会');
    expect(stripFurniture(lines('发布时间：2026-06-22 16:28', BODY)).date).toBe('2026-06-22');
    expect(stripFurniture(lines('发布日期：2025-01-22来源：市统计局', BODY)).publisher).toBe('市统计局');
    expect(stripFurniture(lines('联系人：张三 电话：0571-1234', BODY)).lines.map((l) => l.text)).toEqual(['联系人：张三 电话：0571-1234', BODY]);
  });

  it('formats Chinese dates and keeps unknown date text as written', () => {
    expect(stripFurniture(lines('发布日期：2025年1月2日', BODY)).date).toBe('2025-01-02');
    expect(stripFurniture(lines('时间：2026年2月', BODY)).date).toBe('2026-02');
    expect(stripFurniture(lines('日期：春节前', BODY)).date).toBe('春节前');
  });

  it('drops lines made only of table rules anywhere and keeps other table rows', () => {
    const result = stripFurniture(lines(BODY, '|', '|---|---|', '| 指标 | 数值 |'));
    expect(result.lines.map((l) => l.text)).toEqual([BODY, '| 指标 | 数值 |']);
    expect(result.publisher).toBeUndefined();
  });
});
