import { describe, expect, it } from 'vitest';
import { Conversations } from '../../../src/understand/conversations.js';
import { readQuestion } from '../../../src/understand/question-text.js';
import { SubjectCatalog } from '../../../src/understand/subject-catalog.js';
import { understand } from '../../../src/understand/understand.js';

/** Reports as the identity stage describes them: subjects with their other names. */
const catalog = new SubjectCatalog([
  { source: 'a.txt', subject: '新嘉街道', aliases: ['新嘉'], years: [2024], planYears: [2025] },
  { source: 'b.txt', subject: '南星街道', aliases: ['南星'], years: [2024] },
  { source: 'c.txt', subject: '郑州市', aliases: ['郑州'], within: ['河南省'], years: [2025] },
  { source: 'd.txt', subject: '国务院', aliases: ['全国', '我国'], years: [2024], planYears: [2025] },
  { source: 'e.txt', subject: '中山市', aliases: [], within: ['广东省'], years: [2025] },
]);

describe('readQuestion', () => {
  it('folds Traditional script and drops greetings and thanks', () => {
    expect(readQuestion('你好，我想问一下新嘉街道2024年規上工業總產值是多少？谢谢！')).toEqual({
      text: '新嘉街道2024年规上工业总产值是多少?',
      smallTalk: false,
      rewritten: true,
    });
  });

  it('keeps only the asking clauses of a long polite message', () => {
    const q = '您好，我是一名在读研究生，正在写一篇论文，想麻烦您帮我查一下：2025年郑州市居民人均可支配收入是多少，比上年增长了多少？非常感谢！';
    expect(readQuestion(q).text).toBe('2025年郑州市居民人均可支配收入是多少,比上年增长了多少?');
  });

  it('tells small talk from questions', () => {
    for (const m of ['谢谢你', '你好！', '你是谁？', 'thanks']) expect(readQuestion(m).smallTalk).toBe(true);
    expect(readQuestion('谢谢你告诉我新嘉街道的投资').smallTalk).toBe(false);
  });
});

describe('understand', () => {
  it('matches places by the names people use and writes them officially for retrieval', () => {
    const u = understand('郑州2025年GDP是多少？', catalog);
    expect(u.subjects.map((s) => s.name)).toEqual(['郑州市']);
    expect(u.query).toBe('郑州市2025年GDP是多少?');
    expect(u.rewritten).toBe(false);
    expect(understand('全国2025年GDP增长目标是多少？', catalog).subjects.map((s) => s.name)).toEqual(['国务院']);
  });

  it('names a place no report is about as unknown, so nothing else answers for it', () => {
    const u = understand('杭州2025年GDP是多少？', catalog);
    expect(u.subjects).toEqual([]);
    expect(u.unknownPlaces).toEqual(['杭州']);
    expect(u.query).toContain('杭州市');
  });

  it('corrects a same-sounding wrong character in a place name, visibly', () => {
    const u = understand('南兴街道2024年清理了多少处垃圾？', catalog);
    expect(u.text).toBe('南星街道2024年清理了多少处垃圾?');
    expect(u.rewritten).toBe(true);
    expect(understand('正州2025年汽车产量多少万辆？', catalog).subjects.map((s) => s.name)).toEqual(['郑州市']);
    expect(understand('钟山市2025年税收收入是多少？', catalog).subjects.map((s) => s.name)).toEqual(['中山市']);
  });

  it('corrects a wrong character read another way alone (城都 is chéng dōu, 成都 chéng dū)', () => {
    const withChengdu = new SubjectCatalog([{ source: 'cd.txt', subject: '成都市', aliases: ['成都'] }]);
    expect(understand('城都2025年社会消费品零售总额是多少？', withChengdu).subjects.map((s) => s.name)).toEqual(['成都市']);
  });

  it('does not correct a real place that merely sounds like an indexed one', () => {
    // 台州 and 泰州 sound alike; 台州 is a real city and stays itself.
    const withTaizhou = new SubjectCatalog([{ source: 't.txt', subject: '泰州市', aliases: ['泰州'] }]);
    const u = understand('台州2025年GDP是多少', withTaizhou);
    expect(u.subjects).toEqual([]);
    expect(u.unknownPlaces).toEqual(['台州']);
  });

  it('translates an English question about a known place, else says it is English', () => {
    const u = understand("How much was Xinjia subdistrict's fixed-asset investment in 2024?", catalog);
    expect(u).toMatchObject({ kind: 'question', text: '新嘉街道2024年固定资产投资是多少？', rewritten: true });
    expect(understand('What is the weather like in Paris today?', catalog).kind).toBe('english-unknown');
  });

  it('asks for every indexed place an English name may spell (Suzhou: 苏州 and 宿州)', () => {
    const both = new SubjectCatalog([
      { source: 'a.txt', subject: '苏州市', aliases: ['苏州'] },
      { source: 'b.txt', subject: '宿州市', aliases: ['宿州'] },
    ]);
    const u = understand('How many permanent residents did Suzhou have at the end of 2025?', both);
    expect(u.text).toMatch(/^(苏州市和宿州市|宿州市和苏州市)2025年常住人口分别是多少？$/);
  });

  it('recognises small talk', () => {
    expect(understand('谢谢你', catalog).kind).toBe('small-talk');
  });
});

describe('follow-ups', () => {
  const ask = (turns: string[]): string[] => {
    const texts: string[] = [];
    let previous;
    for (const t of turns) {
      const u = understand(t, catalog, previous);
      texts.push(u.followUp ? `F:${u.text}` : u.text);
      previous = u.slots;
    }
    return texts;
  };

  it('a new place keeps the topic and year; a change alone asks the change of the topic; a relative year moves the year', () => {
    expect(ask(['新嘉街道2024年限上社零额有多少？', '那南星街道呢？', '增长了多少？', '去年呢？'])).toEqual([
      '新嘉街道2024年限上社零额有多少?',
      'F:南星街道2024年限上社零额有多少？',
      'F:南星街道2024年限上社零额增长了多少？',
      'F:南星街道2023年限上社零额增长了多少？',
    ]);
  });

  it('a pronoun keeps the place and takes the new topic', () => {
    expect(ask(['新嘉街道2024年固定资产投资是多少？', '它的一般公共预算收入呢？'])[1]).toBe('F:新嘉街道2024年一般公共预算收入是多少？');
  });

  it('a short qualifier takes the place of a word of its kind in the topic, or goes before it for a part (其中…, …级)', () => {
    expect(ask(['郑州2025年城镇居民人均可支配收入多少？', '农村居民呢？'])[1]).toBe('F:郑州市2025年农村居民人均可支配收入多少？');
    expect(ask(['郑州2025年末政府债务余额是多少？', '其中市级的呢？'])[1]).toBe('F:郑州市2025年市级政府债务余额是多少？');
    // Another thing, not a part: the topic is its own.
    expect(ask(['新嘉街道2024年限上社零额有多少？', '那规上工业呢？'])[1]).toBe('F:新嘉街道2024年规上工业有多少？');
  });

  it('a question with its own place and topic is never altered', () => {
    expect(ask(['新嘉街道2024年限上社零额有多少？', '南星街道2024年清理了多少处垃圾？'])[1]).toBe('南星街道2024年清理了多少处垃圾?');
  });

  it('a change compared with the year before moves no year, and a second change replaces the first', () => {
    expect(ask(['中山市2025年税收收入是多少？', '比上年增长多少？', '较去年增长了多少？']).slice(1)).toEqual([
      'F:中山市2025年税收收入比上年增长多少？',
      'F:中山市2025年税收收入较去年增长了多少？',
    ]);
  });

  it('a change asked of a new place is no topic of its own: it keeps the topic and year', () => {
    expect(ask(['新嘉街道2024年限上社零额有多少？', '南星街道增长了多少？'])[1]).toBe('F:南星街道2024年限上社零额增长了多少？');
  });

  it('a counterpart takes the place of its own in the topic (支出 for 收入, 出口 for 进出口, a budget for another)', () => {
    expect(ask(['中山市2025年一般公共预算收入是多少？', '支出呢？', '政府性基金的呢？']).slice(1)).toEqual([
      'F:中山市2025年一般公共预算支出是多少？',
      'F:中山市2025年政府性基金支出是多少？',
    ]);
    expect(ask(['郑州2025年进出口总额是多少？', '其中出口呢？', '进口呢？']).slice(1)).toEqual([
      'F:郑州市2025年出口总额是多少？',
      'F:郑州市2025年进口总额是多少？',
    ]);
  });

  it('a qualifier is no place: 还有农村居民的呢 continues the topic, and the next turn builds on it', () => {
    expect(catalog.findPlaces('还有农村居民的呢?')).toEqual([]);
    expect(catalog.findPlaces('李家村2024年村集体收入多少?').map((p) => p.written)).toEqual(['李家村']);
    expect(ask(['南星街道2024年城镇居民人均可支配收入是多少？', '还有农村居民的呢？', '那全体居民呢？']).slice(1)).toEqual([
      'F:南星街道2024年农村居民人均可支配收入是多少？',
      'F:南星街道2024年全体居民人均可支配收入是多少？',
    ]);
  });

  it('a topic of its own without an ask is asked as the previous one; a change builds on a topic asked with 呢', () => {
    expect(ask(['郑州2025年常住人口是多少？', '那城镇化率呢？'])[1]).toBe('F:郑州市2025年城镇化率是多少？');
    expect(ask(['中山市2025年规上工业增加值增长多少？', '固定资产投资呢？'])[1]).toBe('F:中山市2025年固定资产投资增长多少？');
    expect(ask(['郑州市常住人口有多少呢？', '增长了多少？'])[1]).toBe('F:郑州市常住人口增长了多少？');
  });

  it('three turns: a new place, then a relative year counted from the year carried', () => {
    expect(ask(['郑州2025年规上工业增加值增长多少？', '中山市呢？', '去年呢？']).slice(1)).toEqual([
      'F:中山市2025年规上工业增加值增长多少？',
      'F:中山市2024年规上工业增加值增长多少？',
    ]);
  });

  it('explicit questions one after another are never rewritten', () => {
    expect(ask(['中山市2025年税收收入是多少？', '郑州2025年城镇化率是多少？', '全国2025年赤字率是多少？', '新嘉街道规上工业总产值比上年增长多少？'])).toEqual([
      '中山市2025年税收收入是多少?',
      '郑州2025年城镇化率是多少?',
      '全国2025年赤字率是多少?',
      '新嘉街道规上工业总产值比上年增长多少?',
    ]);
  });

  it('without a previous turn nothing is filled in', () => {
    expect(understand('那南星街道呢？', catalog).followUp).toBe(false);
  });
});

describe('Conversations', () => {
  const turn = (question: string) => ({ question, slots: { places: ['新嘉街道'], years: [2024], topic: question } });

  it('forgets a conversation after its time-to-live, on reset, and the oldest beyond the cap', () => {
    let now = 0;
    const c = new Conversations({ ttlMs: 1000, maxConversations: 2, now: () => now });
    c.record('a', turn('投资'));
    now = 999;
    expect(c.history('a')).toEqual([turn('投资')]);
    now = 2000;
    expect(c.history('a')).toEqual([]);
    c.record('a', turn('投资'));
    c.record('b', turn('投资'));
    c.record('c', turn('投资'));
    expect([c.history('a'), c.history('b'), c.history('c')].map((x) => x.length)).toEqual([0, 1, 1]);
    c.reset('b');
    expect(c.history('b')).toEqual([]);
  });

  it('keeps the last turns of a conversation, oldest first', () => {
    const c = new Conversations({ maxTurns: 2 });
    for (const q of ['一', '二', '三']) c.record('a', turn(q));
    expect(c.history('a').map((t) => t.question)).toEqual(['二', '三']);
  });
});
