/** Entry point of the `report-qa` executable: loads .env, then runs one command. */
import dotenv from 'dotenv';
import { createApp } from './app.js';
import { runCli } from './commands/run-cli.js';

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
