/**
 * downloadModel against a hub on 127.0.0.1 that serves the tiny fixture in
 * the Hugging Face URL layout (`/<org>/<name>/resolve/main/<file>`), so the
 * real transformers.js fetch-and-store path runs without the internet.
 */
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '@xenova/transformers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { downloadModel, type DownloadProgress } from '../../src/embed/download-model.js';
import { hasLocalModel, modelFolder } from '../../src/embed/model-files.js';
import { NeuralEmbedder } from '../../src/embed/neural-embedder.js';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/tiny-bert', import.meta.url));
const MODEL = 'report-qa/tiny-bge-small-zh';

let server: Server;
let host: string;
let requests: string[];
let tmp: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const m = /^\/([\w.-]+\/[\w.-]+)\/resolve\/main\/(.+)$/.exec(url);
    const file = m ? path.join(FIXTURE_DIR, m[1] ?? '', m[2] ?? '') : '';
    if (!m || url.includes('..') || !existsSync(file)) {
      res.writeHead(404).end('Entry not found');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
  tmp = mkdtempSync(path.join(os.tmpdir(), 'download-model-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('downloadModel', () => {
  it('stores the model in MODEL_DIR in the layout the loader reads, falling back to full precision', async () => {
    const progress: DownloadProgress[] = [];
    const remoteBefore = env.allowRemoteModels;
    const { files } = await downloadModel({ embeddingModel: MODEL, modelDir: tmp }, { remoteHost: host, onProgress: (p) => progress.push(p) });

    const folder = modelFolder(tmp, MODEL);
    expect(files).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'].map((f) => path.join(folder, f)));
    for (const f of files) {
      expect(readFileSync(f).equals(readFileSync(path.join(modelFolder(FIXTURE_DIR, MODEL), path.relative(folder, f))))).toBe(true);
    }
    expect(requests).toEqual(
      ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', 'onnx/model.onnx'].map(
        (f) => `/${MODEL}/resolve/main/${f}`,
      ),
    );
    expect(progress.some((p) => p.file === 'onnx/model.onnx' && p.loaded !== undefined && p.loaded === p.total)).toBe(true);
    expect(hasLocalModel(tmp, MODEL)).toBe(true);
    expect(env.allowRemoteModels).toBe(remoteBefore);

    // the stored model loads with remote loading off, and files already there are not fetched again
    expect((await NeuralEmbedder.load({ model: MODEL, modelDir: tmp })).dimensions).toBe(32);
    requests = [];
    await downloadModel({ embeddingModel: MODEL, modelDir: tmp }, { remoteHost: host });
    expect(requests).toEqual([`/${MODEL}/resolve/main/onnx/model_quantized.onnx`]);
  });

  it('throws MODEL_UNAVAILABLE naming the file and host when the hub lacks the model', async () => {
    const err = await downloadModel({ embeddingModel: 'nobody/no-such-model', modelDir: tmp }, { remoteHost: host }).catch((e: unknown) => e);
    expect(isAppError(err, 'MODEL_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(/Could not download config\.json of nobody\/no-such-model from http:\/\/127\.0\.0\.1:\d+\/: Could not locate file: "http:.*\/config\.json"\. Check/);
    expect(hasLocalModel(tmp, 'nobody/no-such-model')).toBe(false);
  });

  it('throws MODEL_UNAVAILABLE with the reason when the hub cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await downloadModel({ embeddingModel: MODEL, modelDir: tmp }, { remoteHost: `http://127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(isAppError(err, 'MODEL_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(/Could not download config\.json .*fetch failed.*ECONNREFUSED/);
  });
});
