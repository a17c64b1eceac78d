/**
 * Preloaded into a `report-qa bot` child process (`node --import`) by the
 * shutdown test, so a re-index is certainly still running when the test
 * signals: the first read of a file whose name ends with HOLD_READ_SUFFIX
 * says so on stderr and then waits until the read's own AbortSignal fires
 * (the bot aborts its build on SIGTERM/SIGINT), failing like an aborted read.
 */
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const suffix = process.env.HOLD_READ_SUFFIX;
if (suffix) {
  const readFile = fsp.readFile;
  let held = false;
  fsp.readFile = async function heldReadFile(file, options) {
    if (held || !String(file).endsWith(suffix)) return readFile.call(this, file, options);
    held = true;
    const signal = options?.signal;
    if (!(signal instanceof AbortSignal)) throw new Error(`hold-report-read: ${String(file)} is read without an AbortSignal`);
    process.stderr.write(`hold-report-read: holding ${String(file)}\n`);
    await new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', resolve, { once: true })));
    throw signal.reason;
  };
  // Live bindings of `import { readFile } from 'node:fs/promises'` follow the patched function.
  syncBuiltinESMExports();
}
