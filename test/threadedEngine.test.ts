import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../bench/lib/balancedNetwork.ts';
import { runNetworkThreads } from '../core/engine/parallel/runNetworkThreads.ts';
import { NonFiniteStateError, SpikeLimitError } from '../core/engine/runLimits.ts';
import { runNetwork, type RunOptions, type RunResult } from '../core/engine/runNetwork.ts';
import { lifDynamics } from '../core/lif/lifDynamics.ts';
import { lifParamArrays, type LifParams } from '../core/lif/params.ts';
import type { NeuronDynamics } from '../core/substrate/dynamics.ts';
import { csrFromTriples, type LifPopulation, type Network, type Population, type Projection } from '../core/network/network.ts';
import { runCli } from './helpers/cliRun.ts';
import { unitParams } from './helpers/networks.ts';
import { integerDraw, randomStream, type RandomStream } from '../core/rng.ts';

/**
 * The threaded engine (core/engine/parallel/) against the one-thread engine it must reproduce bit for bit:
 * the same spikes (times compared with Object.is), the same statistics. Each threaded run starts its
 * workers afresh (about half a second from the TypeScript sources), so the runs here are few and short.
 */

const uniformDraw = (rng: RandomStream): number => rng.next();

function expectIdentical(threaded: RunResult, one: RunResult): void {
  const a = threaded.spikes;
  const b = one.spikes;
  expect(a.timeMs.length).toBe(b.timeMs.length);
  let differing = 0;
  for (let q = 0; q < b.timeMs.length; q++) {
    if (!Object.is(a.timeMs[q], b.timeMs[q]) || a.population[q] !== b.population[q] || a.neuron[q] !== b.neuron[q]) differing++;
  }
  expect(differing, 'spikes differing in time, population or neuron').toBe(0);
  expect(threaded.statistics).toEqual(one.statistics);
}

async function compare(options: RunOptions<unknown>, threads: number): Promise<RunResult> {
  const one = runNetwork(options);
  const threaded = await runNetworkThreads({ ...options, threads });
  expectIdentical(threaded, one);
  return one;
}

/** The helpers' unit neuron (tau_m 10 ms, tau_syn 5 ms, C_m 1 nF, threshold 1 mV, refractory 2 ms). */
const base: LifParams = unitParams;

describe('runNetworkThreads on the benchmark network', () => {
  it('N = 1000 on 2 and 3 threads, N = 4000 on 2: bit-identical spikes and statistics', async () => {
    const dyn = lifDynamics as NeuronDynamics<unknown>;
    for (const [n, durationMs, threadCounts] of [
      [1000, 60, [2, 3]],
      [4000, 40, [2]],
    ] as const) {
      const { network } = buildNetwork(n, durationMs, 1);
      // all populations recorded, the Poisson sources included
      const options = { network, dynamics: dyn, durationMs, recording: { spikes: [0, 1] } };
      for (const threads of threadCounts) {
        const one = await compare(options, threads);
        expect(one.statistics.spikesEmitted).toBeGreaterThan(100);
        expect(one.statistics.recurrentEvents).toBeGreaterThan(0);
        expect(one.statistics.bulkNeuronWindows).toBeGreaterThan(0);
        expect(one.statistics.sweptNeuronWindows).toBeGreaterThan(0);
        // source spikes are in the table too
        expect(one.spikes.population.some((p) => p === 0)).toBe(true);
      }
    }
  });

  it('N = 1000 on the generic path (reference: true) and with every population on the fast path', async () => {
    const { network } = buildNetwork(1000, 60, 4);
    const options = { network, dynamics: lifDynamics as NeuronDynamics<unknown>, durationMs: 60, recording: {} };
    const reference = await compare({ ...options, reference: true }, 2);
    expect(reference.statistics.bulkNeuronWindows + reference.statistics.sweptNeuronWindows).toBe(0);
    expect(reference.statistics.spikesEmitted).toBeGreaterThan(100);
    await compare({ ...options, fastPathMinNeurons: 1 }, 3);
  });
});

interface PopSpec {
  size: number;
  tauM: number;
  tauS: number;
  offset: number;
  refrac: number;
  /** Per-neuron tau_m spread (0: uniform; otherwise the population takes the generic path). */
  spread: number;
}

/**
 * Random networks: 1-2 spike-source populations, 1-3 LIF populations of 3 to 130 neurons (below and above
 * the fast path's 64, and sizes whose slices fall on either side), random positive delays, excitatory and
 * inhibitory weights, duplicate synapses in a row (their order within the row matters), and synchronous
 * sources so that equal spike times (ties in the delivery queue) occur.
 */
const networkArb = fc
  .record({
    seed: fc.integer({ min: 1, max: 1e6 }),
    sources: fc.array(fc.record({ size: fc.integer({ min: 1, max: 80 }), rateKhz: fc.constantFrom(0.05, 0.2), grid: fc.boolean() }), {
      minLength: 1,
      maxLength: 2,
    }),
    pops: fc.array(
      fc.record({
        size: fc.constantFrom(3, 17, 64, 70, 100, 130),
        tauM: fc.constantFrom(5, 10, 20),
        tauS: fc.constantFrom(2.5, 5, 10),
        offset: fc.constantFrom(0, 0, 0.09, 0.12),
        refrac: fc.constantFrom(0.5, 2),
        spread: fc.constantFrom(0, 0, 0, 0.5),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    delays: fc.array(fc.constantFrom(0.4, 0.7, 1, 1.7, 2.5), { minLength: 6, maxLength: 6 }),
    inhibition: fc.constantFrom(-0.5, -1.5),
  })
  .map(({ seed, sources, pops, delays, inhibition }) => randomNetwork(seed, sources, pops, delays, inhibition));

function randomNetwork(
  seed: number,
  sources: { size: number; rateKhz: number; grid: boolean }[],
  pops: PopSpec[],
  delays: number[],
  inhibition: number,
): Network {
  const rng = randomStream(seed, 'test/threaded');
  const durationMs = 60;
  const populations: Population[] = sources.map((s, x) => ({
    kind: 'source',
    name: `in${x}`,
    size: s.size,
    spikeTimesMs: Array.from({ length: s.size }, () => {
      const times: number[] = [];
      for (let t = 0; t < durationMs; t += 1) {
        // on the grid, sources spike at whole milliseconds: many equal times
        if (uniformDraw(rng) < s.rateKhz) times.push(s.grid ? t : t + uniformDraw(rng));
      }
      return Float64Array.from(times);
    }),
  }));
  for (const [x, p] of pops.entries()) {
    const params = lifParamArrays(p.size, { ...base, tauMemMs: p.tauM, tauSynExcMs: p.tauS, tauSynInhMs: p.tauS, iOffsetNa: p.offset, tauRefracMs: p.refrac });
    for (let i = 0; i < p.size; i++) params.tauMemMs[i] *= 1 + p.spread * uniformDraw(rng);
    const lif: LifPopulation = {
      kind: 'lif',
      name: `lif${x}`,
      size: p.size,
      params,
      initialVMv: Float64Array.from({ length: p.size }, () => 0.9 * uniformDraw(rng)),
    };
    populations.push(lif);
  }
  const projections: Projection[] = [];
  const connect = (source: number, target: number, delayMs: number, density: number, weight: () => number): void => {
    const rows = populations[source].size;
    const cols = populations[target].size;
    const pre: number[] = [];
    const post: number[] = [];
    const w: number[] = [];
    for (let j = 0; j < rows; j++) {
      const k = Math.max(1, Math.round(density * cols));
      for (let m = 0; m < k; m++) {
        pre.push(j);
        post.push(integerDraw(rng, cols)); // with repeats: duplicate synapses in a row
        w.push(weight());
      }
    }
    projections.push({ name: `p${projections.length}`, source, target, delayMs, synapses: csrFromTriples(rows, pre, post, w) });
  };
  const first = sources.length;
  const lifs = pops.map((_, x) => first + x);
  for (const [x] of sources.entries()) for (const t of lifs) connect(x, t, delays[(x + t) % 6] / 2, 0.3, () => 0.2 + 0.6 * uniformDraw(rng));
  for (const s of lifs) {
    for (const t of lifs) {
      const excitatory = (s + t) % 2 === 0;
      connect(s, t, delays[(s * 3 + t) % 6], 0.1, () => (excitatory ? 0.3 * uniformDraw(rng) : inhibition * uniformDraw(rng)));
    }
  }
  return { populations, projections };
}

describe('runNetworkThreads on random networks', () => {
  it('gives the one-thread spikes and statistics bit for bit (fast path and generic path, ties, multapses)', async () => {
    let spikes = 0;
    let fastAndGeneric = 0;
    await fc.assert(
      fc.asyncProperty(networkArb, fc.constantFrom(2, 3), async (network, threads) => {
        const options = { network, dynamics: lifDynamics as NeuronDynamics<unknown>, durationMs: 60, recording: {} };
        const one = await compare(options, threads);
        spikes += one.statistics.spikesEmitted;
        if (one.statistics.bulkNeuronWindows > 0 && network.populations.some((p) => p.kind === 'lif' && p.size < 64)) fastAndGeneric++;
      }),
      { numRuns: 8, seed: 12 },
    );
    expect(spikes).toBeGreaterThan(1000);
    expect(fastAndGeneric).toBeGreaterThan(0);
  });
});

describe('runNetworkThreads and equal spike times', () => {
  it('delivers simultaneous spikes of neurons on different threads in the one-thread order', async () => {
    // 100 identical neurons driven by one source fire together; each of 70 neurons receives all 100 spikes
    // at one arrival time, and the order in which their weights are summed shows in its last bits
    const rng = randomStream(3, 'test/ties');
    const nA = 100;
    const nB = 70;
    const pre: number[] = [];
    const post: number[] = [];
    const w: number[] = [];
    for (let j = 0; j < nA; j++) {
      for (let i = 0; i < nB; i++) {
        pre.push(j);
        post.push(i);
        w.push(-0.2 + 0.6 * uniformDraw(rng));
      }
    }
    const network: Network = {
      populations: [
        { kind: 'source', name: 'clock', size: 1, spikeTimesMs: [Float64Array.from({ length: 15 }, (_, k) => 1 + 4 * k)] },
        { kind: 'lif', name: 'a', size: nA, params: lifParamArrays(nA, base), initialVMv: new Float64Array(nA) },
        { kind: 'lif', name: 'b', size: nB, params: lifParamArrays(nB, base), initialVMv: new Float64Array(nB) },
      ],
      projections: [
        { name: 'clock->a', source: 0, target: 1, delayMs: 1, synapses: csrFromTriples(1, new Array<number>(nA).fill(0), [...Array(nA).keys()], new Array<number>(nA).fill(2)) },
        { name: 'a->b', source: 1, target: 2, delayMs: 0.7, synapses: csrFromTriples(nA, pre, post, w) },
      ],
    };
    for (const threads of [2, 3]) {
      const one = await compare({ network, dynamics: lifDynamics as NeuronDynamics<unknown>, durationMs: 60, recording: {} }, threads);
      const t = one.spikes.timeMs;
      const b = one.spikes.population;
      expect(b.filter((p) => p === 2).length).toBeGreaterThan(100);
      // a's spikes come in volleys of 100 equal times
      expect(t.filter((x, q) => b[q] === 1 && x === t[0]).length).toBe(nA);
    }
  });
});

describe('runNetworkThreads and quiet stretches', () => {
  it('skips the same quiet windows as one thread (a burst, silence, a late burst, a spontaneous spike)', async () => {
    // sources at 1-3 ms and 400-402 ms, recurrent activity that dies out by ~45 ms, and one neuron whose
    // i_offset takes it just above threshold: it fires on its own every ~112 ms (134, 247, 359 ms)
    const n = 80;
    // the late burst reaches only neurons 0-39 (thread 0 of 2): thread 1, which owns the spontaneous neuron,
    // has no input pending then, so the parts' next inputs differ; the crossing search must still run up to
    // the earliest over all parts, as on one thread (the search's end changes its last bits)
    const times = Array.from({ length: n }, (_, j) => Float64Array.from(j < n / 2 ? [1 + (j % 3) + j / 1000, 400 + (j % 3) + j / 997] : [1 + (j % 3) + j / 1000]));
    const params = lifParamArrays(n, { ...base, tauMemMs: 20 });
    params.iOffsetNa[n - 1] = 0.0502; // V_inf = 1.004 mV, just above threshold: a late first crossing
    const network: Network = {
      populations: [
        // plus source n, with no target: its spike still ends a quiet stretch on one thread
        { kind: 'source', name: 'in', size: n + 1, spikeTimesMs: [...times, Float64Array.from([200.37])] },
        { kind: 'lif', name: 'a', size: n, params, initialVMv: new Float64Array(n) },
      ],
      projections: [
        { name: 'in->a', source: 0, target: 1, delayMs: 0.5, synapses: csrFromTriples(n + 1, [...Array(n).keys()], [...Array(n).keys()], new Array<number>(n).fill(1.5)) },
        {
          name: 'a->a',
          source: 1,
          target: 1,
          delayMs: 0.8,
          synapses: csrFromTriples(
            n,
            Array.from({ length: 4 * n }, (_, e) => e % n),
            Array.from({ length: 4 * n }, (_, e) => (e * 7 + 3) % n),
            Array.from({ length: 4 * n }, (_, e) => (e % 5 === 0 ? -0.4 : 0.05)),
          ),
        },
      ],
    };
    const durationMs = 1000;
    const one = await compare({ network, dynamics: lifDynamics as NeuronDynamics<unknown>, durationMs, recording: {} }, 2);
    // far fewer windows than duration / window: the quiet stretches were skipped
    expect(one.statistics.windows).toBeLessThan(durationMs / 0.8 / 4);
    const t = one.spikes.timeMs;
    expect(t.some((x) => x > 100 && x < 399)).toBe(true); // the spontaneous crossing
    expect(t.some((x) => x >= 400)).toBe(true);
  });
});

describe('runNetworkThreads: limits and refusals', () => {
  const { network } = buildNetwork(1000, 60, 2);
  const options = { network, dynamics: lifDynamics as NeuronDynamics<unknown>, durationMs: 60, recording: {} };

  it('stops with the one-thread SpikeLimitError (same message: same spike, population and time)', async () => {
    const limit = 40;
    let expected: unknown;
    try {
      runNetwork({ ...options, maxSpikes: limit });
    } catch (e) {
      expected = e;
    }
    expect(expected).toBeInstanceOf(SpikeLimitError);
    const threaded = runNetworkThreads({ ...options, maxSpikes: limit, threads: 2 });
    await expect(threaded).rejects.toBeInstanceOf(SpikeLimitError);
    await expect(threaded).rejects.toThrow((expected as Error).message);
  });

  it('reports a non-finite state of a neuron in a worker with its index in the whole population', async () => {
    const n = 100;
    const params = lifParamArrays(n, base);
    params.capacitanceNf[90] = 1e-320; // neuron 90 (owned by thread 1) overflows at its first input
    const bad: Network = {
      populations: [
        { kind: 'source', name: 'in', size: 1, spikeTimesMs: [Float64Array.from([1])] },
        { kind: 'lif', name: 'a', size: n, params, initialVMv: new Float64Array(n) },
      ],
      projections: [{ name: 'in->a', source: 0, target: 1, delayMs: 1, synapses: csrFromTriples(1, [0], [90], [1e308]) }],
    };
    const o = { network: bad, dynamics: lifDynamics as NeuronDynamics<unknown>, durationMs: 10, recording: {} };
    let expected: unknown;
    try {
      runNetwork(o);
    } catch (e) {
      expected = e;
    }
    expect(expected).toBeInstanceOf(NonFiniteStateError);
    const threaded = runNetworkThreads({ ...o, threads: 2 });
    await expect(threaded).rejects.toBeInstanceOf(NonFiniteStateError);
    await expect(threaded).rejects.toThrow((expected as Error).message);
  });

  it('refuses, with the reason, what it cannot split', async () => {
    const zeroDelay: Network = { ...network, projections: network.projections.map((p) => (p.source === 1 ? { ...p, delayMs: 0 } : p)) };
    await expect(runNetworkThreads({ ...options, network: zeroDelay, threads: 2 })).rejects.toThrow(/projection 1 \('net->net'\) joins LIF populations with delay 0/);
    await expect(runNetworkThreads({ ...options, recording: { membrane: [{ population: 1, indices: [0], dtMs: 1 }] }, threads: 2 })).rejects.toThrow(
      /membrane traces/,
    );
    const other: NeuronDynamics<unknown> = { ...(lifDynamics as NeuronDynamics<unknown>), receive: () => undefined };
    await expect(runNetworkThreads({ ...options, dynamics: other, threads: 2 })).rejects.toThrow(/only core's exact LIF dynamics/);
    await expect(runNetworkThreads({ ...options, observation: { spikeTime: (_p, _n, t) => t }, threads: 2 })).rejects.toThrow(/observed spike times/);
    for (const threads of [0, 1.5, NaN]) await expect(runNetworkThreads({ ...options, threads })).rejects.toThrow(/integer >= 1/);
    // one thread is runNetwork itself, traces and all
    const traced = await runNetworkThreads({ ...options, recording: { membrane: [{ population: 1, indices: [0], dtMs: 1 }] }, threads: 1 });
    expect(traced.traces).toHaveLength(1);
  });
});

describe('firstspike simulate --threads', () => {
  it('writes the same bytes on 2 threads as on 1, and refuses what it cannot split in one line (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firstspike-threads-'));
    try {
      const config = JSON.parse(await readFile(new URL('../examples/balanced.json', import.meta.url), 'utf8')) as { record: { v?: unknown } };
      const traced = join(dir, 'traced.json');
      await writeFile(traced, JSON.stringify(config));
      delete config.record.v;
      const plain = join(dir, 'plain.json');
      await writeFile(plain, JSON.stringify({ ...config, duration: 100 }));
      const one = await runCli(['simulate', plain]);
      const two = await runCli(['simulate', plain, '--threads', '2']);
      expect(one.code).toBe(0);
      expect(two.code).toBe(0);
      expect((JSON.parse(one.out) as { spikes: { time_ms: number[] } }).spikes.time_ms.length).toBeGreaterThan(100);
      expect(two.out).toBe(one.out);
      const refused = await runCli(['simulate', traced, '--threads', '2']);
      expect(refused.code).toBe(2);
      expect(refused.out).toBe('');
      expect(refused.err).toBe('firstspike: error: --threads: membrane traces are recorded on one thread only\n');
      const bad = await runCli(['simulate', plain, '--threads', 'two']);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/^firstspike: error: --threads: must be a whole number from 1 to \d+ \(got 'two'\)\n$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
