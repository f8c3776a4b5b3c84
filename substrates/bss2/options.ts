import { checkOptionRecord, describeOptionValue as describe, optionError as fail, optionRecord, type OptionCheck } from '../../core/substrate/options.ts';
import { HOLDOFF_TICKS_MAX, REFRACTORY_CLOCK_SCALE_MAX, WEIGHT_MAX } from './hardware.ts';

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
  /** Relative spread of each synapse's efficacy. Default 0.05. */
  readonly efficacy: number;
  /** Relative chip-to-chip spread of the overall weight scale. Default 0.08. */
  readonly chipWeightScale: number;
  /** Leak potential spread, fraction of (v_thresh - v_rest). Default 0 (not modelled by default). */
  readonly leak: number;
  /** Reset potential spread, fraction of (v_thresh - v_rest). Default 0 (not modelled by default). */
  readonly reset: number;
}

/** Trial-to-trial noise, drawn anew each trial; each is multiplied by {@link Bss2Options.noiseScale}. */
export interface Bss2NoiseOptions {
  /** Run-to-run threshold noise, fraction of (v_thresh - v_rest). Default 0.015. */
  readonly threshold: number;
  /** Read-out spike-time jitter, standard deviation in ns of hardware time. Default 60. */
  readonly jitterNs: number;
}

/** Options of the `bss2` substrate (config: `substrate: {name: "bss2", ...}`); every field has a default. */
export interface Bss2Options {
  /** Which chip: the seed of all fixed-pattern draws. Default 0. */
  readonly chipSeed: number;
  /** Hardware time of one model time unit (us). Default 6 (tau_syn = 6 us in the TTFS set-ups). */
  readonly hardwareTimePerUnitUs: number;
  /** Round weights to integers / weightScale and clip at +-63 (6-bit magnitude). Default true. */
  readonly weightQuantisation: boolean;
  /** Weight LSB per model weight unit (model weight = integer / weightScale). Default 30. */
  readonly weightScale: number;
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
  /** Cap on |synaptic current| per input type (model current units); null = no cap. Default 63 * 63 / weightScale. */
  readonly synapticCurrentCap: number | null;
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
  chipWeightScale: 0.08,
  leak: 0,
  reset: 0,
});

/** The default trial-to-trial noise. */
export const DEFAULT_BSS2_NOISE: Bss2NoiseOptions = Object.freeze({ threshold: 0.015, jitterNs: 60 });

/** Every default (the synaptic current cap is filled in from weightScale by {@link resolveBss2Options}). */
export const DEFAULT_BSS2_OPTIONS: Omit<Bss2Options, 'synapticCurrentCap'> = Object.freeze({
  chipSeed: 0,
  hardwareTimePerUnitUs: 6,
  weightQuantisation: true,
  weightScale: 30,
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

// nested records: own keys only, unknown keys named (core/substrate/options.ts)
const objectOf = (checks: Readonly<Record<string, Check>>, name: string): Check => optionRecord(checks, `${name} option`);

const MISMATCH_CHECKS: Record<keyof Bss2MismatchOptions, Check> = {
  threshold: nonNegative,
  thresholdOffset: number(-1, 1),
  tauMem: nonNegative,
  tauSynExc: nonNegative,
  tauSynInh: nonNegative,
  gain: nonNegative,
  efficacy: nonNegative,
  chipWeightScale: nonNegative,
  leak: nonNegative,
  reset: nonNegative,
};

const NOISE_CHECKS: Record<keyof Bss2NoiseOptions, Check> = { threshold: nonNegative, jitterNs: nonNegative };

const CHECKS: Record<keyof Bss2Options, Check> = {
  chipSeed: number(0, Number.MAX_SAFE_INTEGER, { integer: true }),
  hardwareTimePerUnitUs: number(0, Infinity, { minExclusive: true }),
  weightQuantisation: boolean,
  weightScale: number(0, Infinity, { minExclusive: true }),
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
};

/** The option names of bss2, in documentation order. */
export const BSS2_OPTION_NAMES: readonly (keyof Bss2Options)[] = Object.keys(CHECKS) as (keyof Bss2Options)[];

/**
 * Checks bss2 options as given in a config; throws an Error `/substrate/<option>: <reason>` (nested:
 * `/substrate/mismatch/<key>: ...`) for an unknown option or a wrong type or range.
 */
export function validateBss2Options(options: Readonly<Record<string, unknown>>): void {
  checkOptionRecord(options, '/substrate', CHECKS, "option for substrate 'bss2'");
  const dead = (options.deadFraction as number | undefined) ?? 0;
  const spontaneous = (options.spontaneousFraction as number | undefined) ?? 0;
  if (dead + spontaneous > 1) fail('/substrate/spontaneousFraction', `deadFraction + spontaneousFraction must be <= 1 (got ${dead + spontaneous})`);
}

/** Validates `options` and fills in every default. */
export function resolveBss2Options(options: Readonly<Record<string, unknown>> = {}): Bss2Options {
  validateBss2Options(options);
  const o = options as Partial<Record<keyof Bss2Options, unknown>>;
  const weightScale = (o.weightScale as number | undefined) ?? DEFAULT_BSS2_OPTIONS.weightScale;
  return {
    ...DEFAULT_BSS2_OPTIONS,
    ...(options as Partial<Bss2Options>),
    mismatch: { ...DEFAULT_BSS2_MISMATCH, ...(o.mismatch as Partial<Bss2MismatchOptions> | undefined) },
    noise: { ...DEFAULT_BSS2_NOISE, ...(o.noise as Partial<Bss2NoiseOptions> | undefined) },
    synapticCurrentCap:
      o.synapticCurrentCap === undefined ? defaultSynapticCurrentCap(weightScale) : (o.synapticCurrentCap as number | null),
  };
}

/** Hardware time in model units: `us` microseconds of chip time divided by hardwareTimePerUnitUs. */
export function usToModel(options: Pick<Bss2Options, 'hardwareTimePerUnitUs'>, us: number): number {
  return us / options.hardwareTimePerUnitUs;
}
