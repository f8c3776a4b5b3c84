import { Command, CommanderError } from 'commander';
import '../index.ts';
import { ConfigError } from '../core/config/index.ts';
import { demoCommand } from './commands/demo.ts';
import { evaluateCommand } from './commands/evaluate.ts';
import { plotCommand } from './commands/plot.ts';
import { simulateCommand } from './commands/simulate.ts';
import { startCommand } from './commands/start.ts';
import { trainCommand } from './commands/train.ts';
import { ValidationFailedError, validateCommand } from './commands/validate.ts';
import { processIo, UsageError, type CliIo } from './io.ts';

/** Exit code for bad input (config, arguments, files). */
export const EXIT_BAD_INPUT = 2;

/** Escapes control characters (newlines in user-supplied names) so an error stays on one line. */
function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

function program(io: CliIo): Command {
  const root = new Command('firstspike')
    .description('exact event-driven simulation of spiking networks with first-spike-time learning')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const cmd of [
    simulateCommand(io),
    demoCommand(io),
    validateCommand(io),
    trainCommand(io),
    evaluateCommand(io),
    startCommand(io),
    plotCommand(io),
  ]) {
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
    await program(io).parseAsync([...argv], { from: 'user' });
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
