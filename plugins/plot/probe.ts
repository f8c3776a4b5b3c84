import type { Substrate } from '../../core/substrate/substrate.ts';
import type { Dataset } from '../datasets/dataset.ts';
import { yinYangClass } from '../datasets/yinYang.ts';
import { batchContext } from '../learning/batchGradient.ts';
import { encodeDataset } from '../learning/experiment.ts';
import { ForwardBackward, emptySampleResult } from '../learning/forwardBackward.ts';
import type { LayeredModel } from '../learning/model.ts';
import type { Preset } from '../learning/presets.ts';
import type { EncodedSet } from '../learning/trainer.ts';

/**
 * Forward passes of a trained model for the model figures (no gradient). Sample s of a set runs as trial s
 * of one realisation with the given seed, as `evaluate` does, so predictions agree with `firstspike evaluate`.
 */
export interface ModelRun {
  readonly model: LayeredModel;
  readonly preset: Preset;
  readonly substrate: Substrate;
  readonly substrateOptions: Readonly<Record<string, unknown>>;
  readonly seed: number;
}

/** First-spike times (tau_syn units, Infinity = no spike) of every layer for each sample of a set. */
export interface SetTimes {
  /** Per layer l (0 = input as the network received it), sample-major: times[l][s * size_l + n]. */
  readonly times: Float64Array[];
  /** Predicted class per sample (earliest output spike), -1 if no output spike. */
  readonly predicted: Int32Array;
}

/** Forward passes of every sample of `set`; sample s runs as trial firstTrial + s. */
export function forwardSet(run: ModelRun, set: EncodedSet, firstTrial = 0): SetTimes {
  const sizes = run.model.layerSizes;
  const fb = new ForwardBackward(run.model, run.preset.train.pass);
  fb.realise(run.substrate, batchContext(run.substrate, run.substrateOptions, run.seed, 0));
  const res = emptySampleResult();
  const sample = new Float64Array(set.inputs);
  const times = sizes.map((n) => new Float64Array(n * set.n));
  const predicted = new Int32Array(set.n);
  for (let s = 0; s < set.n; s++) {
    sample.set(set.times.subarray(s * set.inputs, (s + 1) * set.inputs));
    fb.forward(sample, set.labels[s], res, firstTrial + s);
    predicted[s] = res.predicted;
    times[0].set(Array.from(fb.realisedInputTimes()).slice(0, sizes[0]), s * sizes[0]);
    for (let l = 1; l < sizes.length; l++) times[l].set(fb.layerTimes(l), s * sizes[l]);
  }
  return { times, predicted };
}

/** A `resolution` x `resolution` grid of cell centres over [0, 1]^2 as a Yin-Yang data set (true class inside the circle, -1 outside). */
export function yinYangGrid(resolution: number): { dataset: Dataset; x: Float64Array; y: Float64Array; inside: Uint8Array } {
  const n = resolution * resolution;
  const features = new Float64Array(4 * n);
  const labels = new Int32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const inside = new Uint8Array(n);
  for (let j = 0; j < resolution; j++) {
    for (let i = 0; i < resolution; i++) {
      const k = j * resolution + i;
      const px = (i + 0.5) / resolution;
      const py = (j + 0.5) / resolution;
      x[k] = px;
      y[k] = py;
      features.set([px, py, 1 - px, 1 - py], 4 * k);
      inside[k] = (px - 0.5) ** 2 + (py - 0.5) ** 2 <= 0.25 ? 1 : 0;
      labels[k] = inside[k] === 1 ? yinYangClass(px, py) : 0;
    }
  }
  return { dataset: { features, labels, n, dim: 4, classes: 3, name: 'yinyang/grid', classNames: ['yin', 'yang', 'dot'] }, x, y, inside };
}

/** Encodes a grid with the preset's encoder (repeats and bias spike included). */
export function encodeGrid(dataset: Dataset, preset: Preset): EncodedSet {
  return encodeDataset(dataset, preset);
}
