/**
 * A reports folder holding the seed reports (symlinked one by one, so their
 * sources and reports.json titles are exactly those of `seeds/`) and the
 * gov-reports corpus as a `corpus/` sub-folder of distractors.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** The shared corpus, beside the repository (CI: a fresh clone with shared/ beside it), if present. */
export const CORPUS_DIR: string | undefined = [
  path.resolve('../shared/corpus/gov-reports'),
  '/work/shared/corpus/gov-reports',
].find((p) => existsSync(p));

/** Fills the empty folder `dir` with links to the seeds (and the corpus, when `corpus` is given). */
export async function linkSeedsWithCorpus(dir: string, seedsDir: string, corpus?: string): Promise<void> {
  for (const name of await fs.readdir(seedsDir)) {
    const from = path.resolve(seedsDir, name);
    if (name === 'reports.json') await fs.copyFile(from, path.join(dir, name));
    else await fs.symlink(from, path.join(dir, name));
  }
  if (corpus !== undefined) await fs.symlink(corpus, path.join(dir, 'corpus'));
}
