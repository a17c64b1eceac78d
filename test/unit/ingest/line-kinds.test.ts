import { describe, expect, it } from 'vitest';
import {
  HEADING_RANK,
  captionKind,
  endsParagraph,
  headingMarker,
  isByline,
  isHeadingLine,
  isTableCell,
  isTitleLike,
  leadingClause,
} from '../../../src/ingest/line-kinds.js';

describe('headingMarker', () => {
  it.each([
    ['一、2024年工作总结', HEADING_RANK.cn],
    ['十二、全面提高党的建设科学化水平', HEADING_RANK.cn],
    ['（一）重大项目招引', HEADING_RANK.cnParen],
    ['(一)坚持不懈抓产业,发展基础更加坚实', HEADING_RANK.cnParen],
    ['1.项目招引精准发力。', HEADING_RANK.num],
    ['2．政府性基金预算', HEADING_RANK.num],
    ['3、生态人文', HEADING_RANK.num],
    ['（3）经开区政府性基金预算', HEADING_RANK.numParen],
    ['①加强保障', HEADING_RANK.circled],
    ['第一章 总则', HEADING_RANK.chapter],
    ['三是统筹新型城镇化和乡村振兴', HEADING_RANK.ordinal],
  ])('recognises %s', (line, rank) => {
    expect(headingMarker(line)?.rank).toBe(rank);
  });

  it.each(['2022是罗星街道硕果累累的一年。', '1.4万余次', '2.8', '20 条措施的实施', '2024年,南星街道', '一方面，吸收聘用'])(
    'finds no marker in %s',
    (line) => {
      expect(headingMarker(line)).toBeUndefined();
    },
  );
});

describe('isHeadingLine / leadingClause', () => {
  it('treats a short marked line without a sentence end as a heading', () => {
    expect(isHeadingLine('(一)坚持不懈抓产业,发展基础更加坚实')).toBe(true);
    expect(isHeadingLine('1.项目招引精准发力。聚焦重点项目开展靶向招引')).toBe(false);
  });

  it('returns the leading clause when body text follows', () => {
    expect(leadingClause('（一）重大项目招引聚焦“核心点、撬动点、支撑点”三目标。紧抓融入全市创新大格局。')).toBe(
      '（一）重大项目招引聚焦“核心点、撬动点、支撑点”三目标',
    );
    expect(leadingClause('1.城市面貌显著提升。')).toBeUndefined();
    expect(leadingClause('1.' + '很长'.repeat(40) + '。正文')).toBeUndefined();
  });
});

describe('isTitleLike', () => {
  it.each(['抓项目 育产业 激发经济发展“星动能”', '王店：服务百姓“零距离”', '联动监督护航经济发展', '2025年三门峡市国民经济和社会发展统计公报'])(
    'accepts %s',
    (line) => expect(isTitleLike(line)).toBe(true),
  );
  it.each(['盛威安防在天凝投资办企业，一', '各位代表：', '——2026年1月25日在北京市第十六届人民代表大会', '199.5', '好', '2022是罗星街道硕果累累、蝶变跃升的一年。'])(
    'rejects %s',
    (line) => expect(isTitleLike(line)).toBe(false),
  );
});

describe('isByline', () => {
  it.each(['张会', '钟逸格 徐洁', '朱敏 张凌翊', '许颖佳 徐亦为', '本报记者 张三', '欧阳修文'])('accepts %s', (line) => {
    expect(isByline(line)).toBe(true);
  });
  it.each(['前言', '结束语', '联动监督护航经济发展', '张三 李四 王五 赵六', '抓项目 育产业 激发经济发展'])('rejects %s', (line) => {
    expect(isByline(line)).toBe(false);
  });
});

describe('captionKind', () => {
  it.each([
    ['海盐县澉浦镇“记忆里的激浦年味”文化节（图片由澉浦镇提供）', 'photo'],
    ['春节期间，工商银行海盐支行为客户送“福”。（图片由工行嘉兴分行提供）', 'photo'],
    ['殷勇同志作政府工作报告。本报记者 戴冰摄', 'photo'],
    ['表1 2025年年末三门峡市常住人口数及其构成', 'figure'],
    ['图11 2021-2025年城镇居民人均可支配收入及增长速度', 'figure'],
  ] as const)('classifies %s', (line, kind) => {
    expect(captionKind(line)).toBe(kind);
  });
  it('ignores ordinary text', () => {
    expect(captionKind('踏浪逐潮，开工竣工（投产）300亿元。')).toBeUndefined();
    expect(captionKind('图书馆建设完成。')).toBeUndefined();
  });
});

describe('endsParagraph / isTableCell', () => {
  it.each([
    ['罗星交出了高分报表。', true],
    ['太方便了！”', true],
    ['重点抓好以下四个方面:', true],
    ['开展送医送药750次……', true],
    ['（图片由大云镇提供）', true],
    ['推动现代农业高质量发展，建', false],
    ['“一支队伍管', false],
  ])('%s → %s', (line, expected) => {
    expect(endsParagraph(line)).toBe(expected);
  });

  it('treats short punctuation-free lines as cells', () => {
    expect(isTableCell('全市常住人口')).toBe(true);
    expect(isTableCell('199.5')).toBe(true);
    expect(isTableCell('一、综合')).toBe(false);
    expect(isTableCell('其中，城镇常住人口122.5万人')).toBe(false);
  });
});
