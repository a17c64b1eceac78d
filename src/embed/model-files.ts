/**
 * Which files a transformers.js feature-extraction model needs, and whether
 * MODEL_DIR has them. The layout is transformers.js's own
 * (`<MODEL_DIR>/<org>/<name>/config.json`, `…/onnx/model_quantized.onnx`), so
 * a folder filled by `report-qa model download` or copied by hand loads the same.
 */
import { statSync } from 'node:fs';
import path from 'node:path';

/** Files every model needs besides its ONNX weights. */
export const MODEL_CONFIG_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
/** 8-bit weights, preferred: about 4× smaller and faster on CPU. */
export const QUANTIZED_ONNX = 'onnx/model_quantized.onnx';
/** Full-precision weights, used when no quantized file is present. */
export const FULL_ONNX = 'onnx/model.onnx';

export interface LocalModelFiles {
  /** `<modelDir>/<org>/<name>`. */
  readonly folder: string;
  /** Required files that are absent or empty, relative to `folder`. */
  readonly missing: readonly string[];
  /** Which weights to prefer: true when the quantized file is present, false when only full precision is; undefined when neither is. */
  readonly quantized: boolean | undefined;
  /** The ONNX files present (`QUANTIZED_ONNX`, `FULL_ONNX`). */
  readonly onnx: readonly string[];
}

/** The folder transformers.js reads `model` from under `modelDir`. */
export function modelFolder(modelDir: string, model: string): string {
  return path.join(modelDir, ...model.split('/'));
}

/** Checks the files of `model` in `modelDir` without loading anything. */
export function inspectLocalModel(modelDir: string, model: string): LocalModelFiles {
  const folder = modelFolder(modelDir, model);
  const present = (file: string): boolean => {
    try {
      const st = statSync(path.join(folder, file));
      return st.isFile() && st.size > 0;
    } catch {
      return false;
    }
  };
  const missing: string[] = MODEL_CONFIG_FILES.filter((f) => !present(f));
  const onnx = [QUANTIZED_ONNX, FULL_ONNX].filter(present);
  const quantized = onnx.length === 0 ? undefined : onnx.includes(QUANTIZED_ONNX);
  if (quantized === undefined) missing.push(`${QUANTIZED_ONNX} (or ${FULL_ONNX})`);
  return { folder, missing, quantized, onnx };
}

/** Are the files needed to load `model` present in `modelDir`? */
export function hasLocalModel(modelDir: string, model: string): boolean {
  return inspectLocalModel(modelDir, model).missing.length === 0;
}
