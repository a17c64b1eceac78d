import { describe, expect, it } from 'vitest';
import { answerUnits } from '../../../src/answer/answer-units.js';
import { tableRowUnits } from '../../../src/answer/table-rows.js';

describe('tableRowUnits', () => {
  it('reads each row under its header, with the unit column and a unit written in a header', () => {
    const text = '产品名称 单位 产量 比上年增长（%） 钢材 万吨 120.5 -2.3 水泥 万吨 88.06 4.1 #商品混凝土 万立方米 35.2 1.0';
    const rows = tableRowUnits(text);
    expect(rows.map((r) => r.text)).toEqual([
      '钢材：产量120.5万吨，比上年增长-2.3%',
      '水泥：产量88.06万吨，比上年增长4.1%',
      '商品混凝土：产量35.2万立方米，比上年增长1.0%',
    ]);
    // Offsets are the row's own span in the paragraph, so the citation quotes what is written.
    expect(rows.map((r) => text.slice(r.start, r.end))).toEqual(['钢材 万吨 120.5 -2.3', '水泥 万吨 88.06 4.1', '#商品混凝土 万立方米 35.2 1.0']);
    expect(rows.every((r) => r.sentenceStart === r.start && r.sentenceEnd === r.end)).toBe(true);
  });

  it('joins a header typeset as spaced characters back into its words', () => {
    const rows = tableRowUnits('名称 单 位 数 量 增长（%） 棉纱 吨 3100 2.5 布 万米 47 -1.2');
    expect(rows.map((r) => r.text)).toEqual(['棉纱：数量3100吨，增长2.5%', '布：数量47万米，增长-1.2%']);
  });

  it('takes the unit of a value column from its header', () => {
    const rows = tableRowUnits('指标 年末数（万人） 比重（%） 总人口 502.3 100.0 其中：城镇 301.1 59.9');
    expect(rows[0]?.text).toBe('总人口：年末数502.3万人，比重100.0%');
    expect(rows[1]?.text).toBe('其中：城镇：年末数301.1万人，比重59.9%');
  });

  it('is not a table: prose with figures, a single row, rows of different shapes', () => {
    expect(tableRowUnits('全年粮食产量230.26万吨，比上年增加0.01万吨。其中，夏粮产量121.08万吨。')).toEqual([]);
    expect(tableRowUnits('项目 金额 收入 100')).toEqual([]);
    expect(tableRowUnits('项目 金额 增长 收入 100 2.0 支出 300')).toEqual([]);
  });

  it('keeps the cells as written when the header does not match the columns', () => {
    const rows = tableRowUnits('主要产品 钢材 万吨 120.5 -2.3 水泥 万吨 88.06 4.1');
    expect(rows.map((r) => r.text)).toEqual(['钢材：万吨 120.5 -2.3', '水泥：万吨 88.06 4.1']);
  });
});

describe('answerUnits on a table paragraph', () => {
  it('offers the rows instead of one long "sentence" of cells', () => {
    const units = answerUnits('产品名称 单位 产量 钢材 万吨 120.5 水泥 万吨 88.06');
    expect(units.map((u) => u.text)).toEqual(['钢材：产量120.5万吨', '水泥：产量88.06万吨']);
  });
});
