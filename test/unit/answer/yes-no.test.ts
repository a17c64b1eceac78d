import { describe, expect, it } from 'vitest';
import { toPassages } from '../../../src/answer/passages.js';
import { analyzeQuestion } from '../../../src/answer/question-analysis.js';
import { yesNoVerdict } from '../../../src/answer/yes-no.js';
import type { Evidence } from '../../../src/types.js';
import { readQuestion } from '../../../src/understand/question-text.js';
import { retrievedChunk } from '../../helpers/retrieved-chunk.js';

/** `sentence` quoted as a whole-sentence unit of the paragraph `paragraph`. */
function evidence(sentence: string, paragraph = sentence): Evidence {
  const [passage] = toPassages([retrievedChunk(paragraph)]);
  const start = paragraph.indexOf(sentence);
  if (passage === undefined || start < 0) throw new Error('the sentence is not in the paragraph');
  return { passage, unit: { start, end: start + sentence.length, text: sentence, sentenceStart: start, sentenceEnd: start + sentence.length } };
}

const verdict = (q: string, ...units: string[]) => yesNoVerdict(analyzeQuestion(q), units.map((u) => evidence(u)));

describe('yes/no question detection', () => {
  it.each([
    ['东湖镇的污水处理厂建成了吗？', true],
    ['东湖镇是否已经开通城乡公交？', true],
    ['东湖镇文化礼堂改造完成了没有', true],
    ['东湖镇文化礼堂改造完成没有？', true],
    ['东湖镇有没有开通城乡公交', true],
    ['东湖镇是不是全省首批共富工坊试点？', false],
    ['东湖镇有无省级文明村', false],
    ['东湖镇的居民能不能在镇卫生院办医保？', false],
    ['东湖镇可不可以办理不动产登记', false],
    ['东湖镇2023年获评省级卫生镇吗', false],
  ])('%s is a yes/no question (completion: %s)', (q, completion) => {
    expect(analyzeQuestion(q).yesNo).toEqual({ completion, negative: false });
  });

  it.each(['东湖镇有多少个文明村吗？', '东湖镇建成了哪些项目吗', '东湖镇获得了什么荣誉吗？', '东湖镇的污水处理厂建成了多少吨的', '东湖镇地区生产总值是多少'])(
    'does not take the wh-question %s for a yes/no question',
    (q) => {
      expect(analyzeQuestion(q).yesNo).toBeUndefined();
    },
  );

  it.each(['东湖镇是不是还没有建成污水处理厂？', '东湖镇难道不是全省首批共富工坊试点吗', '东湖镇的学校尚未开工吗'])('marks %s as negative', (q) => {
    expect(analyzeQuestion(q).yesNo?.negative).toBe(true);
  });

  it('does not count words that only begin with a negation character', () => {
    expect(analyzeQuestion('东湖镇的未来社区建成了吗').yesNo).toEqual({ completion: true, negative: false });
    expect(analyzeQuestion('东湖镇是否不断推进无人机配送').yesNo?.negative).toBe(false);
  });

  it('answers a plan asked with 是, not 已经', () => {
    expect(analyzeQuestion('东湖镇明年要建成污水处理厂吗').yesNo).toEqual({ completion: false, negative: false });
  });

  it('leaves the yes/no words out of the content terms', () => {
    expect(analyzeQuestion('东湖镇是不是已经开通城乡公交了没有').runs).toEqual(['开通城乡公交']);
    expect(analyzeQuestion('东湖镇举办过龙舟赛吗').runs).toEqual(['举办', '龙舟赛']);
  });

  it('reads a Traditional-script question once the understand stage has folded it', () => {
    const { text } = readQuestion('東湖鎮的污水處理廠建成了嗎？');
    expect(analyzeQuestion(text).yesNo).toEqual({ completion: true, negative: false });
  });
});

describe('yesNoVerdict', () => {
  it('affirms a fact the unit states', () => {
    expect(verdict('东湖镇是不是全省首批共富工坊试点？', '2023年，东湖镇入选全省首批共富工坊试点，人居环境持续改善。')).toBe('是。');
    expect(verdict('东湖镇地区生产总值是56.2亿元吗', '全年实现地区生产总值56.2亿元，增长5.1%。')).toBe('是。');
  });

  it('denies a fact the unit negates right before the claim', () => {
    expect(verdict('东湖镇发生过较大安全事故吗？', '全年未发生较大安全事故，信访总量下降12%。')).toBe('否。');
  });

  it('says 已经 for something the unit says was done', () => {
    expect(verdict('东湖镇的污水处理厂建成了吗？', '东湖镇污水处理厂顺利建成，日处理能力2万吨。')).toBe('已经。');
    expect(verdict('东湖镇有没有开通城乡公交', '开通城乡公交线路3条，方便群众出行。')).toBe('已经。');
  });

  it('says 尚未 for something the unit says is not done', () => {
    expect(verdict('东湖镇的污水处理厂建成了吗？', '受征地影响，东湖镇污水处理厂尚未建成。')).toBe('尚未。');
  });

  it('gives no verdict when the unit covers only part of the claim', () => {
    expect(verdict('东湖镇的污水处理厂建成了吗？', '东湖镇完成污水管网改造12公里。')).toBeUndefined();
    // The figure of the claim is not the figure of the unit.
    expect(verdict('东湖镇地区生产总值是6亿元吗', '全年实现地区生产总值56.2亿元。')).toBeUndefined();
  });

  it('gives no verdict for a negative question', () => {
    expect(verdict('东湖镇是不是还没有建成污水处理厂？', '受征地影响，东湖镇污水处理厂尚未建成。')).toBeUndefined();
  });

  it('gives no verdict for a plan, work in progress or a completion to come', () => {
    expect(verdict('东湖镇的污水处理厂建成了吗？', '明年，东湖镇将建成污水处理厂。')).toBeUndefined();
    expect(verdict('东湖镇的污水处理厂建成了吗？', '加快推进东湖镇污水处理厂建成。')).toBeUndefined();
    expect(verdict('东湖镇的污水处理厂建成了吗？', '东湖镇污水处理厂建成后，日处理能力2万吨。')).toBeUndefined();
    // A sentence of the plan part says what is to be done, though it has no word of the future.
    const plan = '展望新的一年，东湖镇将聚焦生态环境。建成污水处理厂，日处理能力2万吨。';
    expect(yesNoVerdict(analyzeQuestion('东湖镇建成污水处理厂了吗'), [evidence('建成污水处理厂，日处理能力2万吨。', plan)])).toBeUndefined();
  });

  it('gives no verdict when a negation in the clause does not govern the claim', () => {
    expect(verdict('东湖镇的污水处理厂建成了吗？', '东湖镇污水处理厂未能按期建成。')).toBeUndefined();
    expect(verdict('东湖镇发生过较大安全事故吗？', '严格落实安全责任，杜绝发生较大安全事故。')).toBeUndefined();
  });

  it('gives no verdict when the quoted units disagree', () => {
    expect(
      verdict('东湖镇的污水处理厂建成了吗？', '东湖镇污水处理厂顺利建成。', '受征地影响，东湖镇污水处理厂尚未建成。'),
    ).toBeUndefined();
  });

  it('gives no verdict for a question that is not yes/no', () => {
    expect(verdict('东湖镇的污水处理厂日处理能力是多少', '东湖镇污水处理厂顺利建成，日处理能力2万吨。')).toBeUndefined();
  });
});
