import fc from 'fast-check';
import type { ConformanceCheckName, ResolvedConformanceOptions } from './options.ts';

/** What a passing check did: how many cases it ran and how many exercised each situation. */
export interface CheckSummary {
  readonly check: ConformanceCheckName;
  /** Cases run, per property of the check. */
  readonly runs: Readonly<Record<string, number>>;
  /** Situations met (e.g. `crossings`, `grazing`, `spikePairs`), to show the check was not vacuous. */
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * A conformance check failed. The message states the property, what went wrong on the shrunk
 * counterexample (in the substrate's own terms: times, potentials, parameters), the counterexample as
 * fast-check prints it, and the seed and path to replay it.
 */
export class ConformanceFailure extends Error {
  /** The check that failed. */
  readonly check: ConformanceCheckName;
  /** The property within the check, in words. */
  readonly property: string;
  readonly substrateName: string;
  /** The shrunk counterexample (the generated value). */
  readonly counterexample: unknown;
  /** What went wrong on the counterexample. */
  readonly reason: string;
  readonly seed: number;
  /** fast-check path of the counterexample (pass it with `seed` as options to replay). */
  readonly counterexamplePath: string | null;
  readonly numShrinks: number;

  constructor(init: {
    check: ConformanceCheckName;
    property: string;
    substrateName: string;
    counterexample: unknown;
    reason: string;
    seed: number;
    counterexamplePath: string | null;
    numShrinks: number;
    cause?: unknown;
  }) {
    const replay =
      init.counterexamplePath === null
        ? `{ seed: ${init.seed} }`
        : `{ seed: ${init.seed}, path: ${JSON.stringify(init.counterexamplePath)}, only: ['${init.check}'] }`;
    super(
      [
        `substrate '${init.substrateName}' fails conformance check '${init.check}': ${init.property}`,
        init.reason,
        `Counterexample (shrunk ${init.numShrinks} time${init.numShrinks === 1 ? '' : 's'}): ${fc.stringify(init.counterexample)}`,
        `Replay with options ${replay}`,
      ].join('\n'),
      { cause: init.cause },
    );
    this.name = 'ConformanceFailure';
    this.check = init.check;
    this.property = init.property;
    this.substrateName = init.substrateName;
    this.counterexample = init.counterexample;
    this.reason = init.reason;
    this.seed = init.seed;
    this.counterexamplePath = init.counterexamplePath;
    this.numShrinks = init.numShrinks;
  }
}

/** Throws an Error with `message` (a property violation, reported by {@link runProperty}). */
export function violated(message: string): never {
  throw new Error(message);
}

/**
 * Runs `predicate` (which throws on a violation) on `runs` values of `arbitrary` with the options' seed
 * and path; on failure throws a {@link ConformanceFailure} with the shrunk counterexample.
 */
export function runProperty<T>(
  id: { check: ConformanceCheckName; property: string; substrateName: string },
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => void,
  runs: number,
  o: ResolvedConformanceOptions,
): void {
  const details = fc.check(
    fc.property(arbitrary, (value) => {
      predicate(value);
    }),
    { numRuns: runs, seed: o.seed, path: o.path },
  );
  if (!details.failed) return;
  const error = details.errorInstance;
  const reason =
    details.counterexample === null
      ? `fast-check gave up (${details.interrupted ? 'interrupted' : 'too many skipped cases'})`
      : error instanceof Error
        ? error.message
        : String(error);
  throw new ConformanceFailure({
    ...id,
    counterexample: details.counterexample === null ? null : details.counterexample[0],
    reason,
    seed: details.seed,
    counterexamplePath: details.counterexamplePath,
    numShrinks: details.numShrinks,
    cause: error,
  });
}

/**
 * The smallest number of cases in which a check must have met the situation it is about (a spike, a
 * crossing, a pair of spikes...): 5% of its runs, and at least 1. A check that met it less often has
 * shown nothing about the substrate (a substrate that never spikes would pass every spike property).
 */
export function minimumExercised(runs: number): number {
  return Math.max(1, Math.ceil(0.05 * runs));
}

/**
 * Throws a {@link ConformanceFailure} when `count` (cases that exercised `what`) is below
 * {@link minimumExercised} of `runs`: the check passed vacuously.
 */
export function requireExercised(
  id: { check: ConformanceCheckName; property: string; substrateName: string },
  what: string,
  count: number,
  runs: number,
  o: ResolvedConformanceOptions,
): void {
  const minimum = minimumExercised(runs);
  if (count >= minimum) return;
  throw new ConformanceFailure({
    ...id,
    counterexample: null,
    reason:
      `the check exercised nothing: ${count} of ${runs} cases had ${what} (at least ${minimum} needed); ` +
      'a substrate that never spikes (or never moves) passes the property vacuously',
    seed: o.seed,
    counterexamplePath: null,
    numShrinks: 0,
  });
}
