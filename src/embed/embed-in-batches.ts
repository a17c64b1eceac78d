/**
 * The batching loop both embedders share: one batch at a time, the abort
 * signal checked before each, progress reported after each. Between batches
 * it yields to the event loop so a long re-index never starves the bot.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '../errors.js';
import type { EmbedOptions } from '../types.js';

export async function embedInBatches(
  texts: readonly string[],
  opts: EmbedOptions,
  defaultBatchSize: number,
  embedBatch: (batch: readonly string[]) => Promise<Float32Array[]> | Float32Array[],
): Promise<Float32Array[]> {
  const batchSize = opts.batchSize ?? defaultBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new AppError('INPUT_INVALID', `batchSize must be a positive integer, got ${batchSize}`);
  }
  const out: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    opts.signal?.throwIfAborted();
    if (start > 0) await nextTurn();
    opts.signal?.throwIfAborted();
    out.push(...(await embedBatch(texts.slice(start, start + batchSize))));
    opts.onProgress?.(out.length, texts.length);
  }
  return out;
}
