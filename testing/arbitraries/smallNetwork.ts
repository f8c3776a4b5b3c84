import fc from 'fast-check';
import type { Network, Population, Projection } from '../../core/network/network.ts';
import { describeNetwork } from '../describeNetwork.ts';
import { gridDouble, type NumberSpec } from './gridDouble.ts';
import { lifParamsArbitrary, type LifParamsConstraints } from './lifParams.ts';
import { csrFromDense, lifPopulation, synapseArbitrary } from './weightMatrix.ts';

/** Constraints of {@link smallNetworkArbitrary}. */
export interface SmallNetworkConstraints {
  /** Source spike times lie in [0, durationMs) (ms, > 0). Default 40. */
  readonly durationMs?: number;
  /** Most neurons in the spike source population `in` (at least 1). Default 3. */
  readonly maxSources?: number;
  /** Most spikes per source neuron. Default 5. */
  readonly maxSpikesPerSource?: number;
  /** Most LIF populations (at least 1). Default 3. */
  readonly maxPopulations?: number;
  /** Most neurons per LIF population (at least 1). Default 3. */
  readonly maxNeuronsPerPopulation?: number;
  /** Most projections among LIF populations (self-projections and cycles included). Default 3. */
  readonly maxRecurrentProjections?: number;
  /** Delays (ms, >= 0) to draw from; shrinking goes toward the first. Default `[1, 0, 0.4, 1.7]`. */
  readonly delaysMs?: readonly number[];
  /** Weights from the source to each LIF population (nA). Default `{ min: -1, max: 3 }`. */
  readonly inputWeightNa?: NumberSpec;
  /** Weights between LIF populations (nA). Default `{ min: -2, max: 2 }`. */
  readonly recurrentWeightNa?: NumberSpec;
  /** Probability that a (pre, post) pair of a projection is connected. Default 0.8. */
  readonly connectionProbability?: number;
  /** Parameter ranges of the LIF populations (one parameter set per population). Default: see {@link lifParamsArbitrary}. */
  readonly params?: LifParamsConstraints;
}

function atLeastOne(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what}: must be an integer >= 1 (got ${n})`);
  return n;
}

/**
 * Small networks ({@link Network}): a spike source population `in` (1..maxSources neurons, each with
 * 0..maxSpikesPerSource sorted spike times in [0, durationMs)) and 1..maxPopulations LIF populations
 * `p0, p1, ...` of 1..maxNeuronsPerPopulation neurons at rest. Every LIF population gets a projection
 * from `in`; up to maxRecurrentProjections more join LIF populations (self-projections and zero-delay
 * cycles included). Weights of both signs, delays from `delaysMs` (zero included).
 *
 * Shrinks toward fewer populations, neurons, spikes, projections and synapses. The generated networks
 * print (in counterexamples) as {@link describeNetwork} text.
 */
export function smallNetworkArbitrary(constraints: SmallNetworkConstraints = {}): fc.Arbitrary<Network> {
  const durationMs = constraints.durationMs ?? 40;
  if (!(durationMs > 0 && Number.isFinite(durationMs))) throw new RangeError('durationMs: must be finite and > 0');
  const maxSources = atLeastOne(constraints.maxSources ?? 3, 'maxSources');
  const maxPops = atLeastOne(constraints.maxPopulations ?? 3, 'maxPopulations');
  const maxN = atLeastOne(constraints.maxNeuronsPerPopulation ?? 3, 'maxNeuronsPerPopulation');
  const delays = constraints.delaysMs ?? [1, 0, 0.4, 1.7];
  if (delays.length === 0 || delays.some((d) => !(d >= 0 && Number.isFinite(d)))) {
    throw new RangeError('delaysMs: must be a non-empty list of finite delays >= 0');
  }
  const p = constraints.connectionProbability ?? 0.8;
  const inputSynapse = synapseArbitrary(constraints.inputWeightNa ?? { min: -1, max: 3 }, p);
  const recurrentSynapse = synapseArbitrary(constraints.recurrentWeightNa ?? { min: -2, max: 2 }, p);
  const delay = fc.constantFrom(...delays);
  const time = gridDouble({ min: 0, max: durationMs }, { exclusiveMax: true, steps: 2 ** 16 });

  return fc
    .record({
      sources: fc.array(fc.array(time, { maxLength: constraints.maxSpikesPerSource ?? 5 }), {
        minLength: 1,
        maxLength: maxSources,
      }),
      populations: fc.array(
        fc.record({
          size: fc.integer({ min: 1, max: maxN }),
          params: lifParamsArbitrary(constraints.params),
          inputDelayMs: delay,
          // dense maxSources x maxN; only the top-left sources x size block is used
          inputWeights: fc.array(inputSynapse, { minLength: maxSources * maxN, maxLength: maxSources * maxN }),
        }),
        { minLength: 1, maxLength: maxPops },
      ),
      recurrent: fc.array(
        fc.record({
          source: fc.nat({ max: maxPops - 1 }),
          target: fc.nat({ max: maxPops - 1 }),
          delayMs: delay,
          weights: fc.array(recurrentSynapse, { minLength: maxN * maxN, maxLength: maxN * maxN }),
        }),
        { maxLength: constraints.maxRecurrentProjections ?? 3 },
      ),
    })
    .map(({ sources, populations, recurrent }) => {
      const nSources = sources.length;
      const pops: Population[] = [
        {
          kind: 'source',
          name: 'in',
          size: nSources,
          spikeTimesMs: sources.map((times) => Float64Array.from(times).sort()),
        },
      ];
      const projections: Projection[] = [];
      populations.forEach((pop, k) => {
        pops.push(lifPopulation(`p${k}`, pop.size, pop.params));
        projections.push({
          name: `in->p${k}`,
          source: 0,
          target: k + 1,
          delayMs: pop.inputDelayMs,
          synapses: csrFromDense(nSources, pop.size, maxN, (_r, _c, index) => pop.inputWeights[index]),
        });
      });
      recurrent.forEach((r, k) => {
        const from = r.source % populations.length;
        const to = r.target % populations.length;
        projections.push({
          name: `r${k}:p${from}->p${to}`,
          source: from + 1,
          target: to + 1,
          delayMs: r.delayMs,
          synapses: csrFromDense(populations[from].size, populations[to].size, maxN, (_r, _c, index) => r.weights[index]),
        });
      });
      return withDescription({ populations: pops, projections });
    });
}

/** Makes fast-check print `network` as its {@link describeNetwork} text. */
export function withDescription(network: Network): Network {
  return Object.defineProperty({ ...network }, fc.toStringMethod, {
    value: () => describeNetwork(network),
    enumerable: false,
  });
}
