import type { Substrate } from '../core/substrate/substrate.ts';
import { checkCausality } from './checks/causality.ts';
import { checkPropagatorComposition } from './checks/composition.ts';
import { checkCrossingsAgainstOracle } from './checks/crossings.ts';
import type { CheckSummary } from './checks/failure.ts';
import { checkMonotoneInExcitation } from './checks/monotonicity.ts';
import type { ConformanceCheckName, ConformanceOptions } from './checks/options.ts';
import { checkRefractoriness } from './checks/refractoriness.ts';
import { checkReproducibility } from './checks/reproducibility.ts';

/** A check of the suite: its name, what it asserts, and the function that runs it. */
export interface ConformanceCheck {
  readonly name: ConformanceCheckName;
  readonly title: string;
  readonly run: <C>(substrate: Substrate<C>, options?: ConformanceOptions) => CheckSummary;
}

/** The checks of `substrateConformance` (firstspike/testing/vitest), in the order they are registered. */
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
