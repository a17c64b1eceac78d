import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FULL_ONNX, QUANTIZED_ONNX, hasLocalModel, inspectLocalModel, modelFolder } from '../../../src/embed/model-files.js';

const MODEL = 'Xenova/bge-small-zh-v1.5';
let dir: string;

function put(file: string, content = 'x'): void {
  const full = path.join(modelFolder(dir, MODEL), file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'model-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('inspectLocalModel / hasLocalModel', () => {
  it('lists every file when the folder is missing', () => {
    const r = inspectLocalModel(dir, MODEL);
    expect(r.folder).toBe(path.join(dir, 'Xenova', 'bge-small-zh-v1.5'));
    expect(r.missing).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', `${QUANTIZED_ONNX} (or ${FULL_ONNX})`]);
    expect(r.quantized).toBeUndefined();
    expect(r.onnx).toEqual([]);
    expect(hasLocalModel(dir, MODEL)).toBe(false);
  });

  it('accepts the quantized weights and prefers them', () => {
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', QUANTIZED_ONNX, FULL_ONNX]) put(f);
    expect(inspectLocalModel(dir, MODEL)).toMatchObject({ missing: [], quantized: true, onnx: [QUANTIZED_ONNX, FULL_ONNX] });
    expect(hasLocalModel(dir, MODEL)).toBe(true);
  });

  it('accepts full-precision weights alone', () => {
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', FULL_ONNX]) put(f);
    expect(inspectLocalModel(dir, MODEL)).toMatchObject({ missing: [], quantized: false, onnx: [FULL_ONNX] });
    expect(hasLocalModel(dir, MODEL)).toBe(true);
  });

  it('treats empty files as missing', () => {
    for (const f of ['config.json', 'tokenizer.json', QUANTIZED_ONNX]) put(f);
    put('tokenizer_config.json', '');
    expect(inspectLocalModel(dir, MODEL).missing).toEqual(['tokenizer_config.json']);
    expect(hasLocalModel(dir, MODEL)).toBe(false);
  });

  it('does not confuse models of the same organisation', () => {
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', QUANTIZED_ONNX]) put(f);
    expect(hasLocalModel(dir, 'Xenova/bge-base-zh-v1.5')).toBe(false);
  });
});
