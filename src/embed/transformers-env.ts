/**
 * transformers.js keeps its settings (remote loading, model folder, cache) in
 * one process-wide `env` object that it reads while loading files. Every
 * load or download here goes through `withTransformersEnv`, which applies its
 * settings, runs, and restores the previous ones, one call at a time, so a
 * download that turns remote loading on can never leak into a local load.
 *
 * The library (with onnxruntime, ~45 MB of RSS) is imported on first use, so
 * the offline embedder's processes never load it.
 */
type Transformers = typeof import('@xenova/transformers');

let library: Promise<Transformers> | undefined;

/** @xenova/transformers, imported once on first use. */
export function transformers(): Promise<Transformers> {
  library ??= import('@xenova/transformers');
  return library;
}

export interface TransformersEnvSettings {
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
  /** Folder holding `<org>/<name>/…`; must end with a separator for transformers.js's path joining. */
  localModelPath: string;
  useFSCache: boolean;
  cacheDir: string | null;
  remoteHost: string;
  remotePathTemplate: string;
}

const KEYS = [
  'allowRemoteModels',
  'allowLocalModels',
  'localModelPath',
  'useFSCache',
  'cacheDir',
  'remoteHost',
  'remotePathTemplate',
] as const satisfies readonly (keyof TransformersEnvSettings)[];

let queue: Promise<unknown> = Promise.resolve();

/** Runs `fn` with `settings` applied to transformers.js's env, serialised with every other such call. */
export function withTransformersEnv<T>(settings: Partial<TransformersEnvSettings>, fn: () => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const { env } = await transformers();
    const saved = Object.fromEntries(KEYS.map((k) => [k, env[k]]));
    Object.assign(env, settings);
    try {
      return await fn();
    } finally {
      Object.assign(env, saved);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** Settings for loading from `modelDir` only: remote off, no cache outside it. */
export function localOnlySettings(modelDir: string): Partial<TransformersEnvSettings> {
  return {
    allowRemoteModels: false,
    allowLocalModels: true,
    localModelPath: withTrailingSlash(modelDir),
    useFSCache: false,
  };
}

export function withTrailingSlash(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}
