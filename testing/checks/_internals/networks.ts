import { runNetwork } from '../../../core/engine/runNetwork.ts';
import { realiseContext } from '../../../core/engine/simulate.ts';
import type { SpikeTable } from '../../../core/engine/recorder.ts';
import { lifParamsAt, type LifParams } from '../../../core/lif/params.ts';
import type { LifPopulation, Network } from '../../../core/network/network.ts';
import type { SimulationSpec } from '../../../core/simulation.ts';
import type { Substrate } from '../../../core/substrate/substrate.ts';
import { withDescription } from '../../arbitraries/smallNetwork.ts';
import { paramArraysOf } from './neurons.ts';
import type { ResolvedConformanceOptions } from '../options.ts';

/** The spec of a network-level run on `substrate`, recording every LIF population's spikes. */
export function specFor<C>(substrate: Substrate<C>, network: Network, seed: number, o: ResolvedConformanceOptions): SimulationSpec {
  return {
    network,
    durationMs: o.durationMs,
    seed,
    substrate: { name: substrate.name, options: o.substrateOptions },
    recording: {},
  };
}

/**
 * What the network does on the substrate, without the observation model (which may legitimately
 * perturb recorded times): the realised network and the spikes the engine emits with the substrate's
 * dynamics.
 */
export function runRealised<C>(
  substrate: Substrate<C>,
  spec: SimulationSpec,
  trial: number,
): { realised: Network; spikes: SpikeTable } {
  substrate.validateOptions(spec.substrate.options);
  const realised = substrate.realise(spec.network, realiseContext(spec, trial));
  const run = runNetwork({
    network: realised,
    dynamics: substrate.dynamics,
    durationMs: spec.durationMs,
    recording: spec.recording,
  });
  return { realised, spikes: run.spikes };
}

/** Spike times per (population, neuron), in emission order. */
export function spikeTimesByNeuron(spikes: SpikeTable): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let k = 0; k < spikes.timeMs.length; k++) {
    const key = `${spikes.population[k]}:${spikes.neuron[k]}`;
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push(spikes.timeMs[k]);
  }
  return out;
}

/** The network with every LIF neuron's parameters replaced by `update(params, population, neuron)`. */
export function mapLifParams(network: Network, update: (params: LifParams, population: number, neuron: number) => LifParams): Network {
  const populations = network.populations.map((p, idx) => {
    if (p.kind !== 'lif') return p;
    const list = Array.from({ length: p.size }, (_, j) => update(lifParamsAt(p.params, j), idx, j));
    const lif: LifPopulation = { ...p, params: paramArraysOf(list), initialVMv: p.initialVMv.slice() };
    return lif;
  });
  return withDescription({ populations, projections: network.projections });
}

/** A deep fingerprint of a network's contents, to detect modification. */
export function networkFingerprint(network: Network): string {
  const arrays = (x: unknown): unknown =>
    ArrayBuffer.isView(x) ? Array.from(x as Float64Array, (v) => (Object.is(v, -0) ? '-0' : String(v))) : x;
  return JSON.stringify(network, (_key, value: unknown) => arrays(value));
}
