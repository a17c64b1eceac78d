/** createEmbedder's choice between the neural and the offline embedder (EMBEDDER=auto|neural|offline). */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmbedderKind } from '../../src/config.js';
import { isAppError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/log.js';
import { createEmbedder } from '../../src/embed/create-embedder.js';
import { modelFolder } from '../../src/embed/model-files.js';
import { NeuralEmbedder } from '../../src/embed/neural-embedder.js';
import { OfflineEmbedder } from '../../src/embed/offline-embedder.js';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/tiny-bert', import.meta.url));
const MODEL = 'report-qa/tiny-bge-small-zh';

let empty: string;
let lines: string[];
let logger: Logger;

beforeEach(() => {
  empty = mkdtempSync(path.join(os.tmpdir(), 'create-embedder-'));
  lines = [];
  logger = createLogger({ level: 'debug', write: (l) => lines.push(l) });
});
afterEach(() => rmSync(empty, { recursive: true, force: true }));

const config = (embedder: EmbedderKind, modelDir: string, embeddingModel = MODEL) => ({ embedder, embeddingModel, modelDir });

describe('createEmbedder', () => {
  it('EMBEDDER=auto picks the neural embedder when the model files are in MODEL_DIR, full precision when that is all there is', async () => {
    const e = await createEmbedder(config('auto', FIXTURE_DIR), logger);
    expect(e).toBeInstanceOf(NeuralEmbedder);
    expect(e.id).toBe(`neural:${MODEL}:fp32`);
    expect(lines.join('\n')).toMatch(/embedder selected.*EMBEDDER=auto and report-qa\/tiny-bge-small-zh found in/);
  });

  it('EMBEDDER=auto falls back to the offline embedder and says which files are missing where', async () => {
    const e = await createEmbedder(config('auto', empty, 'Xenova/bge-small-zh-v1.5'), logger);
    expect(e).toBeInstanceOf(OfflineEmbedder);
    const log = lines.join('\n');
    expect(log).toContain(e.id);
    expect(log).toContain(path.join(empty, 'Xenova', 'bge-small-zh-v1.5'));
    expect(log).toMatch(/missing config\.json.*report-qa model download/);
  });

  it('EMBEDDER=neural loads the model', async () => {
    const e = await createEmbedder(config('neural', FIXTURE_DIR), logger);
    expect(e).toBeInstanceOf(NeuralEmbedder);
    expect(lines.join('\n')).toMatch(/"reason":"EMBEDDER=neural"/);
  });

  it('EMBEDDER=neural without the model throws MODEL_UNAVAILABLE', async () => {
    const err = await createEmbedder(config('neural', empty), logger).catch((e: unknown) => e);
    expect(isAppError(err, 'MODEL_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toContain(modelFolder(empty, MODEL));
  });

  it('EMBEDDER=offline ignores a model that is present', async () => {
    const e = await createEmbedder(config('offline', FIXTURE_DIR), logger);
    expect(e).toBeInstanceOf(OfflineEmbedder);
    expect(lines.join('\n')).toMatch(/"reason":"EMBEDDER=offline"/);
  });

  it('EMBEDDER=auto does not silently fall back when the files are present but damaged', async () => {
    cpSync(modelFolder(FIXTURE_DIR, MODEL), modelFolder(empty, MODEL), { recursive: true });
    rmSync(path.join(modelFolder(empty, MODEL), 'tokenizer.json'));
    // a missing file is "not present": offline
    expect(await createEmbedder(config('auto', empty), logger)).toBeInstanceOf(OfflineEmbedder);
    cpSync(modelFolder(FIXTURE_DIR, MODEL), modelFolder(empty, MODEL), { recursive: true });
    writeFileSync(path.join(modelFolder(empty, MODEL), 'config.json'), '{ not json');
    const err = await createEmbedder(config('auto', empty), logger).catch((e: unknown) => e);
    expect(isAppError(err, 'MODEL_UNAVAILABLE')).toBe(true);
  });
});
