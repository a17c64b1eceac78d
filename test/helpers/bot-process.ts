/**
 * The real `report-qa` executable as a child process (node bin/report-qa.js
 * …), for the tests that signal it: its stdout and stderr lines are collected
 * and can be waited for, and its exit is a promise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../bin/report-qa.js');

export interface BotExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** performance.now() at the exit. */
  readonly at: number;
}

export interface BotProcess {
  readonly proc: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<BotExit>;
  /** The first line (stdout or stderr) matching `pattern`; fails after `timeoutMs` with the last lines. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
}

/** Runs `node [nodeArgs] bin/report-qa.js args` in `cwd` with exactly `env`. */
export function spawnReportQa(args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; nodeArgs?: readonly string[] }): BotProcess {
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
    for (const w of [...waiters]) w();
  };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<BotExit>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  return {
    proc,
    lines,
    exited,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((l) => pattern.test(l));
          if (line === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(line);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`));
        }, timeoutMs);
        waiters.add(check);
        void exited.then(() => setTimeout(check, 0));
        check();
      });
    },
  };
}
