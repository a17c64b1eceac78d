import type { App, IndexStatus, ReportSummary } from '../types.js';
import { botStatusText } from './bot-counters.js';
import type { CommandIo } from './command-context.js';

/** `report-qa status`: what the bot's /status says, in English for the terminal, then the running bot's counters. */
export async function statusCommand(app: App, io: CommandIo, opts: { metricsPort?: number } = {}): Promise<number> {
  await app.ready();
  io.out(formatStatus(app.status(), app.sources()));
  io.out('\n' + (await botStatusText(opts.metricsPort)));
  return 0;
}

export function formatStatus(s: IndexStatus, sources: readonly ReportSummary[]): string {
  const lines = [
    `Index:      ${s.buildId} (built ${s.builtAt})`,
    `Reports:    ${s.reports}`,
    `Paragraphs: ${s.paragraphs}`,
    `Chunks:     ${s.chunks}`,
    `Embedder:   ${s.embedder.id} (${s.embedder.dimensions} dimensions)${s.embedder.id.startsWith('offline:') ? ' — built-in offline embedder' : ''}`,
    ...(s.embedderReason === undefined ? [] : [`            chosen because ${s.embedderReason}`]),
    `Tokenizer:  ${s.tokenizer}`,
    `Answerer:   ${s.answerer}`,
    '',
    ...sources.flatMap((r) => {
      const about = identityLine(r);
      return [`  ${r.source} — ${r.title} (${r.paragraphs} paragraphs, ${r.chunks} chunks)`, ...(about === '' ? [] : [`      ${about}`])];
    }),
  ];
  return lines.join('\n') + '\n';
}

/** What the index knows a report is about: `罗星街道 (in 嘉善县, 嘉兴市) · 工作总结 · results 2022 · plans 2023`. */
function identityLine(r: ReportSummary): string {
  const within = r.within !== undefined && r.within.length > 0 ? ` (in ${r.within.join(', ')})` : '';
  return [
    r.subject === undefined ? undefined : `${r.subject}${within}`,
    r.kind,
    r.years !== undefined && r.years.length > 0 ? `results ${r.years.join(', ')}` : undefined,
    r.planYears !== undefined && r.planYears.length > 0 ? `plans ${r.planYears.join(', ')}` : undefined,
  ]
    .filter((x): x is string => x !== undefined)
    .join(' · ');
}
