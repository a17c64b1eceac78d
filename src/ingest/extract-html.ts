import { type AnyNode, type Document, Element, isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { AppError } from '../errors.js';
import { decodeHtml } from './decode-html.js';
import { elementsOf, findElement, maxDepth, textOf } from './html-dom.js';
import { findMainBlock } from './html-main-block.js';
import type { SourceLine } from './source-lines.js';

/** Elements that end a line before and after them. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li',
  'main', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]);
const HEADING = /^h([1-6])$/;
/** `<meta name=…>` values CMSs (TRS and others) put the article title in, in order of trust. */
const TITLE_METAS = ['articletitle', 'og:title', 'title'];
/** `<h1>`s tried as the title (later ones are section headings). */
const MAX_H1_TITLES = 2;
/** Between a `<title>`'s article title and the site name: `标题_栏目_某市人民政府`, `标题 - 某市`. */
const TITLE_SITE_SEPARATOR = /\s*(?:[_|｜]|\s[-—–]\s|--)\s*/;
/** Deeper pages are refused (browsers stop nesting near 512; the walks below recurse). */
const MAX_DEPTH = 1000;

/** A line made only of page tools: `【打印本页】【关闭窗口】`, `字号：大 中 小`, `返回顶部`. */
const TOOL_LINE =
  /^(?:[【[（(]?\s*(?:打印(?:本页|此页|文章|页面)?|关闭(?:本页|窗口|此页|页面)?|返回(?:顶部|首页|列表|上一页)?|收藏(?:本页)?|加入收藏|设为首页|分享(?:到)?|我要纠错|纠错|保存(?:本页)?|字号|字体|[大中小](?:字)?|默认|T)\s*[】\]）)]?[\s:：|｜/]*)+$/;
/** `上一篇：…`, `下一条`: links to the neighbouring documents. */
const NEIGHBOUR_LINK = /^(?:上一篇|下一篇|上一条|下一条)/;
/** `扫一扫在手机打开当前页`, `分享到：微信 微博`. */
const SHARE_LINE = /^(?:扫一扫|用手机扫描|手机扫码|分享到)/;

/**
 * Lines of a saved web page's main text (see html-main-block.ts for how the
 * text is found and site furniture dropped). Line breaks follow the page's
 * blocks: paragraphs, `<br>`, headings, list items and table rows; table
 * cells are separated by a space. `<h1>`–`<h6>` keep their depth as heading
 * hints. Entities are decoded; the charset comes from the page's declaration
 * or, without one, from the bytes (decode-html.ts). Lines made only of page
 * tools (print, close, font size, previous/next links) are dropped.
 * Throws `REPORT_UNREADABLE` when the bytes are not text or the page has no text.
 */
export function extractHtmlLines(bytes: Uint8Array): SourceLine[] {
  const doc = parseDocument(decodeHtml(bytes), { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const body = bodyOf(doc);
  if (maxDepth(doc) > MAX_DEPTH) throw new AppError('REPORT_UNREADABLE', `web page nested more than ${MAX_DEPTH} elements deep`);
  const { titles, stated } = pageTitles(doc);
  const block = findMainBlock(body, titles, stated);
  const out: SourceLine[] = block.title === undefined ? [] : [{ text: block.title, headingDepth: 1 }];
  new LineWriter(out, block.skip, block.titleElement).write(block.root);
  const lines = out.filter((l) => !isToolLine(l.text));
  if (!lines.some((l) => /\p{Script=Han}|[A-Za-z0-9]/u.test(l.text))) {
    throw new AppError('REPORT_UNREADABLE', 'no text found in the web page (only markup or page furniture)');
  }
  return lines;
}

/** `<body>`, else `<html>`, else (a fragment) the top-level nodes under a `<body>` made for them. */
function bodyOf(doc: Document): Element {
  const found = findElement(doc, 'body') ?? findElement(doc, 'html');
  if (found !== undefined) return found;
  const body = new Element('body', {}, doc.children);
  for (const child of doc.children) child.parent = body;
  return body;
}

function isToolLine(text: string): boolean {
  const t = text.trim();
  return TOOL_LINE.test(t) || NEIGHBOUR_LINK.test(t) || SHARE_LINE.test(t);
}

/** Titles the page states, most trusted first: a title `<meta>`, the first `<h1>`s, the first part of `<title>` (before the site name). */
function pageTitles(doc: Document): { titles: string[]; stated: string | undefined } {
  const elements = elementsOf(doc);
  const metas = new Map<string, string>();
  for (const el of elements) {
    if (el.name !== 'meta') continue;
    const key = (el.attribs['name'] ?? el.attribs['property'] ?? '').toLowerCase();
    const value = collapse(el.attribs['content'] ?? '');
    if (key !== '' && value !== '' && !metas.has(key)) metas.set(key, value);
  }
  const meta = TITLE_METAS.map((k) => metas.get(k)).find((v) => v !== undefined);
  const headings = elements.filter((el) => el.name === 'h1').slice(0, MAX_H1_TITLES).map((el) => collapse(textOf(el)));
  const title = collapse(textOf(findElement(doc, 'title'))).split(TITLE_SITE_SEPARATOR)[0];
  const stated = meta ?? (title === '' ? undefined : title);
  const titles = [meta, ...headings, title].filter((t): t is string => t !== undefined && t !== '');
  return { titles: [...new Set(titles)], stated };
}

/** Writes an element's text as lines: blocks break lines, `<br>` too, headings carry their depth. */
class LineWriter {
  private line = '';

  constructor(
    private readonly out: SourceLine[],
    private readonly skip: (el: Element) => boolean,
    private readonly titleElement: Element | undefined,
  ) {}

  write(root: Element): void {
    this.node(root, false);
    this.flush();
  }

  private node(node: AnyNode, pre: boolean): void {
    if (isText(node)) {
      this.line += pre ? node.data.replace(/\r\n?/g, '\n') : node.data;
      if (pre && this.line.includes('\n')) this.flushPre();
      return;
    }
    if (!isTag(node) || this.skip(node)) return;
    const name = node.name;
    if (name === 'br') return this.flush();
    const depth = node === this.titleElement ? 1 : Number(HEADING.exec(name)?.[1] ?? 0);
    if (depth > 0 || BLOCK.has(name)) this.flush();
    if (name === 'td' || name === 'th') this.line += ' ';
    for (const child of node.children) this.node(child, pre || name === 'pre');
    if (depth > 0) this.flush(depth);
    else if (BLOCK.has(name)) this.flush();
  }

  /** Inside `<pre>`, every newline ends a line. */
  private flushPre(): void {
    const parts = this.line.split('\n');
    this.line = parts.pop() ?? '';
    for (const p of parts) this.emit(p.trim());
  }

  private flush(depth?: number): void {
    this.emit(collapse(this.line), depth);
    this.line = '';
  }

  private emit(text: string, depth?: number): void {
    if (text === '') return;
    this.out.push(depth === undefined ? { text } : { text, headingDepth: depth });
  }
}

const CJK = '\\p{Script=Han}\\u3000-\\u303F\\uFF00-\\uFFEF“”‘’…—';
/** Source line breaks between two CJK characters are not spaces (CSS segment-break rules; pages wrap Chinese lines anywhere). */
const CJK_BREAK = new RegExp(`(?<=[${CJK}])[ \\t\\f]*[\\r\\n][ \\t\\r\\n\\f]*(?=[${CJK}])`, 'gu');

/** HTML whitespace collapsed the way a browser shows it; NBSP and U+3000 are left to the normaliser. */
function collapse(text: string): string {
  return text.replace(CJK_BREAK, '').replace(/[ \t\r\n\f]+/g, ' ').trim();
}
