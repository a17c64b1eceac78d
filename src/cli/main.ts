/** Entry point of the `report-qa` executable: loads .env, then runs one command. */
import dotenv from 'dotenv';
import { createApp } from '../app.js';
import { runCli } from './run-cli.js';

dotenv.config({ quiet: true });

process.exitCode = await runCli(process.argv.slice(2), {
  io: {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    interactive: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  },
  makeApp: (config, logger) => createApp(config, { logger }),
});

// The command is done. Work it gave up on (e.g. a Bot API call that never
// answered, abandoned after the bot's shutdown grace) must not keep the
// process alive; anything still finishing gets a moment to end on its own.
setTimeout(() => process.exit(), 2_000).unref();
