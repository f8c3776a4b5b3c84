import fc from 'fast-check';
import { lifParamsAt } from '../../core/lif/params.ts';
import type { Network } from '../../core/network/network.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';
import { gridDouble } from '../arbitraries/gridDouble.ts';
import { neuronCaseArbitrary, unitCurrents, type NeuronCase } from '../arbitraries/neuronCase.ts';
import { smallNetworkArbitrary } from '../arbitraries/smallNetwork.ts';
import { describeNetwork } from '../describeNetwork.ts';
import { describeParams, describeState, copyStates, loadStates, paramArraysOf } from './_internals/neurons.ts';
import { mapLifParams, runRealised, specFor, spikeTimesByNeuron } from './_internals/networks.ts';
import { requireExercised, runProperty, violated, type CheckSummary } from './failure.ts';
import { resolveConformanceOptions, type ConformanceOptions } from './options.ts';

/** One case of the network-level refractoriness check. */
export interface DrivenNetworkCase {
  readonly network: Network;
  /**
   * Every LIF neuron gets the offset current that puts its asymptote at
   * v_thresh + drive (v_thresh - v_reset), so it fires tonically on top of its inputs.
   */
  readonly drive: number;
  readonly seed: number;
  readonly trial: number;
}

/** One case of the dynamics-level refractory-hold check. */
export interface RefractoryHoldCase {
  /** 1-3 strongly excited neurons in one set of state arrays; the last one fires at lastMs. */
  readonly neurons: readonly NeuronCase[];
  readonly lastMs: number;
  /** Strong excitatory inputs during the refractory period: when (fraction of tau_refrac) and how strong (unit currents). */
  readonly kicks: readonly { readonly at: number; readonly strength: number }[];
}

/** The network of a {@link DrivenNetworkCase} with its drive applied. */
export function drivenNetwork(c: DrivenNetworkCase): Network {
  return mapLifParams(c.network, (p) => {
    const asymptote = p.vThreshMv + c.drive * (p.vThreshMv - p.vResetMv);
    return { ...p, iOffsetNa: (p.capacitanceNf * (asymptote - p.vRestMv)) / p.tauMemMs };
  });
}

/**
 * Refractoriness: (1) in strongly driven random networks (every neuron fires tonically), no two spikes
 * of a neuron are closer than its realised tau_refrac (up to rounding of the spike times); (2) at the
 * dynamics level, after `fire`, `nextSpikeTime` reports no spike before lastMs + tau_refrac, however
 * strong the input received meanwhile. The network property runs on the realised network without the
 * observation model. Throws {@link ConformanceFailure} with the shrunk counterexample.
 */
export function checkRefractoriness<C>(substrate: Substrate<C>, options: ConformanceOptions = {}): CheckSummary {
  const o = resolveConformanceOptions(options);
  substrate.validateOptions(o.substrateOptions);
  const dyn = substrate.dynamics;
  const counts = { spikePairs: 0, runsWithPairs: 0, holdQueries: 0 };
  const EPS = Number.EPSILON;

  const networkCases: fc.Arbitrary<DrivenNetworkCase> = fc.record({
    network: smallNetworkArbitrary(o.network),
    drive: gridDouble({ min: 0.2, max: 3 }),
    seed: fc.nat({ max: 1_000_000 }),
    trial: fc.nat({ max: 3 }),
  });
  runProperty(
    {
      check: 'refractoriness',
      property: 'no two spikes of a neuron closer than its tau_refrac (strongly driven networks)',
      substrateName: substrate.name,
    },
    networkCases,
    (c) => {
      const network = drivenNetwork(c);
      const { realised, spikes } = runRealised(substrate, specFor(substrate, network, c.seed, o), c.trial);
      const pairsBefore = counts.spikePairs;
      for (const [key, times] of spikeTimesByNeuron(spikes)) {
        const [pop, neuron] = key.split(':').map(Number);
        const p = realised.populations[pop];
        if (p.kind !== 'lif') continue;
        const tauRefrac = p.params.tauRefracMs[neuron];
        for (let q = 1; q < times.length; q++) {
          counts.spikePairs++;
          const gap = times[q] - times[q - 1];
          if (gap < tauRefrac - 8 * EPS * Math.max(1, Math.abs(times[q]))) {
            violated(
              `neuron ${neuron} of population ${pop} ('${p.name}') spiked at ${times[q - 1]} ms and again at ${times[q]} ms, ` +
                `${gap} ms apart, less than its tau_refrac ${tauRefrac} ms (spikes: ${times.slice(0, q + 1).join(', ')})\n` +
                `realised parameters: ${describeParams(lifParamsAt(p.params, neuron))}\n` +
                `simulated network (drive applied):\n${describeNetwork(network)}`,
            );
          }
        }
      }
      if (counts.spikePairs > pairsBefore) counts.runsWithPairs++;
    },
    o.numRuns,
    o,
  );

  const holdCases: fc.Arbitrary<RefractoryHoldCase> = fc.record({
    neurons: fc.array(neuronCaseArbitrary({ params: o.params, excitation: { min: 2, max: 8 } }), { minLength: 1, maxLength: 3 }),
    lastMs: fc.constantFrom(0, 1.5, 37.25, 1000.1),
    kicks: fc.array(fc.record({ at: gridDouble({ min: 0, max: 1 }), strength: gridDouble({ min: 1, max: 8 }) }), { maxLength: 3 }),
  });
  runProperty(
    {
      check: 'refractoriness',
      property: 'after fire, nextSpikeTime reports no spike before lastMs + tau_refrac',
      substrateName: substrate.name,
    },
    holdCases,
    (c) => {
      const n = c.neurons.length;
      const i = n - 1;
      const params = c.neurons.map((x) => x.params);
      const k = dyn.prepare(paramArraysOf(params));
      const s = loadStates(c.neurons, c.lastMs);
      s.refractoryUntilMs[i] = -Infinity;
      const start = copyStates(s);
      dyn.fire(s, k, i);
      const tauRefrac = params[i].tauRefracMs;
      const end = c.lastMs + tauRefrac;
      const horizon = end + tauRefrac + 20;
      const unit = unitCurrents(params[i]).excNa;
      const kicks = [...c.kicks].sort((a, b) => a.at - b.at);
      const query = (after: string): void => {
        counts.holdQueries++;
        const t = dyn.nextSpikeTime(s, k, i, horizon);
        if (t < end - 8 * EPS * Math.max(1, Math.abs(end))) {
          violated(
            `after fire at ${c.lastMs} ms${after}, nextSpikeTime = ${t} ms is before the end of the refractory period ${end} ms\n` +
              `neuron ${i} of ${n}: ${describeParams(params[i])}\nstate before fire: ${describeState(start, i)}\n` +
              `state now: ${describeState(s, i)}`,
          );
        }
      };
      query('');
      for (const kick of kicks) {
        const t = c.lastMs + kick.at * tauRefrac;
        dyn.advanceTo(s, k, i, t);
        dyn.receive(s, k, i, kick.strength * unit);
        query(` and an input of ${kick.strength * unit} nA at ${t} ms`);
      }
    },
    o.neuronRuns,
    o,
  );
  requireExercised(
    { check: 'refractoriness', property: 'no two spikes of a neuron closer than its tau_refrac (strongly driven networks)', substrateName: substrate.name },
    'a neuron that spiked twice',
    counts.runsWithPairs,
    o.numRuns,
    o,
  );
  return { check: 'refractoriness', runs: { network: o.numRuns, hold: o.neuronRuns }, counts };
}
