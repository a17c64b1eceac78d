import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { extensionList } from '../ingest/report-formats.js';
import { METADATA_FIELDS, METADATA_FILE } from '../ingest/report-metadata.js';
import type { App, RetrievalMode } from '../types.js';
import { BOT_HELP } from './bot-help.js';
import { configFor, loggerFor, type CommandContext } from './command-context.js';
import type { EvalCommandOptions } from './eval-command.js';

const MODES = ['hybrid', 'vector', 'keyword'] as const;

/** `--fail-on-regression` without a value: two points of accuracy or recall, beyond run-to-run noise on a small set. */
const DEFAULT_REGRESSION_MARGIN = 0.02;

/** The data set fields beyond the four required ones, for `eval --help` (README.md, "Evaluation", has the rules). */
const DATASET_HELP = `
Data set fields (one JSON object per line):
  id, question              required; id unique
  source                    report file name, or null (unanswerable, or a comparison)
  evidence                  exact report text that answers it, or null (any paragraph of source)
  answerable                default: source or sources given
  sources                   reports a correct answer must cite (default [source])
  answer_all / answer_any   strings the answer contains: all of / one of (turn on answer scoring)
  near_answer, near_year    year trap: the figure for near_year, right when offered with that year
  dialogue, turn            turns 1, 2, … of one conversation, on adjacent lines
  kind, tags                labels; answers are broken down per kind

Compare with a saved run:
  report-qa eval qa.jsonl --json base.json
  report-qa eval qa.jsonl --compare base.json --fail-on-regression 0.02 --html eval.html
`;

interface EvalFlags {
  k: number;
  json?: string;
  mode: RetrievalMode | 'all';
  html?: string;
  compare?: string;
  failOnRegression?: number;
  reports?: string;
  index?: string;
}

/**
 * Parses the command line and runs one command. This is the CLI's single error
 * boundary: an AppError prints `✗ message` and exits 1; anything else prints
 * its stack (a bug) and exits 2. Each command's module is imported when that
 * command runs, so `ask` never loads the bot (grammY, prom-client) or the eval report.
 */
export async function runCli(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  let exitCode = 0;
  const program = new Command()
    .name('report-qa')
    .description('Answer questions about a folder of reports, with cited source paragraphs.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(add --help for usage)');

  /** Loads config and the app, runs `fn`, always closes the app. */
  const withApp = async (overrides: { reports?: string; index?: string }, fn: (app: App, config: Config) => Promise<number>): Promise<void> => {
    const config = configFor(io, overrides);
    const app = await ctx.makeApp(config, loggerFor(io, config));
    try {
      exitCode = await fn(app, config);
    } finally {
      await app.close();
    }
  };
  const dirOptions = (cmd: Command): Command =>
    cmd
      .option('--reports <dir>', 'reports folder (default: REPORTS_DIR or ./seeds)')
      .option('--index <dir>', 'index folder (default: INDEX_DIR or ./embeddings)');

  dirOptions(program.command('index'))
    .description('build or update the index (unchanged reports are not re-embedded)')
    .addHelpText(
      'after',
      `\nReads ${extensionList()} files in the reports folder and its sub-folders; files it cannot read are skipped with a reason.\n` +
        "What each report is about (subject, where it lies, kind, years reviewed and planned, title) is read from the report;\n" +
        `an optional ${METADATA_FILE} in the folder overrides it per file: { "a.txt": { ${METADATA_FIELDS.join(', ')} } }.\n` +
        'One build at a time per index folder (INDEX_DIR/build.lock): while another process builds,\n' +
        'this exits with code 75 (a cron job may simply retry later). A running bot picks the new build up.\n',
    )
    .action(async (o: { reports?: string; index?: string }) => {
      const { indexCommand } = await import('./index-command.js');
      await withApp(o, (app) => indexCommand(app, io));
    });

  dirOptions(program.command('ask'))
    .description('answer one question, with citations')
    .argument('<question>', 'the question, in quotes')
    .option('--json', 'print one JSON object: question, answer, found, citations, retrieved, understood, followUp (README, "Command line")')
    .option('-k, --k <n>', 'number of passages to retrieve', positiveInt, 5)
    .addOption(new Option('--mode <mode>', 'retrieval mode').choices(MODES).default('hybrid'))
    .action(async (question: string, o: { json?: boolean; k: number; mode: RetrievalMode; reports?: string; index?: string }) => {
      const { askCommand } = await import('./ask-command.js');
      await withApp(o, (app) => askCommand(app, question, o, io));
    });

  dirOptions(program.command('chat'))
    .description('interactive terminal chat using the same answer pipeline as the bot')
    .option('--json', 'read one question per line from stdin, print one `ask --json` object per line ({"reset":true} for /new)')
    .action(async (o: { json?: boolean; reports?: string; index?: string }) => {
      const { chatCommand } = await import('./chat-command.js');
      await withApp(o, (app) => chatCommand(app, io, o));
    });

  dirOptions(program.command('eval'))
    .description('retrieval and answer evaluation over a JSON Lines question set')
    .argument('<dataset>', 'JSONL file: {"id","question","source","evidence"} per line')
    .addHelpText('after', DATASET_HELP)
    .option('-k, --k <n>', 'cut-off for recall@k and passages for the answer', positiveInt, 5)
    .option('--json <file>', 'write per-question results and totals to FILE')
    .addOption(new Option('--mode <mode>', 'retrieval mode to evaluate').choices([...MODES, 'all'] as const).default('hybrid'))
    .option('--html <file>', 'write the run as one self-contained HTML page: totals, a chart per kind, the comparison, every miss')
    .option('--compare <baseline>', 'compare with a result saved by --json: metrics side by side, answers that flipped')
    .addOption(
      new Option('--fail-on-regression [margin]', 'with --compare: exit 1 when answer accuracy or recall@k drops by more than MARGIN')
        // commander passes a preset through the parser too, so it is given as text.
        .preset(String(DEFAULT_REGRESSION_MARGIN))
        .argParser(margin),
    )
    .action(async (dataset: string, o: EvalFlags) => {
      const { evalCommand } = await import('./eval-command.js');
      await withApp(o, (app) =>
        evalCommand(app, dataset, evalOptions(o), {
          out: (s) => io.out(s),
          err: (s) => io.err(s),
          progress: io.interactive,
        }),
      );
    });

  dirOptions(program.command('bot'))
    .description('run the Telegram bot (long polling, or a webhook with --webhook); needs TELEGRAM_BOT_TOKEN')
    .option('--webhook <url>', 'receive updates at this public HTTPS URL through a reverse proxy (default: TELEGRAM_WEBHOOK_URL)')
    .addHelpText('after', BOT_HELP)
    .action(async (o: { reports?: string; index?: string; webhook?: string }) => {
      const { botCommand } = await import('./bot-command.js');
      const config = configFor(io, o);
      const logger = loggerFor(io, config);
      exitCode = await botCommand(config, logger, () => ctx.makeApp(config, logger), (s) => io.err(s));
    });

  dirOptions(program.command('status'))
    .description("show what the index holds and which embedder built it, and the running bot's counters (with METRICS_PORT)")
    .action(async (o: { reports?: string; index?: string }) => {
      const { statusCommand } = await import('./status-command.js');
      await withApp(o, (app, config) => statusCommand(app, io, config.metricsPort === undefined ? {} : { metricsPort: config.metricsPort }));
    });

  program
    .command('model')
    .description('manage the neural embedding model')
    .command('download')
    .description('fetch EMBEDDING_MODEL into MODEL_DIR (needs network; nothing else ever downloads)')
    .action(async () => {
      const { modelDownloadCommand } = await import('./model-command.js');
      const config = configFor(io);
      exitCode = await modelDownloadCommand(config, loggerFor(io, config), io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof AppError) {
      io.err(`✗ ${err.message}\n`);
      return 1;
    }
    io.err(`✗ unexpected error (a bug — please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

/** The flags evalCommand takes, without the ones commander left unset. */
function evalOptions(o: EvalFlags): EvalCommandOptions {
  return {
    k: o.k,
    mode: o.mode,
    ...(o.json !== undefined && { json: o.json }),
    ...(o.html !== undefined && { html: o.html }),
    ...(o.compare !== undefined && { compare: o.compare }),
    ...(o.failOnRegression !== undefined && { failOnRegression: o.failOnRegression }),
  };
}

/** A share from 0 to 1, e.g. 0.02 for two points. */
function margin(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a share from 0 to 1, e.g. 0.02');
  return n;
}

function positiveInt(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
}
