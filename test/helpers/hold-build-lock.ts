/**
 * Child process for the lock tests: a real app re-indexes argv[2] into
 * argv[3] (offline embedder) and is held at its first document embedding,
 * i.e. while it holds INDEX_DIR's build lock. Prints HOLDING <pid>; the build
 * finishes when a line arrives on stdin, then the process exits.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createEmbedder } from '../../src/embed/create-embedder.js';
import { silentLogger } from '../../src/log.js';
import type { Embedder } from '../../src/types.js';

const [reportsDir, indexDir] = process.argv.slice(2);
if (reportsDir === undefined || indexDir === undefined) throw new Error('usage: hold-build-lock REPORTS_DIR INDEX_DIR');
const config = loadConfig({ REPORTS_DIR: reportsDir, INDEX_DIR: indexDir, EMBEDDER: 'offline' }, process.cwd());
const base = await createEmbedder(config, silentLogger);
const released = new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
let held = false;
const embedder: Embedder = {
  id: base.id,
  dimensions: base.dimensions,
  embedQuery: (text) => base.embedQuery(text),
  async embedDocuments(texts, opts) {
    if (!held) {
      held = true;
      process.stdout.write(`HOLDING ${process.pid}\n`);
      await released;
    }
    return base.embedDocuments(texts, opts);
  },
};
const app = await createApp(config, { embedder });
await app.reindex();
await app.close();
process.stdin.destroy();
