import { describe, expect, it } from 'vitest';
import { splitQuestion } from '../../../src/understand/decompose.js';
import { SubjectCatalog } from '../../../src/understand/subject-catalog.js';

const catalog = new SubjectCatalog([
  { source: 'a.txt', subject: '临江市', aliases: ['临江'], years: [2025] },
  { source: 'b.txt', subject: '东湖市', aliases: ['东湖'], years: [2025] },
  { source: 'c.txt', subject: '南星街道', aliases: ['南星'], years: [2024] },
  { source: 'd.txt', subject: '北岭街道', aliases: ['北岭'], years: [2024] },
]);

describe('splitQuestion', () => {
  it('leaves a simple question whole', () => {
    expect(splitQuestion('临江市2025年地区生产总值是多少？', catalog)).toEqual([{ text: '临江市2025年地区生产总值是多少？' }]);
    // 城镇 and 农村 are no subjects: one question with a list in it.
    expect(splitQuestion('临江2025年居民人均消费支出是多少？城镇和农村分别多少？', catalog)).toHaveLength(1);
    expect(splitQuestion('临江2025年GDP是多少？#ok', catalog)).toHaveLength(1);
  });

  it('answers subjects compared side by side one by one, each asking its own figure', () => {
    expect(splitQuestion('临江和东湖谁的常住人口多？', catalog)).toEqual([
      { label: '临江', text: '临江常住人口是多少？' },
      { label: '东湖', text: '东湖常住人口是多少？' },
    ]);
    expect(splitQuestion('南星街道和北岭街道分别改造了多少个老旧小区？', catalog)).toEqual([
      { label: '南星街道', text: '南星街道改造了多少个老旧小区？' },
      { label: '北岭街道', text: '北岭街道改造了多少个老旧小区？' },
    ]);
  });

  it('answers one subject measured against another as two parts, the first subject first', () => {
    expect(splitQuestion('临江2025年末常住人口比东湖多多少？', catalog)).toEqual([
      { label: '临江', text: '临江2025年末常住人口是多少？' },
      { label: '东湖', text: '东湖2025年末常住人口是多少？' },
    ]);
    expect(splitQuestion('临江比东湖的常住人口少多少', catalog)).toEqual([
      { label: '临江', text: '临江的常住人口是多少？' },
      { label: '东湖', text: '东湖的常住人口是多少？' },
    ]);
    // 比上年 compares a subject with itself: not split.
    expect(splitQuestion('临江常住人口比上年多多少？', catalog)).toHaveLength(1);
  });

  it('splits years named side by side', () => {
    expect(splitQuestion('临江市2024年和2025年GDP分别增长了多少？', catalog)).toEqual([
      { label: '2024年', text: '临江市2024年GDP增长了多少？' },
      { label: '2025年', text: '临江市2025年GDP增长了多少？' },
    ]);
  });

  it('completes a later clause from the first one: place and year, or the topic of a bare change', () => {
    expect(splitQuestion('临江2025年末常住人口有多少？城镇化率多少？', catalog)).toEqual([
      { text: '临江2025年末常住人口有多少？' },
      { text: '临江市2025年城镇化率多少？' },
    ]);
    expect(splitQuestion('东湖2025年GDP多少？增速多少？', catalog).map((p) => p.text)).toEqual(['东湖2025年GDP多少？', '东湖市2025年GDP增速多少？']);
  });

  it('keeps a clause without a topic of its own with the one before', () => {
    expect(splitQuestion('临江和东湖谁的常住人口多？2025年末各是多少？', catalog)).toEqual([
      { label: '临江', text: '临江常住人口是多少，2025年末是多少？' },
      { label: '东湖', text: '东湖常住人口是多少，2025年末是多少？' },
    ]);
  });

  it('does not split places nested in one another or a long enumeration', () => {
    expect(splitQuestion('临江市南星街道2024年投资多少？', catalog)).toHaveLength(1);
    expect(splitQuestion('2024年、2025年、2026年、2027年和2028年临江的GDP是多少？', catalog)).toHaveLength(1);
  });
});
