import type { LifParams } from '../../core/lif/params.ts';
import type { EncodedDatasetKind, Encoder } from '../datasets/encoding.ts';
import { DEFAULT_LOSS } from './loss.ts';
import type { TrainOptions } from './trainer.ts';

/** A named training set-up: data, encoding, network, initialisation and hyper-parameters. */
export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly dataset: EncodedDatasetKind;
  /** 16x16 MNIST variant when the data set is MNIST. */
  readonly mnistVariant?: '28' | '16';
  readonly encoder: Partial<Encoder>;
  /** Neurons per layer, input layer first; the input layer includes the encoder's bias spike. */
  readonly layerSizes: readonly number[];
  /** Per weight layer: a bias input's spike time (tau_syn units) or null. */
  readonly biasTimes: readonly (number | null)[];
  readonly neuron: LifParams;
  /** Normal initialisation per weight layer. */
  readonly init: readonly { readonly mean: number; readonly std: number }[];
  readonly train: Omit<TrainOptions, 'seed'>;
  /**
   * Train on the training and the validation split together (a fixed number of epochs, no model selection,
   * no validation figures); the test split stays held out. Hyper-parameters are chosen with the validation
   * split held out first (`holdOutValidation` of `trainingSets`, `--hold-out-validation` on the command line).
   */
  readonly trainOnValidation?: boolean;
}

/**
 * The neuron of the paper's simulations in units of tau_syn (fastAndDeep's configs: g_leak 1, leak 0,
 * tau_syn 1, threshold 1; tau_m = tau_syn, so C_m = g_leak tau_m = 1). Only first spikes are used, so the
 * refractory period is set longer than any trial.
 */
export const TTFS_NEURON: LifParams = {
  tauMemMs: 1,
  tauSynExcMs: 1,
  tauSynInhMs: 1,
  capacitanceNf: 1,
  vRestMv: 0,
  vResetMv: 0,
  vThreshMv: 1,
  tauRefracMs: 1000,
  iOffsetNa: 0,
};

/**
 * Yin-Yang, as in Göltz, Kriener et al. 2021 and the yin_yang config of their code: 5 inputs (4 + bias at
 * 0.9) -> 120 (+ bias at 0.9) -> 3; init N(1.5, 0.8^2) and N(0.5, 0.8^2); Adam lr 0.005 x0.95 every
 * 20 epochs; batch 150; 300 epochs; weight bumping 0.0005 with at most 30% silent hidden and no silent
 * output spikes; gradient chopping at 0.2. Ours: a bumped batch still takes its gradient step (`stepToo`:
 * with the paper's rule, skipping it, about 27 of the 34 batches of an epoch are bumps of the output layer and
 * the network learns from the other 7; mean test accuracy 96.18% -> 97.50%, docs/results.md), and the model
 * kept is that of the epoch with the best validation accuracy (`keepBest`; docs/results.md measures what
 * this changes). Trial length 100 tau_syn is ours (the paper's config has sim_time 4;
 * whether its event-based pass cuts spikes at that time was not checked): late crossings count. See
 * docs/results.md for what this may cost in accuracy.
 */
export const YINYANG_PRESET: Preset = {
  name: 'yinyang',
  description: "Yin-Yang, the paper's 5-120-3 network",
  dataset: 'yinyang',
  encoder: {},
  layerSizes: [5, 120, 3],
  biasTimes: [null, 0.9],
  neuron: TTFS_NEURON,
  init: [
    { mean: 1.5, std: 0.8 },
    { mean: 0.5, std: 0.8 },
  ],
  train: {
    epochs: 300,
    batchSize: 150,
    learningRate: 0.005,
    lrSchedule: { factor: 0.95, everyEpochs: 20 },
    adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    weightBumping: { value: 0.0005, maxSilentFraction: [0.3, 0], stepToo: true },
    inputNoiseSigma: 0,
    keepBest: true,
    pass: { tMax: 100, silentTime: 10, loss: DEFAULT_LOSS, maxDwNorm: 0.2 },
  },
};

/**
 * Yin-Yang for BrainScaleS-2's 6-bit weights (|w| <= 63/30 = 2.1): the paper preset with each of the 5
 * inputs given 5 times, 25 -> 120 (+ bias at 0.9) -> 3, as fastAndDeep's hardware runs repeat Yin-Yang's
 * inputs and bias 5 times (its train.py, `multiply_input_layer` and `multiply_bias` on the chip). The
 * hidden initialisation is the paper's spread over the 5 copies, N(1.5/5, 0.8^2/5) per synapse, so that
 * a neuron's summed input starts as in the paper preset. Everything else is the paper preset's, except that
 * a bumped batch skips its gradient step as in the paper's code (`stepToo: false`): the in-the-loop results
 * of docs/results.md were measured that way, and the paper preset's `stepToo` is not yet measured on the chip.
 */
export const YINYANG_CHIP_PRESET: Preset = {
  ...YINYANG_PRESET,
  name: 'yinyang-chip',
  description: "Yin-Yang, the paper's network with each input and the bias given 5 times (25-120-3) for 6-bit weights",
  encoder: { repeat: 5 },
  layerSizes: [25, 120, 3],
  init: [
    { mean: 1.5 / 5, std: 0.8 / Math.sqrt(5) },
    { mean: 0.5, std: 0.8 },
  ],
  train: { ...YINYANG_PRESET.train, weightBumping: { ...YINYANG_PRESET.train.weightBumping!, stepToo: false } },
};

/**
 * 16x16 MNIST (centre crop 24x24, area-resampled), 256 -> 246 -> 10 as in the paper's hardware runs, on the
 * built-in digits. Batch size, chopping and bump value follow fastAndDeep's MNIST configs; initialisation,
 * learning rate and schedule, bumping fractions, input noise (0.5; theirs 0.3) and epochs are ours, chosen
 * in runs here with the validation split held out (docs/results.md) for a training of under 20 minutes: the
 * reference's N(0.05, 0.8^2) / N(0.15, 0.8^2) learnt about half as fast in the first epochs, and its
 * silent-neuron limits (0.15 / 0.05) replaced most gradient steps by bumps. With the settings fixed, the
 * preset trains on the training and validation digits together (8000; `trainOnValidation`) for 75 epochs,
 * the learning rate annealed to 0 over the last 25 and the input noise over them from 0.5 to 0.2, and a
 * bumped batch still takes its step (`stepToo`).
 */
export const MNIST16_PRESET: Preset = {
  name: 'mnist16',
  description: '16x16 MNIST on the built-in digits, 256-246-10',
  dataset: 'mnist',
  mnistVariant: '16',
  encoder: {},
  layerSizes: [256, 246, 10],
  biasTimes: [null, null],
  neuron: TTFS_NEURON,
  init: [
    { mean: 0.1, std: 0.2 },
    { mean: 0.3, std: 0.3 },
  ],
  trainOnValidation: true,
  train: {
    epochs: 75,
    batchSize: 80,
    learningRate: 0.01,
    lrSchedule: { factor: 0.9, everyEpochs: 5, annealEpochs: 25 },
    adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    weightBumping: { value: 0.0005, maxSilentFraction: [0.5, 0.5], stepToo: true },
    inputNoiseSigma: 0.5,
    // and down to 0.2 over the anneal
    inputNoiseFinalSigma: 0.2,
    // model selection when the validation split is held out
    keepBest: true,
    // two equal halves of a batch for the two worker threads of this machine
    chunkSize: 40,
    pass: { tMax: 100, silentTime: 10, loss: DEFAULT_LOSS, maxDwNorm: 0.2 },
  },
};

export const PRESETS: Readonly<Record<string, Preset>> = {
  yinyang: YINYANG_PRESET,
  'yinyang-chip': YINYANG_CHIP_PRESET,
  mnist16: MNIST16_PRESET,
};
