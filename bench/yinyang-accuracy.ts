/**
 * Yin-Yang accuracy of the paper preset on a substrate, over several seeds (issue: learning plugin bar).
 * Trains each seed for the preset's epochs (300), evaluates on the test split, prints one line per seed
 * and the mean, standard deviation and minimum, and writes them as JSON. The preset keeps the model of the
 * epoch with the best validation accuracy; the test accuracy of the last epoch's weights is reported too.
 * Each trained model is saved as out/models/yinyang-<substrate>-seed<S>-e<epochs>.json (bench/bss2-in-the-loop.ts
 * reuses the ideal ones), with its per-epoch log next to it (…-e<epochs>.log.jsonl, for `firstspike plot training`).
 *
 *   npx tsx bench/yinyang-accuracy.ts [--seeds 1,2,3,4,5] [--epochs 300] [--substrate ideal] [--t-max 100] [--json out/yinyang-accuracy.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import '../index.ts';
import { getSubstrate } from '../core/substrate/registry.ts';
import { createModel, loadPresetData } from '../plugins/learning/experiment.ts';
import { YINYANG_PRESET } from '../plugins/learning/presets.ts';
import { evaluate, train } from '../plugins/learning/trainer.ts';
import { saveModel } from '../plugins/learning/modelFile.ts';
import { EpochLogWriter, epochLogRecord } from '../plugins/learning/epochLog.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const seeds = argument('seeds', '1,2,3,4,5').split(',').map(Number);
const epochs = Number(argument('epochs', String(YINYANG_PRESET.train.epochs)));
const substrate = getSubstrate(argument('substrate', 'ideal'));
const tMax = Number(argument('t-max', String(YINYANG_PRESET.train.pass.tMax)));
const pass = { ...YINYANG_PRESET.train.pass, tMax };
const jsonPath = argument('json', `out/yinyang-accuracy-${seeds.join('_')}.json`);
const data = loadPresetData(YINYANG_PRESET);
const results: { seed: number; test: number; lastEpochTest: number; selectedEpoch: number | null; validation: number; epochSeconds: number }[] = [];
for (const seed of seeds) {
  const model = createModel(YINYANG_PRESET, seed);
  const started = performance.now();
  let lastEpochTest = NaN;
  let trainingSeconds = 0;
  mkdirSync('out/models', { recursive: true });
  const log = await EpochLogWriter.open(`out/models/yinyang-${substrate.name}-seed${seed}-e${epochs}.log.jsonl`, 0);
  const logRun = { preset: YINYANG_PRESET.name, substrate: substrate.name, seed, epochs };
  const state = await train(model, data.train, data.validation, substrate, {}, { ...YINYANG_PRESET.train, pass, epochs, seed }, {
    async onEpoch(r) {
      trainingSeconds += r.seconds;
      await log.append(epochLogRecord(logRun, r));
      if (r.epoch === epochs) lastEpochTest = evaluate(model, data.test, substrate, {}, pass, seed).accuracy;
      if (r.epoch % 25 === 0 || r.epoch === epochs) {
        console.log(`seed ${seed} epoch ${r.epoch}: train ${(100 * r.trainAccuracy).toFixed(2)}%, validation ${(100 * (r.validation?.accuracy ?? NaN)).toFixed(2)}%, ${r.seconds.toFixed(2)} s`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const test = evaluate(model, data.test, substrate, {}, pass, seed).accuracy;
  const selectedEpoch = state.best?.epoch ?? null;
  const validation = state.best?.validationAccuracy ?? NaN;
  results.push({ seed, test, lastEpochTest, selectedEpoch, validation, epochSeconds: trainingSeconds / epochs });
  mkdirSync('out/models', { recursive: true });
  await saveModel(`out/models/yinyang-${substrate.name}-seed${seed}-e${epochs}.json`, model, {
    preset: YINYANG_PRESET.name,
    training: { seed, epochsDone: epochs, substrate: substrate.name, substrateOptions: {}, validationAccuracy: state.best?.validationAccuracy ?? null, testAccuracy: test, ...(selectedEpoch !== null && { selectedEpoch }) },
  });
  console.log(
    `seed ${seed}: test accuracy ${(100 * test).toFixed(2)}% (model of epoch ${selectedEpoch}, validation ${(100 * validation).toFixed(2)}%; ` +
      `last epoch ${(100 * lastEpochTest).toFixed(2)}%), ${(trainingSeconds / epochs).toFixed(2)} s per epoch, ${seconds.toFixed(0)} s in all`,
  );
}
const acc = results.map((r) => r.test);
const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
const std = Math.sqrt(acc.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, acc.length - 1));
console.log(`test accuracy over ${acc.length} seeds: mean ${(100 * mean).toFixed(2)}%, std ${(100 * std).toFixed(2)}, min ${(100 * Math.min(...acc)).toFixed(2)}%`);
const last = results.map((r) => r.lastEpochTest);
console.log(`(last-epoch weights: mean ${((100 * last.reduce((a, b) => a + b, 0)) / last.length).toFixed(2)}%, min ${(100 * Math.min(...last)).toFixed(2)}%)`);
mkdirSync(dirname(jsonPath), { recursive: true });
writeFileSync(jsonPath, JSON.stringify({ substrate: substrate.name, epochs, tMax, results, mean, std }, null, 2));
