/**
 * The bot's Prometheus metrics, in a registry of its own: one `BotMetrics`
 * per bot instance, so two bots in one process (tests) never share counts.
 * The handlers record into it; the ops server renders it for `/metrics`.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { App } from '../types.js';
import { ageSeconds, loadedIndex } from './health.js';

/** How a question ended: answered from the reports, not found in them, out of time, or failed. */
export type AnswerOutcome = 'found' | 'not_found' | 'timeout' | 'error';

/** How a re-index ended (`busy`: refused because another one runs). */
export type ReindexResult = 'done' | 'failed' | 'aborted' | 'busy';

/** Answers take milliseconds (extractive) to tens of seconds (an LLM); the bot gives up at 60 s. */
const ANSWER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];
/** An incremental re-index takes seconds; a first neural build of many reports, tens of minutes. */
const REINDEX_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600];

export class BotMetrics {
  readonly registry = new Registry();
  readonly #questions: Counter;
  readonly #answers: Counter<'outcome'>;
  readonly #answerSeconds: Histogram;
  readonly #telegramErrors: Counter<'code'>;
  readonly #reindexRuns: Counter<'result'>;
  readonly #reindexSeconds: Histogram;
  readonly #lastUpdate: Gauge;
  #lastUpdateAt: Date | undefined;

  /** `app` is read at each scrape for the index's age. */
  constructor(app: Pick<App, 'status'>) {
    const registers = [this.registry];
    this.#questions = new Counter({ name: 'report_qa_questions_total', help: 'Questions that reached the answerer', registers });
    this.#answers = new Counter({ name: 'report_qa_answers_total', help: 'Questions by how they ended', labelNames: ['outcome'], registers });
    this.#answerSeconds = new Histogram({
      name: 'report_qa_answer_duration_seconds',
      help: 'Time from a question to its reply being sent (found and not-found answers)',
      buckets: ANSWER_BUCKETS,
      registers,
    });
    this.#telegramErrors = new Counter({
      name: 'report_qa_telegram_api_errors_total',
      help: 'Bot API calls Telegram refused, by error code ("network": no response), each retry counted',
      labelNames: ['code'],
      registers,
    });
    this.#reindexRuns = new Counter({ name: 'report_qa_reindex_runs_total', help: 'Re-indexes started from Telegram, by result', labelNames: ['result'], registers });
    this.#reindexSeconds = new Histogram({
      name: 'report_qa_reindex_duration_seconds',
      help: 'Duration of re-indexes started from Telegram that ran (done, failed or aborted)',
      buckets: REINDEX_BUCKETS,
      registers,
    });
    this.#lastUpdate = new Gauge({
      name: 'report_qa_last_update_timestamp_seconds',
      help: 'Unix time of the last update received from Telegram (0: none yet)',
      registers,
    });
    new Gauge({
      name: 'report_qa_index_loaded',
      help: '1 when an index is loaded and questions can be answered, else 0',
      registers,
      collect() {
        this.set(loadedIndex(app) === undefined ? 0 : 1);
      },
    });
    new Gauge({
      name: 'report_qa_index_age_seconds',
      help: 'Seconds since the loaded index was built (0 while none is loaded: see report_qa_index_loaded)',
      registers,
      collect() {
        const index = loadedIndex(app);
        this.set(index === undefined ? 0 : ageSeconds(index.builtAt, new Date()));
      },
    });
    // Present from the first scrape, so dashboards and alerts see 0 rather than no series.
    for (const outcome of ['found', 'not_found', 'timeout', 'error'] satisfies AnswerOutcome[]) this.#answers.inc({ outcome }, 0);
    for (const result of ['done', 'failed', 'aborted', 'busy'] satisfies ReindexResult[]) this.#reindexRuns.inc({ result }, 0);
  }

  /** When the last update arrived from Telegram; undefined before the first. */
  get lastUpdateAt(): Date | undefined {
    return this.#lastUpdateAt;
  }

  updateReceived(at: Date = new Date()): void {
    this.#lastUpdateAt = at;
    this.#lastUpdate.set(at.getTime() / 1000);
  }

  questionAsked(): void {
    this.#questions.inc();
  }

  /** `seconds` is observed for answers that were sent (found, not found). */
  questionEnded(outcome: AnswerOutcome, seconds?: number): void {
    this.#answers.inc({ outcome });
    if (seconds !== undefined) this.#answerSeconds.observe(seconds);
  }

  telegramError(code: number | 'network'): void {
    this.#telegramErrors.inc({ code: String(code) });
  }

  /** `seconds` is observed for re-indexes that ran. */
  reindexEnded(result: ReindexResult, seconds?: number): void {
    this.#reindexRuns.inc({ result });
    if (seconds !== undefined) this.#reindexSeconds.observe(seconds);
  }
}
