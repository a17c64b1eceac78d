/**
 * An index built by another process (issue #17): a cron `report-qa index`
 * (the real executable, a child process) builds while an app runs on the same
 * INDEX_DIR. The app notices the new CURRENT, swaps it in and answers from it;
 * the builder's cleanup keeps the build the app has leased; a second builder
 * is refused while one holds the lock, and a dead builder's lock is taken over.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { MSG } from '../../src/bot/messages.js';
import { loadConfig, type Config } from '../../src/config.js';
import { BUILD_LOCK_FILE, BuildLockedError } from '../../src/index/build-lock.js';
import { EXIT_INDEX_LOCKED } from '../../src/cli/index-command.js';
import { buildDir, readCurrent } from '../../src/index/index-store.js';
import { watchCurrent } from '../../src/index/watch-current.js';
import { silentLogger } from '../../src/log.js';
import type { App } from '../../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/report-qa.js');
const HOLDER = path.join(ROOT, 'test/helpers/hold-build-lock.ts');
const report = (town: string, mu: number): string =>
  [`# ${town}2024年工作报告`, '', `2024年，${town}实现地区生产总值57.3亿元，同比增长6.1%。`, '', `全镇新建蓝莓种植基地${mu}亩，带动农户增收。`, ''].join('\n');

let work: string;
let config: Config;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'index-pickup-'));
  await fs.cp(path.join(ROOT, 'seeds'), path.join(work, 'reports'), { recursive: true });
  config = loadConfig({ REPORTS_DIR: path.join(work, 'reports'), INDEX_DIR: path.join(work, 'index'), EMBEDDER: 'offline' }, work);
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs `report-qa index` on the test's folders. */
function runIndex(): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'index'], {
      cwd: work,
      env: { ...process.env, REPORTS_DIR: config.reportsDir, INDEX_DIR: config.indexDir, EMBEDDER: 'offline', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function builds(): Promise<string[]> {
  return (await fs.readdir(path.join(config.indexDir, 'builds'))).filter((n) => !n.startsWith('.')).sort();
}

describe('a build made by another process', () => {
  let app: App;
  let firstBuild = '';
  let onSwap: ((id: string) => void) | undefined;

  beforeAll(async () => {
    app = await createApp(config);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('is swapped into the running app, which answers from it', async () => {
    const first = app.status().buildId;
    firstBuild = first;
    const watch = watchCurrent({
      indexDir: config.indexDir,
      intervalMs: 500, // a fallback only: the test waits for the swap, not for time
      logger: silentLogger,
      check: async () => {
        const id = await app.pickUpCurrent();
        if (id !== undefined) onSwap?.(id);
      },
    });
    try {
      const before = await app.ask('青云镇新建了多少亩蓝莓种植基地？');
      expect(before.answer.text).not.toContain('3200亩');
      const picked = new Promise<string>((resolve) => (onSwap = resolve));
      await fs.writeFile(path.join(config.reportsDir, '青云镇2024年工作报告.md'), report('青云镇', 3200));
      const built = await runIndex();
      expect(built.code, built.stderr).toBe(0);
      const id = await picked;
      expect(id).toBe(await readCurrent(config.indexDir));
      expect(id).not.toBe(first);
      expect(app.status().buildId).toBe(id);
      const after = await app.ask('青云镇新建了多少亩蓝莓种植基地？');
      expect(after.answer.text).toContain('3200亩');
      expect(after.answer.citations.map((c) => c.source)).toContain('青云镇2024年工作报告.md');
    } finally {
      await watch.close();
    }
  });

  it("keeps the build the app has loaded when the builder's cleanup would remove it", async () => {
    const held = app.status().buildId; // not watching any more: the app stays on this build
    await fs.writeFile(path.join(config.reportsDir, '白云镇2024年工作报告.md'), report('白云镇', 1100));
    expect((await runIndex()).code).toBe(0);
    await fs.writeFile(path.join(config.reportsDir, '红石镇2024年工作报告.md'), report('红石镇', 900));
    expect((await runIndex()).code).toBe(0);
    const now = await builds();
    // Live, its fallback, and the leased one (older than the fallback); the first build had no lease left.
    expect(now).toHaveLength(3);
    expect(now[0]).toBe(held);
    expect(now).not.toContain(firstBuild);
    expect(await fs.readdir(path.join(config.indexDir, 'leases'))).toEqual([expect.stringMatching(new RegExp(`^${held}\\.${process.pid}-`))]);

    await app.close(); // the lease goes; the next build's cleanup removes the build
    await fs.rm(path.join(config.reportsDir, '红石镇2024年工作报告.md'));
    expect((await runIndex()).code).toBe(0);
    expect(await builds()).not.toContain(held);
    await expect(fs.stat(buildDir(config.indexDir, held))).rejects.toThrow(/ENOENT/);
  });

  it('leaves the loaded index serving when the new build is damaged, and does not retry it', async () => {
    const other = await createApp(config);
    await other.ready();
    try {
      const live = other.status().buildId;
      const damaged = live.replace(/-[0-9a-f]{6}$/, '-dddddd').replace(/^\d{8}/, '29990101');
      await fs.cp(buildDir(config.indexDir, live), buildDir(config.indexDir, damaged), { recursive: true });
      await fs.appendFile(path.join(buildDir(config.indexDir, damaged), 'chunks.json'), ' ');
      await fs.writeFile(path.join(config.indexDir, 'CURRENT'), damaged + '\n');
      await expect(other.pickUpCurrent()).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
      expect(other.status().buildId).toBe(live);
      await expect(other.pickUpCurrent()).resolves.toBeUndefined();
      await fs.writeFile(path.join(config.indexDir, 'CURRENT'), live + '\n');
      await fs.rm(buildDir(config.indexDir, damaged), { recursive: true });
    } finally {
      await other.close();
    }
  });
});

describe('the build lock', () => {
  it('refuses a second builder while one holds it, in the CLI and in the app', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLDER, config.reportsDir, config.indexDir], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => holder.on('close', resolve));
    try {
      await fs.writeFile(path.join(config.reportsDir, '绿水镇2024年工作报告.md'), report('绿水镇', 700));
      const pid = await new Promise<number>((resolve, reject) => {
        let out = '';
        holder.stdout.setEncoding('utf8').on('data', (s: string) => {
          out += s;
          const m = /HOLDING (\d+)/.exec(out);
          if (m !== null) resolve(Number(m[1]));
        });
        holder.on('close', () => reject(new Error(`holder exited: ${out}`)));
      });
      const lock = JSON.parse(await fs.readFile(path.join(config.indexDir, BUILD_LOCK_FILE), 'utf8')) as { pid: number; hostname: string };
      expect(lock).toMatchObject({ pid, hostname: os.hostname() });

      const refused = await runIndex();
      expect(refused.code).toBe(EXIT_INDEX_LOCKED);
      expect(refused.stderr).toContain(`Another process is building the index in ${config.indexDir} (PID ${pid}`);

      const app = await createApp(config);
      try {
        const err = await app.reindex().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(BuildLockedError);
        expect((err as BuildLockedError).holder?.pid).toBe(pid);
        expect(MSG.reindexLocked((err as BuildLockedError).holder)).toMatch(new RegExp(`^另一个进程正在重建索引（PID ${pid}，开始于 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}`));
      } finally {
        await app.close();
      }
    } finally {
      holder.stdin.end('go\n');
    }
    expect(await exited).toBe(0);
    await expect(fs.stat(path.join(config.indexDir, BUILD_LOCK_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('takes over the lock of a builder that died', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    const pid = dead.pid!;
    await new Promise((resolve) => dead.on('close', resolve));
    const lockFile = path.join(config.indexDir, BUILD_LOCK_FILE);
    await fs.writeFile(lockFile, JSON.stringify({ pid, hostname: os.hostname(), token: 'deadbeef', startedAt: '2026-01-01T00:00:00.000Z' }));
    await fs.writeFile(path.join(config.reportsDir, '黄土镇2024年工作报告.md'), report('黄土镇', 500));
    const run = await runIndex();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('taking over the build lock of a process that is gone');
    await expect(fs.stat(lockFile)).rejects.toThrow(/ENOENT/);
  });
});
