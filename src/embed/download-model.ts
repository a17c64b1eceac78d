/**
 * `report-qa model download`: the only code in the program that fetches
 * anything. It turns transformers.js's remote loading on for the duration of
 * this call only, lets transformers.js store each file into MODEL_DIR in the
 * layout the loader reads (`<org>/<name>/…`), then proves the result by
 * loading it with remote loading off. Files already present are kept, so an
 * interrupted download resumes file by file.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { AppError, describeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { MODEL_CONFIG_FILES, FULL_ONNX, QUANTIZED_ONNX, modelFolder } from './model-files.js';
import { NeuralEmbedder } from './neural-embedder.js';
import { withTrailingSlash, withTransformersEnv } from './transformers-env.js';

export interface DownloadProgress {
  /** File being fetched, relative to the model folder. */
  file: string;
  loaded?: number;
  total?: number;
}

export interface DownloadModelOptions {
  logger?: Logger;
  onProgress?: (info: DownloadProgress) => void;
  /** Hub to fetch from, with the Hugging Face URL layout (`<host>/<org>/<name>/resolve/main/<file>`). Default: huggingface.co; mirrors and tests set their own. */
  remoteHost?: string;
}

/**
 * Fetches `config.embeddingModel` into `config.modelDir` (quantized weights
 * when the hub has them, else full precision) and returns the paths written.
 * Throws `MODEL_UNAVAILABLE` when a file cannot be fetched or the result does not load.
 */
export async function downloadModel(
  config: Pick<Config, 'embeddingModel' | 'modelDir'>,
  opts: DownloadModelOptions = {},
): Promise<{ files: string[] }> {
  const logger = opts.logger ?? silentLogger;
  const model = config.embeddingModel;
  const host = opts.remoteHost ?? 'https://huggingface.co/';
  await mkdir(config.modelDir, { recursive: true });

  const fetchFile = async (file: string, required: boolean): Promise<boolean> => {
    opts.onProgress?.({ file });
    try {
      const { getModelFile } = await import('@xenova/transformers/src/utils/hub.js');
      const bytes = await getModelFile(model, file, required, {
        progress_callback: (info) => {
          if (info.status === 'progress') opts.onProgress?.({ file, loaded: info.loaded, total: info.total });
        },
      });
      return bytes !== null;
    } catch (err) {
      throw new AppError(
        'MODEL_UNAVAILABLE',
        `Could not download ${file} of ${model} from ${host}: ${explain(err)}. ` +
          'Check the network and EMBEDDING_MODEL, or keep using EMBEDDER=offline.',
        { cause: err },
      );
    }
  };

  const settings = {
    allowRemoteModels: true,
    allowLocalModels: true,
    localModelPath: withTrailingSlash(config.modelDir),
    useFSCache: true,
    cacheDir: config.modelDir,
    remoteHost: withTrailingSlash(host),
  };
  const files = await withTransformersEnv(settings, async () => {
    const got: string[] = [];
    for (const file of MODEL_CONFIG_FILES) {
      await fetchFile(file, true);
      got.push(file);
    }
    if (await fetchFile(QUANTIZED_ONNX, false)) got.push(QUANTIZED_ONNX);
    else {
      logger.info('no quantized weights on the hub; fetching full precision', { model, file: FULL_ONNX });
      await fetchFile(FULL_ONNX, true);
      got.push(FULL_ONNX);
    }
    return got;
  });

  const embedder = await NeuralEmbedder.load({ model, modelDir: config.modelDir, logger });
  const folder = modelFolder(config.modelDir, model);
  logger.info('model downloaded', { model, folder, files, dimensions: embedder.dimensions });
  return { files: files.map((f) => path.join(folder, f)) };
}

/** fetch() hides the reason (refused, DNS, TLS) in `cause`. */
function explain(err: unknown): string {
  const cause = err instanceof Error && err.cause !== undefined ? ` (${describeError(err.cause)})` : '';
  return (describeError(err) + cause).replace(/\.+$/, '');
}
