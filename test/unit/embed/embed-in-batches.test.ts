import { describe, expect, it } from 'vitest';
import { embedInBatches } from '../../../src/embed/embed-in-batches.js';
import { isAppError } from '../../../src/errors.js';

const one = (t: string): Float32Array => Float32Array.of(t.length);

describe('embedInBatches', () => {
  it('embeds in order, in batches of the given size, reporting progress after each', async () => {
    const batches: string[][] = [];
    const progress: Array<[number, number]> = [];
    const out = await embedInBatches(['a', 'bb', 'ccc', 'dddd', 'eeeee'], { batchSize: 2, onProgress: (d, t) => progress.push([d, t]) }, 99, (b) => {
      batches.push([...b]);
      return b.map(one);
    });
    expect(batches).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(out.map((v) => v[0])).toEqual([1, 2, 3, 4, 5]);
    expect(progress).toEqual([[2, 5], [4, 5], [5, 5]]);
  });

  it('uses the default batch size when none is given', async () => {
    const sizes: number[] = [];
    await embedInBatches(['a', 'b', 'c'], {}, 2, (b) => (sizes.push(b.length), b.map(one)));
    expect(sizes).toEqual([2, 1]);
  });

  it('embeds nothing for no texts', async () => {
    let calls = 0;
    expect(await embedInBatches([], {}, 4, (b) => (calls++, b.map(one)))).toEqual([]);
    expect(calls).toBe(0);
  });

  it('stops before the next batch once aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = embedInBatches(['a', 'b', 'c', 'd'], { batchSize: 1, signal: controller.signal }, 1, (b) => {
      if (++calls === 2) controller.abort();
      return b.map(one);
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(2);
  });

  it('does not start when already aborted', async () => {
    let calls = 0;
    const run = embedInBatches(['a'], { signal: AbortSignal.abort() }, 1, (b) => (calls++, b.map(one)));
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(0);
  });

  it.each([0, -1, 1.5])('refuses batchSize %s', async (batchSize) => {
    const err = await embedInBatches(['a'], { batchSize }, 1, (b) => b.map(one)).catch((e: unknown) => e);
    expect(isAppError(err, 'INPUT_INVALID')).toBe(true);
  });
});
