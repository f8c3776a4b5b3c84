import { Command } from 'commander';
import { UsageError, writeFileAtomic, type CliIo } from '../io.ts';

/** Writes `text` to `out` (atomically) or to standard output, and says so on stderr unless quiet. */
async function emit(io: CliIo, text: string, out: string | undefined, what: string): Promise<void> {
  if (out === undefined) io.stdout(text);
  else {
    await writeFileAtomic(out, text);
    io.stderr(`wrote ${out}: ${what}\n`);
  }
}

function pynnCommand(io: CliIo): Command {
  return new Command('pynn')
    .description(
      'write a self-contained PyNN 0.10 script that builds the network of a config (explicit connection lists, ' +
        'exact spike times) and runs it on NEST or Brian2 (`python3 model.py --backend brian2|nest --out spikes.json`)',
    )
    .argument('<config>', 'path of the JSON config file')
    .option('-o, --out <file>', 'write the script to this file instead of standard output')
    .option('--realised', "export the substrate's realisation of the network (e.g. bss2's quantised weights) instead of the nominal one")
    .action(async (configPath: string, opts: { out?: string; realised?: boolean }) => {
      const { loadConfigFile } = await import('../../core/config/index.ts');
      const { substrateNames, getSubstrate } = await import('../../core/substrate/registry.ts');
      const { realiseContext } = await import('../../core/engine/simulate.ts');
      const { pynnScript } = await import('../../plugins/interop/pynnScript.ts');
      const spec = await loadConfigFile(configPath, { knownSubstrates: substrateNames() });
      let network = spec.network;
      if (opts.realised === true) {
        const substrate = getSubstrate(spec.substrate.name);
        try {
          substrate.validateOptions(spec.substrate.options);
        } catch (error) {
          throw new UsageError(error instanceof Error ? error.message : String(error));
        }
        network = substrate.realise(spec.network, realiseContext(spec, 0));
      }
      const script = pynnScript(spec, { config: configPath, substrate: spec.substrate.name, realised: opts.realised === true }, network);
      const neurons = network.populations.reduce((s, p) => s + p.size, 0);
      await emit(io, script, opts.out, `PyNN script, ${network.populations.length} populations, ${neurons} neurons`);
      if (spec.substrate.name !== 'ideal' && opts.realised !== true) {
        io.stderr(
          `note: the config's substrate is '${spec.substrate.name}'; the script holds the nominal network ` +
            '(use --realised for the realisation)\n',
        );
      }
    });
}

export function exportCommand(io: CliIo): Command {
  const root = new Command('export').description('export a network to another simulator or format (see docs/interop.md)');
  for (const sub of [pynnCommand(io)]) {
    sub.configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride();
    root.addCommand(sub);
  }
  return root;
}
