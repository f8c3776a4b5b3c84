import { Command } from 'commander';
import { loadModelOption } from '../modelOption.ts';
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

interface ConfigCliOptions {
  model: string;
  sample?: string;
  inputs?: string;
  split: 'test' | 'validation' | 'train';
  dataDir?: string;
  traceDt?: string;
  out?: string;
}

/** Input spike times from a JSON file: an array of numbers (ms = tau_syn) or null (no spike). */
async function readInputTimes(path: string, expected: number): Promise<(number | null)[]> {
  const { readFile } = await import('node:fs/promises');
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--inputs '${path}': ${code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(doc)) throw new UsageError(`--inputs '${path}': must be a JSON array of input spike times (numbers >= 0 or null)`);
  if (doc.length !== expected) throw new UsageError(`--inputs '${path}': has ${doc.length} times but the model has ${expected} inputs`);
  const bad = doc.findIndex((t) => t !== null && !(typeof t === 'number' && Number.isFinite(t) && t >= 0));
  if (bad >= 0) throw new UsageError(`--inputs '${path}': entry ${bad} must be a number >= 0 or null (no spike)`);
  return doc as (number | null)[];
}

function configCommand(io: CliIo): Command {
  return new Command('config')
    .description(
      "write a trained model as a simulate config with one sample's input spike times, on the model's substrate " +
        '(simulating it gives the first-spike times `evaluate` computes for that sample)',
    )
    .requiredOption('-m, --model <file>', 'model file written by `firstspike train`')
    .option('--sample <k>', 'take the inputs of sample k (0-based) of --split')
    .option('--inputs <file>', 'take the inputs from a JSON array of times (tau_syn units; null = no spike)')
    .option('--split <split>', 'data split of --sample: test, validation or train', 'test')
    .option('--data-dir <dir>', 'MNIST IDX files (default: those the model was trained on, or the built-in digits)')
    .option('--trace-dt <ms>', 'also record the membrane potential of every layer with this step')
    .option('-o, --out <file>', 'write the config to this file instead of standard output')
    .action(async (opts: ConfigCliOptions) => {
      if ((opts.sample === undefined) === (opts.inputs === undefined)) {
        throw new UsageError('--sample, --inputs: give exactly one of them');
      }
      if (!['test', 'validation', 'train'].includes(opts.split)) {
        throw new UsageError(`--split: must be test, validation or train (got '${opts.split}')`);
      }
      const { formatDocument } = await import('../../plugins/learning/modelFile.ts');
      const { presetOption, presetData, integerOption, className } = await import('./train.ts');
      const { modelConfig } = await import('../../plugins/interop/modelConfig.ts');
      const { model, meta } = await loadModelOption(opts.model);
      const preset = presetOption(meta.preset);
      const n0 = model.layerSizes[0];
      let inputTimes: (number | null)[];
      let what: string;
      if (opts.sample !== undefined) {
        const set = presetData(preset, opts.dataDir ?? meta.training.dataDir ?? null)[opts.split];
        const k = integerOption('sample', opts.sample, 0, set.n - 1, `an integer in [0, ${set.n - 1}] (the ${opts.split} split has ${set.n} samples)`);
        inputTimes = Array.from(set.times.subarray(k * n0, (k + 1) * n0), (t) => (Number.isFinite(t) ? t : null));
        what = `sample ${k} of the ${opts.split} split (label ${className(preset, set.labels[k])})`;
      } else {
        inputTimes = await readInputTimes(opts.inputs as string, n0);
        what = `inputs from ${opts.inputs}`;
      }
      let traceDtMs: number | undefined;
      if (opts.traceDt !== undefined) {
        traceDtMs = Number(opts.traceDt);
        if (opts.traceDt.trim() === '' || !(traceDtMs > 0) || !Number.isFinite(traceDtMs)) {
          throw new UsageError(`--trace-dt: must be a number > 0 (ms), got '${opts.traceDt}'`);
        }
      }
      const config = modelConfig(model, {
        inputTimes,
        trialLength: preset.train.pass.tMax,
        substrate: meta.training.substrate,
        substrateOptions: meta.training.substrateOptions,
        seed: meta.training.seed,
        traceDtMs,
      });
      await emit(io, `${formatDocument(config)}\n`, opts.out, `${model.layerSizes.join('-')} network, ${what}, substrate '${meta.training.substrate}'`);
    });
}

function nirCommand(io: CliIo): Command {
  return new Command('nir')
    .description(
      'write a feed-forward, zero-delay network of a config as a NIR graph (HDF5: Input, CubaLIF, Linear, Output nodes; ' +
        'units and mapping in docs/interop.md)',
    )
    .argument('<config>', 'path of the JSON config file')
    .requiredOption('-o, --out <file>', 'NIR file to write (HDF5)')
    .action(async (configPath: string, opts: { out: string }) => {
      const { loadConfigFile } = await import('../../core/config/index.ts');
      const { substrateNames } = await import('../../core/substrate/registry.ts');
      const { networkToNir, NirMappingError } = await import('../../plugins/interop/nirGraph.ts');
      const { writeNirFile } = await import('../../plugins/interop/nirFile.ts');
      const spec = await loadConfigFile(configPath, { knownSubstrates: substrateNames() });
      let graph: ReturnType<typeof networkToNir>;
      try {
        graph = networkToNir(spec.network);
      } catch (error) {
        if (error instanceof NirMappingError) throw new UsageError(`${configPath}: ${error.message}`);
        throw error;
      }
      const { rename, unlink } = await import('node:fs/promises');
      const temp = `${opts.out}.${process.pid}.tmp`;
      try {
        await writeNirFile(temp, graph);
        await rename(temp, opts.out);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw new UsageError(`--out: cannot write '${opts.out}' (${error instanceof Error ? error.message : String(error)})`);
      }
      io.stderr(`wrote ${opts.out}: NIR graph, ${graph.nodes.size} nodes, ${graph.edges.length} edges\n`);
    });
}

export function exportCommand(io: CliIo): Command {
  const root = new Command('export').description('export a network to another simulator or format (see docs/interop.md)');
  for (const sub of [pynnCommand(io), configCommand(io), nirCommand(io)]) {
    sub.configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride();
    root.addCommand(sub);
  }
  return root;
}
