import { randomStream } from '../../core/rng.ts';
import type { Dataset } from '../datasets/dataset.ts';
import { encodeSample, encodedSize, encoderFor } from '../datasets/encoding.ts';
import { mnistFromDirectory, mnistSplits } from '../datasets/mnist.ts';
import { yinYangDataset } from '../datasets/yinYang.ts';
import { initialiseWeights, type LayeredModel } from './model.ts';
import type { Preset } from './presets.ts';
import type { EncodedSet } from './trainer.ts';

/** Train, validation and test sets of a preset, encoded as spike times. */
export interface PresetData {
  readonly train: EncodedSet;
  readonly validation: EncodedSet;
  readonly test: EncodedSet;
}

/** Encodes a whole data set with the preset's encoder (no noise; training noise is added per epoch). */
export function encodeDataset(dataset: Dataset, preset: Preset): EncodedSet {
  const encoder = encoderFor(preset.dataset, { ...preset.encoder, noiseSigma: 0 });
  const inputs = encodedSize(dataset, encoder);
  if (inputs !== preset.layerSizes[0]) {
    throw new Error(`preset '${preset.name}' expects ${preset.layerSizes[0]} inputs, data set ${dataset.name} gives ${inputs}`);
  }
  const times = new Float64Array(dataset.n * inputs);
  for (let s = 0; s < dataset.n; s++) encodeSample(dataset, s, encoder, times.subarray(s * inputs, (s + 1) * inputs));
  return { n: dataset.n, inputs, times, labels: dataset.labels, classes: dataset.classes };
}

/**
 * Loads a preset's data: Yin-Yang's published splits, or MNIST (built-in digits split 7000 / 1000 / 2000
 * train / validation / test, or IDX files from `dataDir`).
 */
export function loadPresetData(preset: Preset, dataDir?: string): PresetData {
  if (preset.dataset === 'yinyang') {
    return {
      train: encodeDataset(yinYangDataset('train'), preset),
      validation: encodeDataset(yinYangDataset('validation'), preset),
      test: encodeDataset(yinYangDataset('test'), preset),
    };
  }
  const variant = preset.mnistVariant ?? '28';
  const splits =
    dataDir === undefined ? mnistSplits({ variant, validationSize: 1000 }) : mnistFromDirectory(dataDir, { variant, validationSize: 5000 });
  return {
    train: encodeDataset(splits.train, preset),
    validation: encodeDataset(splits.validation!, preset),
    test: encodeDataset(splits.test, preset),
  };
}

/** `a` followed by `b` (same inputs and classes): one set of a.n + b.n samples. */
export function concatEncodedSets(a: EncodedSet, b: EncodedSet): EncodedSet {
  if (a.inputs !== b.inputs || a.classes !== b.classes) {
    throw new Error(`cannot join sets of ${a.inputs} and ${b.inputs} inputs, ${a.classes} and ${b.classes} classes`);
  }
  const times = new Float64Array(a.times.length + b.times.length);
  times.set(a.times);
  times.set(b.times, a.times.length);
  const labels = new Int32Array(a.n + b.n);
  labels.set(a.labels);
  labels.set(b.labels, a.n);
  return { n: a.n + b.n, inputs: a.inputs, times, labels, classes: a.classes };
}

/**
 * What a preset trains on and validates with: the training split and the validation split, or, when the
 * preset says `trainOnValidation` (and `holdOutValidation` does not overrule it), the training split
 * followed by the validation split and no validation set (no validation figures, no model selection).
 */
export function trainingSets(preset: Preset, data: PresetData, holdOutValidation = false): { train: EncodedSet; validation: EncodedSet | null } {
  if (preset.trainOnValidation === true && !holdOutValidation) return { train: concatEncodedSets(data.train, data.validation), validation: null };
  return { train: data.train, validation: data.validation };
}

/** A freshly initialised model of a preset (weights from the `init` stream of `seed`). */
export function createModel(preset: Preset, seed: number): LayeredModel {
  return {
    layerSizes: preset.layerSizes,
    biasTimes: preset.biasTimes,
    neuron: preset.neuron,
    weights: initialiseWeights(preset.layerSizes, preset.biasTimes, preset.init, randomStream(seed, 'init')),
  };
}
