/**
 * Re-indexing after one report changed, in its own process, on copies: the
 * cached index is copied and the reports folder is mirrored with links, except
 * the changed report, which gets a new paragraph (a new project name in
 * quotes, so the dictionary learns a word, and a figure). The previous index
 * is loaded and jieba warmed up first, as in a running bot, and both are timed
 * apart (`report-qa index` from the command line pays them on top).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { OfflineEmbedder } from '../../src/embed/offline-embedder.js';
import { buildFromReports } from '../../src/build-from-reports.js';
import type { BuildStep } from '../../src/index/build-clock.js';
import { loadIndex } from '../../src/index/index-store.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import type { BuildPhase } from '../../src/types.js';
import { peakRssMb } from '../machine.js';

export interface IncrementalTaskInput {
  readonly reportsDir: string;
  readonly indexDir: string;
  /** Emptied, then holds the copies; removed at the end. */
  readonly workDir: string;
  /** The report to change, relative to `reportsDir`. */
  readonly change: string;
}

export interface IncrementalTaskOutput {
  /** Loading the previous index (done once at start-up by the bot, by every `report-qa index`). */
  readonly loadMs: number;
  /** Loading jieba's dictionaries with the index's words (the first question after start-up). */
  readonly warmUpMs: number;
  readonly durationMs: number;
  readonly phaseMs: Readonly<Record<BuildPhase, number>>;
  readonly stepMs: Readonly<Record<BuildStep, number>>;
  readonly changed: readonly string[];
  readonly embedded: number;
  /** Words the dictionary learned, and kept chunks re-tokenized for them. */
  readonly learnedWords: number;
  readonly retokenized: number;
  readonly peakRssMb: number;
}

export const CHANGE_TEXT = '\n\n全年新建“云栖数智港”产业园一期，引进数字经济企业12家，完成投资3.46亿元。\n';

export async function incrementalTask(input: IncrementalTaskInput): Promise<IncrementalTaskOutput> {
  await fs.rm(input.workDir, { recursive: true, force: true });
  const reportsDir = path.join(input.workDir, 'reports');
  const indexDir = path.join(input.workDir, 'index');
  await fs.cp(input.indexDir, indexDir, { recursive: true });
  await mirror(input.reportsDir, reportsDir);
  const changed = path.join(reportsDir, input.change);
  const text = await fs.readFile(changed, 'utf8');
  await fs.rm(changed);
  await fs.writeFile(changed, text + CHANGE_TEXT);

  try {
    const embedder = new OfflineEmbedder();
    await embedder.warmUp();
    const tokenizer = new JiebaTokenizer();
    const loadStart = performance.now();
    const previous = await loadIndex(indexDir, { embedderId: embedder.id, dimensions: embedder.dimensions, tokenizer });
    const loadMs = Math.round(performance.now() - loadStart);
    // A running bot has answered questions: jieba's dictionaries are loaded.
    const warmStart = performance.now();
    previous.keyword.search('预热', 1);
    const warmUpMs = Math.round(performance.now() - warmStart);
    const result = await buildFromReports({ reportsDir, indexDir, embedder, tokenizer, previous });
    const before = new Set(previous.userWords);
    return {
      loadMs,
      warmUpMs,
      durationMs: result.summary.durationMs,
      phaseMs: result.phaseMs,
      stepMs: result.stepMs,
      changed: result.summary.changed,
      embedded: result.summary.embedded,
      learnedWords: result.snapshot.userWords.filter((w) => !before.has(w)).length,
      retokenized: result.retokenized,
      peakRssMb: peakRssMb(),
    };
  } finally {
    await fs.rm(input.workDir, { recursive: true, force: true });
  }
}

/** `to` mirrors `from`: same folders, a symlink per file. */
async function mirror(from: string, to: string): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) await mirror(source, path.join(to, entry.name));
    else await fs.symlink(source, path.join(to, entry.name));
  }
}
