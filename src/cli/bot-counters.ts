/**
 * The running bot as `report-qa status` shows it: read from the bot's own
 * /healthz and /metrics on 127.0.0.1:METRICS_PORT (the only place a separate
 * process can see its counters). Without METRICS_PORT nothing can be asked.
 */
import { OPS_HOST } from '../bot/ops-server.js';
import type { Health } from '../bot/health.js';

/** A bot that does not answer within this time counts as not running. */
const TIMEOUT_MS = 2_000;

/** The status lines about the bot (ending in a newline). */
export async function botStatusText(metricsPort: number | undefined): Promise<string> {
  if (metricsPort === undefined) return 'Bot:        unknown (set METRICS_PORT to read the running bot\'s counters)\n';
  const url = `http://${OPS_HOST}:${metricsPort}`;
  let healthz: Health;
  let metrics: Map<string, number>;
  try {
    const [h, m] = await Promise.all(['/healthz', '/metrics'].map((p) => fetch(url + p, { signal: AbortSignal.timeout(TIMEOUT_MS) })));
    // /healthz answers 503 while no index is loaded: the bot runs all the same.
    healthz = (await h!.json()) as Health;
    metrics = sumSeries(await m!.text());
  } catch {
    return `Bot:        not running (nothing answers on ${url})\n`;
  }
  const n = (series: string): number => metrics.get(series) ?? 0;
  const index = healthz.indexLoaded ? `index ${healthz.buildId}` : 'no index loaded';
  return [
    `Bot:        running (${url}; ${index}${healthz.reindexing ? ', re-indexing' : ''}; last update ${healthz.lastUpdateAt ?? 'none yet'})`,
    `  Questions:  ${n('report_qa_questions_total')} (found ${n('report_qa_answers_total{outcome="found"}')}, ` +
      `not found ${n('report_qa_answers_total{outcome="not_found"}')}, timeout ${n('report_qa_answers_total{outcome="timeout"}')}, ` +
      `error ${n('report_qa_answers_total{outcome="error"}')})`,
    `  Re-indexes: done ${n('report_qa_reindex_runs_total{result="done"}')}, failed ${n('report_qa_reindex_runs_total{result="failed"}')}, ` +
      `aborted ${n('report_qa_reindex_runs_total{result="aborted"}')}, busy ${n('report_qa_reindex_runs_total{result="busy"}')}`,
    `  Telegram API errors: ${n('report_qa_telegram_api_errors_total')}`,
    '',
  ].join('\n');
}

/**
 * Values of Prometheus text format by series (`name{labels}` as written), and
 * each metric's total over its labels under its bare name.
 */
export function sumSeries(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (m === null) continue;
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    if (m[2] !== undefined) values.set(m[1]! + m[2], value);
    values.set(m[1]!, (m[2] === undefined ? 0 : (values.get(m[1]!) ?? 0)) + value);
  }
  return values;
}
