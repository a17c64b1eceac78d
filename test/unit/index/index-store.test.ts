import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { buildDir, cleanupIndexDir, loadIndex, writeIndex, type IndexSnapshot } from '../../../src/index/index-store.js';
import { FakeEmbedder } from '../../helpers/fake-embedder.js';
import { charTokenizer, makeReport, makeSnapshot } from '../../helpers/index-fixtures.js';

const embedder = new FakeEmbedder();
const expectFor = { embedderId: embedder.id, dimensions: embedder.dimensions, tokenizer: charTokenizer };

const REPORTS = [
  makeReport('a.txt', ['全年实现地区生产总值108.1亿元，增长2.7%', '财政总收入9.63亿元', '新招引项目合计税收3454.15万元']),
  makeReport('b.txt', ['规上工业总产值152.16亿元', '完成固定资产投资94亿元']),
];

let indexDir: string;
beforeEach(async () => {
  indexDir = await fs.mkdtemp(path.join(os.tmpdir(), 'index-store-test-'));
});
afterEach(async () => {
  await fs.rm(indexDir, { recursive: true, force: true });
});

async function written(reports = REPORTS): Promise<IndexSnapshot> {
  const snapshot = await makeSnapshot(reports, embedder);
  const manifest = await writeIndex(indexDir, snapshot);
  return { ...snapshot, manifest };
}

async function liveDir(): Promise<string> {
  return buildDir(indexDir, (await fs.readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim());
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('writeIndex / loadIndex', () => {
  it('round-trips: the loaded index gives identical results', async () => {
    const saved = await written();
    const loaded = await loadIndex(indexDir, expectFor);
    expect(loaded.manifest).toEqual(saved.manifest);
    expect([...loaded.chunks.entries()]).toEqual([...saved.chunks.entries()]);
    expect([...loaded.reports.entries()]).toEqual([...saved.reports.entries()]);
    expect(loaded.userWords).toEqual(saved.userWords);
    expect([...loaded.reportWords.entries()]).toEqual([...saved.reportWords.entries()]);
    for (const q of ['地区生产总值', '税收', '工业总产值152.16亿元', '投资']) {
      const v = embedder.vector(q);
      expect(loaded.vectors.search(v, 5)).toEqual(saved.vectors.search(v, 5));
      expect(loaded.keyword.search(q, 5)).toEqual(saved.keyword.search(q, 5));
    }
    expect(Object.keys(loaded.manifest.files).sort()).toEqual(
      ['chunks.json', 'keyword.json', 'reports.json', 'user-words.json', 'vectors.hnsw'].sort(),
    );
  });

  it('throws INDEX_MISSING with the command to run when nothing was built', async () => {
    await expect(loadIndex(indexDir, expectFor)).rejects.toThrow(/run `report-qa index`/);
    expect(await codeOf(loadIndex(path.join(indexDir, 'nowhere'), expectFor))).toBe('INDEX_MISSING');
  });

  it.each([
    ['another embedder id', { embedderId: 'neural:other-model' }, /embedder fake:hash-v1 \(64 dimensions\).*neural:other-model/],
    ['another dimension', { dimensions: 128 }, /128 dimensions/],
    ['another tokenizer', { tokenizer: { id: 'jieba-x', tokenize: () => [], withWords: () => ({ id: 'jieba-x', tokenize: () => [] }) } }, /tokenizer test:chars-v1\+测试词.*jieba-x/],
  ])('throws INDEX_INCOMPATIBLE for %s, saying to re-index', async (_name, change, message) => {
    await written();
    const p = loadIndex(indexDir, { ...expectFor, ...change });
    await expect(p).rejects.toThrow(message);
    expect(await codeOf(loadIndex(indexDir, { ...expectFor, ...change }))).toBe('INDEX_INCOMPATIBLE');
    await expect(loadIndex(indexDir, { ...expectFor, ...change })).rejects.toThrow(/re-index/);
  });

  it('throws INDEX_INCOMPATIBLE for another format version', async () => {
    await written();
    const file = path.join(await liveDir(), 'manifest.json');
    const manifest: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    await fs.writeFile(file, JSON.stringify({ ...Object(manifest), formatVersion: 999 }));
    await expect(loadIndex(indexDir, expectFor)).rejects.toThrow(/format version 999/);
  });

  it.each([
    ['a truncated HNSW file', 'vectors.hnsw', async (f: string) => fs.truncate(f, (await fs.stat(f)).size - 100), /vectors\.hnsw has \d+ bytes/],
    ['a corrupted HNSW byte', 'vectors.hnsw', (f: string) => flipByte(f, 200), /vectors\.hnsw fails its checksum/],
    ['a corrupted chunks file', 'chunks.json', (f: string) => flipByte(f, 10), /chunks\.json fails its checksum/],
    ['a truncated chunks file', 'chunks.json', (f: string) => fs.truncate(f, 5), /chunks\.json has 5 bytes/],
    ['a missing keyword file', 'keyword.json', (f: string) => fs.rm(f), /keyword\.json/],
    ['an unparsable manifest', 'manifest.json', (f: string) => fs.writeFile(f, '{"formatVersion": 1,'), /manifest\.json/],
  ])('throws INDEX_CORRUPT for %s', async (_name, file, damage, message) => {
    await written();
    await damage(path.join(await liveDir(), file));
    await expect(loadIndex(indexDir, expectFor)).rejects.toThrow(message);
    expect(await codeOf(loadIndex(indexDir, expectFor))).toBe('INDEX_CORRUPT');
  });

  it('throws INDEX_CORRUPT when CURRENT names no valid build', async () => {
    await written();
    await fs.writeFile(path.join(indexDir, 'CURRENT'), 'garbage\n');
    expect(await codeOf(loadIndex(indexDir, expectFor))).toBe('INDEX_CORRUPT');
    await fs.writeFile(path.join(indexDir, 'CURRENT'), '20990101T000000000Z-abcdef\n');
    expect(await codeOf(loadIndex(indexDir, expectFor))).toBe('INDEX_CORRUPT');
  });

  it('refuses to publish an inconsistent snapshot and leaves the previous build live, with no temp folder', async () => {
    const first = await written();
    const bad = await makeSnapshot(REPORTS.slice(0, 1), embedder);
    const lying = { ...bad, manifest: { ...bad.manifest, counts: { ...bad.manifest.counts, chunks: 99 } } };
    await expect(writeIndex(indexDir, lying)).rejects.toThrow(/counts disagree/);
    expect((await loadIndex(indexDir, expectFor)).manifest.buildId).toBe(first.manifest.buildId);
    expect((await fs.readdir(path.join(indexDir, 'builds'))).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  it("refuses a word list that is not the merge of the reports' words", async () => {
    const snapshot = await makeSnapshot(REPORTS, embedder);
    await expect(writeIndex(indexDir, { ...snapshot, userWords: ['测试词', '多出的词'] })).rejects.toThrow(/not the merge/);
    const missing = new Map([...snapshot.reportWords].slice(1));
    expect(await codeOf(writeIndex(indexDir, { ...snapshot, reportWords: missing }))).toBe('INDEX_CORRUPT');
    expect(await codeOf(loadIndex(indexDir, expectFor))).toBe('INDEX_MISSING');
  });

  it('keeps the live build and the one before it, pruning older ones', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await written()).manifest.buildId);
      await new Promise((r) => setTimeout(r, 2)); // distinct millisecond ids
    }
    expect((await fs.readdir(path.join(indexDir, 'builds'))).sort()).toEqual(ids.slice(2).sort());
    expect((await loadIndex(indexDir, expectFor)).manifest.buildId).toBe(ids[3]);
  });
});

describe('cleanupIndexDir', () => {
  it('removes leftovers of dead writers and old builds, never anything else', async () => {
    await written();
    const builds = path.join(indexDir, 'builds');
    const deadTmp = path.join(builds, '.tmp-20200101T000000000Z-aaaaaa-999999999-deadbeef');
    const ownPidOtherRun = path.join(builds, `.tmp-20200101T000000000Z-bbbbbb-${process.pid}-00000000`);
    const liveOtherWriter = path.join(builds, `.tmp-20200101T000000000Z-cccccc-${process.ppid}-12345678`);
    for (const d of [deadTmp, ownPidOtherRun, liveOtherWriter]) await fs.mkdir(d, { recursive: true });
    await fs.writeFile(path.join(indexDir, 'CURRENT.tmp-999999999-deadbeef'), 'x');
    await fs.mkdir(path.join(indexDir, 'models', 'Xenova'), { recursive: true });
    await fs.writeFile(path.join(indexDir, 'models', 'Xenova', 'model.onnx'), 'weights');
    await fs.writeFile(path.join(indexDir, 'notes.txt'), 'mine');

    await cleanupIndexDir(indexDir);

    const left = await fs.readdir(builds);
    expect(left).not.toContain(path.basename(deadTmp));
    expect(left).not.toContain(path.basename(ownPidOtherRun));
    expect(left).toContain(path.basename(liveOtherWriter)); // its writer (our parent process) is running
    expect(await fs.readdir(indexDir)).toEqual(expect.arrayContaining(['models', 'notes.txt', 'CURRENT', 'builds']));
    expect(await fs.readdir(indexDir)).not.toContain('CURRENT.tmp-999999999-deadbeef');
    expect(await fs.readFile(path.join(indexDir, 'models', 'Xenova', 'model.onnx'), 'utf8')).toBe('weights');
    await loadIndex(indexDir, expectFor);
  });

  it('does nothing for a folder that does not exist', async () => {
    await expect(cleanupIndexDir(path.join(indexDir, 'absent'))).resolves.toBeUndefined();
  });
});

async function flipByte(file: string, at: number): Promise<void> {
  const buf = await fs.readFile(file);
  buf[at] = (buf[at] ?? 0) ^ 0x01;
  await fs.writeFile(file, buf);
}
