import { describe, expect, it } from 'vitest';
import { UserWords } from '../../../src/text/user-words.js';

describe('UserWords', () => {
  const words = new UserWords(['罗星街道', '罗星', '中国归谷嘉善科技园', 'ＡＩ小镇', ' ', '']);

  it('normalises, dedupes and sorts its words', () => {
    expect(words.words).toEqual(['ai小镇', '中国归谷嘉善科技园', '罗星', '罗星街道'].sort());
    expect(new UserWords([]).size).toBe(0);
    expect(new UserWords([]).fingerprint).toBe('');
  });

  it.each<[string, string[], string[]]>([
    ['joins the segments that spell a word', ['在', '罗星', '街道', '工作'], ['在', '罗星街道', '工作']],
    ['takes the longest word from a start', ['罗', '星', '街道'], ['罗星街道']],
    ['joins a shorter word when the longer one is not spelled', ['罗', '星', '大道'], ['罗星', '大道']],
    ['joins many segments', ['中国', '归谷', '嘉善', '科技园', '的'], ['中国归谷嘉善科技园', '的']],
    ['never cuts a segment: a word starting or ending inside one is not joined', ['在罗', '星', '街道', '罗星街道办'], ['在罗', '星', '街道', '罗星街道办']],
    ['leaves a word that is one segment as it is', ['罗星街道'], ['罗星街道']],
    ['leaves text without words as it is', ['全年', '实现'], ['全年', '实现']],
  ])('merge %s', (_, segments, merged) => {
    expect(words.merge(segments)).toEqual(merged);
    expect(words.merge(segments).join('')).toBe(segments.join(''));
  });

  it('names the joined runs by segment index, and tells its words', () => {
    expect(words.spans(['在', '罗', '星', '街道', '和', '罗', '星', '大道'])).toEqual([{ start: 1, end: 4 }, { start: 5, end: 7 }]);
    expect(words.spans(['全年', '实现'])).toEqual([]);
    expect(words.has('罗星')).toBe(true);
    expect(words.has('罗星街')).toBe(false);
    expect(words.has('ai小镇')).toBe(true);
  });

  it('finds the two- and three-character words inside a longer token', () => {
    const short = new UserWords(['沈荡', '干窑', '干窑镇', '窑镇']);
    expect(short.subWords('沈荡镇')).toEqual(['沈荡']);
    expect(short.subWords('嘉善干窑镇')).toEqual(['干窑', '干窑镇', '窑镇']);
    expect(short.subWords('干窑')).toEqual([]); // the token itself is no sub-word
    expect(short.subWords('干窑镇')).toEqual(['干窑', '窑镇']); // 3-character words only inside longer tokens
  });

  it('tells whether a text holds one of its words, after width folding and lower-casing', () => {
    expect(words.occursIn('搭建罗星开讲载体')).toBe(true);
    expect(words.occursIn('建设ＡＩ小镇')).toBe(true);
    expect(words.occursIn('建设Ai小镇')).toBe(true);
    expect(words.occursIn('罗马星空')).toBe(false);
    expect(new UserWords([]).occursIn('罗星')).toBe(false);
  });
});
