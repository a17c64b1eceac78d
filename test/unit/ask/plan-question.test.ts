import { describe, expect, it } from 'vitest';
import { planQuestion } from '../../../src/ask/plan-question.js';
import { SubjectCatalog } from '../../../src/understand/subject-catalog.js';

/** A province with two work reports: each reviews the year before its title's and plans its title's year. */
const catalog = new SubjectCatalog([
  { source: 'wr-2025.txt', subject: '湖北省', aliases: ['湖北'], years: [2024], planYears: [2025] },
  { source: 'wr-2026.txt', subject: '湖北省', aliases: ['湖北'], years: [2025], planYears: [2026] },
  { source: 'bulletin-2025.txt', subject: '襄阳市', aliases: ['襄阳'], years: [2025] },
]);

const sourcesOf = (message: string, previous?: Parameters<typeof planQuestion>[2]): string[] => [
  ...(planQuestion(message, catalog, previous).parts[0]?.sources ?? []),
];

describe('planQuestion: the reports of the year asked', () => {
  it('answers an outcome from the report reviewing the year, a target from the one planning it', () => {
    expect(sourcesOf('湖北2025年地区生产总值增长了多少？')).toEqual(['wr-2026.txt']);
    expect(sourcesOf('湖北2025年地区生产总值增长目标是多少？')).toEqual(['wr-2025.txt']);
    expect(sourcesOf('湖北2025年力争粮食产量达到多少？')).toEqual(['wr-2025.txt']);
  });

  it('takes any report naming the year when none reviews (or plans) it, and all of them without a year', () => {
    expect(sourcesOf('湖北2026年经济怎么样？')).toEqual(['wr-2026.txt']);
    expect(sourcesOf('湖北2024年的发展目标是什么？')).toEqual(['wr-2025.txt']);
    expect(sourcesOf('湖北地区生产总值是多少？')).toEqual(['wr-2025.txt', 'wr-2026.txt']);
  });

  it('reads a year written as part of a report name as either of its years', () => {
    expect(sourcesOf('湖北省2025年政府工作报告提出了哪些重点任务？')).toEqual(['wr-2025.txt', 'wr-2026.txt']);
  });

  it('a follow-up that moves the year to an outcome goes to the report reviewing it', () => {
    const first = planQuestion('湖北2024年地区生产总值是多少？', catalog).understanding;
    expect(first.slots.years).toEqual([2024]);
    expect(sourcesOf('湖北2024年地区生产总值是多少？')).toEqual(['wr-2025.txt']);
    expect(sourcesOf('那2025年增长了多少？', [{ question: first.text, slots: first.slots }])).toEqual(['wr-2026.txt']);
  });
});
