import { PAPER_SLOT_UNITS, bss2CostEstimate, type Bss2CostEstimate } from '../../substrates/bss2/cost.ts';
import { Command, Option } from 'commander';
import { formatDocument } from '../../plugins/learning/modelFile.ts';
import { evaluate, type Evaluation } from '../../plugins/learning/trainer.ts';
import { loadModelOption } from '../modelOption.ts';
import type { CliIo } from '../io.ts';
import { loadPlugins, pluginOption } from '../plugins.ts';
import { chipSeedOption, className, integerOption, presetData, presetOption, substrateOption } from './train.ts';

interface EvaluateCliOptions {
  model: string;
  substrate?: string;
  substrateOptions?: string;
  chipSeed?: string;
  split: 'test' | 'validation' | 'train';
  seed?: string;
  dataDir?: string;
  json?: boolean;
  plugin?: string[];
}

/** The confusion matrix as aligned text: rows = true class, columns = predicted class and "none". */
export function confusionText(confusion: readonly (readonly number[])[], names: readonly string[]): string {
  const header = ['true\\pred', ...names, 'none'];
  const rows = confusion.map((row, k) => [names[k], ...row.map(String)]);
  const width = Math.max(...[header, ...rows].flat().map((s) => s.length));
  const line = (cells: readonly string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(width) : c.padStart(width))).join('  ')}\n`;
  return line(header) + rows.map(line).join('');
}

/** The chip-cost lines of the text report: time, energy range, counts, and what they rest on. */
export function costText(cost: Bss2CostEstimate, slotCost: Bss2CostEstimate, inferences: number): string {
  const [lo, hi] = cost.energyUJ;
  return (
    `estimated chip cost per inference (${inferences} inferences in ${cost.runs} chip run(s)):
` +
    `  time ${cost.timeUs.toFixed(1)} us (spacing ${cost.spacingUs.toFixed(1)} us + run offset ${cost.offsetUs.toFixed(2)} us); ` +
    `with the paper's fixed 8 tau slot ${slotCost.timeUs.toFixed(1)} us
` +
    `  energy ${lo.toFixed(2)}-${hi.toFixed(2)} uJ (8 tau slot: ${slotCost.energyUJ[0].toFixed(2)}-${slotCost.energyUJ[1].toFixed(2)} uJ)
` +
    `  spikes ${(cost.inputSpikes + cost.neuronSpikes).toFixed(1)} (inputs ${cost.inputSpikes.toFixed(1)}, neurons ${cost.neuronSpikes.toFixed(1)}), ` +
    `synaptic events ${cost.synapticEvents.toFixed(1)}
` +
    cost.notes.map((n) => `  - ${n}
`).join('')
  );
}

export function evaluateCommand(io: CliIo): Command {
  return new Command('evaluate')
    .description(
      'evaluate a trained model file on a data split: accuracy, confusion matrix, mean output spike time, ' +
        'spikes per inference, silent fraction',
    )
    .requiredOption('-m, --model <file>', 'model file written by `firstspike train`')
    .option('-s, --substrate <name>', 'substrate of the forward pass (default: the one the model was trained on)')
    .option('--substrate-options <json>', "the substrate's options as a JSON object (default: the training run's, if the same substrate)")
    .option('--chip-seed <n>', 'which chip (bss2), e.g. another chip than the model was trained on')
    .addOption(new Option('--split <split>', 'data split').choices(['test', 'validation', 'train']).default('test'))
    .option('--seed <n>', "seed of the substrate's realisation (default: the training seed)")
    .option('--data-dir <dir>', 'MNIST IDX files (default: those the model was trained on, or the built-in digits)')
    .option('--json', 'print the figures as JSON')
    .addOption(pluginOption())
    .action(async (opts: EvaluateCliOptions) => {
      await loadPlugins(opts.plugin);
      const { model, meta } = await loadModelOption(opts.model);
      const t = meta.training;
      const preset = presetOption(meta.preset);
      const substrateName = opts.substrate ?? t.substrate;
      const { substrate, options } = substrateOption(
        substrateName,
        opts.substrateOptions,
        substrateName === t.substrate ? t.substrateOptions : {},
        chipSeedOption(opts.chipSeed),
      );
      const seed = opts.seed === undefined ? t.seed : integerOption('seed', opts.seed, 0, 2 ** 32 - 1, 'an integer in [0, 2^32)');
      const data = presetData(preset, opts.dataDir ?? t.dataDir ?? null);
      const set = data[opts.split];
      const started = performance.now();
      const e: Evaluation = evaluate(model, set, substrate, options, preset.train.pass, seed);
      const seconds = (performance.now() - started) / 1000;
      const names = Array.from({ length: set.classes }, (_, k) => className(preset, k));
      const meanT = Number.isFinite(e.meanOutputSpikeTime) ? e.meanOutputSpikeTime : null;
      const correct = Math.round(e.accuracy * set.n);
      // On BrainScaleS-2: what the run would cost on the chip (an estimate; its assumptions are printed)
      let cost: Bss2CostEstimate | null = null;
      let slotCost: Bss2CostEstimate | null = null;
      if (substrate.name === 'bss2') {
        const { runActivity } = await import('../../plugins/learning/activity.ts');
        const activity = runActivity(model, set, substrate, options, preset.train.pass, seed);
        const hardwareTimePerUnitUs = Number(options.hardwareTimePerUnitUs ?? 6);
        cost = bss2CostEstimate(activity, { hardwareTimePerUnitUs });
        slotCost = bss2CostEstimate(activity, { hardwareTimePerUnitUs, slotUnits: PAPER_SLOT_UNITS });
      }
      if (opts.json === true) {
        io.stdout(
          `${formatDocument(
            {
              model: opts.model,
              preset: preset.name,
              layer_sizes: model.layerSizes,
              epochs_trained: t.epochsDone,
              trained_on: t.substrate,
              substrate: substrate.name,
              substrate_options: options,
              seed,
              split: opts.split,
              samples: set.n,
              accuracy: e.accuracy,
              correct,
              loss: e.loss,
              confusion: { classes: names, columns: [...names, 'none'], rows: 'true class', matrix: e.confusion },
              mean_output_spike_time: meanT,
              spikes_per_inference: e.spikesPerInference,
              silent_fraction: e.silentFraction,
              chip_cost_per_inference:
                cost === null || slotCost === null
                  ? null
                  : {
                      hardware_time_us: cost.timeUs,
                      spacing_us: cost.spacingUs,
                      run_offset_us: cost.offsetUs,
                      energy_uj: cost.energyUJ,
                      paper_slot: { hardware_time_us: slotCost.timeUs, energy_uj: slotCost.energyUJ },
                      input_spikes: cost.inputSpikes,
                      neuron_spikes: cost.neuronSpikes,
                      synaptic_events: cost.synapticEvents,
                      chip_runs: cost.runs,
                      notes: cost.notes,
                    },
              seconds,
            },
          )}\n`,
        );
        return;
      }
      const optionsText = Object.keys(options).length === 0 ? '' : ` ${JSON.stringify(options)}`;
      io.stdout(
        `model ${opts.model}: preset '${preset.name}', ${model.layerSizes.join('-')}, ${t.epochsDone} epochs on '${t.substrate}'\n` +
          `${opts.split} split, ${set.n} samples, substrate '${substrate.name}'${optionsText}, seed ${seed}\n` +
          `accuracy ${e.accuracy.toFixed(4)} (${correct}/${set.n}), loss ${e.loss.toFixed(4)}\n` +
          'confusion matrix (rows: true class, columns: predicted class; none = no output spike)\n' +
          confusionText(e.confusion, names) +
          `mean output spike time ${meanT === null ? 'n/a' : meanT.toFixed(4)} tau_syn (earliest output spike)\n` +
          `spikes per inference ${e.spikesPerInference.toFixed(2)}\n` +
          `silent fraction ${e.silentFraction.toFixed(4)} (no output spike)\n` +
          (cost === null || slotCost === null ? '' : costText(cost, slotCost, set.n)),
      );
    });
}
