/**
 * What the deployment files promise: `npm start` is node running the bin file (so SIGTERM
 * reaches the bot, not npm), that command starts and fails clearly without a token, and the
 * systemd unit is valid and starts the bin file that exists.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NO_TOKEN_HELP } from '../../src/cli/bot-command.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const UNIT = path.join(ROOT, 'deploy/report-qa.service');
const run = promisify(execFile);

const SYSTEMD_ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

/** `Key=value` lines of the unit, by key (a key may repeat). */
function unitSettings(): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of readFileSync(UNIT, 'utf8').split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line.trim());
    if (m === null) continue;
    const [, key = '', value = ''] = m;
    settings.set(key, [...(settings.get(key) ?? []), value]);
  }
  return settings;
}

describe('npm start', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

  it('is node running the bin file, with no tsx or npm process in between', () => {
    expect(pkg.scripts['start']).toBe('node bin/report-qa.js bot');
  });

  it('starts the bot command, which exits 1 with the how-to-get-a-token text when none is set', async () => {
    const [cmd = '', ...args] = (pkg.scripts['start'] ?? '').split(' ');
    expect(cmd).toBe('node');
    // A working directory without .env, and an environment without the token.
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'start-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'TELEGRAM_BOT_TOKEN'));
    try {
      const failed = await run(process.execPath, args.map((a, i) => (i === 0 ? path.join(ROOT, a) : a)), { cwd, env: { ...env, LOG_LEVEL: 'silent' } }).then(
        () => undefined,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toBe(NO_TOKEN_HELP);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

describe('deploy/report-qa.service', () => {
  it.skipIf(SYSTEMD_ANALYZE === undefined)('passes systemd-analyze verify (skipped: systemd-analyze is not installed)', async () => {
    const { stderr } = await run(SYSTEMD_ANALYZE ?? '', ['verify', UNIT]);
    expect(stderr).toBe('');
  });

  it('runs node on the bin file that exists, from its working directory, as its own user', () => {
    const s = unitSettings();
    const workdir = s.get('WorkingDirectory')?.[0] ?? '';
    const [node = '', script = '', ...args] = (s.get('ExecStart')?.[0] ?? '').split(' ');
    expect(path.basename(node)).toBe('node');
    expect(script.startsWith(`${workdir}/`)).toBe(true);
    expect(existsSync(path.join(ROOT, path.relative(workdir, script)))).toBe(true);
    expect(path.relative(workdir, script)).toBe('bin/report-qa.js');
    expect(args).toEqual(['bot']);
    expect(s.get('User')?.[0]).toMatch(/^[a-z][\w-]*$/);
    expect(s.get('User')?.[0]).not.toBe('root');
  });

  it('stops with SIGTERM, restarts on failure and writes only INDEX_DIR and REPORTS_DIR', () => {
    const s = unitSettings();
    const one = (key: string): string | undefined => s.get(key)?.[0];
    expect(one('Type')).toBe('simple');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(one('Restart')).toBe('on-failure');
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThan(10);
    expect(one('EnvironmentFile')).toBeDefined();
    for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp']) expect(one(key)).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    const env = new Map((s.get('Environment') ?? []).map((e) => e.split('=') as [string, string]));
    expect((one('ReadWritePaths') ?? '').split(' ').sort()).toEqual([env.get('INDEX_DIR'), env.get('REPORTS_DIR')].sort());
  });
});
