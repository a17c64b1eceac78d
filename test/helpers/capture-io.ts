import type { CommandIo } from '../../src/cli/command-context.js';

/** A non-interactive CommandIo that records what a command prints, for asserting on it. */
export function captureIo(env: Record<string, string>, cwd: string): { io: CommandIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (s) => out.push(s), err: (s) => err.push(s), interactive: false, env, cwd };
  return { io, out, err };
}
