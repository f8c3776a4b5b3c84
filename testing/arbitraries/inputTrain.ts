import fc from 'fast-check';
import type { LifParams } from '../../core/lif/params.ts';
import type { Network } from '../../core/network/network.ts';
import { gridDouble, specDouble, type NumberSpec } from './gridDouble.ts';
import { csrFromDense, lifPopulation } from './weightMatrix.ts';

/** One input spike to a neuron: when it arrives and through which weight. */
export interface InputSpike {
  /** Arrival time (ms). */
  readonly timeMs: number;
  /** Synaptic weight (nA): > 0 jumps the excitatory current, < 0 the inhibitory one. */
  readonly weightNa: number;
}

/** Constraints of {@link inputTrainArbitrary}. */
export interface InputTrainConstraints {
  /** Times lie in [0, durationMs) (ms, > 0). Default 40. */
  readonly durationMs?: number;
  /** Fewest input spikes. Default 0. */
  readonly minLength?: number;
  /** Most input spikes. Default 8. */
  readonly maxLength?: number;
  /** Weight range (nA); mixed signs by default. Default `{ min: -1, max: 3 }`. */
  readonly weightNa?: NumberSpec;
}

/**
 * An input spike train: spikes sorted by time in [0, durationMs) with weights of both signs (ties in time
 * possible). Shrinks toward fewer spikes, earlier times and weights nearer to 0.
 */
export function inputTrainArbitrary(constraints: InputTrainConstraints = {}): fc.Arbitrary<InputSpike[]> {
  const durationMs = constraints.durationMs ?? 40;
  if (!(durationMs > 0 && Number.isFinite(durationMs))) throw new RangeError('durationMs: must be finite and > 0');
  const spike = fc.record({
    timeMs: gridDouble({ min: 0, max: durationMs }, { exclusiveMax: true }),
    weightNa: specDouble(constraints.weightNa ?? { min: -1, max: 3 }, 'weightNa'),
  });
  return fc
    .array(spike, { minLength: constraints.minLength ?? 0, maxLength: constraints.maxLength ?? 8 })
    .map((spikes) => [...spikes].sort((a, b) => a.timeMs - b.timeMs));
}

/**
 * A network that delivers `train` to one LIF neuron: a spike source `in` with one neuron per input spike
 * (each firing once, at the input's time) connected through the input's weight and delay `delayMs`
 * (so the input arrives at timeMs + delayMs) to the LIF population `n` of one neuron, which starts at rest.
 */
export function inputTrainNetwork(train: readonly InputSpike[], params: LifParams, delayMs = 0): Network {
  const n = train.length;
  return {
    populations: [
      { kind: 'source', name: 'in', size: n, spikeTimesMs: train.map((s) => Float64Array.of(s.timeMs)) },
      lifPopulation('n', 1, params),
    ],
    projections: [
      { name: 'in->n', source: 0, target: 1, delayMs, synapses: csrFromDense(n, 1, 1, (r) => train[r].weightNa) },
    ],
  };
}
