/**
 * The callback data of the buttons under an answer.
 *
 * The citation button's: `p:<first 10 hex of the report's sha256>:<paragraph>`,
 * at most 19 bytes (Telegram allows 64). It names the report by content, not
 * by file name, so a button keeps working across re-indexes while the report
 * is unchanged, and stops (kindly) once it changed.
 *
 * The 新问题 button's: a constant. It names no conversation: the message the
 * button sits under says which (answer-conversations.ts), so forged data
 * cannot reset anybody else's.
 */

/** Callback data of the 新问题 button. */
export const NEW_CONVERSATION_DATA = 'new';

/** A citation button's target: a report (by hash prefix) and a paragraph in it. */
export interface ParagraphRef {
  readonly hashPrefix: string;
  readonly paragraph: number;
}

/** Hex digits of the report hash kept in the button (40 bits: collisions are negligible). */
export const HASH_PREFIX_LENGTH = 10;

/** Paragraph numbers a button may carry (no report has a million paragraphs). */
const MAX_PARAGRAPH = 999_999;

const PATTERN = /^p:([0-9a-f]{10}):([1-9]\d{0,5})$/;

/** Callback data for the whole-paragraph button. Throws on a hash that is not hex. */
export function encodeParagraphRef(hash: string, paragraph: number): string {
  const prefix = hash.slice(0, HASH_PREFIX_LENGTH).toLowerCase();
  if (!/^[0-9a-f]{10}$/.test(prefix)) throw new RangeError(`report hash must be hex, got "${hash}"`);
  if (!Number.isInteger(paragraph) || paragraph < 1 || paragraph > MAX_PARAGRAPH) {
    throw new RangeError(`paragraph must be an integer from 1 to ${MAX_PARAGRAPH}, got ${paragraph}`);
  }
  return `p:${prefix}:${paragraph}`;
}

/** Parses callback data strictly; anything else (old formats, forged data) gives undefined. */
export function parseParagraphRef(data: string): ParagraphRef | undefined {
  const m = PATTERN.exec(data);
  if (m === null) return undefined;
  return { hashPrefix: m[1]!, paragraph: Number(m[2]) };
}
