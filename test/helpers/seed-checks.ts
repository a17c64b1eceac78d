/**
 * Questions about the seed reports that name a place (or a project) and a
 * figure, each with the report and the exact text of the paragraph that
 * answers it. Written by reading the seeds; used by the retrieval tests and
 * the fusion measurement (bench/fusion-compare.ts).
 */
export interface SeedCheck {
  readonly question: string;
  /** File name of the seed report. */
  readonly source: string;
  /** Text that the answering paragraph contains (compared with whitespace removed). */
  readonly evidence: string;
}

const LX = '000_66e9643bcf1264a2.txt';
const NX = '001_e2c7ed4295899fe4.txt';
const XJ = '002_ab471fbdba255351.txt';
const HN = '003_27b9736ab03bda84.txt';
const AN = '004_fb0e9855fe739ea6.txt';

export const SEED_CHECKS: readonly SeedCheck[] = [
  { question: '罗星街道2022年地区生产总值', source: LX, evidence: '全年实现地区生产总值108.1亿元' },
  { question: '罗星街道财政总收入是多少', source: LX, evidence: '财政总收入9.63亿元' },
  { question: '罗星街道一般公共预算收入多少', source: LX, evidence: '一般公共预算收入4.88亿元' },
  { question: '罗星街道服务业投资多少亿元', source: LX, evidence: '服务业投资86.8亿元' },
  { question: '罗星街道规模以上服务业营收', source: LX, evidence: '规模以上服务业营收38.7亿元' },
  { question: '罗星街道完成了几个征迁项目', source: LX, evidence: '征迁项目12个' },
  { question: '罗星街道推进了多少个老旧小区改造', source: LX, evidence: '17个老旧小区改造' },
  { question: '罗星街道2022年村均集体经济经营性收入', source: LX, evidence: '村均集体经济经营性收入超900万元' },
  { question: '罗星街道医保扩面参保率', source: LX, evidence: '医保扩面参保率达99.65%' },
  { question: '罗星街道共晶医疗项目签约', source: LX, evidence: '签约落地共晶医疗' },

  { question: '南星街道新招引的税收超100万项目合计税收多少', source: NX, evidence: '合计税收3454.15万元' },
  { question: '南星街道全年走访规上企业多少家', source: NX, evidence: '走访规上企业190家574次' },
  { question: '南星街道电梯更新了多少台', source: NX, evidence: '电梯更新84台' },
  { question: '南星街道拆除违章建筑多少处', source: NX, evidence: '拆除违章建筑19处' },
  { question: '南星街道处理信访多少件', source: NX, evidence: '回复信访2322件' },
  { question: '南星街道全年组织文化惠民活动多少场', source: NX, evidence: '文化惠民活动151场' },
  { question: '南星街道开展安全检查多少次', source: NX, evidence: '开展安全检查2926次' },
  { question: '南星街道新引进的千万级税收企业', source: NX, evidence: '2家千万级税收企业' },

  { question: '新嘉街道规上工业总产值', source: XJ, evidence: '规上工业总产值152.16亿元' },
  { question: '新嘉街道全年固定资产投资', source: XJ, evidence: '全年实现固定资产投资27.76亿元' },
  { question: '新嘉街道新增停车位多少个', source: XJ, evidence: '新增停车位共527个' },
  { question: '新嘉街道发放高龄津贴多少', source: XJ, evidence: '发放高龄津贴超250万元' },
  { question: '新嘉街道全年办理信访件多少件', source: XJ, evidence: '全年办理信访件2004件' },
  { question: '新嘉街道2024年新入库项目总投资', source: XJ, evidence: '总投资达31.5亿元' },
  { question: '新嘉街道灵活就业社保补贴多少人', source: XJ, evidence: '落实灵活就业社保补贴446人' },
  { question: '新嘉街道完成集体决策多少项', source: XJ, evidence: '完成集体决策218项' },

  { question: '晶科能源项目落户海宁总投资多少', source: HN, evidence: '总投资186.8亿元' },
  { question: '海宁的777目标是什么', source: HN, evidence: '投资700亿、招引700亿、谋划700亿' },
  { question: '魏塘街道组建了多少支暖心服务小分队', source: HN, evidence: '组建183支' },
  { question: '海宁一季度计划新招引大学生多少人', source: HN, evidence: '新招引大学生4000人以上' },

  { question: '国际未来科技岛所在街道2022年民间投资增长多少', source: AN, evidence: '民间投资增长5911%' },
  { question: '国际康养中心在建总面积', source: AN, evidence: '在建总面积超3.2万平方米' },
  { question: '鹿泰总部科创园总投资多少', source: AN, evidence: '总投资3.2亿元的山海协作项目鹿泰总部科创园' },
  { question: '完成老涂、上沙等集体土地协议签订后出让了多少亩土地', source: AN, evidence: '完成260亩土地出让' },
  { question: '老涂村旧村拆改后实现多少亩土地征收', source: AN, evidence: '实现600亩土地顺利征收' },
];

/** Removes all whitespace, as the evaluation does before comparing evidence. */
export function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}
