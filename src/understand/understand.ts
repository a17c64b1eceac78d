/**
 * The first stage of answering: what does the message ask, about which
 * subjects? Pure: the message, the index's subject catalog and the previous
 * turn in, an {@link Understanding} out. Retrieval then looks in the reports
 * of the named subjects, and the decision checks passages against them.
 */
import { inReportWords } from './colloquial.js';
import { isEnglish, toChineseQuestion } from './english-question.js';
import { resolveFollowUp, slotsOf, type TurnSlots } from './follow-up.js';
import { readQuestion } from './question-text.js';
import type { CatalogSubject, NamedPlace, SubjectCatalog } from './subject-catalog.js';

export type MessageKind = 'question' | 'small-talk' | 'english-unknown';

export interface Understanding {
  readonly kind: MessageKind;
  /** The question to answer: Simplified, without pleasantries, wrong characters corrected, a follow-up completed. */
  readonly text: string;
  /**
   * `text` with places in their official names (郑州 → 郑州市), for retrieval
   * and the decision: the reports' headers and sentences use those.
   */
  readonly query: string;
  /** True when `text` says more or other than the message (shown to the user as 理解为). */
  readonly rewritten: boolean;
  /** True when `text` was completed from the previous turn. */
  readonly followUp: boolean;
  /** Places named in `text`, left to right. */
  readonly places: readonly NamedPlace[];
  /** The indexed subjects named, in order, without repeats: answers come from their reports. */
  readonly subjects: readonly CatalogSubject[];
  /** Places named that no indexed report is about (杭州 when only 郑州 is indexed): nothing can answer for them. */
  readonly unknownPlaces: readonly string[];
  /** The slots to remember for the next turn. */
  readonly slots: TurnSlots;
}

/**
 * @example understand('那南星街道呢？', catalog, { places: ['新嘉街道'], years: [2024], topic: '限上社零额有多少' })
 * // { kind: 'question', text: '南星街道2024年限上社零额有多少？', followUp: true, subjects: [南星街道], … }
 */
export function understand(message: string, catalog: SubjectCatalog, previous?: TurnSlots): Understanding {
  const read = readQuestion(message);
  if (read.smallTalk) return plain('small-talk', read.text);
  let text = read.text;
  let rewritten = read.rewritten;
  if (isEnglish(text)) {
    const chinese = toChineseQuestion(text, catalog);
    if (chinese === undefined) return plain('english-unknown', text);
    text = chinese;
    rewritten = true;
  }

  const worded = inReportWords(text);
  if (worded !== text) {
    text = worded;
    rewritten = true;
  }

  // Same-sounding wrong characters in a place name (南兴街道) are written as the subject's name.
  let places = catalog.findPlaces(text);
  const corrected = places.filter((p) => p.corrected === true && p.subject !== undefined);
  for (const p of [...corrected].reverse()) text = text.slice(0, p.start) + (p.subject?.name ?? p.written) + text.slice(p.end);
  if (corrected.length > 0) {
    places = catalog.findPlaces(text);
    rewritten = true;
  }

  const resolution = resolveFollowUp(text, slotsOf(text, places), previous);
  if (resolution.followUp) {
    text = resolution.text;
    places = catalog.findPlaces(text);
    rewritten = true;
  }
  const subjects = [...new Map(places.flatMap((p) => (p.subject === undefined ? [] : [[p.subject.name, p.subject] as const]))).values()];
  const unknownPlaces = places.filter((p) => p.subject === undefined && p.place !== undefined).map((p) => p.written);
  const query = officialNames(text, places);
  return { kind: 'question', text, query, rewritten, followUp: resolution.followUp, places, subjects, unknownPlaces, slots: resolution.slots };
}

/** Writes each place by its official name; national names (全国, 我国) stay as written. */
function officialNames(text: string, places: readonly NamedPlace[]): string {
  let out = text;
  for (const p of [...places].reverse()) {
    const official = p.place?.name ?? (p.subject !== undefined && /[省市县区州盟旗街道镇乡]$/.test(p.subject.name) ? p.subject.name : undefined);
    if (official !== undefined && official !== p.written) out = out.slice(0, p.start) + official + out.slice(p.end);
  }
  return out;
}

function plain(kind: MessageKind, text: string): Understanding {
  return { kind, text, query: text, rewritten: false, followUp: false, places: [], subjects: [], unknownPlaces: [], slots: { places: [], years: [], topic: '' } };
}
