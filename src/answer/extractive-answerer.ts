/**
 * The default answerer, offline and deterministic: it quotes the units (one
 * to three sentences, or clauses of long sentences) that the decision chose
 * as evidence, each followed by its citation marker, after the subject and
 * year they are about when the quote does not name them. Because the answer is
 * made of verbatim report text, every figure and name in it comes from a
 * cited paragraph.
 */
import type { Answer, AnswerOptions, Answerer, Decision, Evidence, Passage } from '../types.js';
import { answerSubjectPrefix } from './answer-subject.js';
import { followingItems, isLeadIn, LIST_QUESTION, type ParagraphLookup } from './list-items.js';
import { CitationBook, withMarker } from './citations.js';
import { refusalAnswer } from './not-found.js';
import { analyzeQuestion } from './question-analysis.js';

/** A list question quotes a whole enumerating sentence up to this length. */
const MAX_LIST_SENTENCE_CHARS = 320;

/**
 * @example
 * const answerer = new ExtractiveAnswerer();
 * const a = await answerer.answer(decide('罗星街道2022年地区生产总值是多少', retrieved));
 * // a.text: '全年实现地区生产总值108.1亿元，增长2.7%[1]。', a.citations[0].paragraph: 3
 */
export class ExtractiveAnswerer implements Answerer {
  readonly id = 'extractive';

  async answer(decision: Decision, opts: AnswerOptions = {}): Promise<Answer> {
    opts.signal?.throwIfAborted();
    if (decision.kind !== 'answer') return refusalAnswer(decision, this.id);
    const q = analyzeQuestion(decision.question);
    const { evidence } = decision;
    const best = evidence[0];
    if (best === undefined) throw new Error('an answer decision holds evidence');
    const book = new CitationBook();
    // 罗星街道和新嘉街道…分别是多少 is a comparison, answered per place below, not a list.
    if (LIST_QUESTION.test(q.normalized) && q.placeGroups.length <= 1) {
      const list = listAnswer(best, book, opts.paragraphAt);
      if (list !== undefined) return { text: answerSubjectPrefix(q, evidence, list) + list, found: true, citations: book.citations(), answerer: this.id };
    }
    const text = evidence.map((c) => withMarker(c.unit.text, book.cite(c.passage, c.unit))).join('');
    return { text: answerSubjectPrefix(q, evidence, text) + text, found: true, citations: book.citations(), answerer: this.id };
  }
}

/**
 * A list question answered by a lead-in (重点抓好五个方面：) gets the items that
 * follow it in the report, each cited; one whose answer is a long enumerating
 * sentence (主要预期目标是：…、…、…) gets the whole sentence. Undefined when the
 * best passage is neither.
 */
function listAnswer(best: Evidence, book: CitationBook, lookup: ParagraphLookup | undefined): string | undefined {
  const { passage, unit } = best;
  const items = lookup === undefined ? [] : followingItems(passage.report.source, passage.paragraph, passage.section.length, lookup);
  // An introduction the items follow at once (2026年是…开局之年…。 then 一、…二、…) announces them too.
  const introduces = items[0]?.paragraph.paragraph === passage.paragraph + 1;
  if (items.length >= 2 && (isLeadIn(passage.text) || isLeadIn(unit.text) || passage.text.length <= 150 || introduces)) {
    const lead = withMarker(unit.text, book.cite(passage, unit)).replace(/。$/, '：');
    const cited = items.map((it) => {
      const p: Passage = { ...passage, paragraph: it.paragraph.paragraph, section: it.paragraph.section, text: it.paragraph.text, startsMidParagraph: false };
      return `${it.text}[${book.cite(p, { start: 0, end: it.text.length })}]`;
    });
    return `${lead}${cited.join('；')}。`;
  }
  // Items are often separated by semicolons up to the full stop (目标是：…；…；…。): quote them all.
  const stop = passage.text.indexOf('。', unit.sentenceStart);
  const end = stop < 0 ? passage.text.length : stop + 1;
  for (const to of [end, unit.sentenceEnd]) {
    const span = passage.text.slice(unit.sentenceStart, to);
    if (span.length > unit.text.length && span.length <= MAX_LIST_SENTENCE_CHARS) {
      return withMarker(span, book.cite(passage, { start: unit.sentenceStart, end: to }));
    }
  }
  return undefined;
}
