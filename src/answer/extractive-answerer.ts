/**
 * The default answerer, offline and deterministic: it quotes the units (one
 * to three sentences, or clauses of long sentences) that the decision chose
 * as evidence, each followed by its citation marker, after the subject and
 * year they are about when the quote does not name them. Because the answer is
 * made of verbatim report text, every figure and name in it comes from a
 * cited paragraph. A yes/no question gets its verdict first (是。已经。…)
 * when the quoted units state it (see yes-no.ts).
 */
import { splitSentences } from '../text/sentences.js';
import type { Answer, AnswerOptions, Answerer, Decision, Evidence, Paragraph, Passage, RetrievedChunk } from '../types.js';
import { answerSubjectPrefix } from './answer-subject.js';
import { enclosingList, followingItems, isLeadIn, LIST_QUESTION, type ListItem, type ParagraphLookup } from './list-items.js';
import { GAP, toPassages } from './passages.js';
import { CitationBook, withMarker } from './citations.js';
import { refusalAnswer } from './not-found.js';
import { analyzeQuestion } from './question-analysis.js';
import { yesNoVerdict } from './yes-no.js';

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
      const list = (opts.paragraphAt && retrievedList(decision.usable, book, opts.paragraphAt)) ?? listAnswer(best, book, opts.paragraphAt);
      if (list !== undefined) return { text: answerSubjectPrefix(q, evidence, list) + list, found: true, citations: book.citations(), answerer: this.id };
    }
    const text = evidence.map((c) => withMarker(c.unit.text, book.cite(c.passage, c.unit))).join('');
    const verdict = yesNoVerdict(q, evidence) ?? '';
    return { text: verdict + answerSubjectPrefix(q, evidence, text) + text, found: true, citations: book.citations(), answerer: this.id };
  }
}

/** Retrieved items of one list that make the question a question about that list. */
const MIN_RETRIEVED_ITEMS = 2;

/**
 * When several retrieved passages are items of one list ((三)…, (四)…, (六)…
 * for 工作安排有哪些方面), the whole list: its lead-in and every item, each cited.
 * Undefined when no two retrieved passages belong to one list.
 */
function retrievedList(usable: readonly RetrievedChunk[], book: CitationBook, lookup: ParagraphLookup): string | undefined {
  const lists = new Map<string, { count: number; list: NonNullable<ReturnType<typeof enclosingList>>; passage: Passage }>();
  for (const passage of toPassages(usable)) {
    const list = enclosingList(passage.report.source, passage.paragraph, lookup);
    const first = list?.items[0];
    if (list === undefined || first === undefined || list.items.length < MIN_RETRIEVED_ITEMS) continue;
    const key = `${passage.report.source}\u0000${first.paragraph.paragraph}`;
    const seen = lists.get(key);
    if (seen === undefined) lists.set(key, { count: 1, list, passage });
    else seen.count++;
  }
  const chosen = [...lists.values()].find((l) => l.count >= MIN_RETRIEVED_ITEMS);
  if (chosen === undefined) return undefined;
  const { list, passage } = chosen;
  const at = (paragraph: Paragraph): Passage => ({ ...passage, paragraph: paragraph.paragraph, section: paragraph.section, text: paragraph.text, startsMidParagraph: false });
  const lead = list.lead === undefined ? '' : leadSentence(list.lead, at(list.lead), book);
  return `${lead}${citedItems(list.items, at, book)}。`;
}

/** A lead-in paragraph's last sentence, cited, ending in a colon. */
function leadSentence(paragraph: Paragraph, passage: Passage, book: CitationBook): string {
  const sentences = splitSentences(paragraph.text);
  const last = sentences[sentences.length - 1];
  if (last === undefined) return '';
  return withMarker(last.text, book.cite(passage, last)).replace(/。$/, '：');
}

function citedItems(items: readonly ListItem[], at: (p: Paragraph) => Passage, book: CitationBook): string {
  return items.map((it) => `${it.text}[${book.cite(at(it.paragraph), { start: 0, end: it.text.length })}]`).join('；');
}

/**
 * A list question answered by a lead-in (重点抓好五个方面：) gets the items that
 * follow it in the report, each cited; one whose answer is a long enumerating
 * sentence (主要预期目标是：…、…、…) gets the whole sentence. Undefined when the
 * best passage is neither.
 */
function listAnswer(best: Evidence, book: CitationBook, lookup: ParagraphLookup | undefined): string | undefined {
  const { passage, unit } = best;
  // The whole paragraph, when the retrieved chunk ends before the sentence does.
  const { whole, offset } = wholeParagraph(passage, lookup);
  const from = unit.sentenceStart + offset;
  const stop = whole.text.indexOf('。', from);
  const end = stop < 0 ? whole.text.length : stop + 1;
  // A sentence that enumerates on its own (目标为：…；…；…。) is the list, whatever headings follow it.
  const enumerates = /[：:][^。]*[；;]/.test(whole.text.slice(from, end));
  const items = lookup === undefined || enumerates ? [] : followingItems(passage.report.source, passage.paragraph, passage.section.length, lookup);
  // An introduction the items follow at once (2026年是…开局之年…。 then 一、…二、…) announces them too.
  const introduces = items[0]?.paragraph.paragraph === passage.paragraph + 1;
  if (items.length >= 2 && (isLeadIn(passage.text) || isLeadIn(unit.text) || passage.text.length <= 150 || introduces)) {
    const lead = withMarker(unit.text, book.cite(passage, unit)).replace(/。$/, '：');
    const at = (p: Paragraph): Passage => ({ ...passage, paragraph: p.paragraph, section: p.section, text: p.text, startsMidParagraph: false });
    return `${lead}${citedItems(items, at, book)}。`;
  }
  // Items are often separated by semicolons up to the full stop (目标是：…；…；…。): quote them all.
  for (const to of [end, unit.sentenceEnd + offset]) {
    const span = whole.text.slice(from, to);
    if (span.length > unit.text.length && span.length <= MAX_LIST_SENTENCE_CHARS) {
      return withMarker(span, book.cite(whole, { start: from, end: to }));
    }
  }
  return undefined;
}

/** The passage as its whole paragraph, and where the retrieved text starts in it; the passage itself when it cannot be placed. */
function wholeParagraph(passage: Passage, lookup: ParagraphLookup | undefined): { whole: Passage; offset: number } {
  const paragraph = lookup?.(passage.report.source, passage.paragraph);
  const offset = paragraph === undefined || passage.text.includes(GAP) ? -1 : paragraph.text.indexOf(passage.text);
  if (paragraph === undefined || offset < 0) return { whole: passage, offset: 0 };
  return { whole: { ...passage, text: paragraph.text, startsMidParagraph: false }, offset };
}
