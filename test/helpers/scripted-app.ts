/**
 * An `App` whose retrieval results and answer decisions are scripted per
 * question and mode, for testing what consumes an App (eval, commands) without
 * an index. It records every call so tests can check what was asked.
 */
import { AppError } from '../../src/errors.js';
import type { App, AskOptions, Citation, IndexStatus, ReportSummary, RetrievalMode, RetrievedChunk } from '../../src/types.js';

/** One scripted result: where it comes from and its text. */
export interface ScriptedResult {
  source: string;
  paragraph: number;
  text: string;
  score?: number;
}

export interface Script {
  /** Ranked results for a question in a mode (best first); the app returns the first `k`. */
  results(question: string, mode: RetrievalMode): ScriptedResult[];
  /** The ranking before the rerank stage (`retrieve` with `rerank: false`); default: `results`. */
  beforeRerank?(question: string, mode: RetrievalMode): ScriptedResult[];
  /** The answer step's decision; default: found when anything was retrieved. */
  found?(question: string, mode: RetrievalMode): boolean;
  /** The answer's text, citations and what was understood (default: a fixed text, no citations). */
  answer?(question: string, mode: RetrievalMode): { text?: string; citations?: Citation[]; understood?: string; followUp?: true };
  /** Called inside `retrieve`, e.g. to advance a fake clock. */
  onRetrieve?(question: string, mode: RetrievalMode): void;
  /** Reports the index claims to hold, for `sources()` (default: none). */
  sources?: readonly string[];
}

export interface AppCall {
  kind: 'retrieve' | 'ask' | 'ready' | 'forget';
  question?: string;
  conversation?: string;
  k?: number;
  mode?: RetrievalMode;
  rerank?: false;
}

export const SCRIPTED_STATUS: IndexStatus = {
  buildId: 'test-build',
  builtAt: '2025-01-01T00:00:00.000Z',
  reports: 2,
  paragraphs: 10,
  chunks: 20,
  embedder: { id: 'fake:scripted', dimensions: 8 },
  tokenizer: 'fake',
  answerer: 'scripted',
};

export function scriptedApp(script: Script): App & { calls: AppCall[] } {
  const calls: AppCall[] = [];
  let nextChunkId = 0;

  const toChunks = (question: string, opts: AskOptions & { rerank?: boolean }): RetrievedChunk[] => {
    const mode = opts.mode ?? 'hybrid';
    const k = opts.k ?? 5;
    const ranking = opts.rerank === false && script.beforeRerank !== undefined ? script.beforeRerank(question, mode) : script.results(question, mode);
    return ranking
      .slice(0, k)
      .map((r, i) => ({
        chunk: {
          chunkId: nextChunkId++,
          source: r.source,
          paragraph: r.paragraph,
          start: 0,
          end: r.text.length,
          text: r.text,
          section: [],
        },
        report: { source: r.source, title: `title of ${r.source}` },
        score: r.score ?? 1 / (i + 1),
        rank: i + 1,
      }));
  };

  return {
    calls,
    reindexing: false,
    async ready() {
      calls.push({ kind: 'ready' });
    },
    async retrieve(question, opts = {}) {
      calls.push({
        kind: 'retrieve',
        question,
        ...(opts.k !== undefined && { k: opts.k }),
        ...(opts.mode && { mode: opts.mode }),
        ...(opts.rerank === false && { rerank: false as const }),
        ...(opts.conversation !== undefined && { conversation: opts.conversation }),
      });
      script.onRetrieve?.(question, opts.mode ?? 'hybrid');
      return toChunks(question, opts);
    },
    async ask(question, opts = {}) {
      calls.push({
        kind: 'ask',
        question,
        ...(opts.k !== undefined && { k: opts.k }),
        ...(opts.mode && { mode: opts.mode }),
        ...(opts.conversation !== undefined && { conversation: opts.conversation }),
      });
      const mode = opts.mode ?? 'hybrid';
      const retrieved = toChunks(question, opts);
      const found = script.found?.(question, mode) ?? retrieved.length > 0;
      const scripted = script.answer?.(question, mode) ?? {};
      const text = scripted.text ?? (found ? 'scripted answer' : '在已索引的报告中没有找到相关内容');
      return {
        question,
        retrieved,
        answer: { text, found, citations: scripted.citations ?? [], answerer: 'scripted' },
        sources: sourcesOf(script),
        ...(scripted.understood !== undefined && { understood: scripted.understood }),
        ...(scripted.followUp === true && { followUp: true }),
      };
    },
    async reindex() {
      throw new AppError('REINDEX_RUNNING', 'the scripted app cannot re-index');
    },
    status: () => SCRIPTED_STATUS,
    sources: () => sourcesOf(script),
    paragraph: () => undefined,
    pickUpCurrent: async () => undefined,
    forget: (conversation) => {
      calls.push({ kind: 'forget', conversation });
    },
    async close() {},
  };
}

function sourcesOf(script: Script): ReportSummary[] {
  return (script.sources ?? []).map((source) => ({ source, title: `title of ${source}`, hash: 'x', paragraphs: 1, chunks: 1 }));
}
