/**
 * Follow-up questions in a conversation (那南星街道呢？ 去年呢？ 增长了多少？
 * 它的一般公共预算收入呢？), completed from the previous turn without an LLM: a
 * message is split into slots — places, years, topic — and a follow-up takes
 * from the previous turn only the slots it lacks. A message that names its own
 * place and topic is never altered.
 */
import type { NamedPlace } from './subject-catalog.js';

/** What a turn asked, by slot; kept in the conversation (names, never chunk ids, so it survives a re-index). */
export interface TurnSlots {
  /** Places as they should be written in a completed question (official names where known). */
  readonly places: readonly string[];
  readonly years: readonly number[];
  /** What is asked about, without places, years and follow-up cues (限上社零额有多少). */
  readonly topic: string;
}

const YEAR = /(?<!\d)((?:19|20)\d{2})(?:年[度末底]?)?(?!\d)/g;
const RELATIVE_YEAR: Readonly<Record<string, number>> = { 前年: -2, 去年: -1, 上年: -1, 上一年: -1, 今年: 0, 当年: 0, 明年: 1, 下一年: 1 };
/** A year relative to the previous turn's; 比上年/较去年/与上年 compare with the year before and change no year. */
const RELATIVE = /(?<![比较与])(?:前年|去年|上一年|上年|今年|当年|明年|下一年)/;
/** Cues that a message continues the previous turn. */
const CUE = /^(?:那么?|还有|另外|再问一下|再问|那再问)|[呢][？?]?$|^(?:它|其|该|这个|那个|这里|那里)/;
/** Pronouns standing for the previous turn's place, removed when that place is filled in. */
const PRONOUN = /^(?:那么?)?(?:它们?|其(?!中)|该地|该街道|该市|该县|该区|该镇|这个地方|这里|那里)(?:的)?/;
/** A change (同比增长, 比去年下降了). */
const CHANGE = '(?:同比|[比较](?:上年|去年|上一年)|与上年相比)?(?:增长|下降|增加|减少|增速|增幅|涨|降)了?';
/** A change alone (增长了多少？), which asks the change of the previous topic. */
const CHANGE_ONLY = new RegExp(`^${CHANGE}(?:多少|几成|百分之几|是多少)?[？?]?$`);
/** A change the previous topic ends with, replaced by the one asked (同比增长 → 比去年增长). */
const CHANGE_END = new RegExp(`${CHANGE}$`);
/** The ask at the end of a topic (有多少, 是多少), dropped before a change is appended. */
const ASK_TAIL = /(?:是|有|为|达到|达)?(?:多少|几|什么|哪些|怎么样|如何)[个项件次人元亿万处套名家]?[？?]?$/;
/** The ask at the end of a topic with the change it asks, if any (增长多少, 是多少): how a new topic is asked alike. */
const CHANGE_ASK_TAIL = new RegExp(`(?:${CHANGE})?${ASK_TAIL.source}`);
/** What remains of a message once cues and function words go: content shorter than two characters is no topic. */
const FILLER = /[那么呢吗吧啊呀的了？?！!，,。\s]|其中|还有|另外|怎么样|如何|情况|是多少|有多少|多少/g;

/** Ends of words that name a measure (收入, 总额, 率): a topic of its own, not a qualifier of the previous one. */
const MEASURE_END = /(?:收入|支出|总额|总值|产值|产量|人口|投资|余额|规模|面积|天数|人数|数量|目标|[率量数额金费价])$/;

/**
 * Words that stand for one another in the reports' measures (收入 ↔ 支出,
 * 出口 ↔ 进出口, 城镇 ↔ 农村, the four budgets): one asked alone after a topic
 * holding another of its group asks the same measure of it (支出呢 after
 * 一般公共预算收入 → 一般公共预算支出). Longer words first where one holds another.
 */
const COUNTERPARTS: readonly (readonly string[])[] = [
  ['收入', '支出'],
  ['进出口', '出口', '进口'],
  ['城镇', '农村', '乡村'],
  ['存款', '贷款'],
  ['一般公共预算', '政府性基金预算', '政府性基金', '国有资本经营预算', '社会保险基金预算'],
];

/** True when `words` are only counterparts joined by 和/与/、 (城镇和农村): qualifiers of a topic named before, no topic. */
export function onlyCounterparts(words: string): boolean {
  return words !== '' && words.split(/和|与|及|、/).every((w) => COUNTERPARTS.some((g) => g.includes(w)));
}

/**
 * A short qualifier asked of the previous topic (农村居民呢 after
 * 城镇居民人均可支配收入多少; 其中市级的呢 after 政府债务余额是多少): it takes the
 * place of a word of the same kind (城镇居民 → 农村居民) or goes before it
 * (市级政府债务余额, for 其中… and …级 only), and a counterpart takes the place
 * of its own (支出 for 收入). A topic that names a measure of its own, or
 * another thing (规上工业呢), stays as it is.
 */
function refined(previous: string, own: string): string {
  const word = own.replace(/^(?:其中|那么?|还有)/, '').replace(/的?[呢吗]?[？?]*$/, '');
  const counterpart = COUNTERPARTS.find((g) => g.includes(word))
    ?.filter((w) => w !== word && previous.includes(w))
    .sort((a, b) => b.length - a.length)[0];
  if (counterpart !== undefined) return previous.replace(counterpart, word);
  if (word.length < 2 || word.length > 4 || MEASURE_END.test(word) || previous.includes(word)) return own;
  const suffix = word.slice(-2);
  for (let at = previous.indexOf(suffix); at >= 0; at = previous.indexOf(suffix, at + 1)) {
    const start = at + 2 - word.length;
    if (start >= 0) return previous.slice(0, start) + word + previous.slice(at + 2);
  }
  // Going before the previous topic only for a part of it (其中…, 市级): 规上工业呢 asks something else.
  return /^其中/.test(own) || /级$/.test(word) ? word + previous : own;
}

/**
 * A topic of the message's own, written as a question: without the cue
 * around it (其中…的呢) and, when it asks nothing itself, asked as the
 * previous topic was, a change included (城镇化率 → 城镇化率是多少 after
 * 常住人口是多少; 固定资产投资 → 固定资产投资增长多少 after 规上工业增加值增长多少).
 */
function asked(topic: string, previous: string): string {
  const bare = topic.replace(/^其中/, '').replace(/的?[呢吗]?[？?]*$/, '');
  const ask = CHANGE_ASK_TAIL.exec(previous)?.[0].replace(/[？?]$/, '');
  return ASK_TAIL.test(bare) || ask === undefined ? bare : bare + ask;
}

/** Splits a (folded) question into slots. */
export function slotsOf(text: string, places: readonly NamedPlace[]): TurnSlots {
  let topic = '';
  let at = 0;
  for (const p of places) {
    topic += text.slice(at, p.start);
    at = p.end;
  }
  topic += text.slice(at);
  const years = [...topic.matchAll(YEAR)].map((m) => Number(m[1]));
  // Without the cue around it (那…的呢？), so a later turn can build on it (郑州的常住人口呢？ → 常住人口).
  topic = topic
    .replace(YEAR, '')
    .replace(PRONOUN, '')
    .replace(/^(?:那么?|还有|另外|的)/, '')
    .replace(/的?[呢吗]?[？?]*$/, '')
    .trim();
  return { places: places.map((p) => p.subject?.name ?? p.written), years, topic };
}

/** The content of a topic: without relative years, cues and function words (其中市级的呢 → 市级). */
export function topicCore(topic: string): string {
  return topic.replace(RELATIVE, '').replace(FILLER, '');
}

/** True when the topic holds at least two characters of content. */
export function hasTopic(topic: string): boolean {
  return topicCore(topic).length >= 2;
}

/** True when the text names a year relative to the previous turn's (去年, 明年). */
export function namesRelativeYear(text: string): boolean {
  return RELATIVE.test(text);
}

export interface ResolveOptions {
  /** The text is known to continue `previous` (a later clause of one message), cue or not. */
  readonly continued?: boolean;
}

export interface Resolution {
  readonly text: string;
  readonly followUp: boolean;
  readonly slots: TurnSlots;
}

/**
 * Completes `text` from the previous turn when it is a follow-up.
 *
 * @example resolveFollowUp('那南星街道呢？', slots, previous /* 新嘉街道 2024 限上社零额有多少 *\/)
 * // { text: '南星街道2024年限上社零额有多少？', followUp: true, … }
 */
export function resolveFollowUp(text: string, current: TurnSlots, previous: TurnSlots | undefined, opts: ResolveOptions = {}): Resolution {
  const asIs = { text, followUp: false, slots: current };
  if (previous === undefined) return asIs;
  const ownPlace = current.places.length > 0;
  // A change alone (郑州增长了多少) asks the change of the previous topic: no topic of its own.
  const ownTopic = hasTopic(current.topic) && !CHANGE_ONLY.test(current.topic);
  const relative = RELATIVE.exec(current.topic)?.[0];
  const cue = opts.continued === true || CUE.test(text.trim()) || PRONOUN.test(text.trim()) || CHANGE_ONLY.test(current.topic) || (relative !== undefined && !ownTopic);
  if (!cue || (ownPlace && ownTopic)) return asIs;

  const places = ownPlace ? current.places : previous.places;
  const base = previous.years[0];
  const years =
    current.years.length > 0 ? current.years : relative !== undefined && base !== undefined ? [base + (RELATIVE_YEAR[relative] ?? 0)] : previous.years;
  let topic: string;
  if (CHANGE_ONLY.test(current.topic)) topic = previous.topic.replace(ASK_TAIL, '').replace(CHANGE_END, '') + current.topic;
  else if (ownTopic) topic = asked(refined(previous.topic, current.topic.replace(RELATIVE, '')), previous.topic);
  else topic = previous.topic;
  if (places.length === 0 && !ownTopic && topic === previous.topic && years === previous.years) return asIs;
  const slots: TurnSlots = { places, years, topic: topic.replace(/[呢吗]?[？?]*$/, '') };
  const question = `${places.join('和')}${years.map((y) => `${y}年`).join('和')}${slots.topic}`;
  return { text: /[？?]$/.test(question) ? question : `${question}？`, followUp: true, slots };
}
