import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../core/config/configError.ts';
import { processIo, UsageError, ValidationFailedError, type CliIo } from './io.ts';

/** Exit code for bad input (config, arguments, files). */
export const EXIT_BAD_INPUT = 2;

/** Escapes control characters (newlines in user-supplied names) so an error stays on one line. */
function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
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

async function program(io: CliIo, argv: readonly string[]): Promise<Command> {
  const root = new Command('firstspike')
    .description('exact event-driven simulation of spiking networks with first-spike-time learning')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  const invoked = invokedCommand(argv);
  if (invoked !== undefined) await import('../index.ts');
  for (const entry of COMMANDS) {
    const cmd = entry === invoked ? await entry.load(io) : placeholder(entry);
    cmd.configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride();
    root.addCommand(cmd);
  }
  return root;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code: 0 on success, 2 for
 * bad input (one line naming the field and the reason, no partial output), 1 for internal errors.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await (await program(io, argv)).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
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

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}
