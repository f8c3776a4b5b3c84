import '../../index.ts';
import { existsSync } from 'node:fs';
import { getSubstrate } from '../../core/substrate/registry.ts';
import { createModel, loadPresetData, type PresetData } from '../learning/experiment.ts';
import type { LayeredModel } from '../learning/model.ts';
import { loadModel, saveModel } from '../learning/modelFile.ts';
import { PRESETS } from '../learning/presets.ts';
import { evaluate, train, type EncodedSet, type Evaluation } from '../learning/trainer.ts';
import type { BaselineJob, SweepJob } from './jobs.ts';
import type { SweepMode } from './spec.ts';

/** The outcome of one mode of a job. */
export interface ModeResult {
  readonly mode: SweepMode;
  /** Substrate the model was trained on, and with which options. */
  readonly trainSubstrate: string;
  readonly trainOptions: Readonly<Record<string, unknown>>;
  /** Options of the substrate it was tested on. */
  readonly testOptions: Readonly<Record<string, unknown>>;
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly testSilentFraction: number;
  /** Validation accuracy of the model kept (null without a validation split). */
  readonly validationAccuracy: number | null;
}

/** What a finished job file holds besides provenance. */
export interface JobOutcome {
  readonly key: string;
  readonly seed: number;
  readonly results: readonly ModeResult[];
  readonly wallTimeS: number;
}

let data: { preset: string; value: PresetData } | null = null;

function presetData(preset: string): PresetData {
  if (data === null || data.preset !== preset) data = { preset, value: loadPresetData(PRESETS[preset]) };
  return data.value;
}

function firstSamples(set: EncodedSet, n: number | null): EncodedSet {
  if (n === null || n >= set.n) return set;
  return { ...set, n, times: set.times.subarray(0, n * set.inputs), labels: set.labels.subarray(0, n) };
}

/** Trains a fresh model of the preset on `substrate` (one thread: the same weights on any machine). */
async function trainModel(
  presetName: string,
  epochs: number,
  seed: number,
  trainSamples: number | null,
  substrateName: string,
  options: Readonly<Record<string, unknown>>,
): Promise<{ model: LayeredModel; validation: number | null }> {
  const preset = PRESETS[presetName];
  const d = presetData(presetName);
  const model = createModel(preset, seed);
  let validation: number | null = null;
  const state = await train(
    model,
    firstSamples(d.train, trainSamples),
    d.validation,
    getSubstrate(substrateName),
    options,
    { ...preset.train, epochs, seed, threads: 1 },
    {
      onEpoch(r) {
        validation = r.validation?.accuracy ?? null;
      },
    },
  );
  if (state.best != null) validation = state.best.validationAccuracy;
  return { model, validation };
}

/** Trains (or loads, when `path` exists) the `ideal` model of a baseline job and saves it to `path`. */
export async function runBaselineJob(job: BaselineJob, path: string): Promise<void> {
  if (existsSync(path)) return;
  const { model, validation } = await trainModel(job.preset, job.epochs, job.seed, job.trainSamples, 'ideal', {});
  await saveModel(path, model, {
    preset: job.preset,
    training: { seed: job.seed, epochsDone: job.epochs, substrate: 'ideal', substrateOptions: {}, validationAccuracy: validation },
  });
}

function result(
  mode: SweepMode,
  trainSubstrate: string,
  trainOptions: Readonly<Record<string, unknown>>,
  testOptions: Readonly<Record<string, unknown>>,
  e: Evaluation,
  validation: number | null,
): ModeResult {
  return {
    mode,
    trainSubstrate,
    trainOptions,
    testOptions,
    testAccuracy: e.accuracy,
    testLoss: e.loss,
    testSilentFraction: e.silentFraction,
    validationAccuracy: validation,
  };
}

/**
 * Runs one job: for each of its modes, the model (trained on `ideal` from the baseline file, or in the
 * loop on the job's substrate and options) tested on the job's substrate (`other-chip`: on chip seed
 * chipSeed + otherChipOffset). Deterministic: training runs on one thread, and the test's trial-to-trial
 * noise comes from the job's seed.
 */
export async function runSweepJob(job: SweepJob, baselinePath: string | null): Promise<JobOutcome> {
  const started = performance.now();
  const preset = PRESETS[job.preset];
  const test = firstSamples(presetData(job.preset).test, job.testSamples);
  const substrate = getSubstrate(job.substrate);
  const pass = preset.train.pass;
  const results: ModeResult[] = [];
  let loop: { model: LayeredModel; validation: number | null } | null = null;
  for (const mode of job.modes) {
    if (mode === 'ideal-trained') {
      if (baselinePath === null) throw new Error('sweep: ideal-trained needs the baseline model');
      if (!existsSync(baselinePath)) {
        await runBaselineJob({ key: '', preset: job.preset, epochs: job.epochs, seed: job.seed, trainSamples: job.trainSamples }, baselinePath);
      }
      const { model, meta } = await loadModel(baselinePath);
      const e = evaluate(model, test, substrate, job.options, pass, job.seed);
      results.push(result(mode, 'ideal', {}, job.options, e, meta.training?.validationAccuracy ?? null));
      continue;
    }
    loop ??= await trainModel(job.preset, job.epochs, job.seed, job.trainSamples, job.substrate, job.options);
    let testOptions = job.options;
    if (mode === 'other-chip') testOptions = { ...job.options, chipSeed: (job.options.chipSeed as number) + job.otherChipOffset };
    const e = evaluate(loop.model, test, substrate, testOptions, pass, job.seed);
    results.push(result(mode, job.substrate, job.options, testOptions, e, loop.validation));
  }
  return { key: job.key, seed: job.seed, results, wallTimeS: (performance.now() - started) / 1000 };
}
