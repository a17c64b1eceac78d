import { describe, expect, it } from 'vitest';
import {
  extractReportWords,
  extractUserWords,
  mergeUserWords,
  type UserWordSource,
} from '../../../src/index/user-dictionary.js';
import { JiebaTokenizer } from '../../../src/text/jieba-tokenizer.js';

function report(paragraphs: string[], meta: { title?: string; region?: string } = {}): UserWordSource {
  return { title: meta.title ?? '', ...(meta.region === undefined ? {} : { region: meta.region }), paragraphs: paragraphs.map((text) => ({ text })) };
}

describe('extractUserWords', () => {
  it.each<[string, UserWordSource, string[]]>([
    ['splits the region into its administrative parts, with township stems', report([], { region: '嘉兴市嘉善县罗星街道' }), ['嘉兴市', '嘉兴', '嘉善县', '嘉善', '罗星街道', '罗星']],
    ['keeps a district whole but not its stem', report([], { region: '杭州市上城区南星街道' }), ['杭州市', '杭州', '上城区', '南星街道', '南星']],
    ['finds X街道 in the title', report([], { title: '南星街道2024年工作总结及2025年工作思路' }), ['南星街道', '南星']],
    ['finds townships jieba does not know', report(['在海宁市马桥街道，9 个重大项目集中开工', '去年底，秀洲区王店镇各级党组织']), ['马桥街道', '马桥', '王店镇', '王店']],
    [
      'finds parks and companies',
      report(['位于中国归谷嘉善科技园的达普生物科技有限公司是国内极少数能量产生物芯片的企业']),
      ['中国归谷嘉善科技园', '达普生物科技有限公司'],
    ],
    ['finds project towns', report(['南湖云创小镇获评创建类小镇考核优秀，南湖基金小镇获评命名类小镇考核良好']), ['南湖云创小镇', '南湖基金小镇']],
    ['walks back over the words of a long company name', report(['这背后离不开嘉善通力通信科技股份有限公司的技术支持']), ['嘉善通力通信科技股份有限公司']],
    ['stops a name at a policy verb', report(['深化龙煤集团改革，支持深儋合作区落地深农集团']), ['龙煤集团', '深农集团']],
    ['finds quoted names', report(['搭建“罗星开讲”“领袖播台”等载体，出台《惠企纾困若干意见》']), ['罗星开讲', '领袖播台', '惠企纾困若干意见']],
    ['believes an unknown village seen twice', report(['罗星街道鑫锋村一定榜上有名。', '推动鑫锋村美丽乡村风景线建设']), ['罗星街道', '罗星', '鑫锋村', '鑫锋']],
  ])('%s', (_, source, expected) => {
    expect(extractUserWords([source])).toEqual([...expected].sort());
  });

  it.each<[string, string[]]>([
    ['generic service centres', ['街道养老服务中心和社区卫生服务中心项目已进入装修阶段']],
    ['a verb before 街道', ['全面深化街道工作，持续推动街道建设']],
    ['an unknown word glued to 村, seen once', ['抓实村（农村社区）居民医疗费报销补助工作']],
    ['quoted phrases, slogans with stop words, single characters and numbers', ['“最”强音，“最多的”，“开局就是决战、起步就是冲刺”，“777”目标，“我们老年人，尤其是有基础疾病的”']],
    ['a title without names', ['街道2022年工作总结及2023年工作思路']],
  ])('produces nothing for %s', (_, paragraphs) => {
    expect(extractUserWords([report(paragraphs)])).toEqual([]);
  });

  it('merges the words of several reports without duplicates, sorted', () => {
    const words = extractUserWords([report([], { region: '嘉兴市南湖区新嘉街道' }), report(['新嘉街道办事处'], { region: '嘉兴市' })]);
    expect(words).toEqual(['南湖区', '嘉兴', '嘉兴市', '新嘉', '新嘉街道']);
  });
});

describe('extractReportWords / mergeUserWords', () => {
  const reports = [
    report(['罗星街道鑫锋村一定榜上有名。'], { region: '嘉兴市嘉善县罗星街道' }),
    report(['推动鑫锋村美丽乡村风景线建设，搭建“罗星开讲”载体'], { title: '南星街道2024年工作总结' }),
    report(['位于中国归谷嘉善科技园的达普生物科技有限公司'], { region: '嘉兴市' }),
  ];

  it('merged per report, gives exactly what extractUserWords gives for the collection', () => {
    expect(mergeUserWords(reports.map((r) => extractReportWords(r)))).toEqual(extractUserWords(reports));
  });

  it('keeps an unsure name as a count, believed only once the collection has it twice', () => {
    const [first, second] = reports.map((r) => extractReportWords(r));
    expect(first?.unsure).toEqual({ 鑫锋村: 1, 鑫锋: 1 });
    expect(first?.sure).not.toContain('鑫锋村');
    expect(mergeUserWords([first!])).not.toContain('鑫锋村');
    expect(mergeUserWords([first!, second!])).toEqual(expect.arrayContaining(['鑫锋村', '鑫锋']));
  });

  it('merges into distinct, sorted words', () => {
    const words = mergeUserWords([
      { sure: ['嘉兴市', '罗星'], unsure: {} },
      { sure: ['罗星', '南星'], unsure: { 王店: 1 } },
      { sure: [], unsure: { 王店: 1 } },
    ]);
    expect(words).toEqual(['南星', '嘉兴市', '王店', '罗星'].sort());
  });
});

describe('extractReportWords and tokenizers with words', () => {
  it('finds the same names after a tokenizer has been given them: jieba itself never changes', () => {
    const source = report(['这背后离不开丽水瓯江青瓷科技股份有限公司的支持，紫金街道搭建“紫金夜话”“瓯江学堂”等载体，赤石乡和官坑村']);
    const meta = report([], { region: '丽水市云和县紫金街道' });
    const before = [source, meta].map((r) => extractReportWords(r));
    const words = mergeUserWords(before);
    expect(words).toEqual(expect.arrayContaining(['丽水瓯江青瓷科技股份有限公司', '紫金夜话', '紫金街道', '紫金']));

    const tokenizer = new JiebaTokenizer({ words });
    expect(tokenizer.tokenize('丽水瓯江青瓷科技股份有限公司')).toContain('丽水瓯江青瓷科技股份有限公司');
    expect([source, meta].map((r) => extractReportWords(r))).toEqual(before);
  });
});
