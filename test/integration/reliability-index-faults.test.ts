/**
 * Faults in the index path (issue #8): a disk that fills up or refuses writes
 * at any file of a re-index, an fsync or rename that fails, an embedder that
 * throws or misbehaves midway, a reports folder that disappears while it is
 * read. Root ignores chmod, so failures are injected into the fs functions the
 * index store uses (node:fs/promises) and into the vector file's save. Every
 * time: app.reindex rejects with an AppError saying what failed and that the
 * previous index keeps serving, questions are answered from the old index
 * during and after, nothing half-written becomes CURRENT, and the next
 * re-index after the fault clears succeeds.
 */
import fsp, { type FileHandle } from 'node:fs/promises';
import { renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createEmbedder } from '../../src/embed/create-embedder.js';
import { isAppError, type ErrorCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { HnswVectorIndex } from '../../src/index/hnsw-index.js';
import type { App, BuildProgress, Embedder } from '../../src/types.js';

const SEEDS = path.resolve(import.meta.dirname, '../../seeds');
const NX = '001_e2c7ed4295899fe4.txt';
const GDP = '罗星街道2022年地区生产总值是多少？';
const PARK = '南星街道2025年计划新建口袋公园多少个，总投资多少？';
const ADDED = '南星街道2025年计划新建口袋公园7个，总投资8888万元。';

let base: Embedder;
let work: string;
let config: Config;
let app: App;
let oldId: string;
/** Set by a test to make the embedder fail (or misbehave) on its next documents. */
let embedFault: 'throw' | 'short' | undefined;

beforeAll(async () => {
  base = await createEmbedder(loadConfig({ EMBEDDER: 'offline' }, os.tmpdir()), silentLogger);
});

beforeEach(async () => {
  work = await fsp.mkdtemp(path.join(os.tmpdir(), 'reliability-faults-'));
  await fsp.cp(SEEDS, path.join(work, 'reports'), { recursive: true });
  config = loadConfig({ REPORTS_DIR: path.join(work, 'reports'), INDEX_DIR: path.join(work, 'index'), EMBEDDER: 'offline' }, work);
  embedFault = undefined;
  const embedder: Embedder = {
    id: base.id,
    dimensions: base.dimensions,
    embedQuery: (text) => base.embedQuery(text),
    async embedDocuments(texts, opts) {
      if (embedFault === 'throw') {
        opts?.onProgress?.(Math.floor(texts.length / 2), texts.length);
        throw new Error('model runtime crashed: out of memory (injected)');
      }
      const vectors = await base.embedDocuments(texts, opts);
      return embedFault === 'short' ? vectors.slice(1) : vectors;
    },
  };
  app = await createApp(config, { embedder });
  await app.ready();
  oldId = app.status().buildId;
  // the change a re-index has to write
  await fsp.appendFile(path.join(config.reportsDir, NX), `\n\n${ADDED}\n`);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await app.close();
  await fsp.rm(work, { recursive: true, force: true });
});

afterAll(() => {
  console.info(`index-path faults injected: ${injected.length}\n  ${injected.join('\n  ')}`);
});
const injected: string[] = [];

const errno = (code: string, syscall: string, file: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: injected fault, ${syscall} '${file}'`), { code, syscall, path: file });

const inTmpBuild = (file: string): boolean => file.includes(`${path.sep}builds${path.sep}.tmp-`);
const current = async (): Promise<string> => (await fsp.readFile(path.join(config.indexDir, 'CURRENT'), 'utf8')).trim();
const tmpLeftovers = async (): Promise<string[]> => (await fsp.readdir(path.join(config.indexDir, 'builds'))).filter((n) => n.startsWith('.tmp-'));

/** A file handle whose `writeFile` writes half the data and then fails, or whose `sync` fails. */
function faultyHandle(fh: FileHandle, fail: 'writeFile' | 'sync', code: string, file: string): FileHandle {
  return new Proxy(fh, {
    get(target, prop) {
      if (prop === fail) {
        return async (data?: string | Uint8Array) => {
          if (data !== undefined) await target.writeFile(typeof data === 'string' ? data.slice(0, data.length / 2) : data.subarray(0, data.length / 2));
          throw errno(code, fail === 'sync' ? 'fsync' : 'write', file);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Makes the `nth` fs.open(file, flags) with `match(file)` return a handle that fails at `fail`. */
function failOpen(match: (file: string) => boolean, flags: string, nth: number, fail: 'writeFile' | 'sync', code: string): void {
  const open = fsp.open.bind(fsp);
  let seen = 0;
  vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    const [file, mode] = args;
    const fh = await open(...args);
    if (typeof file === 'string' && mode === flags && match(file) && ++seen === nth) return faultyHandle(fh, fail, code, file);
    return fh;
  });
}

/** Asks while `pending` runs; every answer must come from the old index. Returns how many were answered. */
async function askWhile(pending: Promise<unknown>): Promise<number> {
  let settled = false;
  void pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  let answered = 0;
  while (!settled) {
    const { answer } = await app.ask(GDP);
    expect(answer.text).toContain('108.1亿元');
    expect(app.status().buildId).toBe(oldId);
    answered += 1;
    await new Promise((r) => setTimeout(r, 2));
  }
  return answered;
}

async function expectOldServing(): Promise<void> {
  expect(app.status().buildId).toBe(oldId);
  expect((await app.ask(GDP)).answer.text).toContain('108.1亿元');
  expect((await app.ask(PARK)).answer.text).not.toContain('8888万元');
  expect(await current()).toBe(oldId);
}

async function expectRecovers(): Promise<void> {
  vi.restoreAllMocks();
  embedFault = undefined;
  const summary = await app.reindex();
  expect(summary.changed).toEqual([NX]);
  expect(app.status().buildId).toBe(summary.buildId);
  expect(await current()).toBe(summary.buildId);
  expect((await app.ask(PARK)).answer.text).toContain('8888万元');
  expect(await tmpLeftovers()).toEqual([]);
}

interface Fault {
  readonly name: string;
  readonly code: ErrorCode;
  /** What the message must say failed. */
  readonly says: RegExp;
  readonly inject: () => void;
}

const WRITES = ['reports.json', 'chunks.json', 'keyword.json', 'user-words.json', 'manifest.json'];
const FAULTS: Fault[] = [
  {
    name: 'index folder not writable (mkdir of the build folder: EACCES)',
    code: 'REINDEX_FAILED',
    says: /writing the index to .*EACCES/,
    inject: () => {
      const mkdir = fsp.mkdir.bind(fsp);
      vi.spyOn(fsp, 'mkdir').mockImplementation(async (...args: Parameters<typeof fsp.mkdir>) => {
        if (typeof args[0] === 'string' && inTmpBuild(args[0])) throw errno('EACCES', 'mkdir', args[0]);
        return mkdir(...args);
      });
    },
  },
  ...WRITES.map(
    (file, i): Fault => ({
      name: `disk full at write ${i + 1} (${file}: ENOSPC after half the bytes)`,
      code: 'REINDEX_FAILED',
      says: new RegExp(`writing the index to .*ENOSPC.*${file.replace('.', '\\.')}`),
      inject: () => failOpen((f) => inTmpBuild(f) && f.endsWith(file), 'w', 1, 'writeFile', 'ENOSPC'),
    }),
  ),
  {
    name: 'disk full writing vectors.hnsw (half a file, then ENOSPC)',
    code: 'REINDEX_FAILED',
    says: /writing the index to .*ENOSPC.*vectors\.hnsw/,
    inject: () => {
      const save = HnswVectorIndex.prototype.save;
      vi.spyOn(HnswVectorIndex.prototype, 'save').mockImplementation(async function (this: HnswVectorIndex, file: string) {
        await save.call(this, file);
        await fsp.truncate(file, Math.floor((await fsp.stat(file)).size / 2));
        throw errno('ENOSPC', 'write', file);
      });
    },
  },
  {
    name: 'fsync of vectors.hnsw fails (EIO)',
    code: 'REINDEX_FAILED',
    says: /writing the index to .*EIO/,
    inject: () => failOpen((f) => inTmpBuild(f) && f.endsWith('vectors.hnsw'), 'r', 1, 'sync', 'EIO'),
  },
  {
    name: 'rename of the finished build into builds/ refused (EACCES)',
    code: 'REINDEX_FAILED',
    says: /writing the index to .*EACCES.*rename/,
    inject: () => {
      const rename = fsp.rename.bind(fsp);
      vi.spyOn(fsp, 'rename').mockImplementation(async (from, to) => {
        if (typeof from === 'string' && inTmpBuild(from)) throw errno('EACCES', 'rename', from);
        return rename(from, to);
      });
    },
  },
  {
    name: 'disk full writing CURRENT.tmp (the swap)',
    code: 'REINDEX_FAILED',
    says: /writing the index to .*ENOSPC.*CURRENT/,
    inject: () => failOpen((f) => path.basename(f).startsWith('CURRENT.tmp-'), 'w', 1, 'writeFile', 'ENOSPC'),
  },
  {
    name: 'embedder throws midway',
    code: 'REINDEX_FAILED',
    says: /while embedding the reports: model runtime crashed/,
    inject: () => (embedFault = 'throw'),
  },
  {
    name: 'embedder returns one vector too few',
    code: 'REINDEX_FAILED',
    says: /returned \d+ vectors for \d+ texts/,
    inject: () => (embedFault = 'short'),
  },
];

describe('app.reindex under injected faults', () => {
  it.each(FAULTS.map((f) => [f.name, f] as const))('%s: clear error, old index serves during and after, next build succeeds', async (_name, fault) => {
    fault.inject();
    injected.push(fault.name);
    const pending = app.reindex();
    const [answered, error] = await Promise.all([askWhile(pending), pending.then(() => undefined, (err: unknown) => err)]);

    expect(isAppError(error, fault.code), String(error)).toBe(true);
    const message = error instanceof Error ? error.message : '';
    expect(message).toMatch(fault.says);
    expect(message).toContain(`The previous index (build ${oldId}) keeps serving`);
    expect(answered).toBeGreaterThan(0);
    await expectOldServing();
    expect(await tmpLeftovers()).toEqual([]);
    await expectRecovers();
  });

  it('reports folder disappearing while it is read: REPORTS_DIR_MISSING, nothing removed from the index', async () => {
    injected.push('reports folder renamed away after 2 of 5 files were read');
    const gone = `${config.reportsDir}.gone`;
    const pending = app.reindex({
      onProgress: (p: BuildProgress) => {
        if (p.phase === 'read' && p.done === 2) renameSync(config.reportsDir, gone);
      },
    });
    const [answered, error] = await Promise.all([askWhile(pending), pending.then(() => undefined, (err: unknown) => err)]);
    expect(isAppError(error, 'REPORTS_DIR_MISSING'), String(error)).toBe(true);
    expect(String(error)).toMatch(/disappeared while it was being read \(2 of 5 files read\).*previous index \(build \d{8}T\d{9}Z-[0-9a-f]{6}\) keeps serving/);
    expect(answered).toBeGreaterThan(0);
    await expectOldServing();
    expect(app.sources()).toHaveLength(5);
    renameSync(gone, config.reportsDir);
    await expectRecovers();
  });

  it('reports folder missing at the start: REPORTS_DIR_MISSING naming the folder', async () => {
    injected.push('reports folder missing before the build');
    renameSync(config.reportsDir, `${config.reportsDir}.gone`);
    await expect(app.reindex()).rejects.toSatisfy(
      (err: unknown) => isAppError(err, 'REPORTS_DIR_MISSING') && err.message.includes(config.reportsDir) && err.message.includes('keeps serving'),
    );
    await expectOldServing();
    renameSync(`${config.reportsDir}.gone`, config.reportsDir);
    await expectRecovers();
  });

  it('an fsync of the index folder that fails after CURRENT was renamed does not fail a build that is already live', async () => {
    injected.push('EIO on the index folder fsync after the CURRENT rename');
    failOpen((f) => f === config.indexDir, 'r', 1, 'sync', 'EIO');
    const summary = await app.reindex();
    expect(await current()).toBe(summary.buildId);
    expect(app.status().buildId).toBe(summary.buildId);
    expect((await app.ask(PARK)).answer.text).toContain('8888万元');
  });

  it('a failure after the swap (removing an old build: EACCES) does not fail a build that is already live', async () => {
    injected.push('EACCES removing an old build after the swap');
    // two more builds, so the next swap has an old build to remove
    await app.reindex();
    await fsp.appendFile(path.join(config.reportsDir, NX), '\n\n南星街道新增一段说明。\n');
    await app.reindex();
    await fsp.appendFile(path.join(config.reportsDir, NX), '\n\n南星街道再增一段说明。\n');
    const rm = fsp.rm.bind(fsp);
    vi.spyOn(fsp, 'rm').mockImplementation(async (target, opts) => {
      if (typeof target === 'string' && /builds[/\\]\d{8}T/.test(target)) throw errno('EACCES', 'rm', target);
      return rm(target, opts);
    });
    const summary = await app.reindex();
    expect(app.status().buildId).toBe(summary.buildId);
    expect(await current()).toBe(summary.buildId);
    expect((await app.ask('南星街道再增一段说明')).answer.found).toBe(true);
  });
});
