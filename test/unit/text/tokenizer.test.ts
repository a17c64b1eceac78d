import { describe, expect, it } from 'vitest';
import { JiebaTokenizer } from '../../../src/text/jieba-tokenizer.js';
import { SegmenterTokenizer } from '../../../src/text/segmenter-tokenizer.js';

const plain = new JiebaTokenizer({ bigrams: false });
const withBigrams = new JiebaTokenizer();
const segmenter = new SegmenterTokenizer({ bigrams: false });

describe('JiebaTokenizer', () => {
  it.each<[string, string, string[], string[]]>([
    // name, text, tokens it must contain, tokens it must not contain
    ['a figure stays whole, with its amount', '生产总值108.1亿元', ['108.1', '#1.081e10元', '#1.081e10', '亿元'], ['108', '1', '.']],
    ['a figure with spaces', '总投资 186.8 亿元', ['186.8', '#1.868e10元', '亿元'], ['186', '8']],
    ['full-width digits and punctuation', '１０８．１亿元', ['108.1', '#1.081e10元'], ['１', '．']],
    ['ten-thousands and hundred-millions meet', '3454.15万元', ['3454.15', '#3.45415e7元', '万元'], ['3454']],
    ['a percentage', '同比增长28.9%', ['28.9', '#2.89e1%', '同比', '增长'], ['%', '28']],
    ['a year keeps only its number', '2022年地区生产总值', ['2022', '地区', '生产总值', '生产', '总值'], ['2', '年', '#2.022e3年']],
    ['a year with a space', '2023 年刚刚启幕', ['2023'], ['年', '2']],
    ['a Latin unit', '11GW 高效电池', ['11', '#1.1e1gw', 'gw', '高效', '电池'], ['1', 'g']],
    ['Latin codes stay whole and lower-case', 'U8世界创新峰会和ＧＤＰ', ['u8', 'gdp', '世界', '创新', '峰会'], ['u', '8', 'ＧＤＰ']],
    ['search mode adds sub-words', '上海交通大学', ['上海交通大学', '上海', '交通', '大学'], []],
    ['question words are dropped', '罗星街道2022年地区生产总值是多少', ['罗星', '街道', '2022'], ['是', '多少', '年']],
    ['more question words', '有哪些重点项目？怎么推进的？什么时候完成', ['重点项目', '推进', '完成'], ['哪些', '怎么', '的', '什么', '什么时候', '？']],
    ['filler words of a question', '请问罗星街道的情况如何？', ['罗星', '情况'], ['请问', '如何', '的']],
    ['a question word glued to a measure word', '南星街道2025年计划加装几台电梯？哪栋楼', ['电梯', '加装'], ['几台', '哪栋', '台']],
  ])('%s', (_, text, present, absent) => {
    const tokens = plain.tokenize(text);
    for (const t of present) expect(tokens, `${t} in ${tokens.join(' ')}`).toContain(t);
    for (const t of absent) expect(tokens, `${t} not in ${tokens.join(' ')}`).not.toContain(t);
  });

  it('gives equal amounts the same canonical token', () => {
    const canonical = (text: string): string[] => plain.tokenize(text).filter((t) => t.startsWith('#'));
    expect(canonical('1.081亿元')).toEqual(canonical('10810万元'));
    expect(canonical('108.1亿')).toEqual(['#1.081e10']);
    expect(canonical('108.1亿元')).toContain('#1.081e10');
  });

  it('adds character bigrams, but none across a function word or a question word', () => {
    const tokens = withBigrams.tokenize('罗星街道2022年地区生产总值是多少');
    expect(tokens).toEqual(expect.arrayContaining(['星街', '区生', '产总']));
    for (const junk of ['年地', '值是', '是多', '多少']) expect(tokens).not.toContain(junk);
    expect(plain.tokenize('罗星街道')).not.toContain('星街');
  });

  it('keeps single-character stop words inside bigrams but not as words', () => {
    const tokens = withBigrams.tokenize('上城区有多大');
    expect(tokens).toContain('上城');
    expect(tokens).not.toContain('上');
    expect(tokens).not.toContain('多大');
  });

  it('keeps its user words whole, with their sub-words', () => {
    expect(plain.tokenize('南湖云创小镇')).not.toContain('南湖云创小镇');
    const named = withBigrams.withWords(['南湖云创小镇', ' ', '']);
    const tokens = named.tokenize('南湖云创小镇获评优秀');
    expect(tokens).toContain('南湖云创小镇');
    expect(tokens).toContain('小镇');
    // As if jieba's dictionary had the name: the piece HMM guessed inside it goes, names in it stay.
    expect(plain.tokenize('南湖云创小镇')).toContain('云创');
    expect(plain.withWords(['南湖云创小镇']).tokenize('南湖云创小镇')).not.toContain('云创');
    expect(plain.withWords(['南湖云创小镇', '云创']).tokenize('南湖云创小镇')).toContain('云创');
    expect(plain.withWords(['南湖云创小镇']).tokenize('南湖云创小镇')).toEqual(expect.arrayContaining(['南湖', '小镇']));
    // A short name inside one of jieba's words is a search-mode term, as a dictionary word would be.
    expect(plain.tokenize('沈荡镇聚焦特色美食')).not.toContain('沈荡');
    expect(plain.withWords(['沈荡']).tokenize('沈荡镇聚焦特色美食')).toContain('沈荡');
  });

  it('gives the words of one tokenizer to no other: two indexes tokenise independently in one process', () => {
    const text = '南湖云创小镇和马桥街道“罗星开讲”';
    const alone = plain.tokenize(text);
    const a = plain.withWords(['南湖云创小镇']);
    const b = plain.withWords(['罗星开讲', '马桥街道']);
    const aTokens = a.tokenize(text);
    const bTokens = b.tokenize(text);
    expect(aTokens).toContain('南湖云创小镇');
    expect(aTokens).not.toContain('罗星开讲');
    expect(bTokens).toEqual(expect.arrayContaining(['罗星开讲', '马桥街道']));
    expect(bTokens).not.toContain('南湖云创小镇');
    // Making b changed neither a nor a tokenizer without words.
    expect(a.tokenize(text)).toEqual(aTokens);
    expect(plain.tokenize(text)).toEqual(alone);
    expect(new JiebaTokenizer({ bigrams: false, words: ['南湖云创小镇'] }).tokenize(text)).toEqual(aTokens);
  });

  it('changes the tokens of a text only where one of its user words occurs', () => {
    const named = withBigrams.withWords(['南湖云创小镇', '罗星开讲']);
    const text = '全年实现地区生产总值108.1亿元，增长2.7%，新建口袋公园7个';
    expect(named.tokenize(text)).toEqual(withBigrams.tokenize(text));
  });

  it('has an id that names nodejieba, the analysis version, the options and a hash of the user words', () => {
    expect(plain.id).toMatch(/^jieba-\d+\.\d+\.\d+:v\d+:search-hmm$/);
    expect(withBigrams.id).toBe(`${plain.id}+bigrams`);
    expect(new JiebaTokenizer().id).toBe(withBigrams.id);
    const named = withBigrams.withWords(['罗星开讲', '南湖云创小镇']);
    expect(named.id).toMatch(new RegExp(`^${withBigrams.id.replace(/[.+]/g, '\\$&')}\\+words:2-[0-9a-f]{12}$`));
    // The same words in any order, width or case give the same id; other words another.
    expect(withBigrams.withWords(['南湖云创小镇', '罗星开讲', '罗星开讲']).id).toBe(named.id);
    expect(withBigrams.withWords(['罗星开讲']).id).not.toBe(named.id);
    expect(withBigrams.withWords([]).id).toBe(withBigrams.id);
  });
});

describe('SegmenterTokenizer', () => {
  it('shares the figure, width and stop-word handling', () => {
    const text = '全年实现地区生产总值１０８．１亿元，增长2.7%，是多少';
    const figures = (tokens: string[]): string[] => tokens.filter((t) => /^[#\d]/.test(t));
    expect(figures(segmenter.tokenize(text))).toEqual(figures(plain.tokenize(text)));
    expect(segmenter.tokenize(text)).toEqual(expect.arrayContaining(['108.1', '地区', '增长']));
    expect(segmenter.tokenize(text)).not.toContain('多少');
  });

  it('has its own id, which names ICU', () => {
    expect(segmenter.id).toMatch(/^segmenter-icu[\d.]+:v\d+$/);
    expect(new SegmenterTokenizer().id).toBe(`${segmenter.id}+bigrams`);
  });
});
