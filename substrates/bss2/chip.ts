import { normalDraw, type RandomStream } from '../../core/rng.ts';
import type { Bss2Options } from './options.ts';

/** Where fixed-pattern randomness comes from (the `chipStream` of a RealiseContext). */
export interface ChipStreamSource {
  chipStream(chipSeed: number, purpose: string): RandomStream;
}

/** Fault state of a neuron slot. */
export const FAULT_NONE = 0;
/** The neuron never fires. */
export const FAULT_DEAD = 1;
/** The neuron fires on its own at the first refractory tick and then after every refractory period. */
export const FAULT_SPONTANEOUS = 2;

/** Smallest relative factor of a time constant (a draw below it is raised to it; never reached at a 5% spread). */
export const MIN_TAU_FACTOR = 0.05;

/**
 * The fixed-pattern properties of neuron slots 0..size-1 of one chip. Slot j's values are the j-th draws
 * of per-quantity streams `bss2/<quantity>` of `chipStream(chipSeed, ...)`, so a slot keeps its values
 * whatever the network size (and scaling a spread scales the same deviations).
 */
export interface NeuronMismatch {
  readonly size: number;
  /** Threshold shift, fraction of (v_thresh - v_rest): offset + sigma N. */
  readonly thresholdShift: Float64Array;
  /** Factors on tau_m, tau_syn_E, tau_syn_I: max(0.05, 1 + sigma N). */
  readonly tauMemFactor: Float64Array;
  readonly tauSynExcFactor: Float64Array;
  readonly tauSynInhFactor: Float64Array;
  /** Synaptic gain of the excitatory and of the inhibitory input circuit: max(0, 1 + sigma N). */
  readonly gainExc: Float64Array;
  readonly gainInh: Float64Array;
  /** Leak and reset shifts, fractions of (v_thresh - v_rest): sigma N. */
  readonly leakShift: Float64Array;
  readonly resetShift: Float64Array;
  /** FAULT_NONE, FAULT_DEAD or FAULT_SPONTANEOUS. */
  readonly fault: Uint8Array;
}

/** `size` draws of `sigma N` from stream `purpose` (all exactly 0 without drawing when sigma is 0). */
function normals(source: ChipStreamSource, chipSeed: number, purpose: string, size: number, sigma: number): Float64Array {
  const out = new Float64Array(size);
  if (sigma === 0) return out;
  const stream = source.chipStream(chipSeed, `bss2/${purpose}`);
  for (let j = 0; j < size; j++) out[j] = sigma * normalDraw(stream);
  return out;
}

function factors(deviations: Float64Array, floor: number): Float64Array {
  return deviations.map((d) => Math.max(floor, 1 + d));
}

/** Draws the fixed-pattern mismatch and faults of neuron slots 0..size-1 (see {@link NeuronMismatch}). */
export function drawNeuronMismatch(source: ChipStreamSource, options: Bss2Options, size: number): NeuronMismatch {
  const m = options.mismatch;
  const s = options.mismatchScale;
  const seed = options.chipSeed;
  const offset = s * m.thresholdOffset;
  const thresholdShift = normals(source, seed, 'threshold', size, s * m.threshold).map((d) => offset + d);
  const fault = new Uint8Array(size);
  if (options.deadFraction > 0 || options.spontaneousFraction > 0) {
    // one uniform per slot: [0, dead) dead, [dead, dead + spontaneous) spontaneous
    const stream = source.chipStream(seed, 'bss2/faults');
    for (let j = 0; j < size; j++) {
      const u = stream.next();
      if (u < options.deadFraction) fault[j] = FAULT_DEAD;
      else if (u < options.deadFraction + options.spontaneousFraction) fault[j] = FAULT_SPONTANEOUS;
    }
  }
  return {
    size,
    thresholdShift,
    tauMemFactor: factors(normals(source, seed, 'tauMem', size, s * m.tauMem), MIN_TAU_FACTOR),
    tauSynExcFactor: factors(normals(source, seed, 'tauSynExc', size, s * m.tauSynExc), MIN_TAU_FACTOR),
    tauSynInhFactor: factors(normals(source, seed, 'tauSynInh', size, s * m.tauSynInh), MIN_TAU_FACTOR),
    gainExc: factors(normals(source, seed, 'gainExc', size, s * m.gain), 0),
    gainInh: factors(normals(source, seed, 'gainInh', size, s * m.gain), 0),
    leakShift: normals(source, seed, 'leak', size, s * m.leak),
    resetShift: normals(source, seed, 'reset', size, s * m.reset),
    fault,
  };
}

/** The chip-wide weight scale factor max(0, 1 + sigma N), one draw per chip seed. */
export function drawChipWeightScale(source: ChipStreamSource, options: Bss2Options): number {
  const sigma = options.mismatchScale * options.mismatch.chipWeightScale;
  if (sigma === 0) return 1;
  return Math.max(0, 1 + sigma * normalDraw(source.chipStream(options.chipSeed, 'bss2/chipWeightScale')));
}

/**
 * Efficacy factors max(0, 1 + sigma N) of the synapse slots (row 0..rows-1, column) of one chip: the
 * row-th draw of the stream `bss2/efficacy/<column>`. A column is a logical neuron slot.
 */
export function drawEfficacyColumn(source: ChipStreamSource, options: Bss2Options, column: number, rows: number): Float64Array {
  const sigma = options.mismatchScale * options.mismatch.efficacy;
  return factors(normals(source, options.chipSeed, `efficacy/${column}`, rows, sigma), 0);
}

/**
 * Efficacy factors max(0, 1 + sigma N) shared by all synapses of one synapse row, rows 0..rows-1, for the
 * excitatory (`sign` 'exc') or the inhibitory rows ('inh'): the row-th draw of the stream
 * `bss2/efficacyRow/<sign>`. Each presynaptic input has an excitatory and an inhibitory row (one synapse
 * driver serves both), so the two kinds are drawn separately. All 1 when the spread is 0.
 */
export function drawEfficacyRows(source: ChipStreamSource, options: Bss2Options, sign: 'exc' | 'inh', rows: number): Float64Array {
  const sigma = options.mismatchScale * options.mismatch.efficacyRow;
  return factors(normals(source, options.chipSeed, `efficacyRow/${sign}`, rows, sigma), 0);
}
