/**
 * A folder without reports.json answers exactly as well as one with it: the
 * five seed reports are indexed twice, once with seeds/reports.json and once
 * as files dropped into a folder, and the shipped question set must get the
 * same verdict, question by question. What reports.json says (the subject,
 * where it lies, the years reviewed and planned) is read from the reports.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { parseDataset } from '../../src/eval/dataset.js';
import { runEval, type ModeReport } from '../../src/eval/run-eval.js';
import type { App } from '../../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHIPPED = path.join(ROOT, 'test/eval/seeds-qa.jsonl');

let work: string;
const apps: App[] = [];
const modes = new Map<'with' | 'without', ModeReport>();

async function evaluate(reportsDir: string, name: string): Promise<{ app: App; mode: ModeReport }> {
  const app = await createApp(
    loadConfig({ REPORTS_DIR: reportsDir, INDEX_DIR: path.join(work, `index-${name}`), MODEL_DIR: path.join(work, 'models'), EMBEDDER: 'offline' }, work),
  );
  apps.push(app);
  await app.ready();
  const report = await runEval(app, parseDataset(await fs.readFile(SHIPPED, 'utf8'), SHIPPED), { k: 5, modes: ['hybrid'] });
  return { app, mode: report.modes[0] as ModeReport };
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'seeds-no-meta-'));
  const bare = path.join(work, 'reports');
  await fs.mkdir(bare);
  for (const name of await fs.readdir(path.join(ROOT, 'seeds'))) {
    if (name.endsWith('.txt')) await fs.copyFile(path.join(ROOT, 'seeds', name), path.join(bare, name));
  }
  modes.set('with', (await evaluate(path.join(ROOT, 'seeds'), 'with')).mode);
  modes.set('without', (await evaluate(bare, 'without')).mode);
}, 600_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  if (work !== undefined) await fs.rm(work, { recursive: true, force: true });
});

describe('the seeds without reports.json', () => {
  it('get the same verdict on every question of the shipped set as with it', () => {
    const verdicts = (name: 'with' | 'without'): Map<string, string> =>
      new Map((modes.get(name)?.results ?? []).map((r) => [r.id, r.verdict === null ? 'unscored' : r.verdict.correct ? 'right' : r.verdict.problems.join('; ')]));
    const withMeta = verdicts('with');
    const without = verdicts('without');
    expect(without.size).toBeGreaterThan(150);
    const differing = [...withMeta].filter(([id, v]) => without.get(id) !== v).map(([id, v]) => `${id}: with ${v}, without ${without.get(id)}`);
    expect(differing).toEqual([]);
    expect(modes.get('without')?.answers.answerable.correct).toBe(modes.get('with')?.answers.answerable.correct);
  });

  it('know each report by its subject, where it lies and the years it reviews and plans', () => {
    const rows = (name: string): string[] => {
      const app = apps[name === 'with' ? 0 : 1];
      return (app?.sources() ?? []).map((r) => `${r.source} ${r.subject ?? '?'} ${(r.within ?? []).join('/')} ${(r.years ?? []).join(',')}→${(r.planYears ?? []).join(',')}`);
    };
    const without = rows('without');
    expect(without).toContain('000_66e9643bcf1264a2.txt 罗星街道 嘉善县/嘉兴市/浙江省 2022→2023');
    expect(without).toContain('001_e2c7ed4295899fe4.txt 南星街道 杭州市/浙江省 2024→2025');
    expect(without).toContain('002_ab471fbdba255351.txt 新嘉街道 南湖区/嘉兴市/浙江省 2024→');
    // The masked street stays unknown; its years come from its title.
    expect(without).toContain('004_fb0e9855fe739ea6.txt ?  2022→2023');
  });
});
