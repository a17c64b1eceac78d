/**
 * The paged report lists of `/sources` and `/remove`: filtering by keyword,
 * cutting into pages of PAGE_SIZE, and one page as HTML with its buttons
 * (◀ ▶, and under /remove one button per report). A page is computed from
 * the current index on every press, so a page turn after a re-index shows
 * what is indexed now; a page past the end shows the last one.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { ReportSummary } from '../types.js';
import { encodeListPage, encodeRemove, reportKey, type ListPage } from './report-callback-data.js';
import { MSG } from './messages.js';

export const PAGE_SIZE = 10;

/** One page as the bot sends it. */
export interface RenderedPage {
  readonly html: string;
  readonly keyboard?: InlineKeyboardMarkup;
}

/** A keyword as typed, tidied: compatibility forms folded (全角 → half-width), spaces collapsed. */
export function normalizeKeyword(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/**
 * The reports matching every space-separated term of `keyword` in their
 * title, subject (or its aliases), region or file name; all for ''.
 */
export function matchReports(reports: readonly ReportSummary[], keyword: string): ReportSummary[] {
  const terms = fold(keyword).split(' ').filter((t) => t !== '');
  if (terms.length === 0) return [...reports];
  return reports.filter((r) => {
    const haystack = fold([r.title, r.subject ?? '', ...(r.aliases ?? []), r.region ?? '', r.source].join('\n'));
    return terms.every((t) => haystack.includes(t));
  });
}

/** Page `want.page` (clamped to the pages there are) of the reports matching `want.keyword`. */
export function renderPage(reports: readonly ReportSummary[], want: ListPage): RenderedPage {
  if (reports.length === 0) return { html: MSG.noReports };
  const matches = matchReports(reports, want.keyword);
  if (matches.length === 0) return { html: MSG.noMatch(want.keyword) };
  const pages = Math.ceil(matches.length / PAGE_SIZE);
  const page = Math.min(Math.max(1, want.page), pages);
  const first = (page - 1) * PAGE_SIZE;
  const items = matches.slice(first, first + PAGE_SIZE);
  const html = MSG.reportListPage({ kind: want.kind, keyword: want.keyword, total: matches.length, page, pages, first, items });

  const rows: InlineKeyboardButton[][] =
    want.kind === 'remove' ? items.map((r, i) => [{ text: MSG.removePickButton(first + i + 1, r.title), callback_data: encodeRemove('pick', reportKey(r)) }]) : [];
  const nav: InlineKeyboardButton[] = [];
  if (page > 1) nav.push({ text: MSG.previousPage, callback_data: encodeListPage({ ...want, page: page - 1 }) });
  if (page < pages) nav.push({ text: MSG.nextPage, callback_data: encodeListPage({ ...want, page: page + 1 }) });
  if (nav.length > 0) rows.push(nav);
  return rows.length === 0 ? { html } : { html, keyboard: { inline_keyboard: rows } };
}

function fold(text: string): string {
  return normalizeKeyword(text).toLowerCase();
}
