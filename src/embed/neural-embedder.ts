/**
 * Sentence embeddings from a transformer encoder through @xenova/transformers
 * (ONNX on CPU). Loads only from MODEL_DIR with remote loading off: nothing
 * is ever fetched here (see download-model.ts for the one command that does).
 * Pooling and prefixes follow the model's family (model-families.ts).
 */
import type { FeatureExtractionPipeline } from '@xenova/transformers';
import { AppError, describeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { EmbedOptions, Embedder } from '../types.js';
import { embedInBatches } from './embed-in-batches.js';
import { modelFamily, type ModelFamily } from './model-families.js';
import { FULL_ONNX, QUANTIZED_ONNX, inspectLocalModel } from './model-files.js';
import { localOnlySettings, transformers, withTransformersEnv } from './transformers-env.js';

export interface NeuralEmbedderLoadOptions {
  /** Model id, e.g. `Xenova/bge-small-zh-v1.5`; its files are in `<modelDir>/<org>/<name>/`. */
  model: string;
  modelDir: string;
  /** Load `onnx/model_quantized.onnx` (true) or `onnx/model.onnx` (false). Default: quantized when present. */
  quantized?: boolean;
  logger?: Logger;
  /** Texts per model call when `embedDocuments` is given none. Default 16. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 16;

export class NeuralEmbedder implements Embedder {
  /** `neural:<model>`, with `:fp32` when the full-precision weights are used (their vectors differ slightly). */
  readonly id: string;
  readonly dimensions: number;
  readonly family: ModelFamily;
  readonly #extractor: FeatureExtractionPipeline;
  readonly #batchSize: number;

  private constructor(id: string, dimensions: number, family: ModelFamily, extractor: FeatureExtractionPipeline, batchSize: number) {
    this.id = id;
    this.dimensions = dimensions;
    this.family = family;
    this.#extractor = extractor;
    this.#batchSize = batchSize;
  }

  /**
   * Loads `model` from `modelDir`. Throws `MODEL_UNAVAILABLE` naming the
   * missing files and folder, or when the files are present but unreadable.
   */
  static async load(opts: NeuralEmbedderLoadOptions): Promise<NeuralEmbedder> {
    const logger = opts.logger ?? silentLogger;
    const files = inspectLocalModel(opts.modelDir, opts.model);
    const quantized = opts.quantized ?? files.quantized ?? true;
    const weights = quantized ? QUANTIZED_ONNX : FULL_ONNX;
    const missing = files.quantized === undefined || files.onnx.includes(weights) ? [...files.missing] : [...files.missing, weights];
    if (missing.length > 0) {
      throw new AppError(
        'MODEL_UNAVAILABLE',
        `Model ${opts.model} is not in ${files.folder}: missing ${missing.join(', ')}. ` +
          'Run `report-qa model download` where a network is available (or copy the files there), or set EMBEDDER=offline.',
      );
    }
    const started = performance.now();
    let extractor: FeatureExtractionPipeline;
    try {
      const { pipeline } = await transformers();
      extractor = await withTransformersEnv(localOnlySettings(opts.modelDir), () =>
        pipeline('feature-extraction', opts.model, { quantized, local_files_only: true }),
      );
    } catch (err) {
      throw new AppError(
        'MODEL_UNAVAILABLE',
        `Model ${opts.model} in ${files.folder} could not be loaded (${describeError(err)}). ` +
          'The files may be damaged: delete the folder and run `report-qa model download`, or set EMBEDDER=offline.',
        { cause: err },
      );
    }
    const family = modelFamily(opts.model);
    const id = `neural:${opts.model}${quantized ? '' : ':fp32'}`;
    const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    const probe = new NeuralEmbedder(id, 0, family, extractor, batchSize);
    const dimensions = (await probe.#run(['维度']))[0]?.length ?? 0;
    logger.info('neural embedder loaded', {
      model: opts.model,
      file: weights,
      dimensions,
      family: family.name,
      ms: Math.round(performance.now() - started),
    });
    return new NeuralEmbedder(id, dimensions, family, extractor, batchSize);
  }

  /**
   * Embeds passages in batches of similar length (less padding), in the
   * caller's order. Texts beyond the model's window (512 tokens) are truncated.
   */
  async embedDocuments(texts: readonly string[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    const order = texts.map((_, i) => i).sort((a, b) => (texts[a]?.length ?? 0) - (texts[b]?.length ?? 0));
    const prefix = this.family.passagePrefix;
    const sorted = order.map((i) => prefix + (texts[i] ?? ''));
    const vectors = await embedInBatches(sorted, opts, this.#batchSize, (batch) => this.#run(batch));
    const out = new Array<Float32Array>(texts.length);
    order.forEach((original, k) => {
      const v = vectors[k];
      if (v !== undefined) out[original] = v;
    });
    return out;
  }

  /** Embeds a question with the family's query instruction (e.g. bge's Chinese one). */
  async embedQuery(text: string): Promise<Float32Array> {
    const [v] = await this.#run([this.family.queryPrefix + text]);
    if (v === undefined) throw new AppError('MODEL_UNAVAILABLE', `Model ${this.id} returned no vector`);
    return v;
  }

  /** One model call: pooled, L2-normalised rows. */
  async #run(batch: readonly string[]): Promise<Float32Array[]> {
    const output = await this.#extractor([...batch], { pooling: this.family.pooling, normalize: true });
    const [rows = 0, width = 0] = output.dims;
    const data = output.data;
    if (!(data instanceof Float32Array) || rows !== batch.length) {
      throw new AppError('MODEL_UNAVAILABLE', `Model ${this.id} returned ${rows} vectors of type ${data.constructor.name} for ${batch.length} texts`);
    }
    return Array.from({ length: rows }, (_, r) => data.slice(r * width, (r + 1) * width));
  }
}
