import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { chatCommand } from '../../src/cli/chat-command.js';
import type { CommandContext } from '../../src/cli/command-context.js';
import { configFor, loggerFor } from '../../src/cli/command-context.js';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo } from '../helpers/capture-io.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/report-qa.js');
const run = promisify(execFile);

let work: string;
let env: Record<string, string>;

/** A CommandContext that records what a command prints. */
function capture(extraEnv: Record<string, string> = {}): { ctx: CommandContext; out: string[]; err: string[] } {
  const { io, out, err } = captureIo({ ...env, ...extraEnv }, work);
  return { ctx: { io, makeApp: (config, logger) => createApp(config, { logger }) }, out, err };
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'cli-'));
  env = {
    REPORTS_DIR: path.join(ROOT, 'seeds'),
    INDEX_DIR: path.join(work, 'index'),
    MODEL_DIR: path.join(work, 'models'),
    EMBEDDER: 'offline',
    LOG_LEVEL: 'silent',
  };
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe('report-qa executable', () => {
  it('prints help listing every command and exits 0', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help'], { env: { ...process.env, ...env } });
    for (const cmd of ['index', 'ask', 'chat', 'eval', 'bot', 'status', 'model']) expect(stdout).toContain(cmd);
  });

  it('answers `ask --json` with only the JSON object on stdout, building the index on first use', async () => {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'ask', '罗星街道2022年地区生产总值是多少？', '--json', '--k', '4'], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    });
    const json: unknown = JSON.parse(stdout);
    expect(Object.keys(json as object).sort()).toEqual(['answer', 'citations', 'found', 'question', 'retrieved']);
    const parsed = json as {
      answer: string;
      found: boolean;
      citations: Record<string, unknown>[];
      retrieved: Record<string, unknown>[];
    };
    expect(parsed.found).toBe(true);
    expect(parsed.answer).toContain('108.1亿元');
    expect(parsed.citations.length).toBeGreaterThan(0);
    expect(Object.keys(parsed.citations[0] ?? {}).sort()).toEqual(['n', 'paragraph', 'source', 'text', 'title']);
    expect(parsed.citations[0]?.source).toBe('000_66e9643bcf1264a2.txt');
    expect(parsed.retrieved).toHaveLength(4);
    expect(Object.keys(parsed.retrieved[0] ?? {}).sort()).toEqual(['paragraph', 'rank', 'score', 'source', 'text']);
    expect(stderr).toContain('building');
  });

  it('`chat --json` answers one JSON line per question, keeps the conversation and resets it on /new', async () => {
    const turns = ['新嘉街道2024年规上工业总产值是多少？', '', '那南星街道呢？', '/new', '那罗星街道呢？'];
    const pending = run(process.execPath, [BIN, 'chat', '--json'], { env: { ...process.env, ...env } });
    pending.child.stdin?.end(turns.join('\n') + '\n');
    const { stdout } = await pending;
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4); // the empty line is skipped
    const [first, followUp, reset, fresh] = lines;
    expect(first).toMatchObject({ question: turns[0], found: true });
    expect(first?.answer).toContain('152.16亿元');
    expect(first?.followUp).toBeUndefined();
    expect(followUp).toMatchObject({ question: '那南星街道呢？', followUp: true, understood: '南星街道2024年规上工业总产值是多少？' });
    expect(Object.keys(followUp ?? {})).toEqual(expect.arrayContaining(['answer', 'found', 'citations', 'retrieved']));
    expect(reset).toEqual({ reset: true });
    expect(fresh?.question).toBe('那罗星街道呢？');
    expect(fresh?.followUp).toBeUndefined();
    expect(fresh?.understood).toBeUndefined();
  });

  it('stops with exit code 1 and names a bad setting', async () => {
    const failed = await run(process.execPath, [BIN, 'status'], { env: { ...process.env, ...env, EMBEDDER: 'gpu' } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in failed && failed.code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain('Invalid setting EMBEDDER');
  });
});

describe('runCli', () => {
  it('re-indexes incrementally: a second `index` embeds nothing', async () => {
    const first = capture();
    expect(await runCli(['index'], first.ctx)).toBe(0);
    const second = capture();
    expect(await runCli(['index'], second.ctx)).toBe(0);
    expect(second.out.join('')).toMatch(/unchanged 5; 0 chunks embedded/);
  });

  it('prints the index status with the embedder that built it', async () => {
    const c = capture();
    expect(await runCli(['status'], c.ctx)).toBe(0);
    const text = c.out.join('');
    expect(text).toMatch(/Reports:\s+5/);
    expect(text).toContain('built-in offline embedder');
    // What each report is about, under its title.
    expect(text).toContain('罗星街道 (in 嘉善县, 嘉兴市) · results 2022 · plans 2023');
    expect(text).toContain('南星街道 (in 上城区, 杭州市) · 工作总结 · results 2024 · plans 2025');
  });

  it('rejects an empty question and a bad --k with exit code 1', async () => {
    const empty = capture();
    expect(await runCli(['ask', '   '], empty.ctx)).toBe(1);
    expect(empty.err.join('')).toContain('The question is empty');
    const badK = capture();
    expect(await runCli(['ask', '问题', '--k', 'zero'], badK.ctx)).toBe(1);
    expect(badK.err.join('')).toContain('expected a whole number');
  });

  it('reports a malformed eval data set with its line number', async () => {
    const file = path.join(work, 'bad.jsonl');
    await fs.writeFile(file, '{"id":"a","question":"q","source":null,"evidence":null}\n{oops\n');
    const c = capture();
    expect(await runCli(['eval', file], c.ctx)).toBe(1);
    expect(c.err.join('')).toContain('bad.jsonl:2');
  });

  it('refuses to start the bot without a token and points at `chat`', async () => {
    const c = capture();
    expect(await runCli(['bot'], c.ctx)).toBe(1);
    expect(c.err.join('')).toContain('TELEGRAM_BOT_TOKEN');
    expect(c.err.join('')).toContain('report-qa chat');
  });
});

describe('chatCommand', () => {
  it('answers questions and handles /sources, /status and /quit from piped input', async () => {
    const c = capture();
    const config = configFor(c.ctx.io);
    const app = await createApp(config, { logger: loggerFor(c.ctx.io, config) });
    const input = Readable.from(['/sources\n', '新嘉街道规上工业总产值是多少\n', '/status\n', '/quit\n', '罗星街道\n']);
    try {
      expect(await chatCommand(app, c.ctx.io, {}, input)).toBe(0);
    } finally {
      await app.close();
    }
    const text = c.out.join('');
    expect(text).toContain('002_ab471fbdba255351.txt — 新嘉街道办事处2024年工作报告');
    expect(text).toContain('152.16亿元');
    expect(text).toMatch(/Chunks:\s+\d+/);
    // Nothing after /quit is answered: the last prompt is followed only by the farewell newline.
    expect(text.trimEnd().endsWith('问>')).toBe(true);
  });
});
