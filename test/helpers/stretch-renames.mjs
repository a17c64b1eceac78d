// Preloaded into a `report-qa index` child by reliability-crash.test.ts
// (`node --import <this file> bin/report-qa.js index`). Each rename that makes
// a build visible (builds/.tmp-* → builds/<id>, CURRENT.tmp-* → CURRENT) is
// announced on stderr and then held for STRETCH_RENAME_MS, so the test can
// SIGKILL the child inside the swap window, which otherwise lasts a few
// milliseconds. Nothing else changes: what is on disk when the kill lands is
// exactly what a crash at that instant leaves. Plain JavaScript because it is
// loaded before bin/report-qa.js registers tsx.
import { writeSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

const holdMs = Number(process.env.STRETCH_RENAME_MS ?? '0');
const rename = fs.rename;

fs.rename = async (from, to) => {
  const source = path.basename(String(from));
  if (source.startsWith('.tmp-') || source.startsWith('CURRENT.tmp-')) {
    writeSync(2, `[stretch] rename ${source} -> ${path.basename(String(to))}\n`);
    await new Promise((resolve) => setTimeout(resolve, holdMs));
  }
  return rename(from, to);
};
