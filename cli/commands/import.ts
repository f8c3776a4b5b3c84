import { Command } from 'commander';
import { UsageError, type CliIo } from '../io.ts';

interface NirImportCliOptions {
  out?: string;
  inputs?: string;
  duration?: string;
}

function nirImportCommand(io: CliIo): Command {
  return new Command('nir')
    .description('read a NIR graph (HDF5; Input, CubaLIF, Linear/Affine, Output nodes) and write it as a firstspike config')
    .argument('<file>', 'NIR file (HDF5)')
    .option('--inputs <config>', "take the Input nodes' spike times (and the duration) from the spike sources of this config")
    .option('--duration <ms>', 'simulated time of the config (default: that of --inputs, else 100)')
    .option('-o, --out <file>', 'write the config to this file instead of standard output')
    .action(async (path: string, opts: NirImportCliOptions) => {
      const { readNirFile, NirFileError } = await import('../../plugins/interop/nirFile.ts');
      const { nirToConfig, NirMappingError } = await import('../../plugins/interop/nirGraph.ts');
      const { formatDocument } = await import('../../plugins/learning/modelFile.ts');
      let durationMs = 100;
      const inputTimes: Record<string, number[][]> = {};
      if (opts.inputs !== undefined) {
        const { loadConfigFile } = await import('../../core/config/index.ts');
        const { substrateNames } = await import('../../core/substrate/registry.ts');
        const spec = await loadConfigFile(opts.inputs, { knownSubstrates: substrateNames() });
        durationMs = spec.durationMs;
        for (const pop of spec.network.populations) {
          if (pop.kind === 'source') inputTimes[pop.name] = pop.spikeTimesMs.map((t) => Array.from(t));
        }
      }
      if (opts.duration !== undefined) {
        durationMs = Number(opts.duration);
        if (opts.duration.trim() === '' || !(durationMs > 0) || !Number.isFinite(durationMs)) {
          throw new UsageError(`--duration: must be a number > 0 (ms), got '${opts.duration}'`);
        }
      }
      let text: string;
      try {
        const config = nirToConfig(await readNirFile(path), { durationMs, inputTimes });
        text = `${formatDocument(config)}\n`;
      } catch (error) {
        if (error instanceof NirFileError) throw new UsageError(error.message);
        if (error instanceof NirMappingError) throw new UsageError(`'${path}': ${error.message}`);
        throw error;
      }
      if (opts.out === undefined) io.stdout(text);
      else {
        const { writeFileAtomic } = await import('../io.ts');
        await writeFileAtomic(opts.out, text);
        io.stderr(`wrote ${opts.out}: firstspike config from NIR graph ${path}\n`);
      }
    });
}

export function importCommand(io: CliIo): Command {
  const root = new Command('import').description('read a network from another format into a firstspike config (see docs/interop.md)');
  for (const sub of [nirImportCommand(io)]) {
    sub.configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride();
    root.addCommand(sub);
  }
  return root;
}
