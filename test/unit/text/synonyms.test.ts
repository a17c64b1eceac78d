import { describe, expect, it } from 'vitest';
import { canonicalizeSynonyms, expandSynonyms, SYNONYM_GROUPS } from '../../../src/text/synonyms.js';

describe('SYNONYM_GROUPS', () => {
  it('never has an alias inside its canonical term (canonicalising twice would change the text)', () => {
    for (const [canonical, ...aliases] of SYNONYM_GROUPS) {
      for (const alias of aliases) expect(canonical?.includes(alias), `${alias} in ${canonical}`).toBe(false);
    }
  });

  it('is idempotent under canonicalisation', () => {
    const text = SYNONYM_GROUPS.flat().join('，');
    expect(canonicalizeSynonyms(canonicalizeSynonyms(text))).toBe(canonicalizeSynonyms(text));
  });
});

describe('canonicalizeSynonyms', () => {
  it.each([
    ['罗星街道2022年经济总量有多大', '罗星街道2022年gdp有多大'],
    ['全年实现地区生产总值108.1亿元', '全年实现gdp108.1亿元'],
    ['全年生产总值6.36万亿元', '全年gdp6.36万亿元'],
    ['吃低保的', '吃最低生活保障的'],
    ['卖地收入', '土地出让收入'],
    ['新嘉街道固投完成了多少', '新嘉街道固定资产投资完成了多少'],
    ['限额以上社会消费品零售额30.53亿元', '限额以上社会消费品零售总额30.53亿元'],
    ['社零额', '社会消费品零售总额'],
    ['拆除违法建筑19处', '拆除违章建筑19处'],
    ['空巢老人', '空巢老年人'],
    ['老年人食堂', '老年人食堂'],
    ['全年增长5%', '全年增长5%'],
    ['每一千个人有几个托位', '每千人有几个托位'],
    ['每千人口托位数5.75个', '每千人口托位数5.75个'],
    ['技术交易额多少', '技术合同成交额多少'],
    ['城里人和农村人的平均收入', '城镇居民和农村居民的人均可支配收入'],
    ['城镇居民人均可支配收入', '城镇居民人均可支配收入'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalizeSynonyms(input)).toBe(expected);
  });
});

describe('expandSynonyms', () => {
  it('appends the other terms of each group the query mentions', () => {
    expect(expandSynonyms('新嘉街道2024年固投完成了多少')).toBe('新嘉街道2024年固投完成了多少 固定资产投资');
    expect(expandSynonyms('罗星街道经济总量是多少')).toBe('罗星街道经济总量是多少 gdp 地区生产总值 生产总值');
  });

  it('leaves a query without synonyms unchanged', () => {
    expect(expandSynonyms('南星街道新招引的税收超100万项目合计税收多少')).toBe('南星街道新招引的税收超100万项目合计税收多少');
  });
});
