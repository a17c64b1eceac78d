/**
 * A scriptable `App` for bot tests: a few in-memory reports, a naive
 * bigram-overlap answerer with `[n]` citations, and knobs for delays, errors
 * and a re-index that reports progress and can be held open. Like the real
 * app, it keeps answering from the old reports while a re-index runs and
 * swaps the new ones in only when the re-index completes.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../src/errors.js';
import type {
  Answer,
  App,
  AskOptions,
  AskResult,
  BuildOptions,
  BuildProgress,
  BuildSummary,
  Citation,
  IndexStatus,
  ParagraphView,
  ReportSummary,
  RetrievedChunk,
} from '../../src/types.js';

export interface FakeReport {
  readonly source: string;
  readonly title: string;
  readonly date?: string;
  readonly region?: string;
  readonly paragraphs: readonly string[];
}

export const NOT_FOUND = '在已索引的报告中没有找到相关内容。';

export const SAMPLE_REPORTS: readonly FakeReport[] = [
  {
    source: 'luoxing.txt',
    title: '罗星街道工作报告',
    date: '2023',
    region: '嘉兴市嘉善县罗星街道',
    paragraphs: [
      '罗星街道2022年工作回顾',
      '2022年，罗星街道实现地区生产总值128.6亿元，同比增长5.2%。',
      '全年完成固定资产投资45亿元，新引进亿元以上项目12个。',
    ],
  },
  {
    source: 'nanxing.txt',
    title: '南星街道2024年工作总结',
    date: '2025',
    region: '杭州市上城区南星街道',
    paragraphs: ['南星街道2025年工作思路：推进城市更新，完成老旧小区改造8个。', '辖区共有社区11个，常住人口约9万人。'],
  },
];

/** sha256 of the report's content, like the real app's file hash. */
export function hashOf(r: FakeReport): string {
  return createHash('sha256').update(r.paragraphs.join('\n')).digest('hex');
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class FakeApp implements App {
  reports: FakeReport[];
  /** Reports swapped in by the next successful re-index (default: unchanged). */
  nextReports: FakeReport[] | undefined;
  /** Delay before each answer, fixed or per question. */
  askDelayMs: number | ((question: string) => number) = 0;
  /** Thrown by `ask` (once per question) while set. */
  askError: unknown;
  /** Replaces the built-in answerer. */
  onAsk: ((question: string) => Answer) | undefined;
  /** Thrown by the next re-index after its progress. */
  reindexError: unknown;
  /** Milliseconds between re-index progress events. */
  reindexStepMs = 5;
  readonly questions: string[] = [];
  readonly askSignals: AbortSignal[] = [];
  reindexCalls = 0;
  closed = false;
  builtAt = '2025-01-22T06:30:00.000Z';
  embedderId = 'offline:hash-v1';

  #running = false;
  #hold: Deferred | undefined;
  #held: Deferred | undefined;
  readonly #askHolds: { match: string; hold: Deferred; held: Deferred }[] = [];

  constructor(reports: readonly FakeReport[] = SAMPLE_REPORTS) {
    this.reports = [...reports];
  }

  get reindexing(): boolean {
    return this.#running;
  }

  /**
   * Makes the next re-index stop after its progress events until the returned
   * function is called; `reached` resolves once it is waiting there.
   */
  holdReindex(): { release: () => void; reached: Promise<void> } {
    this.#hold = deferred();
    this.#held = deferred();
    const hold = this.#hold;
    return { release: () => hold.resolve(), reached: this.#held.promise };
  }

  /**
   * Makes the next question containing `match` wait, before it is answered,
   * until the returned function is called; `reached` resolves once it waits.
   */
  holdAsk(match: string): { release: () => void; reached: Promise<void> } {
    const entry = { match, hold: deferred(), held: deferred() };
    this.#askHolds.push(entry);
    return { release: () => entry.hold.resolve(), reached: entry.held.promise };
  }

  async ask(question: string, opts: AskOptions = {}): Promise<AskResult> {
    this.questions.push(question);
    if (opts.signal !== undefined) this.askSignals.push(opts.signal);
    const held = this.#askHolds.findIndex((h) => question.includes(h.match));
    if (held >= 0) {
      const [entry] = this.#askHolds.splice(held, 1);
      entry!.held.resolve();
      await entry!.hold.promise;
    }
    const delay = typeof this.askDelayMs === 'number' ? this.askDelayMs : this.askDelayMs(question);
    // Like the real app, one index for the whole answer: the reports as they were when asked.
    const sources = this.sources();
    const reports = this.reports;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (this.askError !== undefined) throw this.askError;
    const answer = this.onAsk?.(question) ?? this.#answer(question, reports);
    return { question, answer, retrieved: [] as RetrievedChunk[], sources };
  }

  async retrieve(): Promise<RetrievedChunk[]> {
    return [];
  }

  async reindex(opts: BuildOptions = {}): Promise<BuildSummary> {
    if (this.#running) throw new AppError('REINDEX_RUNNING', 'A re-index is already running; wait for it to finish.');
    this.#running = true;
    this.reindexCalls++;
    const started = Date.now();
    try {
      const next = this.nextReports ?? this.reports;
      const chunks = next.reduce((n, r) => n + r.paragraphs.length, 0);
      const steps: Omit<BuildProgress, 'elapsedMs'>[] = [
        ...next.map((_, i) => ({ phase: 'read' as const, done: i + 1, total: next.length })),
        ...Array.from({ length: chunks }, (_, i) => ({ phase: 'embed' as const, done: i + 1, total: chunks })),
        { phase: 'index', done: 1, total: 1 },
        { phase: 'write', done: 1, total: 1 },
      ];
      for (const s of steps) {
        await new Promise((r) => setTimeout(r, this.reindexStepMs));
        opts.onProgress?.({ ...s, elapsedMs: Date.now() - started });
      }
      this.#held?.resolve();
      await this.#hold?.promise;
      this.#hold = undefined;
      this.#held = undefined;
      if (this.reindexError !== undefined) {
        const err = this.reindexError;
        this.reindexError = undefined;
        throw err;
      }
      const before = new Map(this.reports.map((r) => [r.source, hashOf(r)]));
      const after = new Map(next.map((r) => [r.source, hashOf(r)]));
      this.reports = [...next];
      this.nextReports = undefined;
      return {
        buildId: `b${this.reindexCalls}`,
        added: [...after.keys()].filter((s) => !before.has(s)),
        changed: [...after.keys()].filter((s) => before.has(s) && before.get(s) !== after.get(s)),
        removed: [...before.keys()].filter((s) => !after.has(s)),
        unchanged: [...after.keys()].filter((s) => before.get(s) === after.get(s)).length,
        reports: next.length,
        paragraphs: chunks,
        chunks,
        embedded: chunks,
        skipped: [{ source: 'broken.pdf', reason: 'no text layer' }],
        durationMs: Date.now() - started,
      };
    } finally {
      this.#running = false;
    }
  }

  async ready(): Promise<void> {}

  status(): IndexStatus {
    const paragraphs = this.reports.reduce((n, r) => n + r.paragraphs.length, 0);
    return {
      buildId: `b${this.reindexCalls}`,
      builtAt: this.builtAt,
      reports: this.reports.length,
      paragraphs,
      chunks: paragraphs,
      embedder: { id: this.embedderId, dimensions: 256 },
      tokenizer: 'jieba',
      answerer: 'extractive',
    };
  }

  sources(): readonly ReportSummary[] {
    return this.reports.map((r) => ({
      source: r.source,
      title: r.title,
      hash: hashOf(r),
      paragraphs: r.paragraphs.length,
      chunks: r.paragraphs.length,
      ...(r.date !== undefined && { date: r.date }),
      ...(r.region !== undefined && { region: r.region }),
    }));
  }

  paragraph(source: string, n: number): ParagraphView | undefined {
    const r = this.reports.find((x) => x.source === source);
    const text = r?.paragraphs[n - 1];
    if (r === undefined || text === undefined) return undefined;
    return { source, title: r.title, paragraph: n, section: [r.paragraphs[0]!], text };
  }

  /** Conversations forgotten through `/new`, in order. */
  readonly forgotten: string[] = [];

  forget(conversation: string): void {
    this.forgotten.push(conversation);
  }

  /** Builds of other processes do not exist here. */
  async pickUpCurrent(): Promise<undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Cites the (at most two) paragraphs sharing the most character bigrams with the question. */
  #answer(question: string, reports: readonly FakeReport[]): Answer {
    const grams = bigrams(question);
    const scored = reports
      .flatMap((r) => r.paragraphs.map((text, i) => ({ r, text, paragraph: i + 1, score: bigrams(text).filter((g) => grams.includes(g)).length })))
      .filter((x) => x.score >= 2)
      .sort((a, b) => b.score - a.score)
      .slice(0, 2);
    if (scored.length === 0) return { text: NOT_FOUND, found: false, citations: [], answerer: 'fake' };
    const citations: Citation[] = scored.map((x, i) => ({ n: i + 1, source: x.r.source, title: x.r.title, paragraph: x.paragraph, text: x.text }));
    return { text: `${scored[0]!.text}[1]`, found: true, citations, answerer: 'fake' };
  }
}

function bigrams(text: string): string[] {
  const chars = [...text.replace(/[\s，。？！、：；（）]/g, '')];
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
}
