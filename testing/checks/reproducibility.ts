import fc from 'fast-check';
import { simulate, type SimulationResult } from '../../core/engine/simulate.ts';
import type { Network } from '../../core/network/network.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';
import { smallNetworkArbitrary } from '../arbitraries/smallNetwork.ts';
import { networkFingerprint, specFor } from './_internals/networks.ts';
import { requireExercised, runProperty, violated, type CheckSummary } from './failure.ts';
import { resolveConformanceOptions, type ConformanceOptions } from './options.ts';

/** One case of a network-level check: a network, a master seed and a trial number. */
export interface NetworkCase {
  readonly network: Network;
  readonly seed: number;
  readonly trial: number;
}

/** Cases of the network-level checks: small networks with a seed and a trial. */
export function networkCaseArbitrary(options: ConformanceOptions = {}): fc.Arbitrary<NetworkCase> {
  const o = resolveConformanceOptions(options);
  return fc.record({
    network: smallNetworkArbitrary(o.network),
    seed: fc.nat({ max: 1_000_000 }),
    trial: fc.nat({ max: 3 }),
  });
}

/** The first bitwise difference between two results (spikes, traces, statistics), or null. */
function resultDifference(a: SimulationResult, b: SimulationResult): string | null {
  const sa = a.spikes;
  const sb = b.spikes;
  if (sa.timeMs.length !== sb.timeMs.length) return `${sa.timeMs.length} spikes vs ${sb.timeMs.length}`;
  for (let k = 0; k < sa.timeMs.length; k++) {
    if (sa.population[k] !== sb.population[k] || sa.neuron[k] !== sb.neuron[k] || !Object.is(sa.timeMs[k], sb.timeMs[k])) {
      return `spike ${k}: population ${sa.population[k]} neuron ${sa.neuron[k]} at ${sa.timeMs[k]} ms vs population ${sb.population[k]} neuron ${sb.neuron[k]} at ${sb.timeMs[k]} ms`;
    }
  }
  for (let tr = 0; tr < a.traces.length; tr++) {
    const va = a.traces[tr].vMv;
    const vb = b.traces[tr]?.vMv;
    if (vb === undefined || va.length !== vb.length) return `trace ${tr} lengths differ`;
    for (let k = 0; k < va.length; k++) {
      if (!Object.is(va[k], vb[k])) return `trace ${tr} sample ${k}: ${va[k]} mV vs ${vb[k]} mV`;
    }
  }
  const ja = JSON.stringify(a.statistics);
  const jb = JSON.stringify(b.statistics);
  return ja === jb ? null : `statistics ${ja} vs ${jb}`;
}

/**
 * Reproducibility for a seed: two `simulate(spec, { substrate, trial })` runs of the same spec and trial
 * give bitwise identical spikes, membrane traces (of every neuron of the first LIF population) and
 * statistics, and `realise` leaves the spec's network unmodified. Throws {@link ConformanceFailure}
 * with the shrunk counterexample.
 */
export function checkReproducibility<C>(substrate: Substrate<C>, options: ConformanceOptions = {}): CheckSummary {
  const o = resolveConformanceOptions(options);
  substrate.validateOptions(o.substrateOptions);
  const counts = { spikes: 0, runsWithSpikes: 0 };
  runProperty(
    {
      check: 'reproducibility',
      property: 'two simulate runs of the same spec and trial are bitwise identical',
      substrateName: substrate.name,
    },
    networkCaseArbitrary(options),
    ({ network, seed, trial }) => {
      const firstLif = network.populations.findIndex((p) => p.kind === 'lif');
      const spec = {
        ...specFor(substrate, network, seed, o),
        recording: {
          membrane: [
            { population: firstLif, indices: Array.from({ length: network.populations[firstLif].size }, (_, j) => j), dtMs: 0.37 },
          ],
        },
      };
      const before = networkFingerprint(network);
      const first = simulate(spec, { substrate, trial });
      const second = simulate(spec, { substrate, trial });
      if (networkFingerprint(network) !== before) violated('realise (or the run) modified the spec network');
      const diff = resultDifference(first, second);
      if (diff !== null) violated(`runs differ (seed ${seed}, trial ${trial}): ${diff}`);
      counts.spikes += first.spikes.timeMs.length;
      if (first.spikes.timeMs.length > 0) counts.runsWithSpikes++;
    },
    o.numRuns,
    o,
  );
  requireExercised(
    { check: 'reproducibility', property: 'two simulate runs of the same spec and trial are bitwise identical', substrateName: substrate.name },
    'a spike',
    counts.runsWithSpikes,
    o.numRuns,
    o,
  );
  return { check: 'reproducibility', runs: { reproducibility: o.numRuns }, counts };
}
