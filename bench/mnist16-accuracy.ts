/**
 * 16x16 MNIST on the built-in digits (learning issue bar: test accuracy >= 94% within 20 minutes of
 * training). Trains the `mnist16` preset on the ideal substrate with worker threads (default: the
 * machine's cores), prints each epoch, the training wall time and the test accuracy, writes JSON and the
 * model.
 *
 * With --minutes M training stops after the first epoch that ends past M minutes (the model is still the best
 * validation epoch so far).
 *
 * --train-options JSON overrides fields of the preset's training options (trials of other settings, e.g.
 * '{"inputNoiseSigma": 0.3}'); the JSON output records it, and --tag names the saved model.
 *
 * The preset trains on the training and validation digits together (8000; `trainOnValidation`);
 * --hold-out-validation keeps the 1000 validation digits apart (per-epoch validation accuracy, model
 * selection on it), as in the runs that chose the preset's settings.
 *
 *   npx tsx bench/mnist16-accuracy.ts [--seed 1] [--epochs N] [--threads N] [--minutes M] [--json out/mnist16-accuracy.json]
 *                                     [--train-options JSON] [--tag NAME] [--hold-out-validation]
 */
import { availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import '../index.ts';
import { createModel, loadPresetData, trainingSets } from '../plugins/learning/experiment.ts';
import { saveModel } from '../plugins/learning/modelFile.ts';
import { MNIST16_PRESET } from '../plugins/learning/presets.ts';
import { evaluate, train } from '../plugins/learning/trainer.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const seed = Number(argument('seed', '1'));
const epochs = Number(argument('epochs', String(MNIST16_PRESET.train.epochs)));
const threads = Number(argument('threads', String(availableParallelism())));
const jsonPath = argument('json', 'out/mnist16-accuracy.json');
const minutes = Number(argument('minutes', 'Infinity'));
const overrides = JSON.parse(argument('train-options', '{}')) as Partial<typeof MNIST16_PRESET.train>;
const tag = argument('tag', '');
const trainOptions = { ...MNIST16_PRESET.train, ...overrides, epochs, seed, threads };
const presetData = loadPresetData(MNIST16_PRESET);
// the preset trains on the training and validation digits together; --hold-out-validation keeps the
// validation split apart (per-epoch validation accuracy, model selection), as when the preset was tuned
const holdOutValidation = process.argv.includes('--hold-out-validation');
const data = { ...trainingSets(MNIST16_PRESET, presetData, holdOutValidation), test: presetData.test };
console.log(`node ${process.version}; mnist16: ${data.train.n} train, ${data.validation?.n ?? 0} validation, ${data.test.n} test; ${epochs} epochs, ${threads} threads, seed ${seed}; overrides ${JSON.stringify(overrides)}`);
const model = createModel(MNIST16_PRESET, seed);
const started = performance.now();
const epochsLog: { epoch: number; trainAccuracy: number; validationAccuracy: number; seconds: number; bumpedBatches: number }[] = [];
const state = await train(model, data.train, data.validation, idealSubstrate, {}, trainOptions, {
  onEpoch(r) {
    const v = r.validation?.accuracy ?? NaN;
    epochsLog.push({ epoch: r.epoch, trainAccuracy: r.trainAccuracy, validationAccuracy: v, seconds: r.seconds, bumpedBatches: r.bumpedBatches });
    const elapsed = (performance.now() - started) / 1000;
    console.log(`epoch ${r.epoch}/${epochs}: train ${(100 * r.trainAccuracy).toFixed(2)}%, validation ${(100 * v).toFixed(2)}%, lr ${r.learningRate.toPrecision(3)}, ${r.seconds.toFixed(1)} s (${elapsed.toFixed(0)} s in all), bumped ${r.bumpedBatches}`);
  },
  shouldStop: () => (performance.now() - started) / 60000 >= minutes,
});
const trainingSeconds = (performance.now() - started) / 1000;
const test = evaluate(model, data.test, idealSubstrate, {}, trainOptions.pass, seed);
console.log(
  `test accuracy ${(100 * test.accuracy).toFixed(2)}% (${Math.round(test.accuracy * data.test.n)}/${data.test.n}, model of epoch ${state.best?.epoch ?? state.epoch} of ${state.epoch}); ` +
    `${trainingSeconds.toFixed(0)} s of training (${(trainingSeconds / 60).toFixed(1)} min)`,
);
mkdirSync('out/models', { recursive: true });
await saveModel(`out/models/mnist16-ideal-seed${seed}-e${epochs}${tag === '' ? '' : `-${tag}`}.json`, model, {
  preset: MNIST16_PRESET.name,
  training: { seed, epochsDone: state.epoch, substrate: 'ideal', substrateOptions: {}, validationAccuracy: state.best?.validationAccuracy ?? null, testAccuracy: test.accuracy, ...(state.best != null && { selectedEpoch: state.best.epoch }) },
});
writeFileSync(jsonPath, JSON.stringify({ seed, epochs, overrides, holdOutValidation, epochsDone: state.epoch, minutes, threads, trainingSeconds, selectedEpoch: state.best?.epoch ?? null, test: test.accuracy, epochs_log: epochsLog }, null, 2));
