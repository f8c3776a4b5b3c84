import type { LifPopulation, Network, Population } from '../../core/network/network.ts';
import type { RecordingSpec } from '../../core/network/network.ts';
import { PYNN_PARAM_NAMES } from '../../core/config/pynnParamNames.ts';

/*
 * The network data embedded in an exported PyNN script: every population with its per-neuron
 * parameters (PyNN IF_curr_exp names and units: ms, mV, nF, nA), spike sources with their exact times,
 * projections as explicit (pre, post, weight) lists with one delay, and what to record. Poisson sources
 * and random connectors arrive here already drawn (the built network), so the script builds exactly the
 * network that firstspike simulates.
 */

/** A parameter: one value shared by all neurons, or one per neuron. */
export type PerNeuron = number | number[];

export interface PynnSourcePopulation {
  readonly name: string;
  readonly kind: 'source';
  readonly size: number;
  /** Exact spike times (ms) per neuron, ascending. */
  readonly spike_times: number[][];
}

export interface PynnLifPopulation {
  readonly name: string;
  readonly kind: 'lif';
  readonly size: number;
  /** IF_curr_exp parameters under their PyNN names. */
  readonly params: Record<string, PerNeuron>;
  readonly initial_v: PerNeuron;
}

export interface PynnProjection {
  readonly name: string;
  readonly source: string;
  readonly target: string;
  /** firstspike's delay (ms; may be 0, which PyNN cannot express: the script raises it to one step). */
  readonly delay_ms: number;
  /** [pre, post, weight (nA)]; weight > 0 excitatory, < 0 inhibitory. */
  readonly connections: [number, number, number][];
}

export interface PynnNetworkData {
  readonly duration_ms: number;
  readonly populations: (PynnSourcePopulation | PynnLifPopulation)[];
  readonly projections: PynnProjection[];
  readonly record: {
    readonly spikes: string[];
    readonly v: { population: string; indices: number[]; dt_ms: number }[];
  };
}

function perNeuron(values: Float64Array): PerNeuron {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return Array.from(values);
  return values[0];
}

function lifData(pop: LifPopulation): PynnLifPopulation {
  const params: Record<string, PerNeuron> = {};
  for (const [field, name] of Object.entries(PYNN_PARAM_NAMES)) {
    params[name] = perNeuron(pop.params[field as keyof typeof PYNN_PARAM_NAMES]);
  }
  return { name: pop.name, kind: 'lif', size: pop.size, params, initial_v: perNeuron(pop.initialVMv) };
}

/** The data of a built network, its duration and its recording. */
export function pynnNetworkData(network: Network, durationMs: number, recording: RecordingSpec): PynnNetworkData {
  const pops = network.populations;
  const populations = pops.map((pop: Population) =>
    pop.kind === 'source'
      ? { name: pop.name, kind: 'source' as const, size: pop.size, spike_times: pop.spikeTimesMs.map((t) => Array.from(t)) }
      : lifData(pop),
  );
  const projections = network.projections.map((proj): PynnProjection => {
    const syn = proj.synapses;
    const connections: [number, number, number][] = [];
    for (let j = 0; j < syn.rows; j++) {
      for (let e = syn.rowStart[j]; e < syn.rowStart[j + 1]; e++) connections.push([j, syn.targets[e], syn.weights[e]]);
    }
    return { name: proj.name, source: pops[proj.source].name, target: pops[proj.target].name, delay_ms: proj.delayMs, connections };
  });
  const spikeIndices = recording.spikes ?? pops.flatMap((p, i) => (p.kind === 'lif' ? [i] : []));
  return {
    duration_ms: durationMs,
    populations,
    projections,
    record: {
      spikes: spikeIndices.map((i) => pops[i].name),
      v: (recording.membrane ?? []).map((r) => ({ population: pops[r.population].name, indices: [...r.indices], dt_ms: r.dtMs })),
    },
  };
}
