import { describe, expect, it } from 'vitest';
import type { StartupResult } from '../../../bench/startup.js';
import { TARGETS, checkTargets } from '../../../bench/targets.js';

function startup(askMs: number, bareJiebaMs: number): StartupResult {
  return { runs: 3, askMs, bareJiebaMs, ratio: askMs / bareJiebaMs, askRunsMs: [askMs], bareJiebaRunsMs: [bareJiebaMs] };
}

describe('checkTargets: the start-up row', () => {
  it(`is met at or below ${TARGETS.startupRatio}× the bare jieba load, and says both times`, () => {
    const [check] = checkTargets([], startup(1200, 900));
    expect(check).toMatchObject({ met: true, measured: '1.33× (1,200 ms against 900 ms)' });
    expect(checkTargets([], startup(1350, 900))[0]?.met).toBe(true);
  });

  it('is not met above it', () => {
    expect(checkTargets([], startup(1800, 900))[0]).toMatchObject({ met: false, measured: '2.00× (1,800 ms against 900 ms)' });
  });
});
