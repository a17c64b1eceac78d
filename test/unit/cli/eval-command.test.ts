import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evalCommand, type EvalCommandOptions } from '../../../src/cli/eval-command.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { isAppError } from '../../../src/errors.js';
import { captureIo } from '../../helpers/capture-io.js';
import { FIXTURE_QUESTIONS, fixtureApp } from '../../helpers/eval-fixture.js';
import { SCRIPTED_STATUS } from '../../helpers/scripted-app.js';

let dir: string;
let restore = (): void => {};

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'report-qa-eval-'));
});
afterEach(async () => {
  restore();
  await rm(dir, { recursive: true, force: true });
});

async function writeDataset(lines: readonly string[]): Promise<string> {
  const file = path.join(dir, 'qa.jsonl');
  await writeFile(file, lines.join('\n') + '\n', 'utf8');
  return file;
}

const fixtureLines = (): string[] => FIXTURE_QUESTIONS.map((q) => JSON.stringify(q));

async function runCommand(file: string, opts: EvalCommandOptions) {
  const fixture = fixtureApp();
  restore = fixture.restore;
  const out: string[] = [];
  const err: string[] = [];
  const code = await evalCommand(fixture.app, file, opts, { out: (s) => out.push(s), err: (s) => err.push(s), progress: false });
  return { code, out: out.join(''), err: err.join(''), calls: fixture.app.calls };
}

/** The AppError code and message `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
  return { code: err.code, message: err.message };
}

describe('evalCommand', () => {
  it('prints the index, the table and the misses, and exits 0 whatever the scores', async () => {
    const { code, out, calls } = await runCommand(await writeDataset(fixtureLines()), { k: 2, mode: 'hybrid' });
    expect(code).toBe(0);
    expect(calls[0]).toEqual({ kind: 'ready' });
    expect(out).toContain(`Index test-build: 2 reports, 20 chunks, embedder fake:scripted, answerer scripted`);
    expect(out).toMatch(/^hybrid +0\.333 +0\.333 +0\.444 +0\.500 /m);
    expect(out).toContain('[hybrid] misses (no hit in the top 2): 2');
    expect(out).not.toMatch(/^keyword/m);
  });

  it('runs hybrid, vector and keyword for --mode all', async () => {
    const { out, calls } = await runCommand(await writeDataset(fixtureLines()), { k: 2, mode: 'all' });
    expect(out.match(/^(hybrid|vector|keyword) /gm)).toEqual(['hybrid ', 'vector ', 'keyword ']);
    expect(new Set(calls.map((c) => c.mode).filter(Boolean))).toEqual(new Set(['hybrid', 'vector', 'keyword']));
  });

  it('writes per-question results and totals with --json, creating the folder', async () => {
    const json = path.join(dir, 'out', 'nested', 'eval.json');
    const file = await writeDataset(fixtureLines());
    const { err } = await runCommand(file, { k: 2, mode: 'all', json });
    expect(err).toContain(`Wrote per-question results and totals to ${json}`);

    const doc: unknown = JSON.parse(await readFile(json, 'utf8'));
    expect(doc).toMatchObject({ dataset: file, k: 2, depth: 10, index: SCRIPTED_STATUS });
    expect(doc).toHaveProperty('createdAt', expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(doc).toHaveProperty('settings', {
      embedder: 'fake:scripted',
      answerer: 'scripted',
      buildId: 'test-build',
      k: 2,
      depth: 10,
      modes: ['hybrid', 'vector', 'keyword'],
      datasetSha256: createHash('sha256').update(await readFile(file)).digest('hex'),
    });
    const modes = (doc as { modes: { mode: string; totals: Record<string, unknown>; results: Record<string, unknown>[] }[] }).modes;
    expect(modes.map((m) => m.mode)).toEqual(['hybrid', 'vector', 'keyword']);
    const hybrid = modes[0];
    expect(Object.keys(hybrid?.totals ?? {}).sort()).toEqual(
      [
        'questions', 'answerable', 'unanswerable', 'hitAt1', 'recallAtK', 'mrrAt10', 'ndcgAt10',
        'latencyP50Ms', 'latencyP95Ms', 'unanswerableNotFound', 'answerableNotFound', 'beforeRerank',
      ].sort(),
    );
    expect(hybrid?.results.map((r) => r.id)).toEqual(['q1', 'q2', 'q3', 'u1']);
    expect(hybrid?.results[0]).toEqual({
      id: 'q1',
      question: '罗星街道经济总量是多少？',
      source: 'a.txt',
      evidence: '地区生产总值108.1亿元',
      tags: ['figure', 'paraphrase'],
      answerable: true,
      firstHitRank: 1,
      scores: { hitAt1: 1, recallAtK: 1, reciprocalRank: 1, ndcg: 1 },
      latencyMs: 10,
      found: true,
      answerText: 'scripted answer',
      citations: [],
      gold: { sources: ['a.txt'], answerAll: [], answerAny: [] },
      // The fixture's questions carry no gold strings, so no answer verdict.
      verdict: null,
      retrieved: [
        { rank: 1, source: 'a.txt', paragraph: 2, score: 0.9, text: '全年实现地区生产总值 108.1 亿元，增长2.7%' },
        { rank: 2, source: 'c.txt', paragraph: 1, score: 0.1, text: '无关段落1，内容与问题无关。' },
        { rank: 3, source: 'c.txt', paragraph: 2, score: 0.1, text: '无关段落2，内容与问题无关。' },
      ],
    });
    // The vector mode retrieved nothing at all: means are 0, not missing.
    expect(modes[1]?.totals).toMatchObject({ hitAt1: 0, recallAtK: 0, mrrAt10: 0, ndcgAt10: 0 });
  });

  it('warns about questions on reports that are not indexed', async () => {
    const extra = JSON.stringify({ id: 'q9', question: '别的报告？', source: 'missing.txt', evidence: '不存在的内容' });
    const { code, err } = await runCommand(await writeDataset([...fixtureLines(), extra]), { k: 2, mode: 'hybrid' });
    expect(code).toBe(0);
    expect(err).toMatch(/not indexed.*: missing\.txt\n/);
  });

  it('rejects a malformed data set with its line number before touching the app', async () => {
    const file = await writeDataset([...fixtureLines().slice(0, 2), '{"id": "q3", "question": ']);
    const fixture = fixtureApp();
    restore = fixture.restore;
    const io = { out: () => {}, err: () => {}, progress: false };
    expect(await rejection(evalCommand(fixture.app, file, { k: 5, mode: 'hybrid' }, io))).toMatchObject({
      code: 'DATASET_INVALID',
      message: expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: not valid JSON`)),
    });
    expect(fixture.app.calls).toEqual([]);
  });

  it('rejects a missing data set file', async () => {
    const missing = path.join(dir, 'nope.jsonl');
    expect(await rejection(runCommand(missing, { k: 5, mode: 'hybrid' }))).toMatchObject({
      code: 'DATASET_INVALID',
      message: expect.stringContaining(`Cannot read the data set ${missing}`),
    });
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects k = %s', async (k) => {
    expect(await rejection(runCommand(await writeDataset(fixtureLines()), { k, mode: 'hybrid' }))).toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining('--k must be a positive integer'),
    });
  });

  it('rejects a --json path that cannot be written', async () => {
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const json = path.join(blocker, 'eval.json');
    expect(await rejection(runCommand(await writeDataset(fixtureLines()), { k: 2, mode: 'hybrid', json }))).toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining(`Cannot write ${json}`),
    });
  });
});

describe('report-qa eval --compare', () => {
  /** Runs the CLI on the fixture app; what it printed, and the exit code. */
  async function cli(args: readonly string[]) {
    const fixture = fixtureApp();
    restore = fixture.restore;
    const { io, out, err } = captureIo({ LOG_LEVEL: 'silent' }, dir);
    const code = await runCli(['eval', ...args], { io, makeApp: async () => fixture.app });
    restore();
    return { code, out: out.join(''), err: err.join('') };
  }

  it('compares with a saved run and exits 1 on a regression only with --fail-on-regression', async () => {
    const dataset = await writeDataset(fixtureLines());
    const baseline = path.join(dir, 'base.json');
    expect((await cli([dataset, '--k', '2', '--json', baseline])).code).toBe(0);

    const same = await cli([dataset, '--k', '2', '--compare', baseline, '--fail-on-regression']);
    expect(same.code).toBe(0);
    expect(same.out).toContain(`Compared with ${baseline} (`);
    expect(same.out).toMatch(/^recall@2 +0\.333 +0\.333 +0\.000$/m);

    // A better baseline: hybrid recall@2 was 0.5.
    const doc = JSON.parse(await readFile(baseline, 'utf8')) as { modes: { totals: { recallAtK: number } }[] };
    doc.modes.forEach((m) => (m.totals.recallAtK = 0.5));
    await writeFile(baseline, JSON.stringify(doc));

    const report = await cli([dataset, '--k', '2', '--compare', baseline]);
    expect(report.code).toBe(0);
    expect(report.out).toMatch(/^recall@2 +0\.500 +0\.333 +-0\.167$/m);

    const gated = await cli([dataset, '--k', '2', '--compare', baseline, '--fail-on-regression', '0.2']);
    expect(gated.code).toBe(0);
    const failed = await cli([dataset, '--k', '2', '--compare', baseline, '--fail-on-regression']);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain(
      `✗ The run regressed against ${baseline}: hybrid recall@2 fell from 0.500 to 0.333 (by 0.167, more than the margin 0.02).`,
    );
  });

  it('refuses --fail-on-regression without --compare, and a bad margin', async () => {
    const dataset = await writeDataset(fixtureLines());
    const alone = await cli([dataset, '--fail-on-regression']);
    expect(alone.code).toBe(1);
    expect(alone.err).toContain('--fail-on-regression needs a baseline: add --compare BASELINE.json');
    const bad = await cli([dataset, '--compare', 'x.json', '--fail-on-regression', 'lots']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('expected a share from 0 to 1');
  });
});
