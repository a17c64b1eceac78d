import { describe, expect, it } from 'vitest';
import { figuresMissingFrom } from '../../../src/answer/figure-check.js';

const SOURCE = '2022是罗星街道硕果累累的一年。全年实现地区生产总值108.1亿元，增长2.7%；总投资 186.8 亿元。';

describe('figuresMissingFrom', () => {
  it('accepts figures written as in the source, or as the same amount', () => {
    expect(figuresMissingFrom('地区生产总值108.1亿元，增长2.7%[1]。', [SOURCE])).toEqual([]);
    expect(figuresMissingFrom('总值1081000万元[1]，投资186.8亿元[1]', [SOURCE])).toEqual([]);
  });

  it('reports figures that the sources do not hold', () => {
    expect(figuresMissingFrom('地区生产总值118.1亿元，增长3.7%[1]。', [SOURCE])).toEqual(['118.1亿元', '3.7%']);
    expect(figuresMissingFrom('108.1万元', [SOURCE])).toEqual(['108.1万元']);
  });

  it('compares years by their digits and ignores citation markers', () => {
    expect(figuresMissingFrom('2022年[1][2]', [SOURCE])).toEqual([]);
    expect(figuresMissingFrom('2019年', [SOURCE])).toEqual(['2019年']);
  });
});
