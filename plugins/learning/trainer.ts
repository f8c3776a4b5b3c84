import { normalDraw, randomStream } from '../../core/rng.ts';
import { getSubstrate } from '../../core/substrate/registry.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';
import { Adam } from './adam.ts';
import {
  ParallelExecutor,
  SerialExecutor,
  batchContext,
  emptyBatchSums,
  emptySampleOutcomes,
  forwardSamples,
  type BatchExecutor,
  type SampleOutcomes,
} from './batchGradient.ts';
import { ForwardBackward, type PassOptions } from './forwardBackward.ts';
import { checkInputShift, shiftImage, type InputShift } from './inputShift.ts';
import type { LayeredModel } from './model.ts';
import { clampWeightsToSubstrate } from './weightLimit.ts';

const DEFAULT_CHUNK_SIZE = 50;

/** True when `substrate` is the one registered under its name (so worker threads can look it up). */
function isBuiltInSubstrate(substrate: Substrate): boolean {
  try {
    return getSubstrate(substrate.name) === substrate;
  } catch {
    return false;
  }
}

/** Samples already encoded as input spike times (tau_syn units), n x inputs row-major. */
export interface EncodedSet {
  readonly n: number;
  readonly inputs: number;
  readonly times: Float64Array;
  readonly labels: Int32Array;
  readonly classes: number;
}

/** Training hyper-parameters (defaults: the paper's Yin-Yang preset). */
export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /**
   * Step schedule: the learning rate is multiplied by `factor` every `everyEpochs` epochs. Optionally, over
   * the last `annealEpochs` epochs it is also scaled down linearly, by (epochs - epoch) / annealEpochs
   * (epoch counted from 0), so that the run ends near a minimum instead of wherever the last steps left it.
   */
  readonly lrSchedule: { readonly factor: number; readonly everyEpochs: number; readonly annealEpochs?: number };
  readonly adam: { readonly beta1: number; readonly beta2: number; readonly epsilon: number };
  /**
   * Weight bumping (paper heuristic): after a batch, if the fraction of (sample, neuron) pairs of layer l
   * with no spike exceeds `maxSilentFraction[l - 1]`, every weight into a neuron that was silent in that
   * batch grows by `value`. The batch's gradient step is skipped (as in the paper's code) unless
   * `stepToo` is true, in which case the step is taken on the bumped weights.
   */
  readonly weightBumping: { readonly value: number; readonly maxSilentFraction: readonly number[]; readonly stepToo?: boolean } | null;
  /** Gaussian jitter added to input spike times during training (tau_syn units; 0 = off). */
  readonly inputNoiseSigma: number;
  /**
   * Input noise at the end of the learning-rate anneal (`lrSchedule.annealEpochs`): over the anneal the
   * sigma goes linearly from `inputNoiseSigma` towards this value, so that the last epochs fit inputs closer
   * to the clean ones the network is tested on. Absent: the noise stays at `inputNoiseSigma`.
   */
  readonly inputNoiseFinalSigma?: number;
  /**
   * Random translation of image inputs during training (see InputShift; applied before the noise); absent
   * or null = off. The moves of epoch e come from their own named stream.
   */
  readonly inputShift?: InputShift | null;
  /**
   * Worker threads for the minibatches (default 1). Results are bit-identical for any number: a batch is
   * summed in fixed chunks of `chunkSize` samples added in order. A substrate runs in workers when it is
   * the one registered under its name: the built-in ones, and those registered by `workerModules`;
   * a substrate object that is not registered falls back to one thread.
   */
  readonly threads?: number;
  /**
   * Modules (absolute URLs, e.g. `import.meta.resolve('./mySubstrate.mjs')`) every worker thread imports
   * before its first task: the plugins that register the substrate being trained. Default none.
   */
  readonly workerModules?: readonly string[];
  /** Samples per chunk of a batch (default 50). Changing it changes rounding, not the mathematics. */
  readonly chunkSize?: number;
  /**
   * Model selection on the validation set: when training ends, the model holds the weights of the epoch
   * with the highest validation accuracy (the later epoch on ties) instead of the last epoch's. Needs a
   * validation set; default false. Training itself is unchanged (it continues from the current weights).
   */
  readonly keepBest?: boolean;
  readonly pass: PassOptions;
  readonly seed: number;
}

/** Result of evaluating a model on a set. */
export interface Evaluation {
  readonly accuracy: number;
  readonly loss: number;
  readonly confusion: number[][];
  /** Mean time of the earliest output spike over samples with any output spike (tau_syn units). */
  readonly meanOutputSpikeTime: number;
  /** Mean number of spikes of all non-input neurons per sample. */
  readonly spikesPerInference: number;
  /** Fraction of samples with no output spike at all. */
  readonly silentFraction: number;
}

/** Everything needed to continue training exactly where it stopped. */
export interface TrainState {
  epoch: number;
  batch: number;
  adamStep: number;
  adamM: Float64Array[];
  adamV: Float64Array[];
  /** With `keepBest`: the epoch with the highest validation accuracy so far, and its weights. */
  best?: BestEpoch | null;
}

/** The epoch selected on the validation set (TrainOptions.keepBest). */
export interface BestEpoch {
  epoch: number;
  validationAccuracy: number;
  weights: Float64Array[];
}

export interface EpochReport {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validation: Evaluation | null;
  readonly learningRate: number;
  readonly seconds: number;
  /** Batches whose gradient step was replaced by weight bumping. */
  readonly bumpedBatches: number;
  /** Per non-input layer: fraction of the epoch's (training sample, neuron) pairs with no spike. */
  readonly silentFractions: number[];
  /** With `keepBest`: the epoch selected so far (highest validation accuracy), else null. */
  readonly bestEpoch: number | null;
}

export interface TrainCallbacks {
  onBatch?(epoch: number, batch: number, batches: number, loss: number, accuracy: number): void;
  onEpoch?(report: EpochReport, state: TrainState): void | Promise<void>;
  /** Asked after every epoch (after onEpoch): true ends training there, as if it were the last epoch (a time budget). */
  shouldStop?(state: TrainState): boolean;
}

/** Evaluates `model` on `set` (forward passes only) on `substrate`. */
export function evaluate(
  model: LayeredModel,
  set: EncodedSet,
  substrate: Substrate,
  substrateOptions: Readonly<Record<string, unknown>>,
  pass: PassOptions,
  seed = 0,
): Evaluation {
  const fb = new ForwardBackward(model, pass);
  fb.realise(substrate, batchContext(substrate, substrateOptions, seed, 0));
  const outcomes = emptySampleOutcomes(set.n);
  forwardSamples(fb, set.times, set.labels, set.n, 0, outcomes, 0);
  return summariseOutcomes(outcomes, set);
}

/** The evaluation figures of per-sample outcomes, summed in sample order. */
export function summariseOutcomes(outcomes: SampleOutcomes, set: EncodedSet): Evaluation {
  const confusion = Array.from({ length: set.classes }, () => new Array<number>(set.classes + 1).fill(0));
  let correct = 0;
  let loss = 0;
  let tSum = 0;
  let tCount = 0;
  let spikes = 0;
  let silent = 0;
  for (let s = 0; s < set.n; s++) {
    const predicted = outcomes.predicted[s];
    if (predicted === set.labels[s]) correct++;
    loss += outcomes.loss[s];
    spikes += outcomes.spikes[s];
    // column `classes` counts "no output spike"
    confusion[set.labels[s]][predicted < 0 ? set.classes : predicted]++;
    if (predicted < 0) silent++;
    else {
      tSum += outcomes.outputTime[s];
      tCount++;
    }
  }
  return {
    accuracy: correct / set.n,
    loss: loss / set.n,
    confusion,
    meanOutputSpikeTime: tCount > 0 ? tSum / tCount : NaN,
    spikesPerInference: spikes / set.n,
    silentFraction: silent / set.n,
  };
}

/**
 * Trains `model` in place with minibatch Adam on the TTFS loss. The forward pass of every batch runs on
 * `substrate` (realised afresh after each update, so training is "in the loop"); the gradient comes from the
 * recorded spike times with the nominal parameters. Deterministic for a seed: the shuffle and the input
 * noise of epoch e come from their own named streams, so resuming at an epoch boundary reproduces an
 * uninterrupted run exactly.
 */
export async function train(
  model: LayeredModel,
  trainSet: EncodedSet,
  validationSet: EncodedSet | null,
  substrate: Substrate,
  substrateOptions: Readonly<Record<string, unknown>>,
  options: TrainOptions,
  callbacks: TrainCallbacks = {},
  resume?: TrainState,
): Promise<TrainState> {
  const adam = new Adam(model.weights, options.adam.beta1, options.adam.beta2, options.adam.epsilon);
  const state: TrainState = resume ?? { epoch: 0, batch: 0, adamStep: 0, adamM: adam.m, adamV: adam.v };
  if (resume !== undefined) {
    adam.step = resume.adamStep;
    resume.adamM.forEach((m, l) => adam.m[l].set(m));
    resume.adamV.forEach((v, l) => adam.v[l].set(v));
  }
  state.adamM = adam.m;
  state.adamV = adam.v;
  const nIn = trainSet.inputs;
  const inputShift = options.inputShift ?? null;
  if (inputShift !== null) checkInputShift(inputShift, nIn);
  const order = new Int32Array(trainSet.n);
  const batchInputs = new Float64Array(options.batchSize * nIn);
  const batchLabels = new Int32Array(options.batchSize);
  const sums = emptyBatchSums(model);
  const threads = options.threads ?? 1;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const builtIn = isBuiltInSubstrate(substrate);
  const executor: BatchExecutor =
    threads > 1 && builtIn
      ? new ParallelExecutor(model, options.pass, substrate, substrateOptions, options.seed, chunkSize, threads, options.workerModules)
      : new SerialExecutor(model, options.pass, substrate, substrateOptions, options.seed, chunkSize);

  const validationOutcomes = validationSet === null ? null : emptySampleOutcomes(validationSet.n);
  // the float weights stay within what the substrate can realise (bss2: 63 / scale), as the paper's code does
  clampWeightsToSubstrate(model, substrate, substrateOptions);
  try {
    for (let epoch = state.epoch; epoch < options.epochs; epoch++) {
      const started = performance.now();
      const lr = learningRateAt(options, epoch);
      const sigma = inputNoiseSigmaAt(options, epoch);
      // Fisher-Yates shuffle from this epoch's stream
      const shuffle = randomStream(options.seed, `shuffle/epoch${epoch}`);
      for (let k = 0; k < order.length; k++) order[k] = k;
      for (let k = order.length - 1; k > 0; k--) {
        const j = Math.floor(shuffle.next() * (k + 1));
        const t = order[k];
        order[k] = order[j];
        order[j] = t;
      }
      const noise = randomStream(options.seed, `input-noise/epoch${epoch}`);
      const moves = randomStream(options.seed, `input-shift/epoch${epoch}`);
      const batches = Math.ceil(trainSet.n / options.batchSize);
      let lossSum = 0;
      let correct = 0;
      const bump = { lastLayer: -1, value: options.weightBumping?.value ?? 0 };
      let bumpedBatches = 0;
      const silentPairs = new Float64Array(model.layerSizes.length);
      for (let b = 0; b < batches; b++) {
        const from = b * options.batchSize;
        const to = Math.min(trainSet.n, from + options.batchSize);
        const count = to - from;
        // Weight bumping (paper heuristic, as in their code): when a layer is too silent, its silent
        // neurons' input weights are raised and the batch's gradient step is skipped.
        for (let q = 0; q < count; q++) {
          const s = order[from + q];
          batchLabels[q] = trainSet.labels[s];
          const source = inputShift === null ? trainSet.times : batchInputs;
          const at = inputShift === null ? s * nIn : q * nIn;
          if (inputShift !== null) {
            const span = 2 * inputShift.maxPixels + 1;
            const dx = Math.floor(moves.next() * span) - inputShift.maxPixels;
            const dy = Math.floor(moves.next() * span) - inputShift.maxPixels;
            shiftImage(trainSet.times, s * nIn, batchInputs, q * nIn, inputShift, dx, dy);
          }
          for (let j = 0; j < nIn; j++) {
            let t = source[at + j];
            // Gaussian jitter, negative times reflected (as the paper's code does)
            if (sigma > 0) t = Math.abs(t + sigma * normalDraw(noise));
            batchInputs[q * nIn + j] = t;
          }
        }
        await executor.run(state.batch, batchInputs, batchLabels, count, sums);
        state.batch++;
        for (let l = 1; l < model.layerSizes.length; l++) for (const c of sums.silent[l]) silentPairs[l] += c;
        const bumped =
          options.weightBumping !== null && bumpSilentNeurons(model, sums.silent, count, options.weightBumping, bump) >= 0;
        if (bumped) bumpedBatches++;
        if (!bumped || options.weightBumping?.stepToo === true) adam.update(model.weights, sums.grads, lr);
        clampWeightsToSubstrate(model, substrate, substrateOptions);
        lossSum += sums.loss;
        correct += sums.correct;
        callbacks.onBatch?.(epoch, b + 1, batches, sums.loss / count, sums.correct / count);
      }
      state.epoch = epoch + 1;
      state.adamStep = adam.step;
      let validation: Evaluation | null = null;
      if (validationSet !== null) {
        // on the executor's threads; the same figures as evaluate(..., options.seed)
        await executor.forwardAll(validationSet.times, validationSet.labels, validationSet.n, validationOutcomes!);
        validation = summariseOutcomes(validationOutcomes!, validationSet);
      }
      if (options.keepBest === true && validation !== null) {
        const best = state.best ?? null;
        if (best === null || validation.accuracy >= best.validationAccuracy) {
          state.best = { epoch: epoch + 1, validationAccuracy: validation.accuracy, weights: model.weights.map((w) => w.slice()) };
        }
      }
      await callbacks.onEpoch?.(
        {
          epoch: epoch + 1,
          trainLoss: lossSum / trainSet.n,
          trainAccuracy: correct / trainSet.n,
          validation,
          learningRate: lr,
          seconds: (performance.now() - started) / 1000,
          bumpedBatches,
          silentFractions: model.layerSizes.slice(1).map((size, l) => silentPairs[l + 1] / (trainSet.n * size)),
          bestEpoch: state.best?.epoch ?? null,
        },
        state,
      );
      if (callbacks.shouldStop?.(state) === true) break;
    }
  } finally {
    await executor.close();
  }
  // model selection: the run ends with the weights of the best validation epoch
  if (options.keepBest === true && state.best != null) state.best.weights.forEach((w, l) => model.weights[l].set(w));
  return state;
}

/** The learning rate of epoch `epoch` (from 0): the step schedule, then the final linear anneal if any. */
export function learningRateAt(options: Pick<TrainOptions, 'learningRate' | 'lrSchedule' | 'epochs'>, epoch: number): number {
  const { factor, everyEpochs, annealEpochs = 0 } = options.lrSchedule;
  const step = options.learningRate * factor ** Math.floor(epoch / everyEpochs);
  const left = options.epochs - epoch;
  return annealEpochs > 0 && left < annealEpochs ? (step * left) / annealEpochs : step;
}

/** The input-noise sigma of epoch `epoch` (from 0): `inputNoiseSigma`, moved towards `inputNoiseFinalSigma` over the anneal. */
export function inputNoiseSigmaAt(
  options: Pick<TrainOptions, 'inputNoiseSigma' | 'inputNoiseFinalSigma' | 'lrSchedule' | 'epochs'>,
  epoch: number,
): number {
  const annealEpochs = options.lrSchedule.annealEpochs ?? 0;
  const left = options.epochs - epoch;
  const final = options.inputNoiseFinalSigma;
  if (final === undefined || annealEpochs <= 0 || left >= annealEpochs) return options.inputNoiseSigma;
  // the same fraction as the learning rate's anneal: left / annealEpochs of the way from final to the start
  return final + ((options.inputNoiseSigma - final) * left) / annealEpochs;
}

/**
 * Paper heuristic (weight bumping, as in Göltz, Kriener et al. 2021's code): find the first layer whose
 * fraction of silent (sample, neuron) pairs exceeds its limit and raise the input weights of every neuron of
 * that layer that was silent in the batch by the bump value; the value doubles while the same layer needs it
 * in consecutive batches. Returns the bumped layer, or -1 if none needed it.
 */
function bumpSilentNeurons(
  model: LayeredModel,
  silentCount: readonly Int32Array[],
  samples: number,
  bumping: { readonly value: number; readonly maxSilentFraction: readonly number[] },
  bump: { lastLayer: number; value: number },
): number {
  for (let l = 1; l < model.layerSizes.length; l++) {
    const size = model.layerSizes[l];
    const counts = silentCount[l];
    let silent = 0;
    for (let n = 0; n < size; n++) silent += counts[n];
    const limit = bumping.maxSilentFraction[l - 1] ?? 0;
    if (silent / (samples * size) <= limit) continue;
    bump.value = bump.lastLayer === l ? bump.value * 2 : bumping.value;
    bump.lastLayer = l;
    const w = model.weights[l - 1];
    const rows = w.length / size;
    for (let n = 0; n < size; n++) {
      if (counts[n] === 0) continue;
      for (let j = 0; j < rows; j++) w[j * size + n] += bump.value;
    }
    return l;
  }
  bump.lastLayer = -1;
  return -1;
}
