import { FPGA_CLOCK_MHZ, REFRACTORY_BASE_CLOCK_MHZ, REFRACTORY_COUNTER_MAX, WEIGHT_MAX } from './hardware.ts';
import { weightScaleOf, type NormalisationNeuron } from './normalisation.ts';
import type { Bss2Options } from './options.ts';

/**
 * Tolerance (in grid steps) of the floor operations below: a time that is an exact multiple of the grid
 * up to floating-point rounding (k * step computed in doubles) counts as that multiple.
 */
const GRID_TOLERANCE = 1e-9;

/**
 * The signed 6-bit integer weight for model weight `w`: w * weightScale rounded to the nearest integer
 * (halves away from zero, so that +w and -w are symmetric) and clipped at +-63. Its sign picks the
 * synapse row type (excitatory rows carry >= 0, inhibitory rows <= 0).
 */
export function integerWeight(w: number, weightScale: number): number {
  const x = w * weightScale;
  const q = Math.floor(Math.abs(x) + 0.5);
  const clipped = q > WEIGHT_MAX ? WEIGHT_MAX : q;
  return x < 0 ? -clipped : clipped;
}

/** The model weight the chip realises for `w` before analog mismatch: integerWeight(w) / weightScale. */
export function quantisedWeight(w: number, weightScale: number): number {
  return integerWeight(w, weightScale) / weightScale;
}

/** One FPGA clock cycle (8 ns) in model time units. */
export function fpgaCycle(options: Pick<Bss2Options, 'hardwareTimePerUnitUs'>): number {
  return 1 / FPGA_CLOCK_MHZ / options.hardwareTimePerUnitUs;
}

/** One refractory-clock tick, 2^(k+1) / 250 MHz (64 ns for k = 3), in model time units. */
export function refractoryTick(options: Pick<Bss2Options, 'hardwareTimePerUnitUs' | 'refractoryClockScale'>): number {
  return 2 ** (options.refractoryClockScale + 1) / REFRACTORY_BASE_CLOCK_MHZ / options.hardwareTimePerUnitUs;
}

/**
 * The refractory counter value for a refractory period (both in the same unit): as calix converts it,
 * floor(tau_refrac / tick) + 1 (the lowest counter bit always goes to the holdoff), at least
 * `minTicks`, at most 255 (8-bit counter).
 */
export function refractoryTicks(tauRefrac: number, tick: number, minTicks = 1): number {
  const n = Math.floor(tauRefrac / tick + GRID_TOLERANCE) + 1;
  return Math.min(REFRACTORY_COUNTER_MAX, Math.max(minTicks, n));
}

/** `t` rounded to the nearest multiple of `step` (input spikes played back by the FPGA). */
export function roundToGrid(t: number, step: number): number {
  return Math.round(t / step) * step;
}

/** `t` rounded down to a multiple of `step` (a time stamp: the clock cycles completed when the event arrives). */
export function floorToGrid(t: number, step: number): number {
  return Math.floor(t / step + GRID_TOLERANCE) * step;
}

/**
 * The largest |model weight| the chip realises for target neurons `neuron`: 63 / weightScale with weight
 * quantisation (1.38 for the TTFS neuron at the default fullScalePsp; 2.1 at weightScale 30), undefined
 * (no clipping) without it. The substrate's `weightLimit`. A derived scale needs the neuron.
 */
export function bss2WeightLimit(
  options: Pick<Bss2Options, 'weightQuantisation' | 'weightScale' | 'fullScalePsp'>,
  neuron?: NormalisationNeuron,
): number | undefined {
  if (!options.weightQuantisation) return undefined;
  if (options.weightScale !== null) return WEIGHT_MAX / options.weightScale;
  if (neuron === undefined) {
    throw new Error('bss2: the weight limit follows from fullScalePsp and the neuron parameters; pass the neuron (or set weightScale)');
  }
  return WEIGHT_MAX / weightScaleOf(options, neuron);
}
