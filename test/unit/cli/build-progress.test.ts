import { describe, expect, it } from 'vitest';
import { createBuildProgress } from '../../../src/cli/build-progress.js';
import { captureIo } from '../../helpers/capture-io.js';

describe('createBuildProgress (not a terminal)', () => {
  it('prints a line per phase and tenth, and none for a phase of unknown or no size (total 0)', () => {
    const { io, err } = captureIo({}, '/');
    const view = createBuildProgress(io);
    view.update({ phase: 'read', done: 0, total: 0, elapsedMs: 0 });
    view.update({ phase: 'read', done: 1, total: 2, elapsedMs: 100 });
    view.update({ phase: 'read', done: 2, total: 2, elapsedMs: 200 });
    view.update({ phase: 'embed', done: 0, total: 0, elapsedMs: 300 });
    view.update({ phase: 'write', done: 0, total: 1, elapsedMs: 400 });
    view.stop();
    expect(err).toEqual(['reading reports: 1/2 (0.1 s)\n', 'reading reports: 2/2 (0.2 s)\n', 'writing index: 0/1 (0.4 s)\n']);
  });
});
