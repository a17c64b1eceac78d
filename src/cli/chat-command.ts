import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { describeError } from '../errors.js';
import type { App } from '../types.js';
import { formatAnswerText, toAskJson } from './ask-output.js';
import { readyWithProgress } from './ask-command.js';
import type { CommandIo } from './command-context.js';
import { formatStatus } from './status-command.js';

const CHAT_HELP = `Ask a question about the reports (in Chinese or English), or:
  /new      start a new conversation (follow-ups like 那去年呢？ refer to the last question)
  /sources  list the indexed reports
  /status   show the index status
  /help     this help
  /quit     leave (Ctrl-D works too)
`;

/** The terminal session is one conversation. */
const CHAT_CONVERSATION = 'cli:chat';

export interface ChatCommandOptions {
  /** One question per input line, one `ask --json` object per output line; `/new` is the only command. */
  json?: boolean;
}

/**
 * `report-qa chat`: a terminal conversation through the same pipeline as the
 * bot. Reads lines from `input` until /quit (text mode) or end of input.
 */
export async function chatCommand(app: App, io: CommandIo, opts: ChatCommandOptions = {}, input: Readable = process.stdin): Promise<number> {
  await readyWithProgress(app, io);
  const rl = readline.createInterface({ input, terminal: false });
  try {
    await (opts.json === true ? jsonSession(app, io, rl) : textSession(app, io, rl));
  } finally {
    rl.close();
  }
  return 0;
}

async function textSession(app: App, io: CommandIo, lines: AsyncIterable<string>): Promise<void> {
  const status = app.status();
  io.out(`report-qa chat — ${status.reports} reports, ${status.chunks} chunks. /help for commands.\n`);
  const prompt = (): void => io.out('\n问> ');
  prompt();
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line === '/help') io.out(CHAT_HELP);
    else if (line === '/new') {
      app.forget(CHAT_CONVERSATION);
      io.out('好的，重新开始。\n');
    } else if (line === '/sources') io.out(app.sources().map((r) => `${r.source} — ${r.title}\n`).join(''));
    else if (line === '/status') io.out(formatStatus(app.status(), app.sources()));
    else if (line !== '') {
      try {
        io.out(formatAnswerText(await app.ask(line, { conversation: CHAT_CONVERSATION })));
      } catch (err) {
        io.err(`✗ ${describeError(err)}\n`);
      }
    }
    prompt();
  }
  io.out('\n');
}

/**
 * For scripts: no banner, no prompt, and every non-empty input line gets
 * exactly one output line — the answer object, `{"reset":true}` for `/new`,
 * or `{"question","error"}` when a question cannot be answered (too long…),
 * so a caller can pair lines without parsing stderr.
 */
async function jsonSession(app: App, io: CommandIo, lines: AsyncIterable<string>): Promise<void> {
  const emit = (value: object): void => io.out(JSON.stringify(value) + '\n');
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (line === '/new') {
      app.forget(CHAT_CONVERSATION);
      emit({ reset: true });
      continue;
    }
    try {
      emit(toAskJson(await app.ask(line, { conversation: CHAT_CONVERSATION })));
    } catch (err) {
      emit({ question: line, error: describeError(err) });
    }
  }
}
