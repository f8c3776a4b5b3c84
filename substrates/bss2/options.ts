import { checkOptionRecord, describeOptionValue as describe, optionError as fail, optionRecord, type OptionCheck } from '../../core/substrate/options.ts';
import { HOLDOFF_TICKS_MAX, REFRACTORY_CLOCK_SCALE_MAX, WEIGHT_MAX } from './hardware.ts';
import { FULL_SCALE_PSP_FAST_AND_DEEP } from './normalisation.ts';

/**
 * Fixed-pattern mismatch, drawn once per chip seed: standard deviations (and one mean offset) as
 * fractions. Each is multiplied by {@link Bss2Options.mismatchScale}; 0 switches a quantity off.
 * Sources and assumptions: docs/substrates/bss2.md.
 */
export interface Bss2MismatchOptions {
  /** Threshold spread across neurons, fraction of (v_thresh - v_rest). Default 0.03. */
  readonly threshold: number;
  /** Mean threshold offset of the chip, fraction of (v_thresh - v_rest) (may be negative). Default 0.05. */
  readonly thresholdOffset: number;
  /** Relative spread of tau_m. Default 0.05 (ASSUMPTION). */
  readonly tauMem: number;
  /** Relative spread of tau_syn_E. Default 0.05 (ASSUMPTION). */
  readonly tauSynExc: number;
  /** Relative spread of tau_syn_I. Default 0.05 (ASSUMPTION). */
  readonly tauSynInh: number;
  /** Relative spread of each neuron's synaptic gain (excitatory and inhibitory input drawn separately). Default 0.05 (ASSUMPTION). */
  readonly gain: number;
  /** Relative spread of each synapse's own efficacy (independent per synapse slot). Default 0.05 (ASSUMPTION). */
  readonly efficacy: number;
  /**
   * Relative spread of an efficacy factor shared by every synapse of one synapse row (one per row and row
   * sign, i.e. per synapse driver and input type), on top of `efficacy`. Default 0 (no number found).
   */
  readonly efficacyRow: number;
  /** Relative chip-to-chip spread of the overall weight scale. Default 0.08. */
  readonly chipWeightScale: number;
  /** Leak potential spread, fraction of (v_thresh - v_rest). Default 0 (not modelled by default). */
  readonly leak: number;
  /** Reset potential spread, fraction of (v_thresh - v_rest). Default 0 (not modelled by default). */
  readonly reset: number;
}

/**
 * Trial-to-trial noise; each figure is multiplied by {@link Bss2Options.noiseScale}. A batch is one
 * realisation (one `simulate` run; one batch of the learning plugin), a sample is one trial of it.
 */
export interface Bss2NoiseOptions {
  /** Threshold noise drawn once per batch (run-to-run, "b2b"), fraction of (v_thresh - v_rest). Default 0.015. */
  readonly thresholdBatch: number;
  /** Threshold noise drawn anew for every sample ("s2s"), fraction of (v_thresh - v_rest). Default 0. */
  readonly thresholdSample: number;
  /**
   * Membrane noise, fraction of (v_thresh - v_rest): an offset of the membrane potential drawn per sample and
   * held over it (for the linear LIF the same as the opposite threshold offset). Default 0; 2 CADC LSB =
   * 2/70 in the `sourced` preset.
   */
  readonly membrane: number;
  /** Spike-time jitter, standard deviation in ns of hardware time. Default 60. */
  readonly jitterNs: number;
  /**
   * Where the jitter acts: true (default) = on the spike itself, so the neurons it projects to receive the
   * jittered time as the record does (on-chip routing; engines that pass spikes on at their own times: the
   * layered runner); false = on the record only.
   */
  readonly jitterReachesNetwork: boolean;
}

/** Names of the option presets of bss2. */
export type Bss2PresetName = 'default' | 'sourced' | 'all-off';

/** Options of the `bss2` substrate (config: `substrate: {name: "bss2", ...}`); every field has a default. */
export interface Bss2Options {
  /**
   * A named set of options the others are applied on top of: 'default' (the defaults below), 'sourced'
   * ({@link BSS2_SOURCED}: only effects with a numeric source) or 'all-off' ({@link BSS2_ALL_OFF}).
   * Default 'default'.
   */
  readonly preset: Bss2PresetName;
  /** Which chip: the seed of all fixed-pattern draws. Default 0. */
  readonly chipSeed: number;
  /** Hardware time of one model time unit (us). Default 6 (tau_syn = 6 us in the TTFS set-ups). */
  readonly hardwareTimePerUnitUs: number;
  /** Round weights to integers / weightScale and clip at +-63 (6-bit magnitude). Default true. */
  readonly weightQuantisation: boolean;
  /**
   * Peak of the PSP of one full-scale synapse (63 LSB) as a fraction of (v_thresh - v_rest); the weight
   * scale is derived from it and the target neuron (substrates/bss2/normalisation.ts). Default 0.508
   * (fastAndDeep's set-up).
   */
  readonly fullScalePsp: number;
  /** Weight LSB per model weight unit (model weight = integer / weightScale); null (default) = derived from fullScalePsp. */
  readonly weightScale: number | null;
  /** Multiplies every fixed-pattern figure of `mismatch` (0 = no mismatch). Default 1. */
  readonly mismatchScale: number;
  readonly mismatch: Bss2MismatchOptions;
  /** Multiplies every trial-to-trial figure of `noise` (0 = no noise). Default 1. */
  readonly noiseScale: number;
  readonly noise: Bss2NoiseOptions;
  /** Systematic read-out latency added to recorded spike times (ns of hardware time). Default 80. */
  readonly readoutLatencyNs: number;
  /** Round source spike times to the 8 ns FPGA clock grid in `realise`. Default true. */
  readonly quantiseInputTimes: boolean;
  /** Time-stamp recorded spikes on the 8 ns FPGA clock grid (floor). Default true. */
  readonly quantiseOutputTimes: boolean;
  /** Refractory period as an integer count of refractory-clock ticks (8-bit counter). Default true. */
  readonly refractoryQuantisation: boolean;
  /** Refractory clock scale k: tick = 2^(k+1) / 250 MHz. Default 3 (64 ns). */
  readonly refractoryClockScale: number;
  /** Reset holdoff at the end of the refractory period (ticks; free membrane, no firing). Default 1 (hardware minimum); 0 = off. */
  readonly holdoffTicks: number;
  /** Time constant of the relaxation to v_reset during the reset phase (us of hardware time). Default 0.5; 0 = ideal clamp. */
  readonly tauResetUs: number;
  /**
   * Cap on |synaptic current| per input type (model current units); null = no cap; undefined (default) =
   * 63 inputs at the neuron's largest weight, 63 x 63 / weightScale (ASSUMPTION).
   */
  readonly synapticCurrentCap: number | null | undefined;
  /** Fraction of neuron slots that never fire (drawn per chip). Default 0. */
  readonly deadFraction: number;
  /** Fraction of neuron slots that fire on their own: at the first refractory tick, then every refractory period. Default 0. */
  readonly spontaneousFraction: number;
  /** Reject networks that do not fit on one chip (256 logical neurons, 256 inputs each). Default true. */
  readonly checkSize: boolean;
}

/** The default mismatch figures (docs/substrates/bss2.md gives their sources). */
export const DEFAULT_BSS2_MISMATCH: Bss2MismatchOptions = Object.freeze({
  threshold: 0.03,
  thresholdOffset: 0.05,
  tauMem: 0.05,
  tauSynExc: 0.05,
  tauSynInh: 0.05,
  gain: 0.05,
  efficacy: 0.05,
  efficacyRow: 0,
  chipWeightScale: 0.08,
  leak: 0,
  reset: 0,
});

/** The default trial-to-trial noise. */
export const DEFAULT_BSS2_NOISE: Bss2NoiseOptions = Object.freeze({
  thresholdBatch: 0.015,
  thresholdSample: 0,
  membrane: 0,
  jitterNs: 60,
  jitterReachesNetwork: true,
});

/** Every default. */
export const DEFAULT_BSS2_OPTIONS: Bss2Options = Object.freeze({
  preset: 'default',
  chipSeed: 0,
  hardwareTimePerUnitUs: 6,
  weightQuantisation: true,
  fullScalePsp: FULL_SCALE_PSP_FAST_AND_DEEP,
  weightScale: null,
  mismatchScale: 1,
  mismatch: DEFAULT_BSS2_MISMATCH,
  noiseScale: 1,
  noise: DEFAULT_BSS2_NOISE,
  readoutLatencyNs: 80,
  quantiseInputTimes: true,
  quantiseOutputTimes: true,
  refractoryQuantisation: true,
  refractoryClockScale: 3,
  holdoffTicks: 1,
  tauResetUs: 0.5,
  synapticCurrentCap: undefined,
  deadFraction: 0,
  spontaneousFraction: 0,
  checkSize: true,
});

/**
 * Options that switch every hardware effect off: bss2 then simulates exactly what `ideal` does (same
 * spike times). Spread it and switch single effects back on to study them one at a time.
 */
export const BSS2_ALL_OFF: Readonly<Record<string, unknown>> = Object.freeze({
  weightQuantisation: false,
  mismatchScale: 0,
  noiseScale: 0,
  readoutLatencyNs: 0,
  quantiseInputTimes: false,
  quantiseOutputTimes: false,
  refractoryQuantisation: false,
  holdoffTicks: 0,
  tauResetUs: 0,
  synapticCurrentCap: null,
  deadFraction: 0,
  spontaneousFraction: 0,
  checkSize: false,
});

/**
 * Only the effects that have a numeric source (docs/substrates/bss2.md, "The sourced preset", names each
 * source): threshold fixed pattern 0.08/2.6 of the span with mean offset 0.13/2.6 and batch-to-batch noise
 * 0.04/2.6, no sample-to-sample threshold noise (DelGrad's hardware-aware config); chip-to-chip weight scale
 * 8% (jaxsnn: 48 vs 56); membrane noise 2 CADC LSB of 70 (hxtorch's mock); jitter 60 ns, latency 80 ns, 8 ns
 * clock, 6-bit weights at fastAndDeep's normalisation, the refractory counter, holdoff and 0.5 us reset.
 * Left at zero for want of a number: tau_m / tau_syn spreads, per-neuron gain and per-synapse and per-row
 * efficacy spreads, leak and reset spreads, dead and spontaneous neurons; no saturation cap (no level found).
 */
export const BSS2_SOURCED: Readonly<Record<string, unknown>> = Object.freeze({
  mismatchScale: 1,
  mismatch: Object.freeze({
    threshold: 0.08 / 2.6,
    thresholdOffset: 0.13 / 2.6,
    tauMem: 0,
    tauSynExc: 0,
    tauSynInh: 0,
    gain: 0,
    efficacy: 0,
    efficacyRow: 0,
    chipWeightScale: 0.08,
    leak: 0,
    reset: 0,
  }),
  noiseScale: 1,
  noise: Object.freeze({ thresholdBatch: 0.04 / 2.6, thresholdSample: 0, membrane: 2 / 70, jitterNs: 60, jitterReachesNetwork: true }),
  readoutLatencyNs: 80,
  synapticCurrentCap: null,
  deadFraction: 0,
  spontaneousFraction: 0,
});

/** The option sets behind `preset`. */
export const BSS2_PRESETS: Readonly<Record<Bss2PresetName, Readonly<Record<string, unknown>>>> = Object.freeze({
  default: Object.freeze({}),
  sourced: BSS2_SOURCED,
  'all-off': BSS2_ALL_OFF,
});

/** The default synaptic current cap: what 63 simultaneous inputs at the largest weight give (ASSUMPTION). */
export function defaultSynapticCurrentCap(weightScale: number): number {
  return (WEIGHT_MAX * WEIGHT_MAX) / weightScale;
}

type Check = OptionCheck;

function number(min: number, max: number, { minExclusive = false, integer = false, infinity = false } = {}): Check {
  return (value, path) => {
    const range = min === -Infinity ? '' : ` ${minExclusive ? '>' : '>='} ${min}${max < Infinity ? ` and <= ${max}` : ''}`;
    const what = `${integer ? 'an integer' : 'a number'}${range}`;
    if (typeof value !== 'number' || Number.isNaN(value)) fail(path, `must be ${what} (got ${describe(value)})`);
    if (!infinity && !Number.isFinite(value)) fail(path, `must be a finite number${range} (got ${value})`);
    if (integer && !Number.isInteger(value)) fail(path, `must be ${what} (got ${value})`);
    if (minExclusive ? !(value > min) : !(value >= min)) fail(path, `must be ${what} (got ${value})`);
    if (value > max) fail(path, `must be ${what} (got ${value})`);
  };
}

const boolean: Check = (value, path) => {
  if (typeof value !== 'boolean') fail(path, `must be true or false (got ${describe(value)})`);
};

const nonNegative = number(0, Infinity);
const fraction = number(0, 1);

// nested records: own keys only, unknown keys named (core/substrate/options.ts); the old single threshold
// noise option gets a pointer to its split
function objectOf(checks: Readonly<Record<string, Check>>, name: string): Check {
  const record = optionRecord(checks, `${name} option`);
  return (value, path) => {
    if (name === 'noise' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'threshold')) {
      fail(`${path}/threshold`, 'threshold noise is split into thresholdBatch (per batch/run) and thresholdSample (per sample/trial)');
    }
    record(value, path);
  };
}

const MISMATCH_CHECKS: Record<keyof Bss2MismatchOptions, Check> = {
  threshold: nonNegative,
  thresholdOffset: number(-1, 1),
  tauMem: nonNegative,
  tauSynExc: nonNegative,
  tauSynInh: nonNegative,
  gain: nonNegative,
  efficacy: nonNegative,
  efficacyRow: nonNegative,
  chipWeightScale: nonNegative,
  leak: nonNegative,
  reset: nonNegative,
};

const NOISE_CHECKS: Record<keyof Bss2NoiseOptions, Check> = {
  thresholdBatch: nonNegative,
  thresholdSample: nonNegative,
  membrane: nonNegative,
  jitterNs: nonNegative,
  jitterReachesNetwork: boolean,
};

const CHECKS: Record<keyof Bss2Options, Check> = {
  chipSeed: number(0, Number.MAX_SAFE_INTEGER, { integer: true }),
  hardwareTimePerUnitUs: number(0, Infinity, { minExclusive: true }),
  weightQuantisation: boolean,
  fullScalePsp: number(0, Infinity, { minExclusive: true }),
  weightScale: (value, path) => {
    if (value !== null) number(0, Infinity, { minExclusive: true })(value, path);
  },
  mismatchScale: nonNegative,
  mismatch: objectOf(MISMATCH_CHECKS, 'mismatch'),
  noiseScale: nonNegative,
  noise: objectOf(NOISE_CHECKS, 'noise'),
  readoutLatencyNs: number(-Infinity, Infinity),
  quantiseInputTimes: boolean,
  quantiseOutputTimes: boolean,
  refractoryQuantisation: boolean,
  refractoryClockScale: number(0, REFRACTORY_CLOCK_SCALE_MAX, { integer: true }),
  holdoffTicks: number(0, HOLDOFF_TICKS_MAX, { integer: true }),
  tauResetUs: nonNegative,
  synapticCurrentCap: (value, path) => {
    if (value !== null) number(0, Infinity, { minExclusive: true, infinity: true })(value, path);
  },
  deadFraction: fraction,
  spontaneousFraction: fraction,
  checkSize: boolean,
  preset: (value, path) => {
    if (typeof value !== 'string' || !Object.hasOwn(BSS2_PRESETS, value)) {
      fail(path, `must be one of ${Object.keys(BSS2_PRESETS).join(', ')} (got ${describe(value)})`);
    }
  },
};

/** The option names of bss2, in documentation order. */
export const BSS2_OPTION_NAMES: readonly (keyof Bss2Options)[] = Object.keys(CHECKS) as (keyof Bss2Options)[];

/**
 * Checks bss2 options as given in a config; throws an Error `/substrate/<option>: <reason>` (nested:
 * `/substrate/mismatch/<key>: ...`) for an unknown option or a wrong type or range.
 */
export function validateBss2Options(options: Readonly<Record<string, unknown>>): void {
  checkOptionRecord(options, '/substrate', CHECKS, "option for substrate 'bss2'");
  if (options.fullScalePsp !== undefined && options.weightScale !== undefined && options.weightScale !== null) {
    fail('/substrate/weightScale', 'give either weightScale (LSB per weight unit) or fullScalePsp (the scale is derived from it), not both');
  }
  const dead = (options.deadFraction as number | undefined) ?? 0;
  const spontaneous = (options.spontaneousFraction as number | undefined) ?? 0;
  if (dead + spontaneous > 1) fail('/substrate/spontaneousFraction', `deadFraction + spontaneousFraction must be <= 1 (got ${dead + spontaneous})`);
}

/** Validates `options` and fills in every default. */
export function resolveBss2Options(options: Readonly<Record<string, unknown>> = {}): Bss2Options {
  validateBss2Options(options);
  const o = options as Partial<Record<keyof Bss2Options, unknown>>;
  const preset = BSS2_PRESETS[(o.preset as Bss2PresetName | undefined) ?? 'default'] as Partial<Record<keyof Bss2Options, unknown>>;
  return {
    ...DEFAULT_BSS2_OPTIONS,
    ...(preset as Partial<Bss2Options>),
    ...(options as Partial<Bss2Options>),
    mismatch: {
      ...DEFAULT_BSS2_MISMATCH,
      ...(preset.mismatch as Partial<Bss2MismatchOptions> | undefined),
      ...(o.mismatch as Partial<Bss2MismatchOptions> | undefined),
    },
    noise: {
      ...DEFAULT_BSS2_NOISE,
      ...(preset.noise as Partial<Bss2NoiseOptions> | undefined),
      ...(o.noise as Partial<Bss2NoiseOptions> | undefined),
    },
  };
}

/** Hardware time in model units: `us` microseconds of chip time divided by hardwareTimePerUnitUs. */
export function usToModel(options: Pick<Bss2Options, 'hardwareTimePerUnitUs'>, us: number): number {
  return us / options.hardwareTimePerUnitUs;
}
