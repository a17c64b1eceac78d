/**
 * A hand-damaged INDEX_DIR (issue #8): CURRENT pointing nowhere or holding
 * junk, a truncated or foreign manifest, data files truncated, altered or
 * missing, junk folders and files. Loading gives a clear AppError (the CLI a
 * `✗` line naming the damage and `report-qa index`), never a crash or silent
 * garbage; cleanupIndexDir never throws and removes only what dead writers
 * left; `report-qa index` afterwards rebuilds cleanly. Also: damage to the
 * live build's vector file while the app serves is not carried into the next
 * build.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { CommandIo } from '../../src/cli/command-context.js';
import { runCli } from '../../src/cli/run-cli.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createEmbedder } from '../../src/embed/create-embedder.js';
import { isAppError, type ErrorCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { cleanupIndexDir, loadIndex } from '../../src/index/index-store.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import type { Embedder } from '../../src/types.js';

const SEEDS = path.resolve(import.meta.dirname, '../../seeds');
const GDP = '罗星街道2022年地区生产总值是多少？';
const MISSING_ID = '20200101T000000000Z-abcdef';

let embedder: Embedder;
let work: string;
let config: Config;
let env: Record<string, string>;
let liveId: string;

beforeAll(async () => {
  embedder = await createEmbedder(loadConfig({ EMBEDDER: 'offline' }, os.tmpdir()), silentLogger);
});

beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'reliability-corrupt-'));
  await fs.cp(SEEDS, path.join(work, 'reports'), { recursive: true });
  env = { REPORTS_DIR: path.join(work, 'reports'), INDEX_DIR: path.join(work, 'index'), EMBEDDER: 'offline', LOG_LEVEL: 'silent' };
  config = loadConfig(env, work);
  const app = await createApp(config, { embedder });
  await app.ready();
  liveId = app.status().buildId;
  await app.close();
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

const live = (file: string): string => path.join(config.indexDir, 'builds', liveId, file);

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (s) => out.push(s), err: (s) => err.push(s), interactive: false, env, cwd: work };
  const code = await runCli(args, { io, makeApp: (c) => createApp(c, { embedder }) });
  return { code, out: out.join(''), err: err.join('') };
}

/** `report-qa index` rebuilds from the reports, and the result loads and answers. */
async function expectRebuilds(): Promise<void> {
  const r = await cli('index');
  expect(r.code, r.err).toBe(0);
  expect(r.out).toMatch(/ready in .* 5 reports/);
  const app = await createApp(config, { embedder });
  try {
    await app.ready();
    expect(app.status().buildId).not.toBe(liveId);
    expect((await app.ask(GDP)).answer.text).toContain('108.1亿元');
  } finally {
    await app.close();
  }
  expect((await fs.readdir(path.join(config.indexDir, 'builds'))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
}

interface Damage {
  readonly name: string;
  readonly code: ErrorCode;
  readonly says: RegExp;
  readonly damage: () => Promise<void>;
}

const flipByte = async (file: string): Promise<void> => {
  const bytes = await fs.readFile(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at]! + 1) & 0xff;
  await fs.writeFile(file, bytes);
};
const truncateHalf = async (file: string): Promise<void> => fs.truncate(file, Math.floor((await fs.stat(file)).size / 2));
const current = (): string => path.join(config.indexDir, 'CURRENT');

const DAMAGES: Damage[] = [
  { name: 'CURRENT names a build that does not exist', code: 'INDEX_CORRUPT', says: new RegExp(`${MISSING_ID}.*manifest\\.json`), damage: () => fs.writeFile(current(), `${MISSING_ID}\n`) },
  { name: 'CURRENT holds junk', code: 'INDEX_CORRUPT', says: /CURRENT holds "<html>oops<\/html>", not a build id/, damage: () => fs.writeFile(current(), '<html>oops</html>') },
  { name: 'CURRENT is empty', code: 'INDEX_CORRUPT', says: /CURRENT holds "", not a build id/, damage: () => fs.writeFile(current(), '') },
  { name: 'manifest truncated', code: 'INDEX_CORRUPT', says: /manifest\.json: .*JSON/, damage: () => truncateHalf(live('manifest.json')) },
  { name: 'manifest is a JSON list', code: 'INDEX_CORRUPT', says: /manifest\.json is not a valid manifest/, damage: () => fs.writeFile(live('manifest.json'), '[]') },
  {
    name: 'manifest of another format version',
    code: 'INDEX_INCOMPATIBLE',
    says: /format version 999/,
    damage: async () => {
      const m: unknown = JSON.parse(await fs.readFile(live('manifest.json'), 'utf8'));
      await fs.writeFile(live('manifest.json'), JSON.stringify({ ...(typeof m === 'object' ? m : {}), formatVersion: 999 }));
    },
  },
  { name: 'chunks.json truncated', code: 'INDEX_CORRUPT', says: /chunks\.json has \d+ bytes, the manifest says \d+/, damage: () => truncateHalf(live('chunks.json')) },
  { name: 'keyword.json with one byte changed', code: 'INDEX_CORRUPT', says: /keyword\.json fails its checksum/, damage: () => flipByte(live('keyword.json')) },
  { name: 'vectors.hnsw with one byte changed', code: 'INDEX_CORRUPT', says: /vectors\.hnsw fails its checksum/, damage: () => flipByte(live('vectors.hnsw')) },
  { name: 'vectors.hnsw missing', code: 'INDEX_CORRUPT', says: /vectors\.hnsw: ENOENT/, damage: () => fs.rm(live('vectors.hnsw')) },
  {
    name: 'the live build folder replaced by a file',
    code: 'INDEX_CORRUPT',
    says: /manifest\.json: ENOTDIR/,
    damage: async () => {
      await fs.rm(live(''), { recursive: true });
      await fs.writeFile(live('').replace(/[/\\]$/, ''), 'not a folder');
    },
  },
];

describe('a damaged INDEX_DIR', () => {
  it.each(DAMAGES.map((d) => [d.name, d] as const))('%s: a clear error on load, then `report-qa index` rebuilds', async (_name, d) => {
    await d.damage();
    const app = await createApp(config, { embedder });
    await expect(app.ready()).rejects.toSatisfy(
      (err: unknown) => isAppError(err, d.code) && d.says.test(err.message) && err.message.includes('report-qa index'),
    );
    await app.close();
    await expect(cleanupIndexDir(config.indexDir)).resolves.toBeUndefined();

    const ask = await cli('ask', GDP);
    expect(ask.code).toBe(1);
    expect(ask.out).toBe('');
    expect(ask.err).toMatch(/^✗ The index in .* (is damaged|was built with|has format version)/);
    await expectRebuilds();
  });

  it('ignores junk beside the index; cleanup removes only what dead writers left', async () => {
    const builds = path.join(config.indexDir, 'builds');
    const kept = ['junk', 'README.md', `.tmp-${liveId}-${process.ppid}-cafebabe`, '29991231T000000000Z-ffffff'];
    const removed = ['.tmp-not-ours', `.tmp-${liveId}-999999-deadbeef`];
    for (const name of [...kept, ...removed]) {
      if (name.endsWith('.md')) await fs.writeFile(path.join(builds, name), '# notes');
      else await fs.mkdir(path.join(builds, name));
    }
    await fs.writeFile(path.join(builds, 'junk', 'vectors.hnsw'), 'not an index');
    await fs.writeFile(path.join(config.indexDir, 'CURRENT.tmp-999999-deadbeef'), MISSING_ID);
    await fs.mkdir(path.join(config.indexDir, 'models'));
    await fs.writeFile(path.join(config.indexDir, 'models', 'keep.txt'), 'a model file');
    await fs.writeFile(path.join(config.indexDir, 'notes.txt'), 'admin notes');

    const app = await createApp(config, { embedder });
    await app.ready();
    expect(app.status().buildId).toBe(liveId);
    expect((await app.ask(GDP)).answer.text).toContain('108.1亿元');
    await app.close();

    await cleanupIndexDir(config.indexDir);
    const left = await fs.readdir(builds);
    for (const name of kept) expect(left).toContain(name);
    for (const name of removed) expect(left).not.toContain(name);
    expect(await fs.readdir(config.indexDir)).toEqual(expect.arrayContaining(['CURRENT', 'builds', 'models', 'notes.txt']));
    expect(await fs.readdir(config.indexDir)).not.toContain('CURRENT.tmp-999999-deadbeef');

    const r = await cli('index');
    expect(r.code, r.err).toBe(0);
    expect(await fs.readFile(path.join(config.indexDir, 'models', 'keep.txt'), 'utf8')).toBe('a model file');
    expect(await fs.readFile(path.join(config.indexDir, 'notes.txt'), 'utf8')).toBe('admin notes');
  });

  it('a folder where CURRENT belongs: clear errors (never deleted for the user), then a rebuild once it is gone', async () => {
    await fs.rm(current());
    await fs.mkdir(current());
    const app = await createApp(config, { embedder });
    await expect(app.ready()).rejects.toSatisfy((err: unknown) => isAppError(err, 'INDEX_CORRUPT') && /cannot read CURRENT: EISDIR/.test(err.message));
    await app.close();
    const r = await cli('index');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^✗ Re-index failed while writing the index to .*EISDIR.*-> '.*CURRENT'\. No new index went live/m);
    await fs.rmdir(current());
    await expectRebuilds();
  });

  it('a file where the builds folder belongs: a clear REINDEX_FAILED, not a crash', async () => {
    await fs.rm(path.join(config.indexDir, 'builds'), { recursive: true });
    await fs.writeFile(path.join(config.indexDir, 'builds'), 'oops');
    const r = await cli('index');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^✗ Re-index failed while preparing the build: ENOTDIR.*builds/);
    await fs.rm(path.join(config.indexDir, 'builds'));
    await expectRebuilds();
  });

  it('damage to the live vector file while the app serves is not carried into the next build', async () => {
    const app = await createApp(config, { embedder });
    await app.ready();
    const gdp = (await app.retrieve(GDP, { mode: 'vector', k: 1 }))[0]!;
    const before = gdp.vectorScore ?? NaN;
    // zero that chunk's stored vector in place: hnswlib loads such a file without complaint
    const snapshot = await loadIndex(config.indexDir, { embedderId: embedder.id, dimensions: embedder.dimensions, tokenizer: new JiebaTokenizer() });
    const vector = Buffer.from((await snapshot.vectors.vectors([gdp.chunk.chunkId]))[0]!.buffer.slice(0));
    const bytes = await fs.readFile(live('vectors.hnsw'));
    const at = bytes.indexOf(vector);
    expect(at).toBeGreaterThan(0);
    bytes.fill(0, at, at + vector.length);
    await fs.writeFile(live('vectors.hnsw'), bytes);

    await fs.appendFile(path.join(config.reportsDir, '001_e2c7ed4295899fe4.txt'), '\n\n南星街道新增一段说明。\n');
    await app.reindex();
    await app.close();
    const fresh = await createApp(config, { embedder });
    await fresh.ready();
    const after = (await fresh.retrieve(GDP, { mode: 'vector', k: 1 }))[0];
    expect(after?.chunk.chunkId).toBe(gdp.chunk.chunkId);
    expect(after?.vectorScore).toBeCloseTo(before, 5);
    await fresh.close();
  });
});
