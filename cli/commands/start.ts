import { Command } from 'commander';
import { getSubstrate } from '../../core/substrate/registry.ts';
import { YINYANG_PRESET } from '../../plugins/learning/presets.ts';
import type { CliIo } from '../io.ts';
import { defaultLogPath, defaultModelPath, integerOption, runTraining } from './train.ts';

/**
 * Epochs of `firstspike start`: Yin-Yang with the paper's 5-120-3 network on the ideal substrate, about a
 * minute on the development machine (see docs/learning.md for the measurement).
 */
export const START_EPOCHS = 60;

export function startCommand(io: CliIo): Command {
  return new Command('start')
    .description(
      `train Yin-Yang with the paper's 5-120-3 network on the ideal substrate for ${START_EPOCHS} epochs (about a minute), ` +
        `print per-epoch progress and the test accuracy, and write ${defaultModelPath(YINYANG_PRESET)} with its per-epoch log, ` +
        'training curves and decision map (PNG) next to it',
    )
    .option('-e, --epochs <n>', `number of epochs (default ${START_EPOCHS})`)
    .action(async (opts: { epochs?: string }) => {
      const epochs = opts.epochs === undefined ? START_EPOCHS : integerOption('epochs', opts.epochs, 1, 1_000_000, 'a whole number >= 1');
      const out = defaultModelPath(YINYANG_PRESET);
      const log = defaultLogPath(out);
      io.stdout(
        `firstspike start: training Yin-Yang with the paper's network for ${epochs} epochs (the full schedule is ` +
          `${YINYANG_PRESET.train.epochs}: 'firstspike train --preset yinyang'); evaluate with 'firstspike evaluate --model ${out}'\n`,
      );
      await runTraining(io, {
        preset: YINYANG_PRESET,
        substrate: getSubstrate('ideal'),
        substrateOptions: {},
        epochs,
        seed: 0,
        out,
        checkpoint: null,
        log,
        trainSamples: null,
        dataDir: null,
        holdOutValidation: false,
        resume: null,
        json: false,
        threads: 1,
        createFolders: true,
      });
      // the figures next to the model: training curves from the log, and how the trained network decides
      const { plotTraining, plotYinYang } = await import('./plot.ts');
      const base = out.slice(0, -'.json'.length);
      const quiet: CliIo = { ...io, stdout: () => undefined };
      await plotTraining(quiet, [log], { out: `${base}.training.png` });
      await plotYinYang(quiet, { out: `${base}.decision-map.png`, model: out, split: 'test' });
      io.stdout(`figures: ${base}.training.png (loss and accuracy per epoch), ${base}.decision-map.png (Yin-Yang decision map)\n`);
    });
}
