import { env } from '@xenova/transformers';
import { describe, expect, it } from 'vitest';
import { localOnlySettings, withTrailingSlash, withTransformersEnv } from '../../../src/embed/transformers-env.js';

describe('withTransformersEnv', () => {
  it('applies the settings while the call runs and restores them afterwards, even on failure', async () => {
    const before = { remote: env.allowRemoteModels, path: env.localModelPath, cache: env.useFSCache };
    let seen: unknown;
    await withTransformersEnv(localOnlySettings('/models'), async () => {
      seen = { remote: env.allowRemoteModels, path: env.localModelPath, cache: env.useFSCache };
    });
    expect(seen).toEqual({ remote: false, path: '/models/', cache: false });
    expect({ remote: env.allowRemoteModels, path: env.localModelPath, cache: env.useFSCache }).toEqual(before);

    await expect(
      withTransformersEnv({ allowRemoteModels: !before.remote }, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(env.allowRemoteModels).toBe(before.remote);
  });

  it('runs one call at a time, so a remote-enabled call never overlaps a local one', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const first = withTransformersEnv({ allowRemoteModels: true }, async () => {
      events.push(`first starts remote=${env.allowRemoteModels}`);
      await gate;
      events.push('first ends');
    });
    const second = withTransformersEnv({ allowRemoteModels: false }, async () => {
      events.push(`second starts remote=${env.allowRemoteModels}`);
    });
    await new Promise((r) => setTimeout(r, 20));
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first starts remote=true', 'first ends', 'second starts remote=false']);
  });

  it('adds a trailing slash only when missing', () => {
    expect(withTrailingSlash('/a/b')).toBe('/a/b/');
    expect(withTrailingSlash('http://127.0.0.1:9/')).toBe('http://127.0.0.1:9/');
  });
});
