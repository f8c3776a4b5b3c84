import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { ConfigError } from '../../core/config/index.ts';
import { getSubstrate, substrateNames } from '../../core/substrate/registry.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from '../../plugins/learning/checkpoint.ts';
import { EpochLogWriter, epochLogRecord } from '../../plugins/learning/epochLog.ts';
import { createModel, loadPresetData, trainingSets, type PresetData } from '../../plugins/learning/experiment.ts';
import { formatDocument, saveModel, type ModelMeta } from '../../plugins/learning/modelFile.ts';
import { PRESETS, type Preset } from '../../plugins/learning/presets.ts';
import { MnistPackageMissingError } from '../../plugins/datasets/mnist.ts';
import { evaluate, train, type EncodedSet, type EpochReport, type Evaluation, type TrainState } from '../../plugins/learning/trainer.ts';
import { sameFile } from '../../core/io/atomicWrite.ts';
import { UsageError, type CliIo } from '../io.ts';
import { loadPlugins, pluginOption } from '../plugins.ts';
import { threadsOption } from '../limits.ts';

// ---------------------------------------------------------------------------------------------------
// Option parsing shared by train, evaluate and start
// ---------------------------------------------------------------------------------------------------

/** A whole number in [min, max] given as decimal digits (and an optional leading minus). */
export function integerOption(name: string, text: string, min: number, max: number, what: string): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name}: must be ${what} (got '${text}')`);
  }
  return value;
}

/** The preset named `name`, or a usage error listing the known ones. */
export function presetOption(name: string): Preset {
  if (!Object.hasOwn(PRESETS, name)) {
    throw new UsageError(`--preset: unknown preset '${name}' (known: ${Object.keys(PRESETS).sort().join(', ')})`);
  }
  return PRESETS[name];
}

/** The registered substrate `name` with options parsed from `optionsJson` and checked by the substrate. */
export function substrateOption(
  name: string,
  optionsJson: string | undefined,
  fallbackOptions: Readonly<Record<string, unknown>> = {},
  chipSeed?: number,
): { substrate: Substrate; options: Record<string, unknown> } {
  if (!substrateNames().includes(name)) {
    throw new UsageError(`--substrate: unknown substrate '${name}' (known: ${substrateNames().join(', ')})`);
  }
  const substrate = getSubstrate(name);
  let options: Record<string, unknown> = { ...fallbackOptions };
  if (optionsJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(optionsJson);
    } catch (error) {
      throw new UsageError(`--substrate-options: invalid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError(`--substrate-options: must be a JSON object such as '{"chipSeed": 1}'`);
    }
    options = parsed as Record<string, unknown>;
  }
  if (chipSeed !== undefined) {
    try {
      substrate.validateOptions({ chipSeed });
    } catch {
      throw new UsageError(`--chip-seed: substrate '${name}' has no chip seed (it is an option of bss2)`);
    }
    if (optionsJson !== undefined && options.chipSeed !== undefined && options.chipSeed !== chipSeed) {
      throw new UsageError(`--chip-seed: ${chipSeed} differs from chipSeed ${JSON.stringify(options.chipSeed)} in --substrate-options`);
    }
    options = { ...options, chipSeed };
  }
  try {
    substrate.validateOptions(options);
  } catch (error) {
    throw new UsageError(`--substrate-options: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { substrate, options };
}

/** `--chip-seed`: a whole number, or undefined when not given. */
export function chipSeedOption(text: string | undefined): number | undefined {
  return text === undefined ? undefined : integerOption('chip-seed', text, 0, Number.MAX_SAFE_INTEGER, 'a whole number >= 0');
}

/** Loads a preset's data, reporting problems with the data directory as usage errors. */
export function presetData(preset: Preset, dataDir: string | null): PresetData {
  if (dataDir !== null && preset.dataset !== 'mnist') {
    throw new UsageError(`--data-dir: preset '${preset.name}' uses built-in data and reads no files`);
  }
  try {
    return loadPresetData(preset, dataDir ?? undefined);
  } catch (error) {
    if (error instanceof MnistPackageMissingError) {
      throw new UsageError(`--preset ${preset.name}: ${error.message} (or give --data-dir with MNIST IDX files)`);
    }
    if (dataDir === null) throw error;
    throw new UsageError(`--data-dir: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

/** The first `n` samples of a set. */
export function firstSamples(set: EncodedSet, n: number): EncodedSet {
  if (n >= set.n) return set;
  return { ...set, n, times: set.times.subarray(0, n * set.inputs), labels: set.labels.subarray(0, n) };
}

/** Reports an unwritable destination before hours of training rather than after. */
async function checkWritableDir(option: string, path: string, create: boolean): Promise<void> {
  const dir = dirname(path);
  if (create) await mkdir(dir, { recursive: true });
  const s = await stat(dir).catch(() => null);
  if (s === null || !s.isDirectory()) throw new UsageError(`${option}: folder '${dir}' of '${path}' does not exist`);
}

/** `path` with `.json` replaced by `<suffix>.json` (or `<suffix>.json` appended). */
function siblingPath(path: string, suffix: string): string {
  return path.endsWith('.json') ? `${path.slice(0, -5)}${suffix}.json` : `${path}${suffix}.json`;
}

/** Default per-epoch log of a model file: `<out without .json>.log.jsonl`. */
export function defaultLogPath(out: string): string {
  return `${out.endsWith('.json') ? out.slice(0, -5) : out}.log.jsonl`;
}

/** Default model file of a preset: `out/<preset>-model.json` (the folder is created). */
export function defaultModelPath(preset: Preset): string {
  return `out/${preset.name}-model.json`;
}

export function className(preset: Preset, k: number): string {
  return preset.dataset === 'yinyang' ? (['yin', 'yang', 'dot'][k] ?? String(k)) : String(k);
}

// ---------------------------------------------------------------------------------------------------
// Progress
// ---------------------------------------------------------------------------------------------------

interface TrainProgress {
  batch(epoch: number, batch: number, batches: number, loss: number, accuracy: number): void;
  /** Clears the bar's line before a line is printed (the bar redraws on the next batch). */
  clear(): void;
  stop(): void;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h}h${pad(m)}m` : m > 0 ? `${m}m${pad(s % 60)}s` : `${s}s`;
}

/**
 * A multi-field cli-progress bar on stderr (epoch, batch, running loss and accuracy of the epoch, ETA of the
 * whole run); only on a terminal. One bar per epoch, stopped (and cleared) before the epoch's line is
 * printed: cli-progress restores the cursor to where a bar started, so nothing may be printed while one runs.
 */
function trainProgress(io: CliIo, firstEpoch: number, epochs: number, batchesPerEpoch: number): TrainProgress {
  if (!io.interactive) return { batch: () => undefined, clear: () => undefined, stop: () => undefined };
  const started = performance.now();
  const totalBatches = (epochs - firstEpoch) * batchesPerEpoch;
  let bar: cliProgress.SingleBar | null = null;
  let lossSum = 0;
  let accSum = 0;
  let seen = 0;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    batch(epoch, batch, batches, loss, accuracy) {
      if (bar === null) {
        bar = new cliProgress.SingleBar(
          {
            format: 'epoch {epoch}/{epochs} [{bar}] batch {value}/{total} | loss {loss} | acc {acc} | ETA {remaining}',
            stream: process.stderr,
            clearOnComplete: true,
            barsize: 24,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(batches, 0, { epoch: epoch + 1, epochs, loss: '-', acc: '-', remaining: '-' });
        lossSum = accSum = seen = 0;
      }
      lossSum += loss;
      accSum += accuracy;
      seen++;
      const done = (epoch - firstEpoch) * batchesPerEpoch + batch;
      const elapsed = (performance.now() - started) / 1000;
      bar.update(batch, {
        loss: (lossSum / seen).toFixed(4),
        acc: (accSum / seen).toFixed(3),
        remaining: formatEta((elapsed / done) * (totalBatches - done)),
      });
    },
    clear: stop,
    stop,
  };
}

// ---------------------------------------------------------------------------------------------------
// The training run
// ---------------------------------------------------------------------------------------------------

/** A fully resolved training run. */
export interface TrainRun {
  readonly preset: Preset;
  readonly substrate: Substrate;
  readonly substrateOptions: Record<string, unknown>;
  /** Total epochs (a resumed run continues up to this count). */
  readonly epochs: number;
  readonly seed: number;
  readonly out: string;
  /** Checkpoint written after every epoch, or null for none. */
  readonly checkpoint: string | null;
  /** Per-epoch JSON-lines log (plugins/learning/epochLog.ts), or null for none. */
  readonly log: string | null;
  readonly trainSamples: number | null;
  /** Evaluate only the first N test samples (quick runs, tests); absent or null: the whole test split. */
  readonly testSamples?: number | null;
  readonly dataDir: string | null;
  /** Keep the validation split apart even when the preset trains on it (`Preset.trainOnValidation`). */
  readonly holdOutValidation: boolean;
  readonly resume: { readonly path: string; readonly checkpoint: Checkpoint } | null;
  readonly json: boolean;
  /** Worker threads for the minibatches (results are bit-identical for any count). */
  readonly threads: number;
  /** Create the folders of `out` and `checkpoint` (for the default paths). */
  readonly createFolders: boolean;
  /** URLs of the --plugin modules, imported by the worker threads too. Default none. */
  readonly plugins?: readonly string[];
}

export interface TrainSummary {
  readonly epochs: EpochReport[];
  readonly test: Evaluation;
  readonly seconds: number;
}

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** One line per epoch: train loss/accuracy, validation loss/accuracy, learning rate, seconds. */
export function epochLine(r: EpochReport, epochs: number): string {
  const width = String(epochs).length;
  const v = r.validation;
  return (
    `epoch ${String(r.epoch).padStart(width)}/${epochs}  train loss ${fmt(r.trainLoss, 4)} acc ${fmt(r.trainAccuracy, 3)}` +
    (v === null ? '' : `  validation loss ${fmt(v.loss, 4)} acc ${fmt(v.accuracy, 3)}`) +
    `  lr ${r.learningRate.toPrecision(4)}  ${r.seconds.toFixed(2)} s\n`
  );
}

function evaluationJson(e: Evaluation) {
  return {
    accuracy: e.accuracy,
    loss: e.loss,
    mean_output_spike_time: Number.isFinite(e.meanOutputSpikeTime) ? e.meanOutputSpikeTime : null,
    spikes_per_inference: e.spikesPerInference,
    silent_fraction: e.silentFraction,
  };
}

/** Trains as `run` says: progress, a line per epoch, a checkpoint per epoch, then test accuracy and the model file. */
export async function runTraining(io: CliIo, run: TrainRun): Promise<TrainSummary> {
  const { preset, substrate, substrateOptions, seed } = run;
  await checkWritableDir('--out', run.out, run.createFolders);
  if (run.checkpoint !== null) await checkWritableDir('--checkpoint', run.checkpoint, run.createFolders);
  // the model file must not overwrite the checkpoint (nor the checkpoint resumed from)
  if (run.checkpoint !== null && (await sameFile(run.out, run.checkpoint))) {
    throw new UsageError(`--checkpoint: '${run.checkpoint}' is also --out; the model file would overwrite the checkpoint (give two files)`);
  }
  if (run.resume !== null && (await sameFile(run.out, run.resume.path))) {
    throw new UsageError(`--out: '${run.out}' is also --resume; the model file would overwrite the checkpoint resumed from`);
  }
  if (run.log !== null) await checkWritableDir('--log', run.log, run.createFolders);
  const fullData = presetData(preset, run.dataDir);
  const testSamples = run.testSamples ?? null;
  if (testSamples !== null && testSamples > fullData.test.n) {
    throw new UsageError(`--test-samples: the test set of '${preset.name}' has only ${fullData.test.n} samples (got ${testSamples})`);
  }
  const data = testSamples === null ? fullData : { ...fullData, test: firstSamples(fullData.test, testSamples) };
  const sets = trainingSets(preset, data, run.holdOutValidation);
  if (run.trainSamples !== null && run.trainSamples > sets.train.n) {
    throw new UsageError(`--train-samples: the training set of '${preset.name}' has only ${sets.train.n} samples (got ${run.trainSamples})`);
  }
  const trainSet = run.trainSamples === null ? sets.train : firstSamples(sets.train, run.trainSamples);
  const resumed = run.resume?.checkpoint ?? null;
  const model = resumed?.model ?? createModel(preset, seed);
  const state: TrainState | undefined = resumed?.state;
  const firstEpoch = state?.epoch ?? 0;
  const options = { ...preset.train, epochs: run.epochs, seed, threads: run.threads, workerModules: run.plugins ?? [] };
  const batches = Math.ceil(trainSet.n / options.batchSize);
  const optionsText = Object.keys(substrateOptions).length === 0 ? '' : ` ${JSON.stringify(substrateOptions)}`;
  const previousSeconds = resumed?.meta.training.seconds ?? 0;

  const say = (text: string) => {
    if (!run.json) io.stdout(text);
  };
  say(
    `training '${preset.name}' (${preset.description}) on substrate '${substrate.name}'${optionsText}, seed ${seed}\n` +
      `  ${trainSet.n} training samples (${batches} batches of ${options.batchSize}), ` +
      (sets.validation === null ? `the validation split is part of the training set (no validation figures), ` : `${sets.validation.n} validation, `) +
      `${data.test.n} test; ${run.epochs} epochs\n`,
  );
  if (run.resume !== null) say(`  resuming from '${run.resume.path}' after epoch ${firstEpoch}\n`);

  const reports: EpochReport[] = [];
  let lastValidation = resumed?.meta.training.validationAccuracy ?? null;
  let seconds = previousSeconds;
  const meta = (epochsDone: number, testAccuracy?: number): ModelMeta => ({
    preset: preset.name,
    training: {
      seed,
      epochsDone,
      substrate: substrate.name,
      substrateOptions,
      validationAccuracy: lastValidation,
      ...(testAccuracy !== undefined && { testAccuracy }),
      trainSamples: run.trainSamples,
      dataDir: run.dataDir,
      seconds: Math.round(seconds * 1000) / 1000,
    },
  });

  const logRun = { preset: preset.name, substrate: substrate.name, seed, epochs: run.epochs };
  const log =
    run.log === null
      ? null
      : await EpochLogWriter.open(run.log, firstEpoch).catch((error: unknown) => {
          throw new UsageError(`--log: cannot write '${run.log}' (${errorCode(error)})`);
        });
  const progress = trainProgress(io, firstEpoch, run.epochs, batches);
  let finalState: TrainState | undefined;
  try {
    finalState = await train(
      model,
      trainSet,
      sets.validation,
      substrate,
      substrateOptions,
      options,
      {
        onBatch: (epoch, batch, n, loss, accuracy) => progress.batch(epoch, batch, n, loss, accuracy),
        onEpoch: async (report, st) => {
          reports.push(report);
          seconds += report.seconds;
          lastValidation = report.validation?.accuracy ?? null;
          progress.clear();
          say(epochLine(report, run.epochs));
          await log?.append(epochLogRecord(logRun, report)).catch((error: unknown) => {
            throw new UsageError(`--log: cannot write '${run.log}' (${errorCode(error)})`);
          });
          if (run.checkpoint !== null) {
            const checkpoint: Checkpoint = {
              model,
              meta: meta(st.epoch),
              run: { epochs: run.epochs, trainSamples: run.trainSamples, dataDir: run.dataDir, holdOutValidation: run.holdOutValidation },
              state: st,
            };
            await saveCheckpoint(run.checkpoint, checkpoint).catch((error: unknown) => {
              throw new UsageError(`--checkpoint: cannot write '${run.checkpoint}' (${errorCode(error)})`);
            });
          }
        },
      },
      state,
    );
  } finally {
    progress.stop();
  }

  // with keepBest the model now holds the weights of the epoch selected on validation accuracy
  const best = finalState?.best ?? null;
  if (best !== null) lastValidation = best.validationAccuracy;
  const test = evaluate(model, data.test, substrate, substrateOptions, preset.train.pass, seed);
  const finalMeta = meta(run.epochs, test.accuracy);
  const fileMeta: ModelMeta = best === null ? finalMeta : { ...finalMeta, training: { ...finalMeta.training, selectedEpoch: best.epoch } };
  await saveModel(run.out, model, fileMeta).catch((error: unknown) => {
    throw new UsageError(`--out: cannot write '${run.out}' (${errorCode(error)})`);
  });
  if (run.json) {
    io.stdout(
      `${formatDocument(
        {
          preset: preset.name,
          substrate: substrate.name,
          substrate_options: substrateOptions,
          seed,
          train_samples: trainSet.n,
          resumed_from_epoch: run.resume === null ? null : firstEpoch,
          epochs: reports.map((r) => ({
            epoch: r.epoch,
            train_loss: r.trainLoss,
            train_accuracy: r.trainAccuracy,
            validation_loss: r.validation?.loss ?? null,
            validation_accuracy: r.validation?.accuracy ?? null,
            learning_rate: r.learningRate,
            seconds: r.seconds,
          })),
          selected_epoch: best?.epoch ?? null,
          test: { samples: data.test.n, ...evaluationJson(test) },
          seconds,
          model: run.out,
          checkpoint: run.checkpoint,
          log: run.log,
        },
      )}\n`,
    );
  } else {
    if (best !== null) {
      say(`model of epoch ${best.epoch}: the highest validation accuracy (${best.validationAccuracy.toFixed(3)}; later epoch on ties)\n`);
    }
    say(
      `test accuracy ${test.accuracy.toFixed(4)} (${Math.round(test.accuracy * data.test.n)}/${data.test.n}), ` +
        `loss ${fmt(test.loss, 4)}; ${seconds.toFixed(1)} s of training\n`,
    );
    say(`wrote ${run.out}${run.checkpoint === null ? '' : ` (checkpoint ${run.checkpoint})`}${run.log === null ? '' : ` (log ${run.log})`}\n`);
  }
  return { epochs: reports, test, seconds };
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------------

interface TrainCliOptions {
  preset?: string;
  substrate?: string;
  substrateOptions?: string;
  chipSeed?: string;
  epochs?: string;
  seed?: string;
  out?: string;
  checkpoint?: string | false;
  log?: string | false;
  resume?: string;
  dataDir?: string;
  trainSamples?: string;
  testSamples?: string;
  holdOutValidation?: boolean;
  threads?: string;
  forceThreads?: boolean;
  json?: boolean;
  plugin?: string[];
}

/** A resumed run keeps its settings: an explicit different value is an error, not a silent override. */
function sameAsCheckpoint(option: string, given: unknown, stored: unknown): void {
  if (given !== undefined && JSON.stringify(given) !== JSON.stringify(stored)) {
    throw new UsageError(
      `--${option}: ${JSON.stringify(given)} differs from the checkpoint's ${JSON.stringify(stored)} (a resumed run keeps its settings; drop the option)`,
    );
  }
}

async function resolveTrainRun(opts: TrainCliOptions): Promise<TrainRun> {
  const seed = opts.seed === undefined ? undefined : integerOption('seed', opts.seed, 0, 2 ** 32 - 1, 'an integer in [0, 2^32)');
  const epochs = opts.epochs === undefined ? undefined : integerOption('epochs', opts.epochs, 1, 1_000_000, 'a whole number >= 1');
  const trainSamples =
    opts.trainSamples === undefined ? undefined : integerOption('train-samples', opts.trainSamples, 1, 100_000_000, 'a whole number >= 1');
  if (opts.preset !== undefined) presetOption(opts.preset);
  const chipSeed = chipSeedOption(opts.chipSeed);

  let resume: TrainRun['resume'] = null;
  let preset: Preset;
  let substrateName: string;
  let fallbackOptions: Readonly<Record<string, unknown>> = {};
  if (opts.resume !== undefined) {
    let checkpoint: Checkpoint;
    try {
      checkpoint = await loadCheckpoint(opts.resume);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(`--resume '${opts.resume}': ${error.message}`);
      throw error;
    }
    const t = checkpoint.meta.training;
    sameAsCheckpoint('preset', opts.preset, checkpoint.meta.preset);
    sameAsCheckpoint('seed', seed, t.seed);
    sameAsCheckpoint('substrate', opts.substrate, t.substrate);
    if (opts.substrateOptions !== undefined) {
      let parsed: unknown = opts.substrateOptions;
      try {
        parsed = JSON.parse(opts.substrateOptions);
      } catch {
        // compared as text below: differs
      }
      sameAsCheckpoint('substrate-options', parsed, t.substrateOptions);
    }
    if (chipSeed !== undefined) sameAsCheckpoint('chip-seed', chipSeed, t.substrateOptions.chipSeed);
    sameAsCheckpoint('train-samples', trainSamples, checkpoint.run.trainSamples);
    sameAsCheckpoint('data-dir', opts.dataDir, checkpoint.run.dataDir);
    if (opts.holdOutValidation === true && checkpoint.run.holdOutValidation !== true) {
      throw new UsageError('--hold-out-validation: the checkpoint\'s run trained on the validation split (a resumed run keeps its settings; drop the option)');
    }
    if (epochs !== undefined && epochs < checkpoint.state.epoch) {
      throw new UsageError(`--epochs: the checkpoint has ${checkpoint.state.epoch} epochs done already (got ${epochs})`);
    }
    preset = presetOption(checkpoint.meta.preset);
    substrateName = t.substrate;
    fallbackOptions = t.substrateOptions;
    resume = { path: opts.resume, checkpoint };
  } else {
    if (opts.preset === undefined) throw new UsageError("--preset: required (known: " + Object.keys(PRESETS).sort().join(', ') + ')');
    preset = presetOption(opts.preset);
    substrateName = opts.substrate ?? 'ideal';
  }
  const { substrate, options } = substrateOption(
    substrateName,
    resume === null ? opts.substrateOptions : undefined,
    fallbackOptions,
    resume === null ? chipSeed : undefined,
  );
  const out = opts.out ?? defaultModelPath(preset);
  const checkpoint =
    opts.checkpoint === false ? null : typeof opts.checkpoint === 'string' ? opts.checkpoint : siblingPath(out, '.checkpoint');
  return {
    preset,
    substrate,
    substrateOptions: options,
    epochs: epochs ?? resume?.checkpoint.run.epochs ?? preset.train.epochs,
    seed: seed ?? resume?.checkpoint.meta.training.seed ?? 0,
    out,
    checkpoint,
    log: opts.log === false ? null : typeof opts.log === 'string' ? opts.log : defaultLogPath(out),
    trainSamples: trainSamples ?? resume?.checkpoint.run.trainSamples ?? null,
    testSamples:
      opts.testSamples === undefined ? null : integerOption('test-samples', opts.testSamples, 1, 100_000_000, 'a whole number >= 1'),
    dataDir: opts.dataDir ?? resume?.checkpoint.run.dataDir ?? null,
    holdOutValidation: opts.holdOutValidation === true || resume?.checkpoint.run.holdOutValidation === true,
    resume,
    json: opts.json === true,
    threads: threadsOption(opts.threads, opts.forceThreads === true),
    createFolders: opts.out === undefined,
  };
}

export function trainCommand(io: CliIo): Command {
  return new Command('train')
    .description(
      'train a first-spike-time classifier (forward pass on the substrate, gradient from its spike times); ' +
        'writes the model file and a checkpoint after every epoch (see docs/learning.md)',
    )
    .option('-p, --preset <name>', `training set-up: ${Object.keys(PRESETS).sort().join(', ')}`)
    .option('-s, --substrate <name>', `substrate of the forward pass: ${substrateNames().join(', ')} (default ideal)`)
    .option('--substrate-options <json>', "the substrate's options as a JSON object (default {})")
    .option('--chip-seed <n>', 'which chip (bss2): its fixed-pattern mismatch; same as chipSeed in --substrate-options')
    .option('-e, --epochs <n>', "number of epochs (default: the preset's)")
    .option('--seed <n>', 'master seed of initial weights, shuffling, noise and substrate (default 0)')
    .option('-o, --out <file>', 'model file to write (default out/<preset>-model.json, folder created)')
    .option('--checkpoint <file>', 'checkpoint written after every epoch (default: <out without .json>.checkpoint.json)')
    .option('--no-checkpoint', 'write no checkpoint')
    .option('--log <file>', 'per-epoch JSON lines (losses, accuracies, lr, bumped batches, silent fractions, seconds), flushed every epoch, continued on --resume (default: <out without .json>.log.jsonl)')
    .option('--no-log', 'write no per-epoch log')
    .option('--resume <checkpoint>', 'continue a run from its checkpoint (same settings; --epochs may raise the total)')
    .option('--data-dir <dir>', 'MNIST IDX files to use instead of the built-in digits (mnist16 only)')
    .option('--train-samples <n>', 'use only the first N training samples (quick runs, tests)')
    .option('--test-samples <n>', 'evaluate only the first N test samples at the end (quick runs, tests)')
    .option('--hold-out-validation', 'keep the validation split apart (per-epoch validation figures, model selection) for presets that train on it (mnist16)')
    .option('--threads <n>', 'worker threads for the minibatches (default 1, at most the available cores; the weights do not depend on it)')
    .option('--force-threads', 'allow --threads above the number of available cores')
    .option('--json', 'print a JSON summary (per-epoch figures, test accuracy) instead of text')
    .addOption(pluginOption())
    .action(async (opts: TrainCliOptions) => {
      const plugins = await loadPlugins(opts.plugin);
      await runTraining(io, { ...(await resolveTrainRun(opts)), plugins });
    });
}
