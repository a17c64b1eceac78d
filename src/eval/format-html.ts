/**
 * `eval --html FILE`: the run as one self-contained page a tester opens in a
 * browser — totals per mode, a bar chart of answer accuracy per kind (inline
 * SVG, no script, no CDN), the `--compare` deltas, and every wrong answer with
 * its gold, the answer given and the cited paragraphs, gold strings marked.
 * Pure: the report in, the HTML text out.
 */
import { escapeHtml } from '../bot/html.js';
import type { Tally } from './answer-totals.js';
import type { RunComparison } from './compare-runs.js';
import type { EvalReport, ModeReport, QuestionResult } from './run-eval.js';

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .6rem;text-align:left}
.miss{border-left:4px solid #c33;padding:.3rem .8rem;margin:1rem 0;background:#fafafa}blockquote{margin:.3rem 0;color:#444}
mark{background:#ffe066}.up{color:#070}.down{color:#c00}`;

/** Width in pixels of a 100 % bar. */
const BAR = 300;

/**
 * @example writeFile('eval.html', formatHtml(report, comparison))
 */
export function formatHtml(report: EvalReport, comparison?: RunComparison): string {
  const body = [
    `<h1>report-qa eval (k = ${report.k})</h1>`,
    ...report.modes.map((m) => modeSection(m, report.k)),
    ...(comparison === undefined ? [] : [compareSection(comparison)]),
  ];
  return `<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>report-qa eval</title><style>${STYLE}</style></head>\n<body>\n${body.join('\n')}\n</body></html>\n`;
}

function modeSection(m: ModeReport, k: number): string {
  const t = m.totals;
  const a = m.answers;
  const rows: [string, string, string][] = [
    ['hit-at-1', 'hit@1', fixed(t.hitAt1)],
    ['recall-at-k', `recall@${k}`, fixed(t.recallAtK)],
    ['mrr-at-10', 'MRR@10', fixed(t.mrrAt10)],
    ['answerable', 'answerable right', tallied(a.answerable)],
    ['false-refusals', 'false refusals', String(a.falseRefusals)],
    ['unanswerable', 'unanswerable handled', tallied(a.unanswerable)],
  ];
  const misses = m.results.filter((r) => r.verdict !== null && !r.verdict.correct);
  return [
    `<section data-mode="${escapeHtml(m.mode)}"><h2>${escapeHtml(m.mode)}</h2>`,
    `<table>${rows.map(([id, label, value]) => `<tr><th>${label}</th><td data-metric="${id}">${value}</td></tr>`).join('')}</table>`,
    '<h3>Answers by kind</h3>',
    kindChart(a.byKind),
    `<h3>Wrong answers (<span data-metric="misses">${misses.length}</span>)</h3>`,
    ...misses.map(missBlock),
    '</section>',
  ].join('\n');
}

/** One bar per kind, its length the share answered right. */
function kindChart(byKind: Readonly<Record<string, Tally>>): string {
  const kinds = Object.entries(byKind).sort(([x], [y]) => x.localeCompare(y));
  const row = 22;
  const bars = kinds.map(([kind, tally], i) => {
    const y = i * row;
    const width = Math.round(BAR * (tally.accuracy ?? 0));
    return (
      `<g data-kind="${escapeHtml(kind)}"><text x="0" y="${y + 15}">${escapeHtml(kind)}</text>` +
      `<rect x="110" y="${y + 3}" width="${BAR}" height="16" fill="#eee"/><rect x="110" y="${y + 3}" width="${width}" height="16" fill="#4a7"/>` +
      `<text x="${120 + BAR}" y="${y + 15}">${tally.correct}/${tally.scored}</text></g>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${200 + BAR}" height="${Math.max(1, kinds.length) * row}" role="img" aria-label="answer accuracy per kind">${bars.join('')}</svg>`;
}

function missBlock(r: QuestionResult): string {
  const gold = [...r.gold.answerAll, ...r.gold.answerAny, ...(r.gold.nearAnswer === undefined ? [] : [r.gold.nearAnswer])];
  const goldLine = r.answerable ? gold.join(' · ') || '-' : `不可回答${r.gold.nearAnswer === undefined ? '' : `（${r.gold.nearYear ?? ''}年：${r.gold.nearAnswer}）`}`;
  const marks = [...gold, ...(r.evidence === null ? [] : [r.evidence])];
  const cited = r.citations.map((c) => `<blockquote>[${c.n}] ${escapeHtml(c.source)} 第${c.paragraph}段：${marked(c.text, marks)}</blockquote>`);
  // A refusal cites nothing: show what retrieval ranked first instead, so a tester sees whether the evidence was there.
  const top = r.retrieved[0];
  const ranked =
    cited.length > 0 || top === undefined
      ? []
      : [`<p>ranked first:</p><blockquote>${escapeHtml(top.source)} 第${top.paragraph}段：${marked(top.text, marks)}</blockquote>`];
  return [
    `<div class="miss" data-id="${escapeHtml(r.id)}">`,
    `<p><b>${escapeHtml(r.question)}</b>${r.understood === undefined ? '' : `（理解为：${escapeHtml(r.understood)}）`}</p>`,
    `<p>gold: ${escapeHtml(goldLine)}</p>`,
    ...(r.evidence === null ? [] : [`<p>evidence (${escapeHtml(r.source ?? r.gold.sources.join('、'))}): ${escapeHtml(r.evidence)}</p>`]),
    `<p>answer: ${escapeHtml(r.answerText)}</p>`,
    `<p>problems: ${escapeHtml(r.verdict?.problems.join('; ') ?? '')}</p>`,
    ...cited,
    ...ranked,
    '</div>',
  ].join('\n');
}

/** `text` escaped, each gold string in it marked. */
function marked(text: string, gold: readonly string[]): string {
  let html = escapeHtml(text);
  for (const g of gold.filter((s) => s.length > 0)) {
    const escaped = escapeHtml(g);
    html = html.split(escaped).join(`<mark>${escaped}</mark>`);
  }
  return html;
}

function compareSection(c: RunComparison): string {
  const modes = c.modes.map((m) => {
    const rows = m.rows.map((r) => {
      const delta = r.baseline === null || r.now === null ? null : r.now - r.baseline;
      // Fewer false refusals is better; every other metric is better higher.
      const better = delta !== null && delta !== 0 && (r.key === 'falseRefusals' ? delta < 0 : delta > 0);
      const cls = delta === null || delta === 0 ? '' : better ? ' class="up"' : ' class="down"';
      return `<tr><th>${r.key}</th><td>${fixed(r.baseline)}</td><td>${fixed(r.now)}</td><td${cls}>${delta === null ? '-' : (delta > 0 ? '+' : '') + delta.toFixed(3)}</td></tr>`;
    });
    const flips = (title: string, list: readonly { question: string }[]): string =>
      list.length === 0 ? '' : `<p>${title}:</p><ul>${list.map((f) => `<li>${escapeHtml(f.question)}</li>`).join('')}</ul>`;
    return [
      `<h3>${escapeHtml(m.mode)}</h3><table><tr><th></th><th>baseline</th><th>now</th><th>delta</th></tr>${rows.join('')}</table>`,
      flips('right → wrong', m.rightToWrong),
      flips('wrong → right', m.wrongToRight),
    ].join('\n');
  });
  return [`<section data-compare><h2>Compared with ${escapeHtml(c.baselineFile)}</h2>`, ...modes, '</section>'].join('\n');
}

function fixed(x: number | null): string {
  return x === null ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(3);
}

function tallied(t: Tally): string {
  return `${t.correct}/${t.scored}`;
}
