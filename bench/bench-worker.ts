/**
 * Child-process entry of the benchmark: runs one task so that its peak RSS and
 * its heap are its own.
 *
 *   node --import tsx bench/bench-worker.ts <task> <input.json> <output.json>
 */
import fs from 'node:fs/promises';
import { buildTask } from './tasks/build-task.js';
import { denseTask } from './tasks/dense-task.js';
import { incrementalTask } from './tasks/incremental-task.js';
import { neuralTask } from './tasks/neural-task.js';
import { serveTask } from './tasks/serve-task.js';

const TASKS = { build: buildTask, serve: serveTask, dense: denseTask, incremental: incrementalTask, neural: neuralTask };

/** Task names with their input and output types, for `runTask`. */
export type Tasks = typeof TASKS;

function isTaskName(name: string | undefined): name is keyof Tasks {
  return name !== undefined && Object.hasOwn(TASKS, name);
}

const [name, inputFile, outputFile] = process.argv.slice(2);
if (!isTaskName(name) || inputFile === undefined || outputFile === undefined) {
  throw new Error(`usage: bench-worker.ts <${Object.keys(TASKS).join('|')}> <input.json> <output.json>`);
}
const input: unknown = JSON.parse(await fs.readFile(inputFile, 'utf8'));
// The input was written by runTask from the task's own input type.
const run = TASKS[name] as (input: unknown) => Promise<unknown>;
await fs.writeFile(outputFile, JSON.stringify(await run(input)));
