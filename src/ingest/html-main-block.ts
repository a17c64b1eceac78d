/**
 * Finds the part of a saved web page that holds its text, for extract-html.ts.
 * Government pages wrap one document in site furniture (menus, breadcrumbs,
 * share and print tools, related links, footers); which element holds the
 * document differs per site, so the rules are generic:
 *
 * 1. Furniture is skipped: non-text elements (script, style, form controls…),
 *    hidden elements, `<nav>`/`<aside>`, `<header>`/`<footer>` outside an
 *    article, and small elements whose id/class names furniture (nav, menu,
 *    breadcrumb, share, print, footer, copyright, related…).
 * 2. The main block is a named candidate (`<article>`, `<main>`, role=main, or
 *    an id/class naming content: content, article, zoom, TRS_Editor, detail,
 *    zhengwen…): of those holding at least 85% of the best one's Chinese text,
 *    the smallest (the innermost wrapper of the text). Without a candidate that
 *    holds enough of the page, the block whose paragraphs hold the most
 *    Chinese text wins. Link text counts for nothing, so menus never win.
 * 3. When the page's title sits outside that block, the smallest element
 *    holding both is used instead if it adds little text (the title and the
 *    date/source line above a body); otherwise the title is returned alone.
 */
import { type AnyNode, type Element, isTag, isText } from 'domhandler';
import { elementsOf, parentElement, textOf } from './html-dom.js';

/** Elements that never hold report text. */
const NON_TEXT = new Set([
  'head', 'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'svg', 'canvas', 'object', 'embed', 'map',
  'video', 'audio', 'select', 'option', 'button', 'input', 'textarea', 'nav', 'aside',
]);
/** Page-level furniture elements, unless inside an article. */
const PAGE_FURNITURE = new Set(['header', 'footer']);
/** id/class words of furniture (whole words of the name: `top-nav`, `navBar`, `bdshare_box`). */
const FURNITURE_WORDS = new Set([
  'nav', 'navbar', 'menu', 'submenu', 'breadcrumb', 'breadcrumbs', 'crumb', 'crumbs', 'location', 'position', 'sidebar',
  'share', 'bdshare', 'toolbar', 'tools', 'print', 'footer', 'foot', 'copyright', 'banner', 'related', 'relate',
  'pagination', 'pager', 'search', 'login', 'qrcode', 'ewm', 'xglj', 'xgwz', 'friendlink', 'links',
]);
/** id/class of a content wrapper: common CMS names (TRS_Editor, zoom, zhengwen/zw) and generic ones. */
const CONTENT_NAME = /content|article|zoom|trs_?editor|detail|zhengwen|(?:^|[\s_-])zw(?:$|[\s_-])|main|text|post|entry|body/i;
/** Furniture names only apply to elements holding less than this share of the page's Chinese text. */
const MAX_FURNITURE_SHARE = 0.3;
/** Candidates within this share of the best candidate's text count as holding the same text. */
const SAME_TEXT_SHARE = 0.85;
/** A named candidate must hold at least this share of the page's Chinese text. */
const MIN_CANDIDATE_SHARE = 0.4;
/** The title's surroundings are kept when they add at most this many Chinese characters. */
const MAX_TITLE_CONTEXT_HAN = 300;

const HAN = /\p{Script=Han}/gu;

export interface MainBlock {
  /** The element whose text is the document (its title included unless `title` is set). */
  readonly root: Element;
  /** The page's title element inside `root`, to be read as the document's heading. */
  readonly titleElement?: Element;
  /** A title to put above `root`'s text: the page names one that `root` does not hold. */
  readonly title?: string;
  /** Elements inside `root` to skip (furniture). */
  readonly skip: (el: Element) => boolean;
}

/** Chinese characters outside links, per element (memoised for one page). */
class HanCounter {
  private readonly memo = new Map<Element, number>();
  constructor(private readonly skipped: (el: Element) => boolean) {}

  count(node: AnyNode): number {
    if (isText(node)) return node.data.match(HAN)?.length ?? 0;
    if (!isTag(node)) return 0;
    const known = this.memo.get(node);
    if (known !== undefined) return known;
    const n = this.skipped(node) || node.name === 'a' ? 0 : node.children.reduce((sum, c) => sum + this.count(c), 0);
    this.memo.set(node, n);
    return n;
  }
}

/**
 * See the module documentation. `body` is the page's `<body>` (or its root
 * element); `titles` the titles the page states, most trusted first (a title
 * `<meta>`, `<h1>` texts, `<title>`); `stated`, the one to put above the text
 * when none of them is found near it (`<h1>` texts are left out of it: far
 * from the text, an `<h1>` is the site's name).
 */
export function findMainBlock(body: Element, titles: readonly string[], stated: string | undefined): MainBlock {
  const all = new HanCounter(() => false);
  const pageHan = all.count(body);
  const verdicts = new Map<Element, boolean>();
  const furniture = (el: Element): boolean => {
    let v = verdicts.get(el);
    if (v === undefined) verdicts.set(el, (v = isFurniture(el, all, pageHan)));
    return v;
  };
  const han = new HanCounter(furniture);
  const main = bestCandidate(body, han) ?? densestBlock(body, han) ?? body;
  for (const title of titles) {
    const titleElement = findTitleElement(body, title, furniture);
    if (titleElement === undefined) continue;
    if (contains(main, titleElement)) return { root: main, titleElement, skip: furniture };
    const common = commonAncestor(main, titleElement);
    if (common !== undefined && han.count(common) - han.count(main) <= MAX_TITLE_CONTEXT_HAN) return { root: common, titleElement, skip: furniture };
  }
  return { root: main, ...(stated !== undefined && !startsWith(main, stated) && { title: stated }), skip: furniture };
}

function isFurniture(el: Element, all: HanCounter, pageHan: number): boolean {
  const name = el.name;
  if (NON_TEXT.has(name)) return true;
  if (PAGE_FURNITURE.has(name) && !hasAncestor(el, (a) => a.name === 'article' || a.name === 'main')) return true;
  if (el.attribs['hidden'] !== undefined || el.attribs['aria-hidden'] === 'true') return true;
  if (/(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(el.attribs['style'] ?? '')) return true;
  return nameWords(el).some((w) => FURNITURE_WORDS.has(w)) && all.count(el) < pageHan * MAX_FURNITURE_SHARE;
}

/** `top-nav navBar` → `top nav nav bar`: the words of an element's id and class names. */
function nameWords(el: Element): string[] {
  const names = `${el.attribs['id'] ?? ''} ${el.attribs['class'] ?? ''}`;
  return names
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

function isCandidate(el: Element): boolean {
  if (el.name === 'article' || el.name === 'main' || el.attribs['role'] === 'main') return true;
  return CONTENT_NAME.test(`${el.attribs['id'] ?? ''} ${el.attribs['class'] ?? ''}`);
}

function bestCandidate(body: Element, han: HanCounter): Element | undefined {
  const total = han.count(body);
  const candidates = elementsOf(body).filter((el) => isCandidate(el) && han.count(el) > 0 && han.count(el) >= total * MIN_CANDIDATE_SHARE);
  const best = Math.max(0, ...candidates.map((el) => han.count(el)));
  const holding = candidates.filter((el) => han.count(el) >= best * SAME_TEXT_SHARE);
  return holding.sort((a, b) => han.count(a) - han.count(b))[0];
}

const BLOCK = new Set(['p', 'div', 'td', 'th', 'li', 'section', 'article', 'main', 'blockquote', 'pre', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** The element whose paragraphs (block children) hold the most Chinese text; grandparents earn half. */
function densestBlock(body: Element, han: HanCounter): Element | undefined {
  const score = new Map<Element, number>();
  const add = (el: Element | undefined, n: number): void => {
    if (el !== undefined) score.set(el, (score.get(el) ?? 0) + n);
  };
  for (const el of elementsOf(body)) {
    if (!BLOCK.has(el.name)) continue;
    const own = el.children.reduce((sum, c) => sum + (isText(c) || (isTag(c) && !BLOCK.has(c.name)) ? han.count(c) : 0), 0);
    if (own === 0) continue;
    const parent = parentElement(el);
    add(parent, own);
    add(parent === undefined ? undefined : parentElement(parent), own / 2);
  }
  let best: Element | undefined;
  for (const [el, s] of score) if (best === undefined || s > (score.get(best) ?? 0)) best = el;
  return best;
}

/** The outermost element outside furniture whose text is the title (whitespace ignored). */
function findTitleElement(body: Element, title: string, furniture: (el: Element) => boolean): Element | undefined {
  const wanted = squeeze(title);
  if (wanted === '') return undefined;
  return elementsOf(body).find((el) => !hasAncestor(el, furniture, true) && squeeze(textOf(el)) === wanted);
}

const squeeze = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');

function startsWith(el: Element, title: string): boolean {
  return squeeze(textOf(el)).startsWith(squeeze(title));
}

function hasAncestor(el: Element, test: (a: Element) => boolean, self = false): boolean {
  for (let a = self ? el : parentElement(el); a !== undefined; a = parentElement(a)) if (test(a)) return true;
  return false;
}

function contains(outer: Element, inner: Element): boolean {
  return hasAncestor(inner, (a) => a === outer, true);
}

function commonAncestor(a: Element, b: Element): Element | undefined {
  for (let x: Element | undefined = a; x !== undefined; x = parentElement(x)) if (contains(x, b)) return x;
  return undefined;
}
