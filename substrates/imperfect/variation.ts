import { normalDraw, type RandomStream } from '../../core/rng.ts';
import type { ImperfectOptions } from './options.ts';

/** Where fixed-pattern randomness comes from (the `chipStream` of a RealiseContext). */
export interface ChipStreams {
  chipStream(chipSeed: number, purpose: string): RandomStream;
}

/** Smallest factor on a time constant: a draw 1 + sigma N below it is raised to it (5 sigma at sigma = 0.19). */
export const MIN_TAU_FACTOR = 0.05;

/** Fault of a neuron: none, dead (never fires) or stuck on (fires at once and after every refractory period). */
export const NEURON_OK = 0;
export const NEURON_DEAD = 1;
export const NEURON_STUCK_ON = 2;

/**
 * The fixed-pattern variation of neurons 0..size-1 (the engine's global LIF order) of one chip. Neuron j's
 * values are the j-th draws of per-quantity streams `imperfect/<quantity>` of chipStream(chipSeed, ...), so
 * a neuron keeps its deviation whatever the network size, and scaling a spread scales the same deviations.
 */
export interface NeuronVariation {
  readonly size: number;
  /** Factors on tau_m and on tau_syn (E and I): max(MIN_TAU_FACTOR, 1 + sigma N). */
  readonly tauMemFactor: Float64Array;
  readonly tauSynFactor: Float64Array;
  /** Shifts of v_thresh, v_rest and v_reset, fractions of v_thresh - v_rest: sigma N. */
  readonly thresholdShift: Float64Array;
  readonly leakShift: Float64Array;
  readonly resetShift: Float64Array;
  /** NEURON_OK, NEURON_DEAD or NEURON_STUCK_ON. */
  readonly fault: Uint8Array;
}

/** `size` draws of sigma N from stream `imperfect/<purpose>` (exactly 0, without drawing, when sigma is 0). */
function deviations(source: ChipStreams, chipSeed: number, purpose: string, size: number, sigma: number): Float64Array {
  const out = new Float64Array(size);
  if (sigma === 0) return out;
  const stream = source.chipStream(chipSeed, `imperfect/${purpose}`);
  for (let j = 0; j < size; j++) out[j] = sigma * normalDraw(stream);
  return out;
}

/** Draws the fixed-pattern variation and faults of neurons 0..size-1 of chip `o.chipSeed`. */
export function drawNeuronVariation(source: ChipStreams, o: ImperfectOptions, size: number): NeuronVariation {
  const seed = o.chipSeed;
  const factor = (d: Float64Array): Float64Array => d.map((x) => Math.max(MIN_TAU_FACTOR, 1 + x));
  const fault = new Uint8Array(size);
  if (o.deadFraction > 0 || o.stuckOnFraction > 0) {
    // one uniform per neuron: [0, dead) dead, [dead, dead + stuck) stuck on
    const stream = source.chipStream(seed, 'imperfect/faults');
    for (let j = 0; j < size; j++) {
      const u = stream.next();
      if (u < o.deadFraction) fault[j] = NEURON_DEAD;
      else if (u < o.deadFraction + o.stuckOnFraction) fault[j] = NEURON_STUCK_ON;
    }
  }
  return {
    size,
    tauMemFactor: factor(deviations(source, seed, 'tauMem', size, o.tauMemSpread)),
    tauSynFactor: factor(deviations(source, seed, 'tauSyn', size, o.tauSynSpread)),
    thresholdShift: deviations(source, seed, 'threshold', size, o.thresholdSpread),
    leakShift: deviations(source, seed, 'leak', size, o.leakSpread),
    resetShift: deviations(source, seed, 'reset', size, o.resetSpread),
    fault,
  };
}
