/** Runs a benchmark task (bench/tasks/) in a child process and returns its output. */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tasks } from './bench-worker.js';

const WORKER = fileURLToPath(new URL('./bench-worker.ts', import.meta.url));

export async function runTask<T extends keyof Tasks>(
  name: T,
  input: Parameters<Tasks[T]>[0],
): Promise<Awaited<ReturnType<Tasks[T]>>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `bench-${name}-`));
  try {
    const inputFile = path.join(dir, 'input.json');
    const outputFile = path.join(dir, 'output.json');
    await fs.writeFile(inputFile, JSON.stringify(input));
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, name, inputFile, outputFile], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) throw new Error(`benchmark task ${name} exited with code ${code}`);
    // Written by the worker from this task's own output type.
    return JSON.parse(await fs.readFile(outputFile, 'utf8')) as Awaited<ReturnType<Tasks[T]>>;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
