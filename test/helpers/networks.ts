import fc from 'fast-check';
import { simulate, type SimulationResult } from '../../core/engine/simulate.ts';
import { lifParamArrays, type LifParams } from '../../core/lif/params.ts';
import { csrFromTriples, type Network, type Population, type Projection } from '../../core/network/network.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';
import { idealSubstrate } from '../../substrates/ideal/index.ts';

export const unitParams: LifParams = {
  tauMemMs: 10,
  tauSynExcMs: 5,
  tauSynInhMs: 5,
  capacitanceNf: 1,
  vRestMv: 0,
  vResetMv: 0,
  vThreshMv: 1,
  tauRefracMs: 2,
  iOffsetNa: 0,
};

export function sourcePop(name: string, times: number[][]): Population {
  return { kind: 'source', name, size: times.length, spikeTimesMs: times.map((t) => Float64Array.from([...t].sort((a, b) => a - b))) };
}

export function lifPop(name: string, size: number, params: LifParams, initialV = params.vRestMv): Population {
  return { kind: 'lif', name, size, params: lifParamArrays(size, params), initialVMv: new Float64Array(size).fill(initialV) };
}

export function projection(name: string, source: number, target: number, rows: number, delayMs: number, triples: [number, number, number][]): Projection {
  return {
    name,
    source,
    target,
    delayMs,
    synapses: csrFromTriples(
      rows,
      triples.map((x) => x[0]),
      triples.map((x) => x[1]),
      triples.map((x) => x[2]),
    ),
  };
}

/** Runs a network on the ideal substrate, recording every LIF population. */
export function run(network: Network, durationMs: number): SimulationResult {
  return simulate(
    { network, durationMs, seed: 0, substrate: { name: 'ideal', options: {} }, recording: {} },
    { substrate: idealSubstrate },
  );
}

/** The spikes of a result as plain records. */
export function spikeList(result: SimulationResult): { population: number; neuron: number; timeMs: number }[] {
  const s = result.spikes;
  return Array.from(s.timeMs, (t, k) => ({ population: s.population[k], neuron: s.neuron[k], timeMs: t }));
}

/**
 * Small random networks: one spike source population and 1-3 LIF populations of 1-4 neurons with random
 * parameters (tau ratios including equal), random projections among them (recurrent and self included)
 * with delays from {0, 0.4, 1, 1.7} ms, mixed-sign weights.
 */
export const smallNetworkArb: fc.Arbitrary<Network> = fc
  .record({
    sourceTimes: fc.array(fc.array(fc.integer({ min: 0, max: 4000 }).map((k) => k / 100), { maxLength: 6 }), { minLength: 1, maxLength: 4 }),
    pops: fc.array(
      fc.record({
        size: fc.integer({ min: 1, max: 4 }),
        tauM: fc.constantFrom(5, 10, 20),
        tauE: fc.constantFrom(2.5, 5, 10),
        tauI: fc.constantFrom(2.5, 5, 10),
        refrac: fc.constantFrom(0.2, 0.5, 2),
        offset: fc.constantFrom(0, 0, 0.12),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    projSeeds: fc.array(
      fc.record({
        src: fc.nat(),
        tgt: fc.nat(),
        delay: fc.constantFrom(0, 0.4, 1, 1.7),
        density: fc.constantFrom(0.5, 1),
        weights: fc.array(fc.integer({ min: -100, max: 300 }).map((k) => k / 100), { minLength: 16, maxLength: 16 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map(({ sourceTimes, pops, projSeeds }) => {
    const populations: Population[] = [sourcePop('in', sourceTimes)];
    pops.forEach((p, i) =>
      populations.push(
        lifPop(`p${i}`, p.size, { ...unitParams, tauMemMs: p.tauM, tauSynExcMs: p.tauE, tauSynInhMs: p.tauI, tauRefracMs: p.refrac, iOffsetNa: p.offset }),
      ),
    );
    const projections: Projection[] = [];
    // every LIF population gets input from the source
    pops.forEach((p, i) => {
      const triples: [number, number, number][] = [];
      for (let a = 0; a < sourceTimes.length; a++) for (let b = 0; b < p.size; b++) triples.push([a, b, 0.63 + 0.11 * ((a + b) % 5)]); // avoids weights whose PSP peak is exactly at threshold
      projections.push(projection(`in->p${i}`, 0, i + 1, sourceTimes.length, 0.5, triples));
    });
    projSeeds.forEach((q, n) => {
      const src = 1 + (q.src % pops.length);
      const tgt = 1 + (q.tgt % pops.length);
      const triples: [number, number, number][] = [];
      let w = 0;
      for (let a = 0; a < pops[src - 1].size; a++) {
        for (let b = 0; b < pops[tgt - 1].size; b++) {
          if (q.density === 1 || (a + b + n) % 2 === 0) triples.push([a, b, q.weights[w++ % 16]]);
        }
      }
      projections.push(projection(`r${n}`, src, tgt, pops[src - 1].size, q.delay, triples));
    });
    return { populations, projections };
  });

/**
 * Simulates `network` for durationMs on `substrate` (registered under `name`) with `options`, seed 17, trial
 * `trial`, recording every spike and, with `membrane`, the membrane of every neuron of the first LIF
 * population every 0.37 ms.
 */
export function runOnSubstrate(
  substrate: Substrate,
  name: string,
  network: Network,
  durationMs: number,
  options: Record<string, unknown>,
  trial: number,
  membrane: boolean,
): SimulationResult {
  const firstLif = network.populations.findIndex((p) => p.kind === 'lif');
  return simulate(
    {
      network,
      durationMs,
      seed: 17,
      substrate: { name, options },
      recording: membrane ? { membrane: [{ population: firstLif, indices: Array.from({ length: network.populations[firstLif].size }, (_, j) => j), dtMs: 0.37 }] } : {},
    },
    { substrate, trial },
  );
}
