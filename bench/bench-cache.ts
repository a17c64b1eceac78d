/**
 * Where the benchmark keeps what is expensive to make between runs, keyed so a
 * stale copy is never used: generated corpora (generator version, size, source
 * fingerprint), built indexes (plus the index format, embedder and tokenizer)
 * with the measurements of the build that made them, and the neural model.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { SYNTHETIC_CORPUS_VERSION, generateReports, writeCorpus, type SentencePool, type SyntheticReport } from './synthetic-corpus.js';

/** Seed of the generated corpora (one for all sizes: a larger corpus is not a superset of a smaller one). */
export const CORPUS_SEED = 20240607;

/** Chunk counts from `1k`, `10k`, `100k`, `2500`. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(k?)$/i.exec(text.trim());
  const value = match === null ? Number.NaN : Number(match[1]) * (match[2] === '' ? 1 : 1000);
  if (!Number.isInteger(value) || value < 100) throw new Error(`size "${text}" is not a chunk count such as 1k, 10k, 100k (at least 100)`);
  return value;
}

/** `1000` → `1k`. */
export function sizeLabel(chunks: number): string {
  return chunks % 1000 === 0 ? `${chunks / 1000}k` : String(chunks);
}

export interface CorpusHandle {
  readonly key: string;
  /** The reports folder. */
  readonly dir: string;
  readonly reports: readonly SyntheticReport[];
  /** Whether the files were already there. */
  readonly cached: boolean;
}

const DONE = '.complete';

/**
 * The generated corpus of `size` chunks under `cacheDir`, written unless a
 * complete copy is there (or `fresh`). The reports are regenerated in memory
 * either way (about a second per 100k chunks): the questions are drawn from them.
 */
export async function prepareCorpus(cacheDir: string, size: number, pool: SentencePool, fresh: boolean): Promise<CorpusHandle> {
  const key = `corpus-v${SYNTHETIC_CORPUS_VERSION}-${sizeLabel(size)}-${pool.fingerprint.slice(0, 8)}`;
  const dir = path.join(cacheDir, key);
  const reports = generateReports(pool, { chunks: size, seed: CORPUS_SEED });
  const complete = await exists(path.join(dir, DONE));
  if (complete && !fresh) return { key, dir, reports, cached: true };
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  await writeCorpus(dir, reports);
  await fs.writeFile(path.join(dir, DONE), `${new Date().toISOString()}\n`);
  return { key, dir, reports, cached: false };
}

/** The index folder of a corpus built with a given embedder, tokenizer and index format. */
export function indexDirFor(cacheDir: string, corpusKey: string, parts: readonly string[]): string {
  const safe = parts.map((p) => p.replace(/[^\w.+-]+/g, '_')).join('-');
  return path.join(cacheDir, `index-${corpusKey}-${safe}`);
}

export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Bytes of every file under `dir`. */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(p) : (await fs.stat(p)).size;
  }
  return total;
}
