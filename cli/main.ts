import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../core/config/configError.ts';
import { SpikeLimitError } from '../core/engine/runLimits.ts';
import { removePendingTempFiles } from '../core/io/atomicWrite.ts';
import { fileErrorReason, processIo, UsageError, ValidationFailedError, type CliIo } from './io.ts';

/** Exit code for bad input (config, arguments, files). */
export const EXIT_BAD_INPUT = 2;

/** Longest run of non-blank characters kept whole in an error line (a name, a path, a quoted value). */
const MAX_TOKEN_CHARS = 120;
/** Longest error line. */
const MAX_LINE_CHARS = 2000;

/**
 * Makes an error message one readable line: control characters (newlines in user-supplied names) are
 * escaped, and user values echoed in it are cut: a run of more than MAX_TOKEN_CHARS non-blank characters
 * keeps its first 80 and says how long it was, and the whole line stops at MAX_LINE_CHARS.
 */
export function oneLine(message: string): string {
  const escaped = message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  const cut = escaped.replace(new RegExp(`\\S{${MAX_TOKEN_CHARS + 1},}`, 'g'), (token) => `${token.slice(0, 80)}... (${token.length} characters)`);
  return cut.length <= MAX_LINE_CHARS ? cut : `${cut.slice(0, MAX_LINE_CHARS)}... (${cut.length} characters)`;
}

/**
 * Commander's own usage errors as `<flag or argument>: <reason>` (one line, did-you-mean hint kept):
 * `error: unknown option '--ot'\n(Did you mean --out?)` becomes `--ot: unknown option (did you mean --out?)`.
 */
export function commanderMessage(error: CommanderError): string {
  const [first, ...rest] = error.message.replace(/^error: /, '').split('\n');
  const hint = rest.join(' ').trim().replace(/^\(Did you mean/, '(did you mean');
  const longFlag = (spec: string) => spec.split(/[ ,]+/).find((t) => t.startsWith('--')) ?? spec.split(/[ ,]+/)[0];
  const withHint = (text: string) => (hint === '' ? text : `${text} ${hint}`);
  let m: RegExpExecArray | null;
  if ((m = /^unknown option '([^']*)'/.exec(first)) !== null) return withHint(`${m[1]}: unknown option`);
  if ((m = /^unknown command '([^']*)'/.exec(first)) !== null) return withHint(`${m[1]}: unknown command`);
  if ((m = /^missing required argument '([^']*)'/.exec(first)) !== null) return withHint(`<${m[1]}>: missing required argument`);
  if ((m = /^option '([^']*)' argument missing/.exec(first)) !== null) return withHint(`${longFlag(m[1])}: needs a value`);
  if ((m = /^required option '([^']*)' not specified/.exec(first)) !== null) return withHint(`${longFlag(m[1])}: required`);
  if ((m = /^option '([^']*)' argument '([^']*)' is invalid\. (.*)$/.exec(first)) !== null) {
    return withHint(`${longFlag(m[1])}: invalid value '${m[2]}'. ${m[3]}`);
  }
  return withHint(first);
}

/**
 * A command of the CLI: its name, arguments and one-line summary for the root's help, and a loader of
 * its module. Only the command being run is loaded (with the package entry, which registers the built-in
 * substrates), so `firstspike --help` and a small `simulate` start fast (docs/benchmarks.md). A new
 * command is one entry here, its module in cli/commands/<name>.ts.
 */
interface CommandEntry {
  readonly name: string;
  readonly args?: string;
  readonly summary: string;
  readonly load: (io: CliIo) => Promise<Command>;
}

const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'simulate',
    args: '<config>',
    summary: 'simulate a network given as a JSON config and write its spikes and traces',
    load: async (io) => (await import('./commands/simulate.ts')).simulateCommand(io),
  },
  {
    name: 'demo',
    summary: 'simulate the built-in 1000-neuron network and print a spike summary',
    load: async (io) => (await import('./commands/demo.ts')).demoCommand(io),
  },
  {
    name: 'validate',
    summary: 'compare closed-form first-spike times with the event engine on random networks',
    load: async (io) => (await import('./commands/validate.ts')).validateCommand(io),
  },
  {
    name: 'train',
    summary: 'train a network on a preset (Yin-Yang, MNIST) with first-spike-time gradients',
    load: async (io) => (await import('./commands/train.ts')).trainCommand(io),
  },
  {
    name: 'evaluate',
    summary: 'evaluate a trained model file: accuracy, confusion matrix, spike statistics',
    load: async (io) => (await import('./commands/evaluate.ts')).evaluateCommand(io),
  },
  {
    name: 'start',
    summary: "train Yin-Yang with the paper's network for a minute and print the test accuracy",
    load: async (io) => (await import('./commands/start.ts')).startCommand(io),
  },
  {
    name: 'sweep',
    args: '<spec>',
    summary: 'run a robustness sweep (training runs over substrate imperfections), sharded or merged',
    load: async (io) => (await import('./commands/sweep.ts')).sweepCommand(io),
  },
  {
    name: 'compare',
    args: '<a> <b>',
    summary: 'match the spikes of two result files neuron by neuron and report the differences',
    load: async (io) => (await import('./commands/compare.ts')).compareCommand(io),
  },
  {
    name: 'export',
    args: '<format>',
    summary: 'export a network as a PyNN script, a trained model as a config, or a NIR graph',
    load: async (io) => (await import('./commands/export.ts')).exportCommand(io),
  },
  {
    name: 'import',
    args: '<format>',
    summary: 'read a network from another format (NIR) into a firstspike config',
    load: async (io) => (await import('./commands/import.ts')).importCommand(io),
  },
  {
    name: 'plot',
    args: '<figure>',
    summary: 'draw a figure (raster, training, confusion, yinyang, spikes, sweep) as SVG or PNG',
    load: async (io) => (await import('./commands/plot.ts')).plotCommand(io),
  },
];

/** The command `argv` runs (`help <name>` included), or undefined for the root's own options and help. */
function invokedCommand(argv: readonly string[]): CommandEntry | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}

/** A command's stand-in for the root's help: name, arguments and summary, without loading its module. */
function placeholder(entry: CommandEntry): Command {
  // a hidden option, so that the root's list shows "[options]" as it does for the loaded command
  const cmd = new Command(entry.name).summary(entry.summary).addOption(new Option('--options').hideHelp());
  return entry.args === undefined ? cmd : cmd.arguments(entry.args);
}

/**
 * Usage errors are printed by main as one line (commanderMessage), not by commander: for a command and
 * every subcommand under it (export pynn, plot raster, sweep merge, ...).
 */
function quietUsageErrors(cmd: Command, io: CliIo): void {
  cmd.configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined }).exitOverride();
  for (const sub of cmd.commands) quietUsageErrors(sub, io);
}

async function program(io: CliIo, argv: readonly string[]): Promise<Command> {
  const root = new Command('firstspike')
    .description('exact event-driven simulation of spiking networks with first-spike-time learning')
    .version('0.1.0')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined })
    .exitOverride();
  const invoked = invokedCommand(argv);
  if (invoked !== undefined) await import('../index.ts');
  for (const entry of COMMANDS) {
    const cmd = entry === invoked ? await entry.load(io) : placeholder(entry);
    quietUsageErrors(cmd, io);
    root.addCommand(cmd);
  }
  return root;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code: 0 on success, 2 for
 * bad input (one line naming the field and the reason, no partial output), 1 for internal errors.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (io === processIo) installProcessHandlers(); // a real process (bin/, cli/main.ts): signals, EPIPE
  try {
    await (await program(io, argv)).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0
      if (error.exitCode === 0) return 0;
      io.stderr(`firstspike: error: ${oneLine(commanderMessage(error))} (see --help)\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof SpikeLimitError) {
      io.stderr(`firstspike: error: --max-spikes: ${oneLine(error.message)}; raise the limit with --max-spikes\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof ValidationFailedError) {
      io.stderr(`firstspike: ${oneLine(error.message)}\n`);
      return 1;
    }
    if (error instanceof ConfigError || error instanceof UsageError) {
      io.stderr(`firstspike: error: ${oneLine(error.message)}\n`);
      return EXIT_BAD_INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`firstspike: internal error: ${oneLine(message)}\n`);
    if (process.env.FIRSTSPIKE_DEBUG === '1' && error instanceof Error) io.stderr(`${error.stack}\n`);
    return 1;
  }
}

/**
 * Process-level handling when run as a program: SIGINT/SIGTERM remove temporary output files before
 * exiting (128 + signal number); a closed standard output (EPIPE: `firstspike simulate big.json | head`)
 * ends the run quietly; a failing one (ENOSPC: `> /dev/full`) is a one-line error, exit 2.
 */
let handlersInstalled = false;
export function installProcessHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    process.on(signal, () => {
      removePendingTempFiles();
      process.exit(code);
    });
  };
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    removePendingTempFiles();
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`firstspike: error: standard output: cannot write (${oneLine(fileErrorReason(error))})\n`);
    process.exit(EXIT_BAD_INPUT);
  });
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}
