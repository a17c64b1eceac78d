/**
 * The question as people type it, reduced to what it asks: NFKC (full-width
 * letters and digits), Traditional script folded to Simplified, greetings and
 * thanks around the question dropped (你好，我想问一下……谢谢！). Also tells a
 * message that asks nothing (谢谢你, 你好, 你是谁) from a question.
 */
import { toSimplified } from '../text/simplify.js';

/** Greetings and polite openings before the question, repeatedly. */
const OPENING =
  /^(?:(?:你好|您好|哈喽|嗨|hi|hello|喂)[啊呀呢]?|(?:请问|请教|打扰(?:一下)?|麻烦(?:问)?(?:一下)?|(?:我)?想(?:问|了解|知道|请教|核实|确认|查|咨询)(?:一下|下)?|(?:我)?(?:问|咨询)(?:一下|下|个问题)|能(?:否|不能)?告诉我|请(?:你)?告诉我|帮我查(?:一下|下)?|帮我看看|你知道|请帮忙(?:查一下)?|老师|小助手|机器人))[，,。！!、\s:：~～]*/i;
/** Thanks and filler after the question, repeatedly. */
const CLOSING = /[，,。！!、\s~～]*(?:谢谢(?:你|您|啦|了)?|多谢|感谢(?:你|您)?|thanks?(?: you)?|麻烦了|辛苦了|拜托了|急|在线等)[!！。.~～\s]*$/i;

/** A whole message that asks nothing of the reports. */
const SMALL_TALK =
  /^(?:你好|您好|hi|hello|哈喽|嗨|谢谢|谢谢你|谢谢您|多谢|感谢|好的|好|嗯|哦|ok|okay|收到|明白了|再见|拜拜|在吗|在不在|你是谁|你叫什么|你能做什么|你会什么|能做什么|怎么用|帮助|help|早上好|晚上好|下午好|辛苦了|厉害|不错|棒)[!！。.~～?？\s啊呀呢吗]*$/i;

/** Clauses that only introduce the asker or thank (我是一名记者, 正在写论文, 麻烦您了). */
const INTRO_CLAUSE =
  /^(?:您好|你好|老师好|[\u4e00-\u9fff]{0,3}好|打扰了|我是|我们|我在|我最近|正在|在做|在写|我想|想|麻烦|能不能|能否|可不可以|可以帮|帮我|谢谢|非常感谢|万分感谢|感谢|多谢|辛苦|拜托)/;
/** What makes a clause part of the question. */
const ASKS = /多少|几|什么|哪|吗|是否|怎么|如何|为何|为什么|有没有|(?:19|20)\d{2}/;

/**
 * Long polite messages (您好，我是一名研究生……想麻烦您帮我查一下：2025年…是多少？
 * 非常感谢！) keep only the clauses that ask; a short message is kept whole.
 */
function askingClauses(text: string): string {
  const clauses = text.split(/(?<=[，,。！!？?；;：:])/);
  if (clauses.length < 3) return text;
  const kept = clauses.filter((c) => ASKS.test(c) || !INTRO_CLAUSE.test(c.trim()));
  return kept.length === 0 ? text : kept.join('').replace(/^[，,。；;：:\s]+/, '');
}

export interface QuestionText {
  /** NFKC, Simplified, trimmed, without greetings and thanks. */
  readonly text: string;
  /** True when the message asks nothing of the reports (or nothing is left). */
  readonly smallTalk: boolean;
  /** True when `text` differs from the message beyond width and spacing. */
  readonly rewritten: boolean;
}

/**
 * @example readQuestion('你好，我想问一下新嘉街道2024年規上工業總產值是多少？谢谢！')
 * // { text: '新嘉街道2024年规上工业总产值是多少？', smallTalk: false, rewritten: true }
 */
export function readQuestion(message: string): QuestionText {
  const folded = message.normalize('NFKC').replace(/\s+/g, ' ').trim();
  // Nothing typed is not small talk: it gets the plain not-found answer.
  if (folded === '') return { text: '', smallTalk: false, rewritten: false };
  if (SMALL_TALK.test(folded)) return { text: folded, smallTalk: true, rewritten: false };
  let text = askingClauses(toSimplified(folded));
  for (let before = ''; before !== text; ) {
    before = text;
    text = text.replace(OPENING, '').replace(CLOSING, '').trim();
  }
  if (text === '' || SMALL_TALK.test(text)) return { text: folded, smallTalk: true, rewritten: false };
  return { text, smallTalk: false, rewritten: text !== folded };
}
