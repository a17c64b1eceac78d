import { describe, expect, it } from 'vitest';
import { exampleQuestions, shortPlace } from '../../../src/bot/handlers/start-help.js';
import { FALLBACK_EXAMPLES } from '../../../src/bot/messages.js';
import type { ReportSummary } from '../../../src/types.js';

const report = (region?: string): ReportSummary => ({ source: 's', title: 't', hash: 'h', paragraphs: 1, chunks: 1, ...(region !== undefined && { region }) });

describe('shortPlace', () => {
  it.each([
    ['嘉兴市嘉善县罗星街道', '罗星街道'],
    ['杭州市上城区南星街道', '南星街道'],
    ['嘉兴市南湖区新嘉街道', '新嘉街道'],
    ['嘉兴市', '嘉兴市'],
    ['广州市天河区', '天河区'],
    ['罗星街道', '罗星街道'],
  ])('%j → %j', (region, place) => {
    expect(shortPlace(region)).toBe(place);
  });
});

describe('exampleQuestions', () => {
  it('asks about distinct indexed places', () => {
    const qs = exampleQuestions([report('嘉兴市嘉善县罗星街道'), report('嘉兴市嘉善县罗星街道'), report('杭州市上城区南星街道')]);
    expect(qs).toEqual(['罗星街道的地区生产总值是多少？', '南星街道下一年的工作思路是什么？', '罗星街道有哪些重点项目？']);
  });

  it('falls back to fixed examples without regions', () => {
    expect(exampleQuestions([report(), report('')])).toEqual([...FALLBACK_EXAMPLES]);
  });
});
