import { Command, Option } from 'commander';
import { loadConfigFile } from '../../core/config/index.ts';
import { ThreadsRefusedError } from '../../core/engine/runLimits.ts';
import { simulate, simulateOnThreads } from '../../core/engine/simulate.ts';
import { getSubstrate, substrateNames } from '../../core/substrate/registry.ts';
import type { SimulationSpec } from '../../core/simulation.ts';
import { SubstrateFitError } from '../../core/substrate/substrate.ts';
import { formatResult, spikeSummary, type OutputFormat } from '../formatResult.ts';
import { UsageError, checkOutputPath, writeFileAtomic, type CliIo } from '../io.ts';
import { addLimitOptions, resourceLimitsOption, threadsOption } from '../limits.ts';
import { loadPlugins, pluginOption } from '../plugins.ts';
import { startProgress } from '../progress.ts';

/** Checks the substrate's own options, reporting them as a usage error. */
export function checkSubstrateOptions(spec: SimulationSpec): void {
  try {
    getSubstrate(spec.substrate.name).validateOptions(spec.substrate.options);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Runs a spec with a progress bar on a terminal, stopping after `maxSpikes` LIF spikes, on `threads`
 * threads (the same result). What the substrate refuses about the network itself (bss2: more neurons or
 * inputs than one chip has) is the user's input, so it becomes a usage error at /substrate; a network the
 * threaded engine cannot split, one at --threads.
 */
export async function runWithProgress(spec: SimulationSpec, io: CliIo, maxSpikes?: number, threads = 1) {
  const progress = startProgress(io, spec.durationMs, 'simulating', 'ms');
  try {
    const options = { onProgress: (t: number) => progress.update(t), maxSpikes };
    return threads === 1 ? simulate(spec, options) : await simulateOnThreads(spec, { ...options, threads });
  } catch (error) {
    if (error instanceof SubstrateFitError) throw new UsageError(`/substrate: ${error.message}`);
    if (error instanceof ThreadsRefusedError) throw new UsageError(`--threads: ${error.reason}`);
    throw error;
  } finally {
    progress.stop();
  }
}

export function simulateCommand(io: CliIo): Command {
  const command = new Command('simulate')
    .description('simulate a network given as a JSON config (see docs/config.md) and write its spikes and traces')
    .argument('<config>', 'path of the JSON config file')
    .option('-o, --out <file>', 'write the result to this file (atomically) instead of standard output')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('-q, --quiet', 'do not print the spike summary to standard error when writing to --out')
    .option('--print-config', 'check the config and print it in normalised form (PyNN names rewritten), without simulating')
    .option('--threads <n>', 'worker threads (default 1, at most the available cores; the result does not depend on it)')
    .option('--force-threads', 'allow --threads above the number of available cores')
    .addOption(pluginOption());
  return addLimitOptions(command).action(
    async (
      configPath: string,
      opts: {
        out?: string;
        format: OutputFormat;
        quiet?: boolean;
        printConfig?: boolean;
        maxMemory?: string;
        maxSpikes?: string;
        plugin?: string[];
        threads?: string;
        forceThreads?: boolean;
      },
    ) => {
      const threads = threadsOption(opts.threads, opts.forceThreads === true);
      const limits = { ...resourceLimitsOption(opts), threads };
      // before the run: a destination that cannot be written, or that is the config itself
      if (opts.out !== undefined) await checkOutputPath('--out', opts.out, [{ option: 'the config', path: configPath }]);
      await loadPlugins(opts.plugin);
      const spec = await loadConfigFile(configPath, { knownSubstrates: substrateNames(), limits });
      if (opts.printConfig === true) {
        const { normalisedConfigText } = await import('../../plugins/interop/printConfig.ts');
        io.stdout(await normalisedConfigText(configPath));
        return;
      }
      checkSubstrateOptions(spec);
      const result = await runWithProgress(spec, io, limits.maxSpikes, threads);
      const text = formatResult(result, opts.format);
      if (opts.out === undefined) io.stdout(text);
      else {
        await writeFileAtomic(opts.out, text);
        if (opts.quiet !== true) io.stderr(`wrote ${opts.out}\n${spikeSummary(result, spec)}`);
      }
    },
  );
}
