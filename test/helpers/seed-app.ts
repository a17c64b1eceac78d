/**
 * The real app (createApp) on a temporary copy of the seed reports, with the
 * offline embedder and a temporary INDEX_DIR, for bot tests end to end. The
 * embedder can be gated: while closed, a build waits at its first document
 * embedding, so a test can hold a re-index open and act meanwhile.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAnswerer } from '../../src/answer/create-answerer.js';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createEmbedder } from '../../src/embed/create-embedder.js';
import { silentLogger } from '../../src/log.js';
import type { Answerer, App, Embedder } from '../../src/types.js';

export const SEEDS = path.resolve(import.meta.dirname, '../../seeds');

export interface SeedApp {
  readonly app: App;
  readonly config: Config;
  readonly work: string;
  /** Makes the next document embedding wait until `release` is called; `reached` resolves when it waits. */
  holdEmbedding(): { reached: Promise<void>; release: () => void };
  /** Removes the temporary folder. */
  cleanup(): Promise<void>;
}

export interface SeedAppOptions {
  /**
   * Runs after retrieval and before the configured answerer, like the time an
   * LLM takes: while it waits, a re-index may swap the index.
   */
  beforeAnswer?: (question: string) => Promise<void>;
}

export async function startSeedApp(opts: SeedAppOptions = {}): Promise<SeedApp> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-seeds-'));
  const reports = path.join(work, 'reports');
  await fs.cp(SEEDS, reports, { recursive: true });
  const config = loadConfig({ REPORTS_DIR: reports, INDEX_DIR: path.join(work, 'index'), MODEL_DIR: path.join(work, 'models'), EMBEDDER: 'offline' }, work);
  const base = await createEmbedder(config, silentLogger);
  let gate: { reached: () => void; opened: Promise<void> } | undefined;
  const embedder: Embedder = {
    id: base.id,
    dimensions: base.dimensions,
    embedQuery: (text) => base.embedQuery(text),
    async embedDocuments(texts, opts) {
      const g = gate;
      gate = undefined;
      if (g !== undefined) {
        g.reached();
        await g.opened;
      }
      return base.embedDocuments(texts, opts);
    },
  };
  const answerer = wrapAnswerer(createAnswerer(config, silentLogger), opts.beforeAnswer);
  const app = await createApp(config, { embedder, answerer });
  await app.ready();
  return {
    app,
    config,
    work,
    holdEmbedding() {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((r) => (reached = r));
      const opened = new Promise<void>((r) => (release = r));
      gate = { reached, opened };
      return { reached: reachedP, release };
    },
    cleanup: () => fs.rm(work, { recursive: true, force: true }),
  };
}

function wrapAnswerer(base: Answerer, before: SeedAppOptions['beforeAnswer']): Answerer {
  if (before === undefined) return base;
  return {
    id: base.id,
    async answer(decision, opts) {
      await before(decision.question);
      return base.answer(decision, opts);
    },
  };
}
