/**
 * Character-level clean-up shared by ingestion and anything that must match
 * report text (queries, evidence). It never reorders or drops words; it only
 * makes equivalent spellings identical:
 *
 * - line endings (`\r\n`, `\r`, U+2028/9, form feed) become `\n`;
 * - odd spaces (U+3000 ideographic, NBSP, U+2000–200A, tab…) become one ASCII space,
 *   zero-width characters, soft hyphens and control characters (NUL included) are removed;
 * - full-width digits and Latin letters become ASCII (`１９９３` → `1993`), as do `％`
 *   and a full-width point between digits (`１．５` → `1.5`);
 * - each line is trimmed and runs of spaces collapse to one;
 * - **number spacing rule:** a space between a Han character (or CJK punctuation)
 *   and an ASCII letter, digit or `%` is removed, in either order
 *   (`总投资 186.8 亿元` → `总投资186.8亿元`, `11GW 高效` → `11GW高效`). Spaces between two
 *   digits or two Latin words are kept, so no figure is ever merged with another
 *   (`1 000` stays), and spaces between Han words (`抓项目 育产业`) are kept; `28.9 %`
 *   becomes `28.9%`.
 */
export function normalizeText(raw: string): string {
  const text = raw
    .replace(/\r\n?|[\u2028\u2029\f\v]/g, '\n')
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
    .replace(/[\u0000-\u0008\u000E-\u001F\u007F]/g, '')
    .replace(/[\t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF05]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/(?<=\d)\uFF0E(?=\d)/g, '.')
    .replace(/ {2,}/g, ' ')
    .replace(/ *\n */g, '\n');
  return collapseNumberSpaces(text).trim();
}

const CJK = '\\p{Script=Han}\\u3000-\\u303F\\uFF01-\\uFF0F\\uFF1A-\\uFF20\\uFF3B-\\uFF40\\uFF5B-\\uFF65“”‘’…—';
const CJK_THEN_ASCII = new RegExp(`(?<=[${CJK}]) (?=[0-9A-Za-z%])`, 'gu');
const ASCII_THEN_CJK = new RegExp(`(?<=[0-9A-Za-z%]) (?=[${CJK}])`, 'gu');
const DIGIT_THEN_PERCENT = /(?<=\d) (?=%)/g;

function collapseNumberSpaces(text: string): string {
  return text.replace(CJK_THEN_ASCII, '').replace(ASCII_THEN_CJK, '').replace(DIGIT_THEN_PERCENT, '');
}
