/**
 * The callback data of the report-list and admin buttons (the buttons under
 * an answer are in callback-data.ts). Every format fits Telegram's 64 bytes
 * and is parsed strictly: forged, truncated or foreign data gives undefined
 * and the press is refused.
 *
 * - `ls:<page>:<keyword>`, `lr:<page>:<keyword>`: a page of the /sources or
 *   the /remove list. Stateless: the keyword (≤ 48 bytes) travels in the
 *   data, so a page turn works after a restart, against the current index.
 * - `rp:<key>` picks a report to remove, `rc:<key>` confirms, `rx` cancels.
 *   The key is 12 hex of sha256(source, NUL, content hash): it names one file
 *   with one content, so the button goes stale (kindly) once the report was
 *   renamed, changed or removed in between.
 * - `uc:<token>:<r|n|x>`: the answer to "this name is taken" after an upload
 *   (replace, save under a new name, cancel); the token names the upload held
 *   by PendingUploads.
 */
import { createHash } from 'node:crypto';

export type ListKind = 'sources' | 'remove';

/** A page of a report list, filtered by `keyword` ('' for all). */
export interface ListPage {
  readonly kind: ListKind;
  /** 1-based. */
  readonly page: number;
  readonly keyword: string;
}

export type RemoveButton = { readonly action: 'pick' | 'confirm'; readonly key: string } | { readonly action: 'cancel' };

export type UploadChoice = 'replace' | 'rename' | 'cancel';

export interface UploadChoiceButton {
  readonly token: string;
  readonly choice: UploadChoice;
}

/** Longest keyword a page button can carry, in UTF-8 bytes (16 Chinese characters). */
export const MAX_KEYWORD_BYTES = 48;

/** Pages a button may name (a list of 99,990 reports). */
export const MAX_PAGE = 9999;

/** Routing patterns: which handler a press goes to; the handler then parses strictly. */
export const SOURCES_PAGE_DATA = /^ls:/;
export const REMOVE_PAGE_DATA = /^lr:/;
export const REMOVE_DATA = /^r[pcx](?::|$)/;
export const UPLOAD_CHOICE_DATA = /^uc:/;

export const REMOVE_CANCEL_DATA = 'rx';

const LIST_PREFIX: Record<ListKind, string> = { sources: 'ls', remove: 'lr' };
const LIST_PATTERN = /^l([sr]):([1-9]\d{0,3}):([\s\S]*)$/;
const REMOVE_PATTERN = /^r([pc]):([0-9a-f]{12})$/;
const UPLOAD_PATTERN = /^uc:([0-9a-f]{8}):([rnx])$/;
const CHOICE_CODE: Record<UploadChoice, string> = { replace: 'r', rename: 'n', cancel: 'x' };
const CONTROL = /[\p{Cc}\p{Cf}]/u;

/** True when `keyword` can travel in a page button. */
export function keywordFits(keyword: string): boolean {
  return Buffer.byteLength(keyword) <= MAX_KEYWORD_BYTES && !CONTROL.test(keyword);
}

/** Callback data of a page button. Throws on a page out of range or a keyword that does not fit. */
export function encodeListPage(p: ListPage): string {
  if (!Number.isInteger(p.page) || p.page < 1 || p.page > MAX_PAGE) throw new RangeError(`page must be an integer from 1 to ${MAX_PAGE}, got ${p.page}`);
  if (!keywordFits(p.keyword)) throw new RangeError(`keyword must be at most ${MAX_KEYWORD_BYTES} bytes without control characters`);
  return `${LIST_PREFIX[p.kind]}:${p.page}:${p.keyword}`;
}

export function parseListPage(data: string): ListPage | undefined {
  const m = LIST_PATTERN.exec(data);
  if (m === null || !keywordFits(m[3]!)) return undefined;
  return { kind: m[1] === 's' ? 'sources' : 'remove', page: Number(m[2]), keyword: m[3]! };
}

/** The key naming a report by file and content (see the module comment). */
export function reportKey(report: { readonly source: string; readonly hash: string }): string {
  return createHash('sha256').update(`${report.source}\0${report.hash}`).digest('hex').slice(0, 12);
}

export function encodeRemove(action: 'pick' | 'confirm', key: string): string {
  if (!/^[0-9a-f]{12}$/.test(key)) throw new RangeError(`report key must be 12 hex digits, got "${key}"`);
  return `r${action === 'pick' ? 'p' : 'c'}:${key}`;
}

export function parseRemove(data: string): RemoveButton | undefined {
  if (data === REMOVE_CANCEL_DATA) return { action: 'cancel' };
  const m = REMOVE_PATTERN.exec(data);
  return m === null ? undefined : { action: m[1] === 'p' ? 'pick' : 'confirm', key: m[2]! };
}

export function encodeUploadChoice(token: string, choice: UploadChoice): string {
  if (!/^[0-9a-f]{8}$/.test(token)) throw new RangeError(`upload token must be 8 hex digits, got "${token}"`);
  return `uc:${token}:${CHOICE_CODE[choice]}`;
}

export function parseUploadChoice(data: string): UploadChoiceButton | undefined {
  const m = UPLOAD_PATTERN.exec(data);
  if (m === null) return undefined;
  const choice = m[2] === 'r' ? 'replace' : m[2] === 'n' ? 'rename' : 'cancel';
  return { token: m[1]!, choice };
}
