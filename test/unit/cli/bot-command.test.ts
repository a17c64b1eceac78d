import { afterEach, describe, expect, it, vi } from 'vitest';
import { botCommand } from '../../../src/cli/bot-command.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/log.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('botCommand', () => {
  it('exits 1 without a token, saying how to set one and that chat works without', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const makeApp = vi.fn();
    const code = await botCommand(loadConfig({}, '/tmp'), silentLogger, makeApp);
    expect(code).toBe(1);
    expect(makeApp).not.toHaveBeenCalled();
    const out = written.join('');
    expect(out).toContain('TELEGRAM_BOT_TOKEN');
    expect(out).toContain('.env');
    expect(out).toContain('report-qa chat');
  });
});
