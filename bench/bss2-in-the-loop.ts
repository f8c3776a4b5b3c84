/**
 * BrainScaleS-2 issue: does training in the loop repair what the chip does to a network trained in software?
 * For each chip seed c (= training seed), on Yin-Yang with a preset (default `yinyang-chip`, the paper's
 * network with each input given 5 times as on the chip; `--preset yinyang` for the paper preset itself):
 *   1. a model trained on `ideal` (seed c), evaluated on ideal and on chip c;
 *   2. a model trained in the loop on chip c from scratch (seed c), evaluated on chip c and on the next chip.
 * Models are saved under out/models/ and reused when present, so the chips can run in separate processes
 * (`--only 1,2,3` and `--only 4,5` on two cores), and `--report` collects the per-chip results into
 * docs/results.md (between the bss2-experiment:<preset> markers).
 *
 *   npx tsx bench/bss2-in-the-loop.ts [--preset yinyang-chip] --chips 1,2,3,4,5 [--only 1,2,3] [--epochs 300] [--threads 1]
 *   npx tsx bench/bss2-in-the-loop.ts [--preset yinyang-chip] --report [--chips 1,2,3,4,5]
 *
 * `--bss2 '<json>'` adds bss2 options to every chip run (default none: the bss2 defaults) and `--tag <name>`
 * keeps its models, results and docs table apart (markers bss2-experiment:<preset>:<tag>); e.g. the chip
 * model before issue #18: --tag old-model --bss2 '{"weightScale": 30, "noise": {"thresholdBatch": 0,
 * "thresholdSample": 0.015, "jitterReachesNetwork": false}}'. The ideal-trained models are shared by all tags.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import '../index.ts';
import { getSubstrate } from '../core/substrate/registry.ts';
import { createModel, loadPresetData } from '../plugins/learning/experiment.ts';
import type { LayeredModel } from '../plugins/learning/model.ts';
import { loadModel, saveModel } from '../plugins/learning/modelFile.ts';
import { PRESETS } from '../plugins/learning/presets.ts';
import { evaluate, train } from '../plugins/learning/trainer.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const chips = argument('chips', '1,2,3,4,5').split(',').map(Number);
/** The chips this process trains (a subset of --chips, for running them in several processes). */
const only = argument('only', chips.join(',')).split(',').map(Number);
const presetName = argument('preset', 'yinyang-chip');
if (!Object.hasOwn(PRESETS, presetName) || PRESETS[presetName].dataset !== 'yinyang') {
  throw new Error(`--preset: a Yin-Yang preset (${Object.keys(PRESETS).filter((k) => PRESETS[k].dataset === 'yinyang').join(', ')}), got '${presetName}'`);
}
const preset = PRESETS[presetName];
const epochs = Number(argument('epochs', String(preset.train.epochs)));
const threads = Number(argument('threads', '1'));
const tag = argument('tag', '');
const extraOptions = JSON.parse(argument('bss2', '{}')) as Record<string, unknown>;
const suffix = tag === '' ? '' : `-${tag}`;
const resultsDir = `out/bss2-loop/${preset.name}${suffix}`;
const ideal = getSubstrate('ideal');
const bss2 = getSubstrate('bss2');
const pass = preset.train.pass;
bss2Options(chips[0]); // validates --bss2 before any work
/** Seed of the trial-to-trial noise when evaluating on a chip (fixed, so evaluations are reproducible). */
const EVAL_SEED = 1000;

interface ChipResult {
  chip: number;
  otherChip: number;
  epochs: number;
  idealOnIdeal: number;
  idealOnChip: number;
  loopOnChip: number;
  loopOnOtherChip: number;
  loopSecondsPerEpoch: number;
}

const nextChip = (c: number): number => chips[(chips.indexOf(c) + 1) % chips.length];

/** The bss2 options of chip c: --bss2 plus the chip seed. */
function bss2Options(chip: number): Record<string, unknown> {
  const options = { ...extraOptions, chipSeed: chip };
  bss2.validateOptions(options);
  return options;
}

async function trainedModel(path: string, seed: number, substrateName: 'ideal' | 'bss2', options: Record<string, unknown>): Promise<{ model: LayeredModel; secondsPerEpoch: number }> {
  if (existsSync(path)) {
    console.log(`reusing ${path}`);
    return { model: (await loadModel(path)).model, secondsPerEpoch: NaN };
  }
  const data = loadPresetData(preset);
  const substrate = substrateName === 'ideal' ? ideal : bss2;
  const model = createModel(preset, seed);
  const started = performance.now();
  let validation: number | null = null;
  await train(model, data.train, data.validation, substrate, options, { ...preset.train, epochs, seed, threads }, {
    onEpoch(r) {
      validation = r.validation?.accuracy ?? null;
      if (r.epoch % 25 === 0 || r.epoch === epochs) {
        console.log(`${substrateName} ${JSON.stringify(options)} seed ${seed} epoch ${r.epoch}: validation ${(100 * (validation ?? NaN)).toFixed(2)}%, ${r.seconds.toFixed(2)} s`);
      }
    },
  });
  const secondsPerEpoch = (performance.now() - started) / 1000 / epochs;
  await saveModel(path, model, {
    preset: preset.name,
    training: { seed, epochsDone: epochs, substrate: substrateName, substrateOptions: options, validationAccuracy: validation },
  });
  return { model, secondsPerEpoch };
}

function percent(x: number): string {
  return (100 * x).toFixed(2);
}

function meanStd(xs: readonly number[]): string {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${percent(mean)} +- ${percent(std)}`;
}

const flags = `${tag === '' ? '' : ` --tag ${tag}`}${Object.keys(extraOptions).length === 0 ? '' : ` --bss2 '${JSON.stringify(extraOptions)}'`}`;

function report(): void {
  const rows: ChipResult[] = chips.map((c) => JSON.parse(readFileSync(`${resultsDir}/chip-${c}.json`, 'utf8')) as ChipResult);
  const lines = [
    `Yin-Yang test accuracy (%), preset \`${preset.name}\` (${preset.layerSizes.join('-')}), ${rows[0].epochs} epochs per training run, chips (chip seeds) ${chips.join(', ')};`,
    `training seed = chip seed; "other chip" = the next chip seed in the list; bss2 options ${JSON.stringify(extraOptions)} + chipSeed. Command:`,
    '',
    `    npx tsx bench/bss2-in-the-loop.ts --preset ${preset.name} --chips ${chips.join(',')}${rows[0].epochs === preset.train.epochs ? '' : ` --epochs ${rows[0].epochs}`}${flags}   # --only <some chips> per process splits the work`,
    `    npx tsx bench/bss2-in-the-loop.ts --preset ${preset.name} --chips ${chips.join(',')}${flags} --report`,
    '',
    '| chip | trained on ideal, on ideal | trained on ideal, on the chip | trained in the loop, on the chip | trained in the loop, on another chip |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.chip} | ${percent(r.idealOnIdeal)} | ${percent(r.idealOnChip)} | ${percent(r.loopOnChip)} | ${percent(r.loopOnOtherChip)} (chip ${r.otherChip}) |`),
    `| mean +- std | ${meanStd(rows.map((r) => r.idealOnIdeal))} | ${meanStd(rows.map((r) => r.idealOnChip))} | ${meanStd(rows.map((r) => r.loopOnChip))} | ${meanStd(rows.map((r) => r.loopOnOtherChip))} |`,
  ];
  const table = lines.join('\n');
  console.log(table);
  const docPath = 'docs/results.md';
  const doc = readFileSync(docPath, 'utf8');
  const marker = tag === '' ? preset.name : `${preset.name}:${tag}`;
  const start = `<!-- bss2-experiment:${marker}:start -->`;
  const end = `<!-- bss2-experiment:${marker}:end -->`;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${docPath}: markers ${start} ... ${end} not found`);
  const updated = `${doc.slice(0, a + start.length)}\n${table}\n${doc.slice(b)}`;
  writeFileSync(`${docPath}.tmp`, updated);
  renameSync(`${docPath}.tmp`, docPath);
  console.log(`wrote the table into ${docPath}`);
}

if (process.argv.includes('--report')) {
  report();
} else {
  mkdirSync(resultsDir, { recursive: true });
  mkdirSync('out/models', { recursive: true });
  const data = loadPresetData(preset);
  for (const chip of only) {
    const idealModel = (await trainedModel(`out/models/${preset.name}-ideal-seed${chip}-e${epochs}.json`, chip, 'ideal', {})).model;
    const loop = await trainedModel(`out/models/${preset.name}${suffix}-bss2-chip${chip}-seed${chip}-e${epochs}.json`, chip, 'bss2', bss2Options(chip));
    const other = nextChip(chip);
    const result: ChipResult = {
      chip,
      otherChip: other,
      epochs,
      idealOnIdeal: evaluate(idealModel, data.test, ideal, {}, pass, EVAL_SEED).accuracy,
      idealOnChip: evaluate(idealModel, data.test, bss2, bss2Options(chip), pass, EVAL_SEED).accuracy,
      loopOnChip: evaluate(loop.model, data.test, bss2, bss2Options(chip), pass, EVAL_SEED).accuracy,
      loopOnOtherChip: evaluate(loop.model, data.test, bss2, bss2Options(other), pass, EVAL_SEED).accuracy,
      loopSecondsPerEpoch: loop.secondsPerEpoch,
    };
    console.log(
      `chip ${chip}: ideal->ideal ${percent(result.idealOnIdeal)}%, ideal->chip ${percent(result.idealOnChip)}%, ` +
        `loop->chip ${percent(result.loopOnChip)}%, loop->chip ${other} ${percent(result.loopOnOtherChip)}%`,
    );
    writeFileSync(`${resultsDir}/chip-${chip}.json`, JSON.stringify(result, null, 2));
  }
}
