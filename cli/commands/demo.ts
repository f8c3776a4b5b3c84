import { Command } from 'commander';
import { buildSimulation } from '../../core/config/index.ts';
import { substrateNames } from '../../core/substrate/registry.ts';
import { DEFAULT_NETWORK } from '../defaultNetwork.ts';
import { formatResult, spikeSummary } from '../formatResult.ts';
import { checkOutputPath, writeFileAtomic, type CliIo } from '../io.ts';
import { addLimitOptions, resourceLimitsOption } from '../limits.ts';
import { runWithProgress } from './simulate.ts';

export function demoCommand(io: CliIo): Command {
  const command = new Command('demo')
    .description('simulate the built-in default network (1000 LIF neurons with Poisson drive, 500 ms) and print a spike summary')
    .option('-o, --out <file>', 'also write the full result as JSON to this file')
    .option('--print-config', 'print the built-in config as JSON and exit');
  return addLimitOptions(command).action(async (opts: { out?: string; printConfig?: boolean; maxMemory?: string; maxSpikes?: string }) => {
      if (opts.printConfig === true) {
        io.stdout(`${JSON.stringify(DEFAULT_NETWORK, null, 2)}\n`);
        return;
      }
      const limits = resourceLimitsOption(opts);
      if (opts.out !== undefined) await checkOutputPath('--out', opts.out);
      const spec = buildSimulation(DEFAULT_NETWORK, { knownSubstrates: substrateNames(), limits });
      const started = performance.now();
      const result = await runWithProgress(spec, io, limits.maxSpikes);
      const seconds = (performance.now() - started) / 1000;
      io.stdout(`firstspike demo: built-in network (see 'firstspike demo --print-config'), ${spec.durationMs} ms simulated in ${seconds.toFixed(2)} s wall time\n`);
      io.stdout(spikeSummary(result, spec));
      if (opts.out !== undefined) {
        await writeFileAtomic(opts.out, formatResult(result, 'json'));
        io.stdout(`wrote ${opts.out}\n`);
      }
    });
}
