/**
 * Options of the `imperfect` substrate (docs/substrates/imperfect.md): independent knobs for generic
 * hardware-like imperfections. Every knob is off by default, and with every knob off the substrate
 * simulates exactly what `ideal` does. Time units are the model's (ms in configs; tau_syn in the learning
 * presets, whose neuron has tau_syn = 1 ms). Voltage figures are fractions of the nominal distance
 * v_thresh - v_rest of each neuron.
 */
export interface ImperfectOptions {
  /** Which chip: the seed of every fixed-pattern draw (variation, dead and stuck-on neurons). Default 0. */
  readonly chipSeed: number;
  /** Relative std of tau_m per neuron (fixed pattern): tau_m (1 + sigma N), floored at 5% of nominal. Default 0. */
  readonly tauMemSpread: number;
  /** Relative std of tau_syn per neuron (fixed pattern, one factor for tau_syn_E and tau_syn_I). Default 0. */
  readonly tauSynSpread: number;
  /** Std of v_thresh per neuron (fixed pattern), fraction of v_thresh - v_rest. Default 0. */
  readonly thresholdSpread: number;
  /** Std of the leak potential v_rest per neuron (fixed pattern; the initial V moves with it), fraction of v_thresh - v_rest. Default 0. */
  readonly leakSpread: number;
  /** Std of v_reset per neuron (fixed pattern), fraction of v_thresh - v_rest. Default 0. */
  readonly resetSpread: number;
  /** Trial-to-trial std of v_thresh (drawn anew every trial), fraction of v_thresh - v_rest. Default 0. */
  readonly thresholdNoise: number;
  /** Gaussian jitter (std, model time units) on each emitted spike as the next layer receives it; not before 0. Default 0. */
  readonly transmissionJitterMs: number;
  /** Gaussian jitter (std, model time units) on each recorded spike time; not before 0. Does not change what the network sees. Default 0. */
  readonly readoutJitterMs: number;
  /**
   * Weight resolution: magnitude bits of a sign-magnitude weight (levels 0, +-1, ..., +-(2^bits - 1) times
   * the step weightRange / (2^bits - 1)); null = continuous weights. Default null.
   */
  readonly weightBits: number | null;
  /** Largest |weight| (nA) the weights are clipped to; null = each projection's own largest |weight| (no clipping). Default null. */
  readonly weightRange: number | null;
  /** `nearest` (halves away from zero) or `stochastic` (up with probability of the remainder, per realisation). Default `nearest`. */
  readonly weightRounding: 'nearest' | 'stochastic';
  /** Fraction of neurons that never fire (fixed pattern). Default 0. */
  readonly deadFraction: number;
  /** Fraction of neurons stuck on: they fire at t = 0 and again at the end of every refractory period. Default 0. */
  readonly stuckOnFraction: number;
  /** Probability that an emitted spike is lost: neither the next layer nor the record sees it. Default 0. */
  readonly spikeLoss: number;
  /** Relative error of the ratio tau_m / tau_syn, chip-wide: tau_m (1 + error), tau_syn unchanged. > -1. Default 0. */
  readonly tauRatioError: number;
}

/** Every default: all knobs off. */
export const DEFAULT_IMPERFECT_OPTIONS: ImperfectOptions = Object.freeze({
  chipSeed: 0,
  tauMemSpread: 0,
  tauSynSpread: 0,
  thresholdSpread: 0,
  leakSpread: 0,
  resetSpread: 0,
  thresholdNoise: 0,
  transmissionJitterMs: 0,
  readoutJitterMs: 0,
  weightBits: null,
  weightRange: null,
  weightRounding: 'nearest',
  deadFraction: 0,
  stuckOnFraction: 0,
  spikeLoss: 0,
  tauRatioError: 0,
});

type Check = (value: unknown, path: string) => void;

function fail(path: string, reason: string): never {
  throw new Error(`${path}: ${reason}`);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function number(min: number, max: number, { minExclusive = false, integer = false, nullable = false } = {}): Check {
  return (value, path) => {
    if (nullable && value === null) return;
    const range = `${minExclusive ? '>' : '>='} ${min}${max < Infinity ? ` and <= ${max}` : ''}`;
    const what = `${integer ? 'an integer' : 'a finite number'} ${range}${nullable ? ' or null' : ''}`;
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `must be ${what} (got ${shown(value)})`);
    if (integer && !Number.isInteger(value)) fail(path, `must be ${what} (got ${value})`);
    if ((minExclusive ? !(value > min) : !(value >= min)) || value > max) fail(path, `must be ${what} (got ${value})`);
  };
}

const spread = number(0, 10);
const fraction = number(0, 1);
const jitter = number(0, Number.MAX_VALUE);

const CHECKS: Readonly<Record<keyof ImperfectOptions, Check>> = {
  chipSeed: number(0, Number.MAX_SAFE_INTEGER, { integer: true }),
  tauMemSpread: spread,
  tauSynSpread: spread,
  thresholdSpread: spread,
  leakSpread: spread,
  resetSpread: spread,
  thresholdNoise: spread,
  transmissionJitterMs: jitter,
  readoutJitterMs: jitter,
  weightBits: number(1, 30, { integer: true, nullable: true }),
  weightRange: number(0, Number.MAX_VALUE, { minExclusive: true, nullable: true }),
  weightRounding: (value, path) => {
    if (value !== 'nearest' && value !== 'stochastic') fail(path, `must be 'nearest' or 'stochastic' (got ${shown(value)})`);
  },
  deadFraction: fraction,
  stuckOnFraction: fraction,
  spikeLoss: fraction,
  tauRatioError: number(-1, 10, { minExclusive: true }),
};

/** The option names of `imperfect`, in documentation order. */
export const IMPERFECT_OPTION_NAMES: readonly (keyof ImperfectOptions)[] = Object.keys(CHECKS) as (keyof ImperfectOptions)[];

/**
 * Checks options as given in a config: own keys only (a key such as `toString` or `__proto__` is an
 * unknown option like any other), every value typed and in range. Throws `/substrate/<option>: <reason>`.
 */
export function validateImperfectOptions(options: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(CHECKS, key)) {
      fail(`/substrate/${key}`, `unknown option for substrate 'imperfect' (known: ${IMPERFECT_OPTION_NAMES.join(', ')})`);
    }
    CHECKS[key as keyof ImperfectOptions](options[key], `/substrate/${key}`);
  }
  const dead = (options.deadFraction as number | undefined) ?? 0;
  const stuck = (options.stuckOnFraction as number | undefined) ?? 0;
  if (dead + stuck > 1) fail('/substrate/stuckOnFraction', `deadFraction + stuckOnFraction must be <= 1 (got ${dead + stuck})`);
  if (options.weightRange !== undefined && options.weightRange !== null && (options.weightBits ?? null) === null) {
    fail('/substrate/weightRange', 'needs weightBits (the range is that of the quantised weights)');
  }
}

/** Validates `options` and fills in every default. */
export function resolveImperfectOptions(options: Readonly<Record<string, unknown>> = {}): ImperfectOptions {
  validateImperfectOptions(options);
  const resolved: Record<string, unknown> = { ...DEFAULT_IMPERFECT_OPTIONS };
  for (const key of Object.keys(options)) resolved[key] = options[key];
  return resolved as unknown as ImperfectOptions;
}
