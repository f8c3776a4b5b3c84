import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runNetwork, type RunResult } from '../core/engine/runNetwork.ts';
import { lifDynamics } from '../core/lif/lifDynamics.ts';
import { lifParamArrays } from '../core/lif/params.ts';
import { csrFromTriples, type Network } from '../core/network/network.ts';
import { exponentialDraw, integerDraw, randomStream } from '../core/rng.ts';
import { naiveSimulate, type NaiveSpike } from './helpers/naiveSimulator.ts';
import { smallNetworkArb, unitParams } from './helpers/networks.ts';

/** Spike trains keyed by "population:neuron". */
function trainsOf(spikes: readonly NaiveSpike[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of spikes) {
    const key = `${s.population}:${s.neuron}`;
    const list = out.get(key) ?? [];
    list.push(s.timeMs);
    out.set(key, list);
  }
  return out;
}

function spikesOf(r: RunResult): NaiveSpike[] {
  const s = r.spikes;
  return Array.from(s.timeMs, (t, q) => ({ population: s.population[q], neuron: s.neuron[q], timeMs: t }));
}

/** Largest |difference| of matched spikes; throws when a train's length differs. */
function compareTrains(a: readonly NaiveSpike[], b: readonly NaiveSpike[]): number {
  const ta = trainsOf(a);
  const tb = trainsOf(b);
  expect([...ta.keys()].sort()).toEqual([...tb.keys()].sort());
  let max = 0;
  for (const [key, x] of ta) {
    const y = tb.get(key)!;
    expect(x.length, key).toBe(y.length);
    for (let q = 0; q < x.length; q++) max = Math.max(max, Math.abs(x[q] - y[q]));
  }
  return max;
}

describe('the windowed fast path vs the independent naive simulator', () => {
  it('gives every neuron the same spike train (to 1e-9 ms) on random small networks, every population on the fast path', () => {
    let totalSpikes = 0;
    let bulk = 0;
    let swept = 0;
    let maxDiff = 0;
    fc.assert(
      fc.property(smallNetworkArb, (network) => {
        const r = runNetwork({ network, dynamics: lifDynamics, durationMs: 60, recording: {}, fastPathMinNeurons: 1 });
        const naive = naiveSimulate(network, 60);
        const d = compareTrains(spikesOf(r), naive);
        expect(d).toBeLessThan(1e-9);
        maxDiff = Math.max(maxDiff, d);
        totalSpikes += naive.length;
        bulk += r.statistics.bulkNeuronWindows;
        swept += r.statistics.sweptNeuronWindows;
      }),
      { numRuns: 300, seed: 5 },
    );
    expect(totalSpikes).toBeGreaterThan(1000);
    // both branches of the fast path ran many times
    expect(bulk).toBeGreaterThan(1000);
    expect(swept).toBeGreaterThan(1000);
    expect(maxDiff).toBeLessThan(1e-9);
  });
});

/** A balanced random network like bench/engine.ts's, smaller: n neurons, in-degree k, Poisson drive. */
function balanced(n: number, k: number, durationMs: number, seed: number, tauSynInhMs = 5): Network {
  const conn = randomStream(seed, 'test/connectivity');
  const pre: number[] = [];
  const post: number[] = [];
  const w: number[] = [];
  for (let j = 0; j < n; j++) {
    const chosen = new Set<number>();
    while (chosen.size < k) {
      const src = integerDraw(conn, n);
      if (src !== j) chosen.add(src);
    }
    for (const src of chosen) {
      pre.push(src);
      post.push(j);
      w.push(src < 0.8 * n ? 0.6 : -2.4);
    }
  }
  const input = randomStream(seed, 'test/poisson');
  const spikeTimesMs = Array.from({ length: n }, () => {
    const times: number[] = [];
    for (let t = exponentialDraw(input, 1.5); t < durationMs; t += exponentialDraw(input, 1.5)) times.push(t);
    return Float64Array.from(times);
  });
  const params = lifParamArrays(n, { ...unitParams, tauMemMs: 10, tauSynExcMs: 5, tauSynInhMs, capacitanceNf: 10, tauRefracMs: 2 });
  const ids = Int32Array.from({ length: n }, (_, j) => j);
  return {
    populations: [
      { kind: 'source', name: 'poisson', size: n, spikeTimesMs },
      { kind: 'lif', name: 'net', size: n, params, initialVMv: new Float64Array(n) },
    ],
    projections: [
      { name: 'in', source: 0, target: 1, delayMs: 1, synapses: csrFromTriples(n, ids, ids, new Float64Array(n).fill(0.1)) },
      { name: 'rec', source: 1, target: 1, delayMs: 1, synapses: csrFromTriples(n, pre, post, w) },
    ],
  };
}

describe('the windowed fast path vs the reference path', () => {
  for (const tauSynInhMs of [5, 2.5]) {
    it(`a balanced network (tau_syn_I ${tauSynInhMs} ms): the same spikes to 1e-9 ms, both branches of the fast path taken`, () => {
      const network = balanced(200, 20, 300, 3, tauSynInhMs);
      const fast = runNetwork({ network, dynamics: lifDynamics, durationMs: 300, recording: {} });
      const ref = runNetwork({ network, dynamics: lifDynamics, durationMs: 300, recording: {}, reference: true });
      expect(ref.statistics.bulkNeuronWindows).toBe(0);
      expect(fast.statistics.bulkNeuronWindows).toBeGreaterThan(2_000);
      expect(fast.statistics.sweptNeuronWindows).toBeGreaterThan(2_000);
      expect(ref.spikes.timeMs.length).toBeGreaterThan(300);
      // the runs differ by rounding, which chaos amplifies (about 10x per 80 ms here; 1e-9 ms near 300 ms with
      // tau_syn_I 2.5 ms): rounding level early on, within 1e-9 ms for the first 200 ms
      const before = (r: RunResult, tMs: number) => spikesOf(r).filter((x) => x.timeMs < tMs);
      expect(compareTrains(before(fast, 50), before(ref, 50))).toBeLessThan(1e-12);
      expect(compareTrains(before(fast, 200), before(ref, 200))).toBeLessThan(1e-9);
      expect(fast.statistics.externalEvents).toBe(ref.statistics.externalEvents);
      expect(fast.statistics.recurrentEvents).toBe(ref.statistics.recurrentEvents);
    });
  }

  it('membrane traces of neurons on a fast population agree with the reference path', () => {
    const network = balanced(100, 20, 100, 4);
    const recording = { membrane: [{ population: 1, indices: [0, 7, 50], dtMs: 0.1 }] };
    const fast = runNetwork({ network, dynamics: lifDynamics, durationMs: 100, recording });
    const ref = runNetwork({ network, dynamics: lifDynamics, durationMs: 100, recording, reference: true });
    expect(fast.statistics.bulkNeuronWindows).toBeGreaterThan(0);
    expect(fast.traces.length).toBe(3);
    for (let q = 0; q < 3; q++) {
      const a = fast.traces[q].vMv;
      const b = ref.traces[q].vMv;
      expect(a.length).toBe(1000);
      let max = 0;
      for (let j = 0; j < a.length; j++) max = Math.max(max, Math.abs(a[j] - b[j]));
      expect(max).toBeLessThan(1e-9);
    }
  });
});
