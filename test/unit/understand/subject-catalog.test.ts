import { describe, expect, it } from 'vitest';
import { SubjectCatalog } from '../../../src/understand/subject-catalog.js';

describe('SubjectCatalog', () => {
  // 中山 alone is no place for the gazetteer (中山路 is in every city); the identity gives no short alias.
  const catalog = new SubjectCatalog([{ source: 'zs.txt', subject: '中山市' }, { source: 'sz.txt', subject: '苏州市', aliases: ['苏州'] }]);

  it('knows an indexed city by its name without 市', () => {
    const found = catalog.findPlaces('2025年中山和苏州的一般公共预算收入分别是多少');
    expect(found.map((p) => [p.written, p.subject?.name])).toEqual([
      ['中山', '中山市'],
      ['苏州', '苏州市'],
    ]);
  });

  it('does not read a street, a university or a park named after a place as the place', () => {
    expect(catalog.findPlaces('中山路改造了吗')).toEqual([]);
    expect(catalog.findPlaces('苏州大学扩招了多少人').map((p) => p.written)).toEqual([]);
    expect(catalog.findPlaces('中山公园开放了吗')).toEqual([]);
  });
});
