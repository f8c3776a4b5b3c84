import { toRange, type NumberRange } from '../arbitraries/gridDouble.ts';
import type { LifParamsConstraints } from '../arbitraries/lifParams.ts';
import type { SmallNetworkConstraints } from '../arbitraries/smallNetwork.ts';

/** The checks of the conformance suite (see docs/testing.md for what each one means). */
export type ConformanceCheckName =
  | 'crossings'
  | 'composition'
  | 'reproducibility'
  | 'refractoriness'
  | 'causality'
  | 'monotonicity';

/** Options of {@link substrateConformance} and of every `check...` function. */
export interface ConformanceOptions {
  /** Runs of each network-level check (reproducibility, refractoriness, causality, monotonicity). Default 100. */
  readonly numRuns?: number;
  /** Runs of each single-neuron check (crossings, composition, the refractory hold). Default 400. */
  readonly neuronRuns?: number;
  /** fast-check seed; the same seed draws the same cases. Default 42 (use e.g. `Date.now()` to explore). */
  readonly seed?: number;
  /** fast-check replay path from a failure report (use with its seed, and `only` the failed check). Default none. */
  readonly path?: string;
  /** Tolerance on crossing times against the oracle (ms); widened only where V is too flat to resolve it. Default 1e-9. */
  readonly toleranceMs?: number;
  /** Relative tolerance of the composition check (V with a floor of 1 mV, and currents). Default 1e-12. */
  readonly relativeTolerance?: number;
  /**
   * The dynamics are deterministic and exact (ideal-like). When false, the exact-oracle and composition
   * checks are skipped and monotonicity is off unless asked for; reproducibility, refractoriness and
   * causality still run. Default true.
   */
  readonly noiseFree?: boolean;
  /**
   * Check that an extra excitatory input never delays the first spike. Holds for the exact model; a
   * substrate whose realisation depends on the network's shape (e.g. mismatch drawn per synapse in
   * order) or that adds noise may break it legitimately. Default: the value of `noiseFree`.
   */
  readonly monotoneInExcitation?: boolean;
  /** Ranges of the neuron parameters drawn by every check. Default: see {@link LifParamsConstraints}. */
  readonly params?: LifParamsConstraints;
  /**
   * Length of the single-neuron search and propagation windows (ms, > 0). Default `{ min: 0.5, max: 1000 }`:
   * from a fraction of tau_m to hundreds of tau_m, as the engine searches when no input follows.
   */
  readonly horizonMs?: NumberRange;
  /** Shape of the random networks of the network-level checks (its `params` and `durationMs` come from here). Default: see {@link SmallNetworkConstraints}. */
  readonly network?: Omit<SmallNetworkConstraints, 'params' | 'durationMs'>;
  /** Simulated time of network-level runs (ms); source spikes fall in [0, durationMs). Default 40. */
  readonly durationMs?: number;
  /** Substrate options put into the specs (`substrate: { name, ...substrateOptions }`). Default `{}`. */
  readonly substrateOptions?: Readonly<Record<string, unknown>>;
  /** Grid intervals of the brute-force oracle over each search window. Default 2000. */
  readonly oracleGridPoints?: number;
  /** Checks not to run (shown as skipped by {@link substrateConformance}). Default none. */
  readonly skip?: readonly ConformanceCheckName[];
  /** Only these checks (for replaying one failure). Default all. */
  readonly only?: readonly ConformanceCheckName[];
  /** vitest timeout of each check (ms), for {@link substrateConformance}. Default 120000. */
  readonly timeoutMs?: number;
}

/** {@link ConformanceOptions} with every default filled in. */
export interface ResolvedConformanceOptions {
  readonly numRuns: number;
  readonly neuronRuns: number;
  readonly seed: number;
  readonly path: string | undefined;
  readonly toleranceMs: number;
  readonly relativeTolerance: number;
  readonly noiseFree: boolean;
  readonly monotoneInExcitation: boolean;
  readonly params: LifParamsConstraints;
  readonly horizonMs: NumberRange;
  readonly network: SmallNetworkConstraints;
  readonly durationMs: number;
  readonly substrateOptions: Readonly<Record<string, unknown>>;
  readonly oracleGridPoints: number;
  readonly skip: readonly ConformanceCheckName[];
  readonly only: readonly ConformanceCheckName[] | undefined;
  readonly timeoutMs: number;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what}: must be an integer >= 1 (got ${value})`);
  return value;
}

function positiveNumber(value: number, what: string): number {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`${what}: must be finite and > 0 (got ${value})`);
  return value;
}

function positiveRange(range: NumberRange, what: string): NumberRange {
  if (!(toRange(range, what).min > 0)) throw new RangeError(`${what}: must be > 0`);
  return range;
}

/** Fills in the defaults of {@link ConformanceOptions}; throws RangeError naming a bad option. */
export function resolveConformanceOptions(options: ConformanceOptions = {}): ResolvedConformanceOptions {
  const noiseFree = options.noiseFree ?? true;
  const durationMs = positiveNumber(options.durationMs ?? 40, 'durationMs');
  const params = options.params ?? {};
  return {
    numRuns: positiveInteger(options.numRuns ?? 100, 'numRuns'),
    neuronRuns: positiveInteger(options.neuronRuns ?? 400, 'neuronRuns'),
    seed: options.seed ?? 42,
    path: options.path,
    toleranceMs: positiveNumber(options.toleranceMs ?? 1e-9, 'toleranceMs'),
    relativeTolerance: positiveNumber(options.relativeTolerance ?? 1e-12, 'relativeTolerance'),
    noiseFree,
    monotoneInExcitation: options.monotoneInExcitation ?? noiseFree,
    params,
    horizonMs: positiveRange(options.horizonMs ?? { min: 0.5, max: 1000 }, 'horizonMs'),
    network: { ...options.network, params, durationMs },
    durationMs,
    substrateOptions: options.substrateOptions ?? {},
    oracleGridPoints: positiveInteger(options.oracleGridPoints ?? 2000, 'oracleGridPoints'),
    skip: options.skip ?? [],
    only: options.only,
    timeoutMs: positiveNumber(options.timeoutMs ?? 120_000, 'timeoutMs'),
  };
}

/** Why a check does not run under these options, or null when it runs. */
export function skipReason(check: ConformanceCheckName, o: ResolvedConformanceOptions): string | null {
  if (o.only !== undefined && !o.only.includes(check)) return 'not in options.only';
  if (o.skip.includes(check)) return 'in options.skip';
  if ((check === 'crossings' || check === 'composition') && !o.noiseFree) return 'noiseFree is false';
  if (check === 'monotonicity' && !o.monotoneInExcitation) return 'monotoneInExcitation is false';
  return null;
}
