/**
 * Throughput of the neural embedder with a model of bge-small-zh-v1.5's
 * architecture and random weights (compute does not depend on the weights),
 * in its own process: chunks per second by batch size, and question latency.
 */
import { NeuralEmbedder } from '../../src/embed/neural-embedder.js';
import { summarize, type LatencySummary } from '../stats.js';

export interface NeuralTaskInput {
  readonly modelDir: string;
  readonly model: string;
  /** Chunk texts as the index embeds them (title, section, chunk). */
  readonly texts: readonly string[];
  readonly batchSizes: readonly number[];
  readonly questions: readonly string[];
}

export interface NeuralTaskOutput {
  readonly id: string;
  readonly dimensions: number;
  readonly loadMs: number;
  readonly meanChars: number;
  readonly batches: readonly { readonly batchSize: number; readonly texts: number; readonly ms: number; readonly chunksPerSec: number }[];
  readonly query: LatencySummary;
}

export async function neuralTask(input: NeuralTaskInput): Promise<NeuralTaskOutput> {
  const loadStart = performance.now();
  // model.onnx only (make-tiny-bert.py writes no quantized file): fp32, as the loader picks it.
  const embedder = await NeuralEmbedder.load({ model: input.model, modelDir: input.modelDir, quantized: false });
  const loadMs = Math.round(performance.now() - loadStart);
  await embedder.embedDocuments(input.texts.slice(0, 2), { batchSize: 2 }); // warm-up
  const batches = [];
  for (const batchSize of input.batchSizes) {
    const t = performance.now();
    await embedder.embedDocuments(input.texts, { batchSize });
    const ms = performance.now() - t;
    batches.push({ batchSize, texts: input.texts.length, ms: Math.round(ms), chunksPerSec: (input.texts.length / ms) * 1000 });
  }
  const times: number[] = [];
  for (const q of input.questions) {
    const t = performance.now();
    await embedder.embedQuery(q);
    times.push(performance.now() - t);
  }
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    loadMs,
    meanChars: input.texts.reduce((s, t) => s + t.length, 0) / Math.max(1, input.texts.length),
    batches,
    query: summarize(times),
  };
}
