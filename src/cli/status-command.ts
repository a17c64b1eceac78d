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
    ...sources.map((r) => `  ${r.source} — ${r.title} (${r.paragraphs} paragraphs, ${r.chunks} chunks)`),
  ];
  return lines.join('\n') + '\n';
}
