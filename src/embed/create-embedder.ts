/**
 * Picks the embedder from the settings (README, "Configuration": EMBEDDER):
 * `offline` → the built-in OfflineEmbedder; `neural` → the model in
 * MODEL_DIR or a MODEL_UNAVAILABLE error; `auto` → neural when the model's
 * files are in MODEL_DIR, else offline.
 *
 * Why it picked what it picked is `chooseEmbedder`'s reason. Creating the
 * embedder logs it only at debug: every command creates one, and the
 * reason matters where vectors are made (the app logs it once per build)
 * and in `report-qa status`.
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Embedder } from '../types.js';
import { inspectLocalModel } from './model-files.js';
import { NeuralEmbedder } from './neural-embedder.js';
import { OfflineEmbedder } from './offline-embedder.js';

export type EmbedderSettings = Pick<Config, 'embedder' | 'embeddingModel' | 'modelDir'>;

export interface EmbedderChoice {
  readonly kind: 'offline' | 'neural';
  /** Which setting and which files made the choice, and how to get the other embedder. */
  readonly reason: string;
}

/** The embedder the settings and MODEL_DIR's files select, and why (a few file stats, no loading). */
export function chooseEmbedder(config: EmbedderSettings): EmbedderChoice {
  const { embedder: kind, embeddingModel: model, modelDir } = config;
  if (kind === 'offline') return { kind: 'offline', reason: 'EMBEDDER=offline' };
  const files = inspectLocalModel(modelDir, model);
  if (kind === 'neural') return { kind: 'neural', reason: 'EMBEDDER=neural' };
  return files.missing.length > 0
    ? {
        kind: 'offline',
        reason:
          `EMBEDDER=auto and ${model} is not in ${files.folder} (missing ${files.missing.join(', ')}); ` +
          'run `report-qa model download` to use the neural embedder',
      }
    : { kind: 'neural', reason: `EMBEDDER=auto and ${model} found in ${files.folder}` };
}

/**
 * The embedder `chooseEmbedder` selects. Files that are present but fail to
 * load are an error in every mode: falling back would silently re-embed
 * everything with another embedder.
 */
export async function createEmbedder(config: EmbedderSettings, logger: Logger): Promise<Embedder> {
  const choice = chooseEmbedder(config);
  let embedder: Embedder;
  if (choice.kind === 'neural') {
    embedder = await NeuralEmbedder.load({ model: config.embeddingModel, modelDir: config.modelDir, logger });
  } else {
    const offline = new OfflineEmbedder();
    await offline.warmUp();
    embedder = offline;
  }
  logger.debug('embedder selected', { embedder: embedder.id, dimensions: embedder.dimensions, reason: choice.reason });
  return embedder;
}
