import fc from 'fast-check';
import type { LifParams } from '../../core/lif/params.ts';
import type { Network } from '../../core/network/network.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';
import { gridDouble } from '../arbitraries/gridDouble.ts';
import { inputTrainArbitrary, inputTrainNetwork, type InputSpike } from '../arbitraries/inputTrain.ts';
import { lifParamsArbitrary } from '../arbitraries/lifParams.ts';
import { csrFromDense } from '../arbitraries/weightMatrix.ts';
import { describeParams } from './_internals/neurons.ts';
import { runRealised, specFor } from './_internals/networks.ts';
import { requireExercised, runProperty, violated, type CheckSummary } from './failure.ts';
import { resolveConformanceOptions, type ConformanceOptions } from './options.ts';

/** One case of the monotonicity check: a neuron, its inputs and one extra excitatory input. */
export interface MonotonicityCase {
  readonly params: LifParams;
  readonly inputs: readonly InputSpike[];
  /** The extra input (weight > 0). */
  readonly extra: InputSpike;
  /** Delay of every input (ms). */
  readonly delayMs: number;
  readonly seed: number;
  readonly trial: number;
}

/** Rounding allowance of the monotonicity check (ms). */
export const MONOTONICITY_TOLERANCE_MS = 1e-12;

/** The network of a case with the extra input appended as a last source population and projection. */
export function withExtraInput(base: Network, extra: InputSpike, delayMs: number): Network {
  const target = base.populations.findIndex((p) => p.kind === 'lif');
  return {
    populations: [...base.populations, { kind: 'source', name: 'extra', size: 1, spikeTimesMs: [Float64Array.of(extra.timeMs)] }],
    projections: [
      ...base.projections,
      {
        name: 'extra->n',
        source: base.populations.length,
        target,
        delayMs,
        synapses: csrFromDense(1, base.populations[target].size, 1, () => extra.weightNa),
      },
    ],
  };
}

/**
 * Monotonicity in excitation: adding one excitatory input never delays a neuron's first spike (by more
 * than {@link MONOTONICITY_TOLERANCE_MS}). True of the exact model (the extra PSP is >= 0 at every time
 * before the first spike); the extra input is appended last (population and projection) so that a
 * substrate that draws per-synapse properties in order realises the rest of the network alike.
 * Throws {@link ConformanceFailure} with the shrunk counterexample.
 */
export function checkMonotoneInExcitation<C>(substrate: Substrate<C>, options: ConformanceOptions = {}): CheckSummary {
  const o = resolveConformanceOptions(options);
  substrate.validateOptions(o.substrateOptions);
  const counts = { spikesBefore: 0, spikesAfter: 0, advanced: 0 };
  const delays = o.network.delaysMs ?? [1, 0, 0.4, 1.7];
  const cases: fc.Arbitrary<MonotonicityCase> = fc.record({
    params: lifParamsArbitrary(o.params),
    inputs: inputTrainArbitrary({ durationMs: o.durationMs, maxLength: 8 }),
    extra: fc.record({
      timeMs: gridDouble({ min: 0, max: o.durationMs }, { exclusiveMax: true }),
      weightNa: gridDouble({ min: 0.05, max: 3 }),
    }),
    delayMs: fc.constantFrom(...delays),
    seed: fc.nat({ max: 1_000_000 }),
    trial: fc.nat({ max: 3 }),
  });
  const firstSpike = (network: Network, seed: number, trial: number): number => {
    const { spikes } = runRealised(substrate, specFor(substrate, network, seed, o), trial);
    const target = network.populations.findIndex((p) => p.kind === 'lif');
    for (let k = 0; k < spikes.timeMs.length; k++) if (spikes.population[k] === target) return spikes.timeMs[k];
    return Infinity;
  };
  runProperty(
    {
      check: 'monotonicity',
      property: 'an extra excitatory input never delays the first spike',
      substrateName: substrate.name,
    },
    cases,
    (c) => {
      const base = inputTrainNetwork(c.inputs, c.params, c.delayMs);
      const before = firstSpike(base, c.seed, c.trial);
      const after = firstSpike(withExtraInput(base, c.extra, c.delayMs), c.seed, c.trial);
      if (before !== Infinity) counts.spikesBefore++;
      if (after !== Infinity) counts.spikesAfter++;
      if (after < before) counts.advanced++;
      if (after > before + MONOTONICITY_TOLERANCE_MS) {
        violated(
          `first spike at ${before} ms without the extra input (${c.extra.weightNa} nA at ${c.extra.timeMs} ms + delay ${c.delayMs} ms) ` +
            `but at ${after} ms with it\nparameters: ${describeParams(c.params)}\n` +
            `inputs (time ms, weight nA): ${c.inputs.map((x) => `(${x.timeMs}, ${x.weightNa})`).join(' ') || 'none'}`,
        );
      }
    },
    o.numRuns,
    o,
  );
  requireExercised(
    { check: 'monotonicity', property: 'an extra excitatory input never delays the first spike', substrateName: substrate.name },
    'a first spike with the extra input',
    counts.spikesAfter,
    o.numRuns,
    o,
  );
  return { check: 'monotonicity', runs: { monotonicity: o.numRuns }, counts };
}
