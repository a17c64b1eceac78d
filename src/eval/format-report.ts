/**
 * The eval report as plain text: one table row per mode, then per mode the
 * questions retrieval missed (with what it found instead), the answer step's
 * wrong decisions, and the answer level: accuracy, per kind and turn, and the
 * wrong answers with their gold.
 */
import { isAlteredSingle, type Tally } from './answer-totals.js';
import type { EvalReport, Gold, ModeReport, QuestionResult, RetrievedSummary } from './run-eval.js';

/** How many retrieved results a miss shows, and how much of each. */
const MISS_RESULTS = 3;
const SNIPPET_CHARS = 48;
/** How many wrong answers a mode lists, and how much of each answer: enough to see what went wrong, not a dump. */
const WRONG_ANSWERS = 20;
const ANSWER_CHARS = 120;

/**
 * Formats `report` for a terminal. Lines end with `\n`; nothing is coloured, so
 * the text can be saved or diffed as it is.
 */
export function formatReport(report: EvalReport): string {
  const lines = [...formatTable(report)];
  for (const mode of report.modes) lines.push('', ...formatMisses(mode, report.k), ...formatAnswers(mode));
  return lines.join('\n') + '\n';
}

function formatTable(report: EvalReport): string[] {
  const first = report.modes[0]?.totals;
  const header = first
    ? `Retrieval evaluation: ${first.questions} questions (${first.answerable} answerable, ${first.unanswerable} unanswerable), k=${report.k}`
    : `Retrieval evaluation: no modes run, k=${report.k}`;
  const columns = ['mode', 'hit@1', `recall@${report.k}`, 'MRR@10', 'nDCG@10', 'p50 ms', 'p95 ms', 'unanswerable→not found', 'answerable→not found'];
  const rows = report.modes.map(({ mode, totals: t }) => [
    mode,
    fixed(t.hitAt1, 3),
    fixed(t.recallAtK, 3),
    fixed(t.mrrAt10, 3),
    fixed(t.ndcgAt10, 3),
    fixed(t.latencyP50Ms, 1),
    fixed(t.latencyP95Ms, 1),
    share(t.unanswerableNotFound, t.unanswerable),
    share(t.answerableNotFound, t.answerable),
  ]);
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const render = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const reranked = report.modes.flatMap(({ mode, totals: { beforeRerank: b, ...t } }) =>
    b === null ? [] : [`  [${mode}] before the rerank stage: hit@1 ${fixed(b.hitAt1, 3)} → ${fixed(t.hitAt1, 3)}, recall@${report.k} ${fixed(b.recallAtK, 3)} → ${fixed(t.recallAtK, 3)}, MRR@10 ${fixed(b.mrrAt10, 3)} → ${fixed(t.mrrAt10, 3)}`],
  );
  return [header, '', render(columns), ...rows.map(render), ...reranked];
}

function formatMisses(mode: ModeReport, k: number): string[] {
  const misses = mode.results.filter((r) => r.scores !== null && r.scores.recallAtK === 0);
  const wronglyAnswered = mode.results.filter((r) => !r.answerable && r.found);
  const wronglyRefused = mode.results.filter((r) => r.answerable && !r.found);

  const lines = [`[${mode.mode}] misses (no hit in the top ${k}): ${misses.length}`];
  for (const r of misses) {
    const later = r.firstHitRank === null ? '' : `  (first hit at rank ${r.firstHitRank})`;
    lines.push(`  ✗ ${r.id}  ${r.question}`);
    lines.push(`    expected ${r.source ?? '-'}: ${r.evidence ?? '(any paragraph)'}${later}`);
    r.retrieved.slice(0, MISS_RESULTS).forEach((hit, i) => {
      lines.push(`    ${i === 0 ? 'got' : '   '} ${describeResult(hit)}`);
    });
    if (r.retrieved.length === 0) lines.push('    got nothing');
  }

  lines.push(`[${mode.mode}] unanswerable questions that got an answer: ${wronglyAnswered.length}`);
  for (const r of wronglyAnswered) {
    const top = r.retrieved[0];
    lines.push(`  ✗ ${r.id}  ${r.question}${top ? `  → ${describeResult(top)}` : ''}`);
  }
  lines.push(`[${mode.mode}] answerable questions answered 'not found': ${wronglyRefused.length}`);
  if (wronglyRefused.length > 0) lines.push(`  ${wronglyRefused.map((r) => r.id).join(', ')}`);
  return lines;
}

function formatAnswers(mode: ModeReport): string[] {
  const { answers: a } = mode;
  const tag = `[${mode.mode}]`;
  const kinds = Object.entries(a.byKind);
  const kindWidth = Math.max(0, ...kinds.map(([kind]) => kind.length));
  const wrong = mode.results.filter((r) => r.verdict?.correct === false);
  const shown = wrong.slice(0, WRONG_ANSWERS);
  const altered = mode.results.filter(isAlteredSingle).map((r) => r.id);
  return [
    `${tag} answer accuracy: ${tallied(a.answerable)}; false refusals: ${a.falseRefusals}; unanswerable handled: ${tallied(a.unanswerable)}`,
    `${tag} answers per kind:${kinds.length === 0 ? ' -' : ''}`,
    ...kinds.map(([kind, t]) => `  ${kind.padEnd(kindWidth)}  ${tallied(t)}`),
    `${tag} answers per turn: first turns ${tallied(a.byTurn.first)}; follow-ups ${tallied(a.byTurn.followUps)}`,
    `${tag} single questions altered by the follow-up logic: ${a.singlesAltered}${altered.length > 0 ? ` (${altered.join(', ')})` : ''}`,
    `${tag} wrong answers: ${wrong.length}${wrong.length > shown.length ? ` (the first ${shown.length} shown)` : ''}`,
    ...shown.flatMap(describeWrongAnswer),
  ];
}

function describeWrongAnswer(r: QuestionResult): string[] {
  return [
    `  ✗ ${r.id}  ${r.question}`,
    ...(r.understood !== undefined && r.understood !== r.question ? [`    understood: ${r.understood}`] : []),
    `    answered: ${r.found ? shorten(r.answerText, ANSWER_CHARS) : '(not found)'}`,
    `    gold: ${describeGold(r)}`,
    `    problems: ${r.verdict?.problems.join('; ') ?? '-'}`,
  ];
}

/** "all "108.1亿元"; any "A" / "B"; cites a.txt", or what an unanswerable question expects. */
function describeGold(r: { readonly answerable: boolean; readonly gold: Gold }): string {
  const { gold } = r;
  if (!r.answerable) {
    const near = gold.nearAnswer !== undefined && gold.nearYear !== undefined ? ` (or "${gold.nearAnswer}" with ${gold.nearYear} named)` : '';
    return `not found${near}`;
  }
  const quoted = (xs: readonly string[], sep: string): string => xs.map((x) => `"${x}"`).join(sep);
  return [
    ...(gold.answerAll.length > 0 ? [`all ${quoted(gold.answerAll, ', ')}`] : []),
    ...(gold.answerAny.length > 0 ? [`any ${quoted(gold.answerAny, ' / ')}`] : []),
    ...(gold.sources.length > 0 ? [`cites ${gold.sources.join(', ')}`] : []),
  ].join('; ');
}

function describeResult(hit: RetrievedSummary): string {
  return `${hit.rank}. ${hit.source} ¶${hit.paragraph}  ${formatScore(hit.score)}  ${shorten(hit.text, SNIPPET_CHARS)}`;
}

/** Scores differ by mode (RRF ≈ 0.03, cosine ≈ 0.7, BM25 ≈ 12): keep three significant digits. */
function formatScore(score: number): string {
  return Math.abs(score) >= 100 ? score.toFixed(0) : score.toPrecision(3);
}

/** `text` on one line, cut to `max` characters (code points, so no half a character) with `…`. */
function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const chars = Array.from(flat);
  return chars.length > max ? `${chars.slice(0, max).join('').trimEnd()}…` : flat;
}

function fixed(x: number | null, digits: number): string {
  return x === null ? '-' : x.toFixed(digits);
}

/** "40% (2/5)", or "-" when nothing was scored. */
function tallied(t: Tally): string {
  return t.accuracy === null ? '-' : `${Math.round(t.accuracy * 100)}% (${t.correct}/${t.scored})`;
}

/** "91% (20/22)", or "-" when no question of that kind exists. */
function share(x: number | null, of: number): string {
  return x === null ? '-' : `${Math.round(x * 100)}% (${Math.round(x * of)}/${of})`;
}
