/**
 * Hostile questions (issue #8) through app.ask and the CLI: empty, punctuation,
 * 100k characters, emoji, right-to-left text, control characters, SQL/HTML/
 * Markdown injection, lone surrogates, and seeded random strings. Never a
 * crash: 'not found' or a real answer whose figures come from its citations,
 * in bounded time; a question over MAX_QUESTION_CHARS is refused with
 * INPUT_INVALID (the CLI prints `✗ …` and exits 1).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ungroundedFigures } from '../helpers/grounded-figures.js';
import { createApp, MAX_QUESTION_CHARS } from '../../src/app.js';
import type { CommandIo } from '../../src/cli/command-context.js';
import { runCli } from '../../src/cli/run-cli.js';
import { loadConfig } from '../../src/config.js';
import { createEmbedder } from '../../src/embed/create-embedder.js';
import { isAppError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import type { App, AskResult, Embedder } from '../../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEEDS = path.join(ROOT, 'seeds');
/** Generous: a seed-collection question takes milliseconds; this only catches runaway work. */
const MAX_ASK_MS = 3_000;

let work: string;
let env: Record<string, string>;
let embedder: Embedder;
let app: App;
const tried: Record<string, number> = {};
let slowest = 0;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'reliability-questions-'));
  env = { REPORTS_DIR: SEEDS, INDEX_DIR: path.join(work, 'index'), MODEL_DIR: path.join(work, 'models'), EMBEDDER: 'offline', LOG_LEVEL: 'silent' };
  const config = loadConfig(env, work);
  embedder = await createEmbedder(config, silentLogger);
  app = await createApp(config, { embedder });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await fs.rm(work, { recursive: true, force: true });
  console.info(`hostile questions tried: ${JSON.stringify(tried)}; slowest answer ${Math.round(slowest)} ms`);
});

/** Asks, timing it, and checks what every answer must satisfy. */
async function ask(kind: string, question: string): Promise<AskResult> {
  tried[kind] = (tried[kind] ?? 0) + 1;
  const started = performance.now();
  const result = await app.ask(question);
  const ms = performance.now() - started;
  slowest = Math.max(slowest, ms);
  expect(ms, kind).toBeLessThan(MAX_ASK_MS);
  const { answer } = result;
  expect(typeof answer.text).toBe('string');
  expect(answer.text.length).toBeGreaterThan(0);
  if (!answer.found) {
    expect(answer.text).toMatch(/^在已索引的报告中没有找到/);
    // Paragraphs offered as possibly related are quoted after 可能相关, each cited.
    if (answer.citations.length > 0) expect(answer.text).toContain('可能相关：');
  } else {
    expect(answer.citations.length).toBeGreaterThan(0);
    const cited = answer.citations.map((c) => {
      const p = app.paragraph(c.source, c.paragraph);
      expect(p, `${c.source} ¶${c.paragraph}`).toBeDefined();
      return p?.text ?? '';
    });
    expect(ungroundedFigures(answer.text, cited), answer.text).toEqual([]);
  }
  return result;
}

const HOSTILE: readonly (readonly [string, string])[] = [
  ['empty', ''],
  ['whitespace', ' \t\n\u3000 '],
  ['punctuation', '？？！！。。，,.!?…—「」'],
  ['emoji', '😀🎉👍🏽👨‍👩‍👧 罗星街道GDP？'],
  ['right-to-left', 'ما هو الناتج المحلي الإجمالي لشارع لوشينغ؟ \u202e罗星街道\u202c'],
  ['control characters', '\u0000\u0001\u0007罗星\u001b[31m街道\u0008地区生产总值\u007f'],
  ['sql injection', "罗星街道' OR '1'='1'; DROP TABLE reports; --"],
  ['html injection', '<script>alert(1)</script><b>罗星街道</b><img src=x onerror=alert(1)>地区生产总值'],
  ['markdown injection', '**罗星街道** [点我](http://evil.example) `rm -rf /` # 标题 | a | b |'],
  ['lone surrogates', '\ud800罗星街道\udc00地区生产总值\udbff'],
  ['zero-width and combining', '罗\u200b星\u200d街\ufeff道 a\u0301\u0301\u0301 地区生产总值'],
  ['one long number', '9'.repeat(MAX_QUESTION_CHARS)],
  ['longest allowed', '罗星街道地区生产总值'.repeat(MAX_QUESTION_CHARS / 10)],
];

describe('app.ask on hostile questions', () => {
  it.each(HOSTILE)('%s: not found or a grounded answer, quickly', async (kind, question) => {
    await ask(kind, question);
  });

  it('answers the real question inside injection and control characters', async () => {
    for (const kind of ['control characters', 'lone surrogates', 'emoji'] as const) {
      const question = HOSTILE.find(([k]) => k === kind)?.[1] ?? '';
      const { answer } = await ask(kind, question);
      expect(answer.text, kind).toContain('108.1亿元');
    }
  });

  it('refuses a 100,000-character question with INPUT_INVALID before doing any work', async () => {
    for (const [kind, question] of [
      ['100k Han', '罗'.repeat(100_000)],
      ['100k ASCII', 'a'.repeat(100_000)],
      ['one over the limit', 'x'.repeat(MAX_QUESTION_CHARS + 1)],
    ] as const) {
      tried[kind] = (tried[kind] ?? 0) + 1;
      const started = performance.now();
      await expect(app.ask(question)).rejects.toSatisfy(
        (err: unknown) => isAppError(err, 'INPUT_INVALID') && err.message.includes(`${question.length} characters; the limit is ${MAX_QUESTION_CHARS}`),
      );
      await expect(app.retrieve(question)).rejects.toSatisfy((err: unknown) => isAppError(err, 'INPUT_INVALID'));
      expect(performance.now() - started).toBeLessThan(100);
    }
  });

  it('never throws on random strings (fast-check, full Unicode with lone surrogates, seeded)', async () => {
    const words = ['罗星', '南星街道', '2022年', '地区生产总值', '多少', '是什么', '<b>', '\u202e', '😀', '\u0000', "'; DROP TABLE x;--", '**', '[1]', '\ud83d', '亿元', ' '];
    const question = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.array(fc.constantFrom(...words), { maxLength: 12 }).map((w) => w.join('')),
    );
    await fc.assert(
      fc.asyncProperty(question, async (q) => {
        await ask('random', q);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });
});

describe('report-qa ask on hostile questions', () => {
  const cli = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CommandIo = { out: (s) => out.push(s), err: (s) => err.push(s), interactive: false, env, cwd: work };
    const code = await runCli(args, { io, makeApp: (config) => createApp(config, { embedder }) });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('prints ✗ and exits 1 for an empty or a 100k-character question', async () => {
    for (const q of ['', ' \u3000 ']) {
      const r = await cli(['ask', q]);
      expect(r).toMatchObject({ code: 1, out: '' });
      expect(r.err).toMatch(/^✗ The question is empty/);
    }
    const long = await cli(['ask', '罗'.repeat(100_000)]);
    expect(long).toMatchObject({ code: 1, out: '' });
    expect(long.err).toBe(`✗ The question has 100000 characters; the limit is ${MAX_QUESTION_CHARS}. Ask a shorter question.\n`);
  });

  it('prints one parseable JSON object for injection, control characters and lone surrogates', async () => {
    for (const [kind, q] of HOSTILE.filter(([k]) => /injection|control|surrogates|right-to-left|emoji/.test(k))) {
      const r = await cli(['ask', q, '--json']);
      expect(r.code, `${kind}: ${r.err}`).toBe(0);
      const json: unknown = JSON.parse(r.out);
      expect(json).toMatchObject({ question: q.trim(), found: expect.any(Boolean), answer: expect.any(String) });
    }
  });

  it('the executable refuses a 100k-character question with ✗ and exit code 1', async () => {
    const run = promisify(execFile);
    const failed = await run(process.execPath, [path.join(ROOT, 'bin/report-qa.js'), 'ask', 'q'.repeat(100_000)], {
      cwd: work,
      env: { ...process.env, ...env },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failed).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('✗ The question has 100000 characters') });
  });
});
