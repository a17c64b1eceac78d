/**
 * Child process for the kill test: builds the index of argv[2] into argv[3]
 * with the fake embedder, printing WRITING when the write phase starts so the
 * parent can kill it while the build folder is being written (where exactly
 * the kill lands varies; every landing point must leave a loadable index).
 */
import { buildFromReports } from '../../src/build-from-reports.js';
import { loadIndex } from '../../src/index/index-store.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import { FakeEmbedder } from './fake-embedder.js';

const [reportsDir, indexDir] = process.argv.slice(2);
if (reportsDir === undefined || indexDir === undefined) throw new Error('usage: build-then-wait REPORTS_DIR INDEX_DIR');
const embedder = new FakeEmbedder();
const tokenizer = new JiebaTokenizer();
const previous = await loadIndex(indexDir, { embedderId: embedder.id, dimensions: embedder.dimensions, tokenizer });
await buildFromReports({
  reportsDir,
  indexDir,
  embedder,
  tokenizer,
  previous,
  onProgress: (p) => {
    if (p.phase === 'write' && p.done === 0) process.stdout.write('WRITING\n');
  },
});
