/**
 * What the real `report-qa` process prints on stderr on a first run: each
 * thing happening said once, nothing contradicting what it does (no `0/0`
 * progress line, no "run report-qa index" while it indexes), and the
 * embedder notice (here: no neural model, so the offline embedder) once per
 * build and in `status`, never on a command that only reads the index.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/report-qa.js');
const run = promisify(execFile);

/** The notice of createEmbedder's choice, with its reason (the model is missing, how to get it). */
const NOTICE = /embedder selected.*report-qa model download/g;
const QUESTION = '罗星街道2022年地区生产总值是多少？';

let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'cli-first-run-'));
  await fs.mkdir(path.join(work, 'reports'));
  await fs.copyFile(path.join(ROOT, 'seeds', '000_66e9643bcf1264a2.txt'), path.join(work, 'reports', 'a.txt'));
  // EMBEDDER=auto with an empty MODEL_DIR: the offline fallback, the case the notice is for. LOG_LEVEL as shipped.
  env = { ...process.env, EMBEDDER: 'auto', MODEL_DIR: path.join(work, 'models'), LOG_LEVEL: 'info' };
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, ...args, ...dirs()], { env });
}

const dirs = (): string[] => ['--reports', path.join(work, 'reports'), '--index', path.join(work, 'index')];

function expectNoContradictions(stderr: string): void {
  expect(stderr).not.toMatch(/\b0\/0\b/);
  expect(stderr).not.toContain('run `report-qa index`');
}

describe('report-qa on a first run', () => {
  it('`index` reports its progress without a 0/0 line or a hint to run itself, and the embedder notice once', async () => {
    const { stdout, stderr } = await cli('index');
    expect(stdout).toMatch(/^Index \S+ ready in .*1 reports/);
    expect(stderr).toMatch(/reading reports: 1\/1/);
    expectNoContradictions(stderr);
    expect(stderr.match(NOTICE)).toHaveLength(1);
  });

  it('`ask` and `chat` on the built index say nothing about the embedder; `status` says why it was chosen', async () => {
    const ask = await cli('ask', QUESTION);
    expect(ask.stdout).toContain('108.1亿元');
    expect(ask.stderr.match(NOTICE)).toBeNull();
    expectNoContradictions(ask.stderr);

    const pending = run(process.execPath, [BIN, 'chat', '--json', ...dirs()], { env });
    pending.child.stdin?.end(`${QUESTION}\n`);
    const chat = await pending;
    expect(chat.stdout).toContain('108.1亿元');
    expect(chat.stderr.match(NOTICE)).toBeNull();

    const status = await cli('status');
    expect(status.stdout).toMatch(/Embedder: +offline:.*\n +chosen because EMBEDDER=auto and .* is not in .*report-qa model download/);
    expect(status.stderr.match(NOTICE)).toBeNull();
  });

  it('`ask` without an index says once that it builds one, and the notice once', async () => {
    await fs.rm(path.join(work, 'index'), { recursive: true, force: true });
    const { stdout, stderr } = await cli('ask', QUESTION);
    expect(stdout).toContain('108.1亿元');
    expect(stderr.match(/No index yet/g)).toHaveLength(1);
    expectNoContradictions(stderr);
    expect(stderr.match(NOTICE)).toHaveLength(1);
  });
});
