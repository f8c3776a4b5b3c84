/**
 * firstspike/testing/vitest: the conformance suite as vitest tests. This entry imports vitest (a peer
 * dependency); everything else of the kit is in firstspike/testing, which loads without it.
 */
import { describe, it } from 'vitest';
import type { Substrate } from '../core/substrate/substrate.ts';
import { resolveConformanceOptions, skipReason, type ConformanceOptions } from './checks/options.ts';
import { CONFORMANCE_CHECKS } from './substrateConformance.ts';

/**
 * Registers the conformance suite of `substrate` with vitest: a `describe` block with one `it` per
 * check (checks that do not apply are named, with the reason, in the describe title). Call it at the top level of a test file:
 *
 * ```ts
 * import { substrateConformance } from 'firstspike/testing/vitest';
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
