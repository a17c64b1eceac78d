/**
 * The figures of an answer that no cited paragraph holds, leaving out what the
 * answer states about its quotes rather than quotes: the year of a subject
 * label (郑州市（2025年）：) comes from the report's identity, and a comparison
 * line (比较：/相差：/合计：) is arithmetic on the quoted figures.
 */
import { figuresMissingFrom } from '../../src/answer/figure-check.js';

const LABEL_YEAR = /（(?:19|20)\d{2}年）：/g;
const COMPUTED_LINE = /^(?:比较|相差|合计|无法比较)：.*$/gm;

export function ungroundedFigures(answerText: string, cited: readonly string[]): string[] {
  return figuresMissingFrom(answerText.replace(COMPUTED_LINE, '').replace(LABEL_YEAR, '：'), cited);
}
