import { Command } from 'commander';
import { UsageError, type CliIo } from '../io.ts';
import { ValidationFailedError } from './validate.ts';

/** Raised when the two files differ beyond the tolerance: the CLI exits with 1 after printing the report. */
export class SpikesDifferError extends ValidationFailedError {}

export function compareCommand(io: CliIo): Command {
  return new Command('compare')
    .description(
      'compare the spikes of two result files (firstspike format, e.g. `simulate --out` and an exported PyNN ' +
        'script): optimal in-order matching per neuron within a tolerance; exits 1 when they differ',
    )
    .argument('<a>', 'first result file (the reference)')
    .argument('<b>', 'second result file')
    .option('-t, --tolerance <ms>', 'largest |dt| of a matched pair (ms, >= 0)', '0.1')
    .option('--json', 'print the figures as JSON')
    .action(async (pathA: string, pathB: string, opts: { tolerance: string; json?: boolean }) => {
      const tolerance = Number(opts.tolerance);
      if (opts.tolerance.trim() === '' || !Number.isFinite(tolerance) || tolerance < 0) {
        throw new UsageError(`--tolerance: must be a number >= 0 (ms), got '${opts.tolerance}'`);
      }
      const { readSpikeFile, SpikeFileError } = await import('../../plugins/interop/spikeFile.ts');
      const { compareSpikes, comparisonJson, comparisonText, MatchTooLargeError } = await import(
        '../../plugins/interop/compare.ts'
      );
      let report: string;
      let agree: boolean;
      try {
        const [a, b] = [await readSpikeFile(pathA), await readSpikeFile(pathB)];
        const c = compareSpikes(a, b, tolerance);
        report = opts.json === true ? comparisonJson(c, pathA, pathB) : comparisonText(c, pathA, pathB);
        agree = c.agree;
      } catch (error) {
        if (error instanceof SpikeFileError) throw new UsageError(error.message);
        if (error instanceof MatchTooLargeError) throw new UsageError(`--tolerance: ${error.message}`);
        throw error;
      }
      io.stdout(report);
      if (!agree) throw new SpikesDifferError('spike trains differ beyond the tolerance');
    });
}
