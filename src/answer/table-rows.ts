/**
 * Rows of a flattened table as answer units. Ingest turns a table whose
 * cells stood one per line into one paragraph, cells separated by spaces
 * (`产品名称 单位 产量 比上年增长（%） 原煤 万吨 2707.34 -6.1 发电量 …`). As a
 * sentence that paragraph answers nothing: the figure asked for (原煤产量) is
 * three cells away from its name and its unit. Read back as rows under their
 * header, each row becomes a readable unit (`原煤：产量2707.34万吨，比上年增长-6.1%`)
 * whose offsets are the row's span in the paragraph, so it is cited as is.
 */
import type { AnswerUnit } from '../types.js';

/** A cell that is a number: `2707.34`, `-6.1`, `1,234`, `12.5%`, `0.7‰`. */
const NUMBER_CELL = /^[-+－]?\d[\d,]*(?:\.\d+)?[%‰]?$/;
/** A unit column's header. */
const UNIT_HEADER = /^(?:计量)?单位$/;
/** A unit written in a header: `年末数（万人）`, `比上年增长(%)`. */
const HEADER_UNIT = /[（(]([^（）()]{1,6})[）)]$/;
/** Rows a table needs before it is read as one: fewer is a sentence with numbers. */
const MIN_ROWS = 2;

interface Cell {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The rows of `text` as units, or `[]` when it is not a table: a run of
 * header cells, then at least two rows of the same shape (the same number of
 * cells, numbers in the same columns) whose first cell is a name.
 *
 * @example tableRowUnits('产品名称 单位 产量 原煤 万吨 2707.34 发电量 亿千瓦时 232.75')[0].text
 * // '原煤：产量2707.34万吨'
 */
export function tableRowUnits(text: string): AnswerUnit[] {
  const cells = [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
  const shape = rowShape(cells);
  if (shape === undefined) return [];
  const { width, first } = shape;
  const header = headerCells(cells.slice(0, first), width);
  const units: AnswerUnit[] = [];
  for (let i = first; i + width <= cells.length; i += width) {
    const row = cells.slice(i, i + width);
    if (!sameShape(row, cells.slice(first, first + width))) break;
    const start = row[0]?.start ?? 0;
    const end = row[row.length - 1]?.end ?? start;
    units.push({ start, end, text: describeRow(row, header), sentenceStart: start, sentenceEnd: end });
  }
  return units.length >= MIN_ROWS ? units : [];
}

/**
 * The width of a row and where the first row starts. A row is a name cell,
 * possibly more text cells (a unit), then the number cells; rows begin at a
 * text cell that follows a number cell. The header is what precedes the
 * first row; the first row's own text cells are told from the header's by
 * the second row's shape.
 */
function rowShape(cells: readonly Cell[]): { width: number; first: number } | undefined {
  const starts: number[] = [];
  for (let i = 1; i < cells.length; i++) {
    if (isNumber(cells[i - 1]) && !isNumber(cells[i])) starts.push(i);
  }
  const [second, third] = starts;
  if (second === undefined) return undefined;
  const width = (third ?? cells.length) - second;
  const row = cells.slice(second, second + width);
  if (width < 2 || !row.some(isNumber) || isNumber(row[0])) return undefined;
  // Only the first row holds numbers before the second row: the header has none.
  const numbersBefore = cells.slice(0, second).filter(isNumber).length;
  const first = second - width;
  if (first < 0 || numbersBefore !== row.filter(isNumber).length) return undefined;
  return sameShape(cells.slice(first, second), row) ? { width, first } : undefined;
}

function sameShape(a: readonly Cell[], b: readonly Cell[]): boolean {
  return a.length === b.length && a.every((c, i) => isNumber(c) === isNumber(b[i]));
}

function isNumber(c: Cell | undefined): boolean {
  return c !== undefined && NUMBER_CELL.test(c.text.replace(/^#/, ''));
}

/**
 * The header, one name per column, or undefined when it cannot be matched to
 * the columns. Typesetting spreads short headers over spaced characters
 * (`单 位 产 量`): such runs are joined back, as one word or, when that leaves
 * too few columns, as two-character words.
 */
function headerCells(cells: readonly Cell[], width: number): string[] | undefined {
  const whole = joinSingles(cells, (run) => [run.join('')]);
  const pairs = joinSingles(cells, (run) => (run.length % 2 === 0 ? run.flatMap((c, i) => (i % 2 === 0 ? [c + (run[i + 1] ?? '')] : [])) : [run.join('')]));
  const header = whole.length >= width ? whole : pairs;
  // A table title or caption cell may precede the header row: keep its last `width` cells.
  return header.length >= width ? header.slice(header.length - width) : undefined;
}

/** The cells' texts with each run of single-character cells replaced by `join(run)`. */
function joinSingles(cells: readonly Cell[], join: (run: string[]) => string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  for (const c of cells) {
    if ([...c.text].length === 1) {
      run.push(c.text);
      continue;
    }
    if (run.length > 0) out.push(...join(run));
    run = [];
    out.push(c.text);
  }
  if (run.length > 0) out.push(...join(run));
  return out;
}

/** `原煤：产量2707.34万吨，比上年增长-6.1%`; without a usable header, the row's cells as written. */
function describeRow(row: readonly Cell[], header: readonly string[] | undefined): string {
  const name = row[0]?.text.replace(/^#/, '') ?? '';
  if (header === undefined) return `${name}：${row.slice(1).map((c) => c.text).join(' ')}`;
  const unitColumn = header.findIndex((h, i) => i > 0 && UNIT_HEADER.test(h));
  const rowUnit = unitColumn > 0 ? (row[unitColumn]?.text ?? '') : '';
  let unitUsed = false;
  const parts: string[] = [];
  for (let i = 1; i < row.length; i++) {
    const cell = row[i];
    const head = header[i] ?? '';
    if (cell === undefined || i === unitColumn) continue;
    if (!isNumber(cell)) {
      parts.push(`${head}${cell.text}`);
      continue;
    }
    const written = HEADER_UNIT.exec(head);
    const label = written === null ? head : head.slice(0, written.index);
    let unit = written?.[1] ?? '';
    if (unit === '' && !unitUsed && !/[%‰]$/.test(cell.text)) {
      unit = rowUnit;
      unitUsed = true;
    }
    parts.push(`${label}${cell.text.replace('－', '-')}${unit}`);
  }
  return `${name}：${parts.join('，')}`;
}
