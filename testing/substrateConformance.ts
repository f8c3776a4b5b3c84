import { describe, it } from 'vitest';
import type { Substrate } from '../core/substrate/substrate.ts';
import { checkCausality } from './checks/causality.ts';
import { checkPropagatorComposition } from './checks/composition.ts';
import { checkCrossingsAgainstOracle } from './checks/crossings.ts';
import type { CheckSummary } from './checks/failure.ts';
import { checkMonotoneInExcitation } from './checks/monotonicity.ts';
import { resolveConformanceOptions, skipReason, type ConformanceCheckName, type ConformanceOptions } from './checks/options.ts';
import { checkRefractoriness } from './checks/refractoriness.ts';
import { checkReproducibility } from './checks/reproducibility.ts';

/** A check of the suite: its name, what it asserts, and the function that runs it. */
export interface ConformanceCheck {
  readonly name: ConformanceCheckName;
  readonly title: string;
  readonly run: <C>(substrate: Substrate<C>, options?: ConformanceOptions) => CheckSummary;
}

/** The checks of {@link substrateConformance}, in the order they are registered. */
export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  {
    name: 'crossings',
    title: 'nextSpikeTime finds exactly the first crossing of a brute-force oracle (grazing cases included)',
    run: checkCrossingsAgainstOracle,
  },
  {
    name: 'composition',
    title: 'advanceTo composes: t1 then t2 equals t2 directly, and membranePotentialAt agrees',
    run: checkPropagatorComposition,
  },
  { name: 'reproducibility', title: 'two simulate runs of the same spec and trial are bitwise identical', run: checkReproducibility },
  { name: 'refractoriness', title: 'no spike within tau_refrac of the previous one (strongly driven networks)', run: checkRefractoriness },
  { name: 'causality', title: 'a neuron at rest without offset current never spikes before its first input', run: checkCausality },
  { name: 'monotonicity', title: 'an extra excitatory input never delays the first spike', run: checkMonotoneInExcitation },
];

/**
 * Registers the conformance suite of `substrate` with vitest: a `describe` block with one `it` per
 * check (checks that do not apply are named, with the reason, in the describe title). Call it at the top level of a test file:
 *
 * ```ts
 * import { substrateConformance } from 'firstspike/testing';
 * import { mySubstrate } from '../src/mySubstrate.ts';
 * substrateConformance(mySubstrate);
 * ```
 *
 * A failing check throws a {@link ConformanceFailure} whose message holds the shrunk counterexample and
 * the options that replay it. Options are checked when this is called (RangeError for a bad one).
 */
export function substrateConformance<C>(substrate: Substrate<C>, options: ConformanceOptions = {}): void {
  const o = resolveConformanceOptions(options);
  const notApplicable = CONFORMANCE_CHECKS.filter((check) => skipReason(check.name, o) !== null)
    .map((check) => `${check.name}: ${skipReason(check.name, o)}`);
  const title = notApplicable.length === 0 ? '' : ` (not applicable: ${notApplicable.join('; ')})`;
  describe(`substrate '${substrate.name}' conformance${title}`, () => {
    for (const check of CONFORMANCE_CHECKS) {
      if (skipReason(check.name, o) !== null) continue; // named in the describe title instead of a skipped test
      it(`${check.name}: ${check.title}`, () => {
        check.run(substrate, options);
      }, o.timeoutMs);
    }
  });
}
