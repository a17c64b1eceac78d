/**
 * Picks the embedder from the settings (README, "Configuration": EMBEDDER):
 * `offline` → the built-in OfflineEmbedder; `neural` → the model in
 * MODEL_DIR or a MODEL_UNAVAILABLE error; `auto` → neural when the model's
 * files are in MODEL_DIR, else offline. Logs which one and why.
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Embedder } from '../types.js';
import { inspectLocalModel } from './model-files.js';
import { NeuralEmbedder } from './neural-embedder.js';
import { OfflineEmbedder } from './offline-embedder.js';

/**
 * EMBEDDER=auto picks neural when the model's files are in MODEL_DIR, else
 * offline, and logs which and why. Files that are present but fail to load
 * are an error in every mode: falling back would silently re-embed everything
 * with another embedder.
 */
export async function createEmbedder(
  config: Pick<Config, 'embedder' | 'embeddingModel' | 'modelDir'>,
  logger: Logger,
): Promise<Embedder> {
  const { embedder: kind, embeddingModel: model, modelDir } = config;
  if (kind === 'offline') return await offline(logger, 'EMBEDDER=offline');

  const files = inspectLocalModel(modelDir, model);
  if (kind === 'auto' && files.missing.length > 0) {
    return await offline(
      logger,
      `EMBEDDER=auto and ${model} is not in ${files.folder} (missing ${files.missing.join(', ')}); ` +
        'run `report-qa model download` to use the neural embedder',
    );
  }
  const neural = await NeuralEmbedder.load({ model, modelDir, quantized: files.quantized, logger });
  logger.info('embedder selected', {
    embedder: neural.id,
    dimensions: neural.dimensions,
    reason: kind === 'auto' ? `EMBEDDER=auto and ${model} found in ${files.folder}` : 'EMBEDDER=neural',
  });
  return neural;
}

async function offline(logger: Logger, reason: string): Promise<Embedder> {
  const embedder = new OfflineEmbedder();
  await embedder.warmUp();
  logger.info('embedder selected', { embedder: embedder.id, dimensions: embedder.dimensions, reason });
  return embedder;
}
