import type { Substrate } from '../../core/substrate/substrate.ts';
import { describeNetwork } from '../describeNetwork.ts';
import { runRealised, specFor, spikeTimesByNeuron } from './_internals/networks.ts';
import { requireExercised, runProperty, violated, type CheckSummary } from './failure.ts';
import { resolveConformanceOptions, type ConformanceOptions } from './options.ts';
import { networkCaseArbitrary } from './reproducibility.ts';

/**
 * Causality: in random networks without offset currents whose neurons start at rest, no neuron spikes
 * before its first input arrives (the earliest source spike or recorded LIF spike of a presynaptic
 * neuron plus the projection's delay). Judged on the realised network, for every neuron that is still
 * quiescent there (no offset current, initial V and v_rest below threshold), without the observation
 * model. Throws {@link ConformanceFailure} with the shrunk counterexample.
 */
export function checkCausality<C>(substrate: Substrate<C>, options: ConformanceOptions = {}): CheckSummary {
  const o = resolveConformanceOptions(options);
  substrate.validateOptions(o.substrateOptions);
  const counts = { spikingNeurons: 0, runsWithSpikes: 0, notQuiescent: 0 };
  const quiet = { ...options, params: { ...o.params, iOffsetNa: 0 } };
  runProperty(
    {
      check: 'causality',
      property: 'a neuron at rest without offset current never spikes before its first input arrives',
      substrateName: substrate.name,
    },
    networkCaseArbitrary(quiet),
    ({ network, seed, trial }) => {
      const { realised, spikes } = runRealised(substrate, specFor(substrate, network, seed, o), trial);
      const byNeuron = spikeTimesByNeuron(spikes);
      const firstSpike = (pop: number, j: number): number => {
        const p = realised.populations[pop];
        if (p.kind === 'source') return p.spikeTimesMs[j].reduce((a, b) => Math.min(a, b), Infinity);
        return byNeuron.get(`${pop}:${j}`)?.[0] ?? Infinity;
      };
      const firstArrival = realised.populations.map((p) => new Float64Array(p.size).fill(Infinity));
      for (const proj of realised.projections) {
        const syn = proj.synapses;
        for (let j = 0; j < syn.rows; j++) {
          const t = firstSpike(proj.source, j) + proj.delayMs;
          for (let e = syn.rowStart[j]; e < syn.rowStart[j + 1]; e++) {
            const target = syn.targets[e];
            if (t < firstArrival[proj.target][target]) firstArrival[proj.target][target] = t;
          }
        }
      }
      const spikingBefore = counts.spikingNeurons;
      realised.populations.forEach((p, pop) => {
        if (p.kind !== 'lif') return;
        for (let j = 0; j < p.size; j++) {
          const t = byNeuron.get(`${pop}:${j}`)?.[0];
          if (t === undefined) continue;
          const theta = p.params.vThreshMv[j];
          if (p.params.iOffsetNa[j] !== 0 || !(Math.max(p.initialVMv[j], p.params.vRestMv[j]) < theta)) {
            counts.notQuiescent++;
            continue;
          }
          counts.spikingNeurons++;
          if (t < firstArrival[pop][j]) {
            violated(
              `neuron ${j} of population ${pop} ('${p.name}') spiked at ${t} ms, before its first input arrives ` +
                `(${firstArrival[pop][j]} ms)\nsimulated network:\n${describeNetwork(network)}`,
            );
          }
        }
      });
      if (counts.spikingNeurons > spikingBefore) counts.runsWithSpikes++;
    },
    o.numRuns,
    o,
  );
  requireExercised(
    { check: 'causality', property: 'a neuron at rest without offset current never spikes before its first input arrives', substrateName: substrate.name },
    'a quiescent neuron that spiked',
    counts.runsWithSpikes,
    o.numRuns,
    o,
  );
  return { check: 'causality', runs: { causality: o.numRuns }, counts };
}
