#!/usr/bin/env node
// Runs the compiled build in dist/ (made by `npm install` through the `prepare`
// script) when it is at least as new as every source file; otherwise — a
// checkout edited since the last build — the TypeScript sources through tsx,
// so a stale build is never what runs. The check stats ~200 files (a few ms).
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/cli/main.js`;

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { recursive: true })) {
    if (/\.(ts|json)$/.test(name)) newest = Math.max(newest, statSync(`${dir}/${name}`).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(compiled).mtimeMs;
  } catch {
    return -1;
  }
}

if (builtAt() >= newestSource(`${root}src`)) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
