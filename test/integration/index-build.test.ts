import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddingText } from '../../src/ingest/chunk.js';
import { Bm25Index } from '../../src/index/bm25-index.js';
import { buildFromReports, type BuildFromReportsOptions } from '../../src/build-from-reports.js';
import { cleanupIndexDir, loadIndex, type IndexSnapshot } from '../../src/index/index-store.js';
import type { KeywordIndex } from '../../src/index/keyword-index.js';
import { JiebaTokenizer } from '../../src/text/jieba-tokenizer.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import type { BuildProgress } from '../../src/types.js';
import { FakeEmbedder } from '../helpers/fake-embedder.js';

const SEEDS = path.resolve('seeds');
const LX = '000_66e9643bcf1264a2.txt';
const NX = '001_e2c7ed4295899fe4.txt';
const XJ = '002_ab471fbdba255351.txt';

const tokenizer = new JiebaTokenizer();
let work: string;
let reportsDir: string;
let indexDir: string;

beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'index-build-test-'));
  reportsDir = path.join(work, 'reports');
  indexDir = path.join(work, 'index');
  await fs.cp(SEEDS, reportsDir, { recursive: true });
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

function build(embedder: FakeEmbedder, extra: Partial<BuildFromReportsOptions> = {}) {
  return buildFromReports({ reportsDir, indexDir, embedder, tokenizer, ...extra });
}

const chunkIdsOf = (s: IndexSnapshot, source: string): number[] =>
  [...s.chunks.values()].filter((c) => c.source === source).map((c) => c.chunkId);

const tmpDirs = async (): Promise<string[]> =>
  (await fs.readdir(path.join(indexDir, 'builds'))).filter((n) => n.startsWith('.tmp'));

/** The BM25 index behind the interface, whose `toJSON` shows every posting. */
function bm25(index: KeywordIndex): Bm25Index {
  if (!(index instanceof Bm25Index)) throw new Error('the build made no BM25 index');
  return index;
}

const expectFor = (e: FakeEmbedder) => ({ embedderId: e.id, dimensions: e.dimensions, tokenizer });

describe('buildFromReports', () => {
  it('builds every report, reports progress by phase, and writes a loadable index', async () => {
    const embedder = new FakeEmbedder();
    const progress: BuildProgress[] = [];
    const { snapshot, summary } = await build(embedder, { onProgress: (p) => progress.push(p) });

    expect([...summary.added].sort()).toEqual([LX, NX, XJ, '003_27b9736ab03bda84.txt', '004_fb0e9855fe739ea6.txt']);
    expect(summary).toMatchObject({ changed: [], removed: [], unchanged: 0, reports: 5 });
    expect(summary.chunks).toBe(snapshot.chunks.size);
    expect(summary.embedded).toBe(summary.chunks);
    expect(embedder.documentsEmbedded).toBe(summary.chunks);

    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['read', 'embed', 'index', 'write']);
    for (const p of progress) expect(p.done).toBeLessThanOrEqual(Math.max(p.total, p.done === 0 ? 0 : p.total));
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.elapsedMs).toBeGreaterThanOrEqual(progress[i - 1]!.elapsedMs);
    expect(progress.filter((p) => p.phase === 'embed').at(-1)).toMatchObject({ done: summary.chunks, total: summary.chunks });

    const loaded = await loadIndex(indexDir, expectFor(embedder));
    expect(loaded.manifest.buildId).toBe(summary.buildId);
    expect(loaded.manifest.counts).toEqual({ reports: 5, paragraphs: summary.paragraphs, chunks: summary.chunks });
    expect(loaded.manifest.reports.map((r) => r.source)).toContain(LX);
  });

  it('re-embeds nothing when no report changed, and keeps every chunkId', async () => {
    const first = await build(new FakeEmbedder());
    const embedder = new FakeEmbedder();
    const second = await build(embedder, { previous: first.snapshot });
    expect(embedder.documentsEmbedded).toBe(0);
    expect(second.summary).toMatchObject({ added: [], changed: [], removed: [], unchanged: 5, embedded: 0 });
    expect(second.snapshot.userWords).toEqual(first.snapshot.userWords);
    expect(second.retokenized).toBe(0);
    expect(bm25(second.snapshot.keyword).toJSON()).toEqual(bm25(first.snapshot.keyword).toJSON());
    expect([...second.snapshot.chunks.entries()]).toEqual([...first.snapshot.chunks.entries()]);
    const q = new FakeEmbedder().vector('罗星街道地区生产总值');
    expect(await second.snapshot.vectors.search(q, 10)).toEqual(await first.snapshot.vectors.search(q, 10));
    expect(second.summary.buildId).not.toBe(first.summary.buildId);
  });

  it('embeds only the chunks of a changed report; the others keep their ids and vectors', async () => {
    const first = await build(new FakeEmbedder());
    await fs.appendFile(path.join(reportsDir, NX), '\n\n南星街道2025年计划新建口袋公园7个，总投资8888万元。\n');
    const embedder = new FakeEmbedder();
    const { snapshot, summary } = await build(embedder, { previous: first.snapshot });

    expect(summary).toMatchObject({ changed: [NX], added: [], removed: [], unchanged: 4 });
    const newIds = chunkIdsOf(snapshot, NX);
    expect(embedder.documentsEmbedded).toBe(newIds.length);
    expect(summary.embedded).toBe(newIds.length);
    for (const source of [LX, XJ]) expect(chunkIdsOf(snapshot, source)).toEqual(chunkIdsOf(first.snapshot, source));
    for (const id of chunkIdsOf(first.snapshot, NX)) {
      expect(snapshot.chunks.has(id)).toBe(false);
      await expect(snapshot.vectors.vectors([id])).rejects.toThrow(/not in the index/);
    }
    const lxId = chunkIdsOf(snapshot, LX)[0]!;
    expect(await snapshot.vectors.vectors([lxId])).toEqual(await first.snapshot.vectors.vectors([lxId]));

    const [top] = await new Retriever(snapshot, embedder).retrieve('南星街道口袋公园总投资', { k: 1 });
    expect(top?.chunk.text).toContain('8888万元');
  });

  it('takes the names of unchanged reports from the index and extracts only those of changed ones', async () => {
    const first = await build(new FakeEmbedder());
    // Marked words prove where each report's words came from: kept for LX, re-extracted for NX.
    const reportWords = new Map(first.snapshot.reportWords);
    reportWords.set(LX, { sure: [...(reportWords.get(LX)?.sure ?? []), '保留标记词'], unsure: {} });
    reportWords.set(NX, { sure: [...(reportWords.get(NX)?.sure ?? []), '过期标记词'], unsure: {} });
    const userWords = [...first.snapshot.userWords, '保留标记词', '过期标记词'].sort();
    // As if the previous build had found them: its manifest names the tokenizer with these words.
    const manifest = { ...first.snapshot.manifest, tokenizer: tokenizer.withWords(userWords).id };
    const previous = { ...first.snapshot, manifest, reportWords, userWords };
    await fs.appendFile(path.join(reportsDir, NX), '\n\n南星街道新建“望江邻里坊”3处。\n');

    const { snapshot } = await build(new FakeEmbedder(), { previous });
    expect(snapshot.reportWords.get(LX)?.sure).toContain('保留标记词');
    expect(snapshot.reportWords.get(NX)?.sure).not.toContain('过期标记词');
    expect(snapshot.reportWords.get(NX)?.sure).toContain('望江邻里坊');
    expect(snapshot.userWords).toEqual(expect.arrayContaining(['保留标记词', '望江邻里坊']));
    expect(snapshot.userWords).not.toContain('过期标记词');
  });

  it('re-tokenizes only the kept chunks holding a word that joined or left the list', async () => {
    // The name is unquoted in one report (no user word), then quoted in an added one (a user word).
    const name = '栖霞云链汇';
    await fs.writeFile(path.join(reportsDir, 'a.txt'), `甲街道2024年工作报告\n\n甲街道${name}入驻企业23家。\n\n甲街道新建公园2个。\n`);
    const first = await build(new FakeEmbedder());
    expect(first.snapshot.userWords).not.toContain(name);
    await fs.writeFile(path.join(reportsDir, 'b.txt'), `乙街道2024年工作报告\n\n乙街道打造“${name}”数字平台。\n`);

    const holding = (s: IndexSnapshot) =>
      [...s.chunks.values()].filter((c) => c.source === 'a.txt' && embeddingText(s.reports.get(c.source)!, c).includes(name));
    /** Every entry is what tokenizing the chunk with the index's words gives: the same index as one rebuilt from scratch. */
    const expectAsRebuilt = async (s: IndexSnapshot) => {
      const rebuilt = new Bm25Index(tokenizer.withWords(s.userWords));
      await rebuilt.add([...s.chunks.values()].map((c) => ({ chunkId: c.chunkId, text: embeddingText(s.reports.get(c.source)!, c) })));
      expect(bm25(s.keyword).toJSON()).toEqual(rebuilt.toJSON());
    };

    const second = await build(new FakeEmbedder(), { previous: first.snapshot });
    expect(second.snapshot.userWords).toContain(name);
    expect(holding(second.snapshot).length).toBeGreaterThan(0);
    expect(second.retokenized).toBe(holding(second.snapshot).length);
    await expectAsRebuilt(second.snapshot);
    expect((await second.snapshot.keyword.search(name, 5)).map((h) => second.snapshot.chunks.get(h.chunkId)?.source)).toContain('a.txt');
    expect(second.snapshot.manifest.tokenizer).not.toBe(first.snapshot.manifest.tokenizer);

    // The word leaves with its report: a.txt's chunks lose the merged name again.
    await fs.rm(path.join(reportsDir, 'b.txt'));
    const third = await build(new FakeEmbedder(), { previous: second.snapshot });
    expect(third.snapshot.userWords).not.toContain(name);
    expect(third.retokenized).toBe(holding(third.snapshot).length);
    await expectAsRebuilt(third.snapshot);
    expect(third.snapshot.manifest.tokenizer).toBe(first.snapshot.manifest.tokenizer);
  });

  it('builds two indexes with different words in one process, each tokenised with its own', async () => {
    // The name is a user word of the other index only (quoted there), and occurs in both.
    const name = '栖霞云链汇';
    await fs.writeFile(path.join(reportsDir, 'a.txt'), `甲街道2024年工作报告\n\n甲街道${name}入驻企业23家。\n`);
    const first = await build(new FakeEmbedder());
    const otherReports = path.join(work, 'other');
    await fs.mkdir(otherReports);
    await fs.writeFile(path.join(otherReports, 'c.txt'), `丙街道2024年工作报告\n\n丙街道打造“${name}”数字平台，${name}入驻企业23家。\n`);
    const other = await buildFromReports({ reportsDir: otherReports, indexDir: path.join(work, 'other-index'), embedder: new FakeEmbedder(), tokenizer });
    expect(other.snapshot.userWords).toContain(name);
    expect(first.snapshot.userWords).not.toContain(name);
    expect(other.snapshot.manifest.tokenizer).not.toBe(first.snapshot.manifest.tokenizer);
    expect(await other.snapshot.keyword.search(name, 1)).toHaveLength(1);

    // Building the other index changed nothing of the first: rebuilt now, its postings are the same.
    await fs.rm(indexDir, { recursive: true });
    const again = await build(new FakeEmbedder());
    expect(bm25(again.snapshot.keyword).toJSON()).toEqual(bm25(first.snapshot.keyword).toJSON());
    expect(await again.snapshot.keyword.search(name, 5)).toEqual(await first.snapshot.keyword.search(name, 5));
    // Each index loads with the tokenizer made from its own words.
    const loadedOther = await loadIndex(path.join(work, 'other-index'), expectFor(new FakeEmbedder()));
    expect(loadedOther.manifest.tokenizer).toBe(other.snapshot.manifest.tokenizer);
    expect(bm25(loadedOther.keyword).toJSON()).toEqual(bm25(other.snapshot.keyword).toJSON());
    expect((await loadIndex(indexDir, expectFor(new FakeEmbedder()))).manifest.tokenizer).toBe(first.snapshot.manifest.tokenizer);
  });

  it('drops a deleted report from both indexes without touching the serving snapshot', async () => {
    const first = await build(new FakeEmbedder());
    const servingSize = { vectors: first.snapshot.vectors.size, keyword: first.snapshot.keyword.size };
    await fs.rm(path.join(reportsDir, XJ));
    const embedder = new FakeEmbedder();
    const { snapshot, summary } = await build(embedder, { previous: first.snapshot });

    expect(summary).toMatchObject({ removed: [XJ], added: [], changed: [], embedded: 0, reports: 4 });
    expect(embedder.documentsEmbedded).toBe(0);
    const gone = new Set(chunkIdsOf(first.snapshot, XJ));
    expect(gone.size).toBeGreaterThan(0);
    expect(snapshot.vectors.size).toBe(first.snapshot.vectors.size - gone.size);
    expect(snapshot.keyword.size).toBe(first.snapshot.keyword.size - gone.size);
    const retriever = new Retriever(snapshot, embedder);
    for (const mode of ['hybrid', 'vector', 'keyword'] as const) {
      const results = await retriever.retrieve('新嘉街道规上工业总产值152.16亿元', { k: 50, mode });
      expect(results.filter((r) => r.chunk.source === XJ || gone.has(r.chunk.chunkId))).toEqual([]);
    }
    expect(first.snapshot.vectors.size).toBe(servingSize.vectors);
    expect(first.snapshot.keyword.size).toBe(servingSize.keyword);
    expect((await first.snapshot.keyword.search('新嘉街道', 5)).length).toBeGreaterThan(0);
  });

  it('embeds only the chunks of an added report, with fresh chunkIds', async () => {
    const first = await build(new FakeEmbedder());
    await fs.writeFile(path.join(reportsDir, 'extra.txt'), '测试街道2024年工作报告\n\n测试街道全年实现地区生产总值55.5亿元。\n\n测试街道新建养老驿站3家。\n');
    const embedder = new FakeEmbedder();
    const { snapshot, summary } = await build(embedder, { previous: first.snapshot });
    const added = chunkIdsOf(snapshot, 'extra.txt');
    expect(summary).toMatchObject({ added: ['extra.txt'], unchanged: 5, embedded: added.length });
    expect(embedder.documentsEmbedded).toBe(added.length);
    expect(Math.min(...added)).toBeGreaterThanOrEqual(first.snapshot.manifest.nextChunkId);
  });

  it('copies vectors from the loaded index when the previous build folder is gone', async () => {
    const first = await build(new FakeEmbedder());
    await fs.rm(path.join(indexDir, 'builds', first.summary.buildId), { recursive: true });
    const embedder = new FakeEmbedder();
    const { snapshot, summary } = await build(embedder, { previous: first.snapshot });
    expect(summary.embedded).toBe(0);
    const lxId = chunkIdsOf(snapshot, LX)[0]!;
    expect(await snapshot.vectors.vectors([lxId])).toEqual(await first.snapshot.vectors.vectors([lxId]));
    expect((await loadIndex(indexDir, expectFor(embedder))).manifest.buildId).toBe(summary.buildId);
  });

  it('rebuilds everything when the embedder changed', async () => {
    const first = await build(new FakeEmbedder());
    const embedder = new FakeEmbedder({ id: 'fake:hash-v2' });
    const { summary } = await build(embedder, { previous: first.snapshot });
    expect(summary.embedded).toBe(summary.chunks);
    expect(summary.added).toHaveLength(5);
    await expect(loadIndex(indexDir, expectFor(new FakeEmbedder()))).rejects.toThrow(/fake:hash-v2/);
  });

  it('leaves the previous index live when the embedder fails midway', async () => {
    const first = await build(new FakeEmbedder());
    await fs.appendFile(path.join(reportsDir, LX), '\n\n新增段落一。\n\n新增段落二。\n');
    await expect(build(new FakeEmbedder({ failAfterDocuments: 1 }), { previous: first.snapshot })).rejects.toThrow(/fake embedder failure/);
    expect((await loadIndex(indexDir, expectFor(new FakeEmbedder()))).manifest.buildId).toBe(first.summary.buildId);
    await cleanupIndexDir(indexDir);
    expect(await tmpDirs()).toEqual([]);
  });

  it('stops on abort and leaves the previous index live', async () => {
    const first = await build(new FakeEmbedder());
    await fs.rm(path.join(reportsDir, LX));
    for (const abortIn of ['read', 'embed', 'index', 'write'] as const) {
      await fs.appendFile(path.join(reportsDir, NX), `\n\n${abortIn}阶段新增的段落。\n`);
      const controller = new AbortController();
      const run = build(new FakeEmbedder(), {
        previous: first.snapshot,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === abortIn) controller.abort(new Error(`aborted in ${abortIn}`));
        },
      });
      await expect(run).rejects.toThrow(`aborted in ${abortIn}`);
      expect((await loadIndex(indexDir, expectFor(new FakeEmbedder()))).manifest.buildId).toBe(first.summary.buildId);
      expect(await tmpDirs()).toEqual([]);
    }
  });

  it('survives being killed while writing: an index stays loadable and cleanup removes the leftovers', async () => {
    const first = await build(new FakeEmbedder());
    await fs.appendFile(path.join(reportsDir, NX), '\n\n被中断的构建新增的段落。\n');
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/build-then-wait.ts'), reportsDir, indexDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The child prints WRITING when the write phase starts; kill it right there.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('WRITING')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited with ${code}`))));
    });
    await new Promise((r) => child.on('close', r));
    const after = await loadIndex(indexDir, expectFor(new FakeEmbedder()));
    expect([first.summary.buildId, after.manifest.buildId]).toContain(after.manifest.buildId);
    await cleanupIndexDir(indexDir);
    expect(await tmpDirs()).toEqual([]);
    expect((await loadIndex(indexDir, expectFor(new FakeEmbedder()))).manifest.buildId).toBe(after.manifest.buildId);
  });
});
