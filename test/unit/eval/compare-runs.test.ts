import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareRuns, formatComparison, loadSavedRun, regressions, type ComparedRun } from '../../../src/eval/compare-runs.js';
import { isAppError } from '../../../src/errors.js';
import { evalReport, modeReport, result, unanswerable, wrong } from '../../helpers/eval-results.js';

// Baseline: s1 right, s2 wrong, s3 right, u1 handled. Now: s1 wrong, s2 right (asked
// under a new id, same text), s3 right, u1 answered; one false refusal more.
const BASELINE: ComparedRun = {
  createdAt: '2026-01-01T00:00:00.000Z',
  settings: { embedder: 'offline', buildId: 'b1', datasetSha256: 'aaa' },
  ...evalReport([
    modeReport('hybrid', [result('s1'), wrong('s2', ['x']), result('s3'), unanswerable('u1')], { hitAt1: 0.5, recallAtK: 0.75 }),
    modeReport('keyword', [result('s1')]),
  ]),
};
const NOW: ComparedRun = {
  settings: { embedder: 'offline', buildId: 'b2', datasetSha256: 'aaa' },
  ...evalReport([
    modeReport(
      'hybrid',
      [
        wrong('s1', ['refused (not found)'], { found: false }),
        result('s2-renamed', { question: 'question s2' }),
        result('s3'),
        unanswerable('u1', { found: true, verdict: { correct: false, problems: ['x'] } }),
      ],
      { hitAt1: 0.6, recallAtK: 0.7 },
    ),
    modeReport('vector', [result('s1')]),
  ]),
};

const comparison = compareRuns(BASELINE, NOW, 'base.json');

describe('compareRuns', () => {
  it('puts retrieval and answer metrics of the modes both runs have side by side', () => {
    const hybrid = comparison.modes.find((m) => m.mode === 'hybrid');
    expect(comparison.modes.map((m) => m.mode)).toEqual(['hybrid']);
    expect(hybrid?.rows).toEqual([
      { key: 'hitAt1', baseline: 0.5, now: 0.6 },
      { key: 'recallAtK', baseline: 0.75, now: 0.7 },
      { key: 'mrrAt10', baseline: 0.6, now: 0.6 },
      { key: 'ndcgAt10', baseline: 0.65, now: 0.65 },
      { key: 'accuracy', baseline: 2 / 3, now: 2 / 3 },
      { key: 'falseRefusals', baseline: 0, now: 1 },
      { key: 'unanswerableHandled', baseline: 1, now: 0 },
    ]);
    expect(comparison.onlyBaseline).toEqual(['keyword']);
    expect(comparison.onlyNow).toEqual(['vector']);
    expect(comparison.settingsChanged).toEqual(['buildId: "b1" → "b2"']);
  });

  it('lists the answers that flipped, matching by id or else by question text', () => {
    const hybrid = comparison.modes[0];
    expect(hybrid?.rightToWrong).toEqual([
      { id: 's1', question: 'question s1' },
      { id: 'u1', question: 'question u1' },
    ]);
    expect(hybrid?.wrongToRight).toEqual([{ id: 's2-renamed', question: 'question s2' }]);
  });

  it('compares nothing at answer level against a file without it', () => {
    const old: ComparedRun = {
      k: 5,
      modes: [{ mode: 'hybrid', totals: { hitAt1: 0.5, recallAtK: 0.75, mrrAt10: 0.6, ndcgAt10: 0.65 }, results: [{ id: 's1', question: 'question s1' }] }],
    };
    const c = compareRuns(old, NOW, 'old.json');
    expect(c.modes[0]?.rows.find((r) => r.key === 'accuracy')).toEqual({ key: 'accuracy', baseline: null, now: 2 / 3 });
    expect(c.modes[0]?.rightToWrong).toEqual([]);
    expect(c.settingsChanged).toEqual([]);
    expect(regressions(c, 0)).toEqual(['hybrid recall@5 fell from 0.750 to 0.700 (by 0.050, more than the margin 0)']);
  });
});

describe('regressions', () => {
  it('names each guarded metric that dropped by more than the margin', () => {
    expect(regressions(comparison, 0.02)).toEqual(['hybrid recall@5 fell from 0.750 to 0.700 (by 0.050, more than the margin 0.02)']);
    expect(regressions(comparison, 0.05)).toEqual([]);
  });

  it('fails on an answer accuracy drop too, but not on other metrics', () => {
    const worse = compareRuns(NOW, { ...NOW, modes: [modeReport('hybrid', [wrong('s1', ['x']), result('s3')], { hitAt1: 0, recallAtK: 0.7 })] }, 'x');
    expect(regressions(worse, 0.02)).toEqual(['hybrid answer accuracy fell from 0.667 to 0.500 (by 0.167, more than the margin 0.02)']);
  });
});

describe('formatComparison', () => {
  const text = formatComparison(comparison);

  it('prints the baseline, what changed and a baseline/now/delta table per mode', () => {
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'Compared with base.json (2026-01-01T00:00:00.000Z)',
      'Settings changed: buildId: "b1" → "b2"',
      'Only in the baseline (not compared): keyword',
      'Not in the baseline (not compared): vector',
    ]);
    const table = lines.slice(lines.findIndex((l) => /^\[hybrid\] +baseline/.test(l)));
    expect(table.slice(0, 8).map((l) => l.split(/\s{2,}/))).toEqual([
      ['[hybrid]', 'baseline', 'now', 'delta'],
      ['hit@1', '0.500', '0.600', '+0.100'],
      ['recall@5', '0.750', '0.700', '-0.050'],
      ['MRR@10', '0.600', '0.600', '0.000'],
      ['nDCG@10', '0.650', '0.650', '0.000'],
      ['answer accuracy', '0.667', '0.667', '0.000'],
      ['false refusals', '0', '1', '+1'],
      ['unanswerable handled', '1.000', '0.000', '-1.000'],
    ]);
  });

  it('lists the flipped questions', () => {
    expect(text).toContain('[hybrid] right → wrong: 2\n  ✗ s1  question s1\n  ✗ u1  question u1\n');
    expect(text).toContain('[hybrid] wrong → right: 1\n  ✓ s2-renamed  question s2\n');
  });

  it('notes a different k', () => {
    expect(formatComparison(compareRuns({ ...BASELINE, k: 3 }, NOW, 'b'))).toContain('Note: k was 3 in the baseline and is 5 now');
  });
});

describe('loadSavedRun', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'report-qa-compare-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function saved(content: string): Promise<string> {
    const file = path.join(dir, 'baseline.json');
    await writeFile(file, content, 'utf8');
    return file;
  }

  async function failure(file: string): Promise<string> {
    const err: unknown = await loadSavedRun(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isAppError(err, 'INPUT_INVALID')) throw new Error(`expected INPUT_INVALID, got ${String(err)}`);
    return err.message;
  }

  it('loads a saved report and one without the answer level or settings', async () => {
    const run = await loadSavedRun(await saved(JSON.stringify({ dataset: 'qa.jsonl', ...NOW })));
    expect(compareRuns(run, NOW, 'x').modes[0]?.rows.every((r) => r.baseline === r.now)).toBe(true);
    const old = await loadSavedRun(
      await saved(JSON.stringify({ k: 5, modes: [{ mode: 'hybrid', totals: { hitAt1: 1, recallAtK: 1, mrrAt10: 1, ndcgAt10: null }, results: [] }] })),
    );
    expect(old.modes[0]?.answers).toBeUndefined();
  });

  it('names the file and the first bad field of an invalid one', async () => {
    const file = await saved(JSON.stringify({ k: 5, modes: [{ mode: 'hybrid', totals: { hitAt1: 'high' }, results: [] }] }));
    expect(await failure(file)).toBe(
      `Cannot use ${file} as the --compare baseline: field "modes[0].totals.hitAt1" must be a number, got "high"; expected a file written by \`report-qa eval --json\`.`,
    );
  });

  it('names the file when it is missing or not JSON', async () => {
    expect(await failure(path.join(dir, 'none.json'))).toMatch(/^Cannot use .*none\.json as the --compare baseline: ENOENT/);
    expect(await failure(await saved('{oops'))).toMatch(/baseline\.json as the --compare baseline: .*JSON/);
  });
});
