import { normalDraw, type RandomStream } from '../../core/rng.ts';
import { checkIndex, type Dataset } from './dataset.ts';

/**
 * How feature values in [0, 1] become input spike times (time-to-first-spike coding, Göltz et al.
 * 2021). Every time is in units of tau_syn: multiply by tau_syn in ms for a network with that
 * synaptic time constant (e.g. 0.15 -> 0.75 ms at tau_syn = 5 ms).
 */
export interface Encoder {
  /** Spike time of the value 0 (after inversion, if any). Default 0.15. */
  readonly tEarly: number;
  /** Spike time of the value 1. Default 2.0. */
  readonly tLate: number;
  /** Use 1 - v instead of v, so that bright (ink) MNIST pixels spike early. Default false (true for MNIST). */
  readonly invert: boolean;
  /**
   * Time of an extra bias spike, appended after the features as one more input neuron; null for none.
   * Default 0.9 for Yin-Yang (fastAndDeep's yin_yang config), none for MNIST.
   */
  readonly biasTime: number | null;
  /** Standard deviation of Gaussian noise added to each feature's spike time (not the bias). Default 0. */
  readonly noiseSigma: number;
  /**
   * How many input neurons carry each feature and the bias (an integer >= 1, default 1). The copies spike
   * at the same time, each through its own synapse: fastAndDeep's BrainScaleS-2 runs give Yin-Yang's inputs
   * and bias 5 times each, so that 6-bit weights (|w| <= 2.1) can still drive a neuron to threshold.
   * Copy r of input k is input r * (features + bias) + k.
   */
  readonly repeat: number;
}

/** The data sets `encoderFor` knows defaults for. */
export type EncodedDatasetKind = 'yinyang' | 'mnist';

/**
 * Defaults per data set: t_early 0.15 and t_late 2.0 (fastAndDeep's datasets.py, both sets), MNIST
 * inverted (as there), a bias spike at 0.9 for Yin-Yang (fastAndDeep's yin_yang.yaml), no noise.
 * `overrides` replaces any field; the result is validated.
 */
export function encoderFor(kind: EncodedDatasetKind, overrides: Partial<Encoder> = {}): Encoder {
  let base: Encoder;
  if (kind === 'yinyang') base = { tEarly: 0.15, tLate: 2.0, invert: false, biasTime: 0.9, noiseSigma: 0, repeat: 1 };
  else if (kind === 'mnist') base = { tEarly: 0.15, tLate: 2.0, invert: true, biasTime: null, noiseSigma: 0, repeat: 1 };
  else throw new Error(`no encoder defaults for "${String(kind)}" (yinyang, mnist)`);
  const encoder: Encoder = { ...base, ...overrides };
  checkEncoder(encoder);
  return encoder;
}

/** Throws a RangeError naming the first invalid field of `encoder`. */
export function checkEncoder(encoder: Encoder): void {
  if (!Number.isFinite(encoder.tEarly) || !Number.isFinite(encoder.tLate)) {
    throw new RangeError(`encoder tEarly and tLate must be finite, got ${encoder.tEarly}, ${encoder.tLate}`);
  }
  if (encoder.biasTime !== null && !Number.isFinite(encoder.biasTime)) {
    throw new RangeError(`encoder biasTime must be finite or null, got ${encoder.biasTime}`);
  }
  if (!(encoder.noiseSigma >= 0 && Number.isFinite(encoder.noiseSigma))) {
    throw new RangeError(`encoder noiseSigma must be finite and >= 0, got ${encoder.noiseSigma}`);
  }
  if (!(Number.isInteger(encoder.repeat) && encoder.repeat >= 1)) {
    throw new RangeError(`encoder repeat must be an integer >= 1, got ${encoder.repeat}`);
  }
}

/** Number of input neurons (spike times) per sample: the features, plus one for the bias spike, times `repeat`. */
export function encodedSize(dataset: Dataset, encoder: Encoder): number {
  return (dataset.dim + (encoder.biasTime === null ? 0 : 1)) * encoder.repeat;
}

/**
 * The spike time of one value v: t_early + v' (t_late - t_early), v' = v or 1 - v when inverted.
 * Evaluated as t_early (1 - v') + t_late v', which gives both ends exactly.
 */
export function encodeValue(v: number, encoder: Encoder): number {
  const u = encoder.invert ? 1 - v : v;
  return encoder.tEarly * (1 - u) + encoder.tLate * u;
}

/**
 * Writes sample `index`'s input spike times (tau_syn units) into `out` (length `encodedSize`): one per
 * feature, then the bias spike if any, that block `repeat` times. With `noiseSigma` > 0, each feature time gets sigma times a
 * standard normal drawn from `noise`, in feature order (so the same stream state gives the same
 * times); times are not clipped. Allocates nothing. Returns `out`.
 */
export function encodeSample(
  dataset: Dataset,
  index: number,
  encoder: Encoder,
  out: Float64Array,
  noise?: RandomStream,
): Float64Array {
  checkIndex(dataset, index);
  const dim = dataset.dim;
  const block = dim + (encoder.biasTime === null ? 0 : 1);
  const size = block * encoder.repeat;
  if (out.length !== size) throw new RangeError(`encodeSample: output has length ${out.length}, needs ${size}`);
  const sigma = encoder.noiseSigma;
  if (sigma > 0 && noise === undefined) throw new Error('encodeSample: noiseSigma > 0 needs a random stream');
  const { tEarly, tLate, invert } = encoder;
  const features = dataset.features;
  const row = index * dim;
  for (let k = 0; k < dim; k++) {
    const v = features[row + k]!;
    const u = invert ? 1 - v : v;
    let t = tEarly * (1 - u) + tLate * u; // as encodeValue

    if (sigma > 0) t += sigma * normalDraw(noise!);
    out[k] = t;
  }
  if (encoder.biasTime !== null) out[dim] = encoder.biasTime;
  // the copies of a feature share its (noisy) time: one input neuron drives several synapses
  for (let r = 1; r < encoder.repeat; r++) out.copyWithin(r * block, 0, block);
  return out;
}
