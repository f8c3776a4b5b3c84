/**
 * firstspike/testing: a property-testing kit for substrates.
 *
 * - `substrateConformance` (from firstspike/testing/vitest, the one part that needs vitest) registers,
 *   inside a vitest file, the battery of checks every substrate must pass (exact crossings against a brute-force oracle, propagator composition, reproducibility,
 *   refractoriness, causality, monotonicity in excitation); each check is also a plain function
 *   (`checkCrossingsAgainstOracle`, ...) that throws a {@link ConformanceFailure} with a shrunk
 *   fast-check counterexample.
 * - fast-check arbitraries for LIF parameters, neuron states, input trains, weight matrices and small
 *   networks, with documented constraint objects.
 * - The brute-force crossing oracle and a readable network description.
 *
 * This entry loads without vitest. fast-check is a peer dependency (npm installs it with firstspike);
 * vitest is an optional one, needed only by firstspike/testing/vitest.
 * See docs/testing.md.
 */
export * from './arbitraries.ts';
export { bruteForceFirstCrossing, goldenSectionMax, maximumOnInterval } from './oracle.ts';
export { describeNetwork, describeParams } from './describeNetwork.ts';
export {
  resolveConformanceOptions,
  skipReason,
  type ConformanceCheckName,
  type ConformanceOptions,
  type ResolvedConformanceOptions,
} from './checks/options.ts';
export { ConformanceFailure, minimumExercised, type CheckSummary } from './checks/failure.ts';
export { checkCrossingsAgainstOracle, crossingCaseArbitrary, type CrossingCase } from './checks/crossings.ts';
export { checkPropagatorComposition, compositionCaseArbitrary, type CompositionCase } from './checks/composition.ts';
export { checkReproducibility, networkCaseArbitrary, type NetworkCase } from './checks/reproducibility.ts';
export { checkRefractoriness, drivenNetwork, type DrivenNetworkCase, type RefractoryHoldCase } from './checks/refractoriness.ts';
export { checkCausality } from './checks/causality.ts';
export {
  MONOTONICITY_TOLERANCE_MS,
  checkMonotoneInExcitation,
  withExtraInput,
  type MonotonicityCase,
} from './checks/monotonicity.ts';
export { CONFORMANCE_CHECKS, type ConformanceCheck } from './substrateConformance.ts';
