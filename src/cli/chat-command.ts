import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { describeError } from '../errors.js';
import type { App } from '../types.js';
import { formatAnswerText } from './ask-output.js';
import { readyWithProgress } from './ask-command.js';
import type { CommandIo } from './command-context.js';
import { formatStatus } from './status-command.js';

const CHAT_HELP = `Ask a question about the reports (in Chinese or English), or:
  /new      start a new conversation (follow-ups like 那南星街道呢？ refer to the last question)
  /sources  list the indexed reports
  /status   show the index status
  /help     this help
  /quit     leave (Ctrl-D works too)
`;

/** The terminal session is one conversation. */
const CHAT_CONVERSATION = 'cli:chat';

/**
 * `report-qa chat`: a terminal conversation through the same pipeline as the
 * bot. Reads lines from `input` until /quit or end of input.
 */
export async function chatCommand(app: App, io: CommandIo, input: Readable = process.stdin): Promise<number> {
  await readyWithProgress(app, io);
  const status = app.status();
  io.out(`report-qa chat — ${status.reports} reports, ${status.chunks} chunks. /help for commands.\n`);
  const rl = readline.createInterface({ input, terminal: false });
  const prompt = (): void => io.out('\n问> ');
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line === '') {
      prompt();
      continue;
    }
    if (line === '/help') io.out(CHAT_HELP);
    else if (line === '/new') {
      app.forget(CHAT_CONVERSATION);
      io.out('好的，重新开始。\n');
    }
    else if (line === '/sources') io.out(app.sources().map((r) => `${r.source} — ${r.title}\n`).join(''));
    else if (line === '/status') io.out(formatStatus(app.status(), app.sources()));
    else {
      try {
        io.out(formatAnswerText(await app.ask(line, { conversation: CHAT_CONVERSATION })));
      } catch (err) {
        io.err(`✗ ${describeError(err)}\n`);
      }
    }
    prompt();
  }
  rl.close();
  io.out('\n');
  return 0;
}
