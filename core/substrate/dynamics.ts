import type { LifParamArrays } from '../lif/params.ts';
import type { Network } from '../network/network.ts';

/**
 * The engine's per-neuron state, one entry per LIF neuron of the whole network (structure of arrays).
 * Between events a neuron's state is stored at its own time `lastMs`; dynamics advance it lazily.
 */
export interface NeuronStateArrays {
  readonly size: number;
  /** Membrane potential at lastMs (mV). */
  readonly vMv: Float64Array;
  /** Excitatory synaptic current at lastMs (nA). */
  readonly iExcNa: Float64Array;
  /** Inhibitory synaptic current at lastMs (nA). */
  readonly iInhNa: Float64Array;
  /** Time the state refers to (ms). */
  readonly lastMs: Float64Array;
  /** End of the current refractory period (ms); the neuron is free when refractoryUntilMs <= lastMs. */
  readonly refractoryUntilMs: Float64Array;
}

/** Allocates state arrays for `size` neurons at rest-less zero state (the engine sets initial values). */
export function neuronStateArrays(size: number): NeuronStateArrays {
  return {
    size,
    vMv: new Float64Array(size),
    iExcNa: new Float64Array(size),
    iInhNa: new Float64Array(size),
    lastMs: new Float64Array(size),
    refractoryUntilMs: new Float64Array(size).fill(-Infinity),
  };
}

/**
 * Neuron dynamics a substrate supplies to the engine: pure functions over the state arrays and the
 * substrate's derived constants `C` (computed once per run by `prepare`). The engine only schedules:
 * it calls these in time order for each neuron and never looks inside the state.
 */
export interface NeuronDynamics<C> {
  /**
   * Derived constants from the realised per-neuron parameters (all LIF neurons of the network, in the
   * engine's order). `network` is the realised network they came from, when there is one, so a substrate
   * can look up what its `realise` attached to it (per-neuron settings beyond the LIF parameters).
   */
  prepare(params: LifParamArrays, network?: Network): C;
  /** Advances neuron i without input or spike from its lastMs to time t (t >= lastMs; smaller t is a no-op). */
  advanceTo(s: NeuronStateArrays, k: C, i: number, t: number): void;
  /** Applies an input spike of weight w (nA) at the neuron's current time lastMs. */
  receive(s: NeuronStateArrays, k: C, i: number, weightNa: number): void;
  /**
   * The first time in [lastMs, tLimitMs] at which neuron i fires if it receives no input before then,
   * or Infinity. Exact: never misses a crossing and never reports one early.
   */
  nextSpikeTime(s: NeuronStateArrays, k: C, i: number, tLimitMs: number): number;
  /** Fires neuron i at its current time lastMs (state already advanced there): reset and refractoriness. */
  fire(s: NeuronStateArrays, k: C, i: number): void;
  /** Membrane potential of neuron i at time t >= lastMs without changing the state (for traces). */
  membranePotentialAt(s: NeuronStateArrays, k: C, i: number, t: number): number;
  /**
   * Optional fast path of the layered first-spike mode (core/engine/layeredRunner.ts). Neurons base + n,
   * n = 0..size-1, start from the state the runner set (time 0, not refractory) and all receive the same m
   * input spikes: the q-th at `timesMs[q]` (ascending) with weight `weights[rows[q] + n]`. Writes each
   * neuron's first spike time before tMaxMs, or Infinity, to out[n]. The result must be exactly what the
   * generic sweep gives (per neuron and input: nextSpikeTime, then advanceTo and receive), so a substrate
   * implements this only to do the same arithmetic faster.
   */
  firstSpikes?(
    s: NeuronStateArrays,
    k: C,
    base: number,
    size: number,
    timesMs: Float64Array,
    rows: Int32Array,
    m: number,
    weights: Float64Array,
    tMaxMs: number,
    out: Float64Array,
  ): void;
}
