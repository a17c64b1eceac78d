/**
 * `eval --html` opened in a real headless browser (Debian's chromium, driven
 * by playwright-core): the page a tester opens must load without errors and
 * show the counts the run's `--json` holds. The run is the real pipeline on
 * the seeds, compared with a first run so the comparison section is there too.
 * Skipped, with the reason in its name, where chromium is not installed.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { EvalReport } from '../../src/eval/run-eval.js';
import { captureIo } from '../helpers/capture-io.js';
import { startSeedApp, type SeedApp } from '../helpers/seed-app.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const DATASET = path.resolve(import.meta.dirname, '../eval/seeds-qa.jsonl');
/** Enough questions for misses of several kinds, few enough for a quick run. */
const QUESTIONS = 40;

let seeds: SeedApp;
let browser: Browser;
let page: string;
let run: EvalReport;

async function evalCli(args: readonly string[]): Promise<{ code: number; err: string }> {
  const { io, err } = captureIo({ LOG_LEVEL: 'silent' }, seeds.work);
  const code = await runCli(['eval', ...args], { io, makeApp: async () => seeds.app });
  return { code, err: err.join('') };
}

describe.skipIf(!HAS_CHROMIUM)(`eval --html in headless chromium${HAS_CHROMIUM ? '' : ' (skipped: /usr/bin/chromium missing; apt-get install chromium)'}`, () => {
  beforeAll(async () => {
    seeds = await startSeedApp();
    const lines = (await fs.readFile(DATASET, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    const dataset = path.join(seeds.work, 'qa.jsonl');
    await fs.writeFile(dataset, lines.slice(0, QUESTIONS).join('\n') + '\n');
    const baseline = path.join(seeds.work, 'base.json');
    const now = path.join(seeds.work, 'now.json');
    page = path.join(seeds.work, 'report.html');
    expect((await evalCli([dataset, '--json', baseline])).code).toBe(0);
    const second = await evalCli([dataset, '--json', now, '--html', page, '--compare', baseline]);
    expect(second).toMatchObject({ code: 0 });
    expect(second.err).toContain(`Wrote the HTML report to ${page}`);
    run = JSON.parse(await fs.readFile(now, 'utf8')) as EvalReport;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // As root in a container chromium needs --no-sandbox; the rest keeps it off the (closed) network.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await seeds?.cleanup();
  });

  it('loads without errors or requests beyond the file, and shows the run counts', async () => {
    const tab = await browser.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    tab.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    tab.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
    });
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });

    const mode = run.modes[0]!;
    const metric = (id: string) => tab.locator(`section[data-mode="${mode.mode}"] [data-metric="${id}"]`).innerText();
    const { answerable, unanswerable, falseRefusals, byKind } = mode.answers;
    expect(await metric('answerable')).toBe(`${answerable.correct}/${answerable.scored}`);
    expect(await metric('unanswerable')).toBe(`${unanswerable.correct}/${unanswerable.scored}`);
    expect(await metric('false-refusals')).toBe(String(falseRefusals));
    const wrong = mode.results.filter((r) => r.verdict !== null && !r.verdict.correct).length;
    expect(await metric('misses')).toBe(String(wrong));
    expect(await tab.locator(`section[data-mode="${mode.mode}"] .miss`).count()).toBe(wrong);

    // One visible bar per kind, labelled with its counts.
    const kinds = Object.entries(byKind);
    expect(kinds.length).toBeGreaterThan(1);
    for (const [kind, tally] of kinds) {
      const bar = tab.locator(`g[data-kind="${kind}"]`);
      expect(await bar.locator('text').last().textContent()).toBe(`${tally.correct}/${tally.scored}`);
      expect((await bar.boundingBox())?.width ?? 0).toBeGreaterThan(0);
    }
    await expect(tab.locator('section[data-compare] h2').innerText()).resolves.toContain('Compared with');
    expect(problems).toEqual([]);
    await tab.close();
  });
});
