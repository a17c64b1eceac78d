/**
 * Throughput of the neural embedder on 300-character chunks cut from the
 * seed reports (and optional distractors), wall time and CPU time, best of 3.
 *
 *   npx tsx scripts/measure-neural-embedder.ts                      # the tiny fixture
 *   npx tsx scripts/measure-neural-embedder.ts --model-dir /tmp/bench-models \
 *     --model Xenova/bge-small-zh-v1.5 --limit 200                 # the bge-sized model from make-tiny-bert.py
 */
import { parseArgs } from 'node:util';
import { inspectLocalModel } from '../src/embed/model-files.js';
import { NeuralEmbedder } from '../src/embed/neural-embedder.js';
import { createLogger } from '../src/log.js';
import { chunkFolder } from '../test/helpers/seed-retrieval.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'report-qa/tiny-bge-small-zh' },
    'model-dir': { type: 'string', default: 'test/fixtures/tiny-bert' },
    distractors: { type: 'string' },
    limit: { type: 'string', default: '2000' },
    'batch-size': { type: 'string', default: '16' },
  },
});

const modelDir = values['model-dir'];
const embedder = await NeuralEmbedder.load({
  model: values.model,
  modelDir,
  quantized: inspectLocalModel(modelDir, values.model).quantized,
  logger: createLogger({ level: 'info' }),
});
const chunks = [...chunkFolder('seeds'), ...(values.distractors ? chunkFolder(values.distractors) : [])];
const all = chunks.map((c) => c.text).join('');
const texts: string[] = [];
for (let i = 0; i + 300 <= all.length && texts.length < Number(values.limit); i += 300) texts.push(all.slice(i, i + 300));

const timings: Array<{ wall: number; cpu: number }> = [];
for (let run = 0; run < 3; run++) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await embedder.embedDocuments(texts, { batchSize: Number(values['batch-size']) });
  const used = process.cpuUsage(cpu);
  timings.push({ wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 });
}
const best = (pick: (t: { wall: number; cpu: number }) => number): number => Math.min(...timings.map(pick));
console.log(
  `${embedder.id} (${embedder.dimensions} dims): ${(texts.length / best((t) => t.wall)).toFixed(1)} chunks/s wall, ` +
    `${(texts.length / best((t) => t.cpu)).toFixed(1)} chunks/s per CPU-second (best of 3; ${texts.length} chunks of 300 characters, batch ${values['batch-size']})`,
);
