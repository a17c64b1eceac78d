import { describe, expect, it } from 'vitest';
import { gazetteer } from '../../../src/text/places.js';

describe('gazetteer', () => {
  it('knows places by the names people use, largest first', () => {
    expect(gazetteer.lookup('郑州').map((p) => p.name)).toEqual(['郑州市']);
    expect(gazetteer.lookup('郑州')[0]?.within).toEqual(['河南省']);
    expect(gazetteer.lookup('广西')[0]?.name).toBe('广西壮族自治区');
    expect(gazetteer.lookup('新疆')[0]?.name).toBe('新疆维吾尔自治区');
    expect(gazetteer.lookup('延边')[0]?.name).toBe('延边朝鲜族自治州');
    expect(gazetteer.lookup('阿克苏')[0]?.name).toBe('阿克苏地区');
    expect(gazetteer.lookup('吉林').map((p) => `${p.name}:${p.level}`)).toEqual(['吉林省:province', '吉林市:city']);
    expect(gazetteer.lookup('海宁')[0]?.within).toEqual(['嘉兴市', '浙江省']);
  });

  it('does not take words for places', () => {
    expect(gazetteer.lookup('长治')).toEqual([]); // 长治久安: only 长治市 names the city
    expect(gazetteer.lookup('长治市')[0]?.name).toBe('长治市');
    expect(gazetteer.lookup('资源')).toEqual([]);
    expect(gazetteer.find('全区城区面积').map((m) => m.matched)).toEqual([]);
  });

  it('finds the longest names in running text; county short forms only when asked', () => {
    const text = '郑州2025年GDP和江苏省粮食，嘉善县罗星街道，海宁的投资';
    expect(gazetteer.find(text).map((m) => m.matched)).toEqual(['郑州', '江苏省', '嘉善县']);
    expect(gazetteer.find(text, { countyShort: true }).map((m) => m.matched)).toEqual(['郑州', '江苏省', '嘉善县', '海宁']);
  });

  it('tells what lies within what', () => {
    const zhengzhou = gazetteer.lookup('郑州市')[0];
    expect(zhengzhou && gazetteer.contains('河南省', zhengzhou)).toBe(true);
    expect(zhengzhou && gazetteer.contains('江苏省', zhengzhou)).toBe(false);
  });
});
