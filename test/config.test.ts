import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_SCHEMA,
  ConfigError,
  buildSimulation,
  configSchemaJson,
  loadConfigFile,
  parseConfigText,
  writeConfigSchema,
} from '../core/config/index.ts';
import type { CsrMatrix, LifPopulation, SpikeSourcePopulation } from '../core/network/network.ts';
import type { SimulationSpec } from '../core/simulation.ts';

/** Temporary folders made by the tests, removed at the end. */
const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

const OPTIONS = { knownSubstrates: ['ideal', 'bss2'] } as const;

// Configs are built as plain objects and mutated per case; `any` keeps the mutations short
// (buildSimulation takes `unknown`, so nothing is lost at the call sites).
type Json = any;

/** Lists a CSR matrix as (pre, post, weight) triples in storage order. */
function triples(m: CsrMatrix): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) out.push([r, m.targets[k], m.weights[k]]);
  }
  return out;
}

function lif(spec: SimulationSpec, index: number): LifPopulation {
  const pop = spec.network.populations[index];
  if (pop.kind !== 'lif') throw new Error(`population ${index} is not LIF`);
  return pop;
}

function source(spec: SimulationSpec, index: number): SpikeSourcePopulation {
  const pop = spec.network.populations[index];
  if (pop.kind !== 'source') throw new Error(`population ${index} is not a source`);
  return pop;
}

function onePopNet(size: number, connector: Json, extra: Json = {}): Json {
  return {
    seed: 11,
    duration: 10,
    populations: [{ name: 'p', type: 'IF_curr_exp', size }],
    projections: [{ name: 'rec', source: 'p', target: 'p', connector, weight: 1, ...extra }],
  };
}

function twoPopNet(nPre: number, nPost: number, connector: Json, extra: Json = {}, seed = 5): Json {
  return {
    seed,
    duration: 10,
    populations: [
      { name: 'a', type: 'spike_source_array', size: nPre, spike_times: [] },
      { name: 'b', type: 'IF_curr_exp', size: nPost },
    ],
    projections: [{ name: 'ab', source: 'a', target: 'b', connector, weight: 1, ...extra }],
  };
}

describe('building a valid config', () => {
  const config: Json = {
    seed: 42,
    duration: 100,
    substrate: { name: 'bss2', chip_seed: 7, jitter: { sigma: 0.1 } },
    populations: [
      { name: 'in', type: 'spike_source_array', size: 2, spike_times: [[5.0, 1.0, 3.0], []] },
      { name: 'shared', type: 'spike_source_array', size: 3, spike_times: [4, 2] },
      {
        name: 'exc',
        type: 'IF_curr_exp',
        size: 3,
        params: { tau_m: 10, cm: 0.5, v_thresh: -52 },
        overrides: [
          { indices: [0, 2], params: { v_thresh: -55, tau_syn_E: 2 } },
          { indices: [2], params: { v_thresh: -54, i_offset: 0.1 } },
        ],
      },
      { name: 'inh', type: 'IF_curr_exp', size: 2, initial_v: [-70, -60] },
      { name: 'flat_v', type: 'IF_curr_exp', size: 2, initial_v: -58, params: { v_rest: -66 } },
    ],
    projections: [
      { source: 'in', target: 'exc', connector: { type: 'all_to_all' }, weight: 0.5, delay: 1.5 },
      {
        source: 'exc',
        target: 'exc',
        connector: { type: 'all_to_all', allow_self_connections: false },
        weight: [
          [0, 0.1, 0.2],
          [1.0, 1.1, 1.2],
          [2.0, 2.1, 2.2],
        ],
      },
      { source: 'exc', target: 'inh', connector: { type: 'from_list', connections: [[0, 1], [2, 0, 0.5], [0, 0, -0.2]] }, weight: 0.7 },
      { name: 'one', source: 'inh', target: 'flat_v', connector: { type: 'one_to_one' }, weight: [-0.3, -0.4] },
      { source: 'in', target: 'inh', connector: { type: 'from_list', connections: [[1, 1, 0.25]] } },
    ],
    record: { v: [{ population: 'exc', dt: 0.1 }, { population: 'inh', indices: [1], dt: 0.5 }] },
  };
  const spec = buildSimulation(config, OPTIONS);

  it('keeps seed, duration and substrate with its options', () => {
    expect(spec.seed).toBe(42);
    expect(spec.durationMs).toBe(100);
    expect(spec.substrate).toEqual({ name: 'bss2', options: { chip_seed: 7, jitter: { sigma: 0.1 } } });
  });

  it('builds the populations in config order with sorted spike times', () => {
    const pops = spec.network.populations;
    expect(pops.map((p) => [p.name, p.kind, p.size])).toEqual([
      ['in', 'source', 2],
      ['shared', 'source', 3],
      ['exc', 'lif', 3],
      ['inh', 'lif', 2],
      ['flat_v', 'lif', 2],
    ]);
    expect(Array.from(source(spec, 0).spikeTimesMs[0])).toEqual([1, 3, 5]);
    expect(Array.from(source(spec, 0).spikeTimesMs[1])).toEqual([]);
    for (let i = 0; i < 3; i++) expect(Array.from(source(spec, 1).spikeTimesMs[i])).toEqual([2, 4]);
  });

  it('applies defaults, population params and overrides in order', () => {
    const p = lif(spec, 2).params;
    expect(p.size).toBe(3);
    expect(Array.from(p.tauMemMs)).toEqual([10, 10, 10]);
    expect(Array.from(p.capacitanceNf)).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(p.vThreshMv)).toEqual([-55, -52, -54]);
    expect(Array.from(p.tauSynExcMs)).toEqual([2, 5, 2]);
    expect(Array.from(p.iOffsetNa)).toEqual([0, 0, 0.1]);
    // PyNN defaults for everything not given
    expect(Array.from(p.tauSynInhMs)).toEqual([5, 5, 5]);
    expect(Array.from(p.vRestMv)).toEqual([-65, -65, -65]);
    expect(Array.from(p.vResetMv)).toEqual([-65, -65, -65]);
    expect(Array.from(p.tauRefracMs)).toEqual([0.1, 0.1, 0.1]);
    const q = lif(spec, 3).params;
    expect([q.tauMemMs[0], q.tauSynExcMs[1], q.capacitanceNf[0], q.vThreshMv[1], q.iOffsetNa[0]]).toEqual([
      20, 5, 1, -50, 0,
    ]);
  });

  it('sets the initial membrane potential from a number, an array, or v_rest', () => {
    expect(Array.from(lif(spec, 2).initialVMv)).toEqual([-65, -65, -65]);
    expect(Array.from(lif(spec, 3).initialVMv)).toEqual([-70, -60]);
    expect(Array.from(lif(spec, 4).initialVMv)).toEqual([-58, -58]);
    const dflt = buildSimulation(
      { duration: 1, populations: [{ name: 'x', type: 'IF_curr_exp', size: 2, params: { v_rest: -70 } }] },
      OPTIONS,
    );
    expect(Array.from(lif(dflt, 0).initialVMv)).toEqual([-70, -70]);
  });

  it('builds each projection with population indices, default names, delays and CSR contents', () => {
    const [p0, p1, p2, p3, p4] = spec.network.projections;
    expect([p0.name, p0.source, p0.target, p0.delayMs]).toEqual(['in->exc#0', 0, 2, 1.5]);
    expect(Array.from(p0.synapses.rowStart)).toEqual([0, 3, 6]);
    expect(Array.from(p0.synapses.targets)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(p0.synapses.weights)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);

    // all_to_all without self-connections, weights taken from the matrix entry of each connection
    expect([p1.name, p1.delayMs]).toEqual(['exc->exc#1', 0]);
    expect(triples(p1.synapses)).toEqual([
      [0, 1, 0.1],
      [0, 2, 0.2],
      [1, 0, 1.0],
      [1, 2, 1.2],
      [2, 0, 2.0],
      [2, 1, 2.1],
    ]);

    // from_list: own weights win over the projection weight; rows keep list order
    expect(p2.synapses.rows).toBe(3);
    expect(Array.from(p2.synapses.rowStart)).toEqual([0, 2, 2, 3]);
    expect(triples(p2.synapses)).toEqual([
      [0, 1, 0.7],
      [0, 0, -0.2],
      [2, 0, 0.5],
    ]);

    expect([p3.name, p3.source, p3.target]).toEqual(['one', 3, 4]);
    expect(triples(p3.synapses)).toEqual([
      [0, 0, -0.3],
      [1, 1, -0.4],
    ]);

    // from_list where every entry has a weight needs no projection weight
    expect(triples(p4.synapses)).toEqual([[1, 1, 0.25]]);
  });

  it('resolves the recording: default spikes = every LIF population, traces with indices', () => {
    expect(spec.recording.spikes).toEqual([2, 3, 4]);
    expect(spec.recording.membrane).toEqual([
      { population: 2, indices: [0, 1, 2], dtMs: 0.1 },
      { population: 3, indices: [1], dtMs: 0.5 },
    ]);
    const explicit = buildSimulation({ ...config, record: { spikes: ['in', 'inh'] } }, OPTIONS);
    expect(explicit.recording).toEqual({ spikes: [0, 3], membrane: [] });
  });

  it('defaults seed 0, substrate ideal with no options, no projections', () => {
    const s = buildSimulation({ duration: 5, populations: [{ name: 'n', type: 'IF_curr_exp', size: 1 }] }, OPTIONS);
    expect(s.seed).toBe(0);
    expect(s.substrate).toEqual({ name: 'ideal', options: {} });
    expect(s.network.projections).toEqual([]);
    expect(s.recording.spikes).toEqual([0]);
  });

  it('one_to_one, fixed_in_degree with n = n_pre, and p = 1 / p = 0 give hand-checkable CSRs', () => {
    const oto = buildSimulation(twoPopNet(3, 3, { type: 'one_to_one' }), OPTIONS).network.projections[0];
    expect(Array.from(oto.synapses.rowStart)).toEqual([0, 1, 2, 3]);
    expect(Array.from(oto.synapses.targets)).toEqual([0, 1, 2]);
    const full = buildSimulation(onePopNet(3, { type: 'fixed_in_degree', n: 2, allow_self_connections: false }), OPTIONS)
      .network.projections[0];
    // every target gets both other neurons
    expect(triples(full.synapses).map(([i, j]) => [i, j])).toEqual([
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 2],
      [2, 0],
      [2, 1],
    ]);
    const p1 = buildSimulation(onePopNet(3, { type: 'fixed_probability', p_connect: 1, allow_self_connections: false }), OPTIONS)
      .network.projections[0];
    expect(triples(p1.synapses)).toEqual(triples(full.synapses));
    const p0 = buildSimulation(twoPopNet(4, 4, { type: 'fixed_probability', p_connect: 0 }), OPTIONS).network.projections[0];
    expect(Array.from(p0.synapses.rowStart)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('seeded connectors and weights', () => {
  const csrArrays = (spec: SimulationSpec, p = 0): number[][] => {
    const m = spec.network.projections[p].synapses;
    return [Array.from(m.rowStart), Array.from(m.targets), Array.from(m.weights)];
  };

  it('the same seed gives identical CSR arrays, a different seed different ones', () => {
    for (const connector of [
      { type: 'fixed_probability', p_connect: 0.3 },
      { type: 'fixed_in_degree', n: 5 },
    ]) {
      const extra = { weight: { distribution: 'normal', mean: 1, std: 0.5 } };
      const a = buildSimulation(twoPopNet(30, 20, connector, extra, 1), OPTIONS);
      const b = buildSimulation(twoPopNet(30, 20, connector, extra, 1), OPTIONS);
      const c = buildSimulation(twoPopNet(30, 20, connector, extra, 2), OPTIONS);
      expect(csrArrays(a)).toEqual(csrArrays(b));
      expect(csrArrays(a)[1]).not.toEqual(csrArrays(c)[1]);
      expect(csrArrays(a)[2]).not.toEqual(csrArrays(c)[2]);
    }
  });

  it('adding a projection does not change the draws of another', () => {
    const one = twoPopNet(40, 40, { type: 'fixed_probability', p_connect: 0.2 }, { weight: { distribution: 'uniform', low: 0, high: 1 } });
    const two = structuredClone(one);
    two.projections.unshift({ name: 'extra', source: 'a', target: 'b', connector: { type: 'fixed_probability', p_connect: 0.5 }, weight: { distribution: 'normal', mean: 0, std: 1 } });
    const s1 = buildSimulation(one, OPTIONS);
    const s2 = buildSimulation(two, OPTIONS);
    expect(csrArrays(s2, 1)).toEqual(csrArrays(s1, 0));
  });

  it('fixed_in_degree gives exactly n distinct sources per target, none self when not allowed', () => {
    const n = 7;
    const spec = buildSimulation(onePopNet(50, { type: 'fixed_in_degree', n, allow_self_connections: false }), OPTIONS);
    const sources = Array.from({ length: 50 }, () => new Set<number>());
    let total = 0;
    for (const [i, j] of triples(spec.network.projections[0].synapses)) {
      expect(i).not.toBe(j);
      expect(sources[j].has(i)).toBe(false);
      sources[j].add(i);
      total++;
    }
    expect(total).toBe(50 * n);
    for (const s of sources) expect(s.size).toBe(n);
    // with self-connections allowed, self pairs do occur for a dense draw
    const dense = buildSimulation(onePopNet(10, { type: 'fixed_in_degree', n: 9 }), OPTIONS);
    const selfCount = triples(dense.network.projections[0].synapses).filter(([i, j]) => i === j).length;
    expect(selfCount).toBeGreaterThan(0);
    expect(dense.network.projections[0].synapses.targets.length).toBe(90);
  });

  it('fixed_in_degree draws every source about equally often', () => {
    const spec = buildSimulation(twoPopNet(20, 2000, { type: 'fixed_in_degree', n: 5 }), OPTIONS);
    const m = spec.network.projections[0].synapses;
    // each source is chosen by a target with probability 5/20: count ~ Binomial(2000, 0.25)
    const mean = 2000 * 0.25;
    const sigma = Math.sqrt(2000 * 0.25 * 0.75);
    for (let r = 0; r < 20; r++) {
      const count = m.rowStart[r + 1] - m.rowStart[r];
      expect(Math.abs(count - mean)).toBeLessThan(4.5 * sigma);
    }
  });

  it('fixed_probability connection count is within 4 sigma of p * n_pre * n_post', () => {
    const p = 0.1;
    const spec = buildSimulation(twoPopNet(300, 400, { type: 'fixed_probability', p_connect: p }), OPTIONS);
    const count = spec.network.projections[0].synapses.targets.length;
    const mean = p * 300 * 400;
    const sigma = Math.sqrt(mean * (1 - p));
    expect(Math.abs(count - mean)).toBeLessThan(4 * sigma);
    // and without self-connections on a recurrent projection: no i -> i, count over n (n - 1) pairs
    const rec = buildSimulation(onePopNet(300, { type: 'fixed_probability', p_connect: 0.2, allow_self_connections: false }), OPTIONS);
    const list = triples(rec.network.projections[0].synapses);
    expect(list.some(([i, j]) => i === j)).toBe(false);
    const recMean = 0.2 * 300 * 299;
    expect(Math.abs(list.length - recMean)).toBeLessThan(4 * Math.sqrt(recMean * 0.8));
    // each target column is hit about equally often (no bias toward early or late indices)
    const perPost = new Float64Array(300);
    for (const [, j] of list) perPost[j]++;
    const firstHalf = perPost.slice(0, 150).reduce((a, b) => a + b, 0);
    expect(Math.abs(firstHalf - list.length / 2)).toBeLessThan(4 * Math.sqrt(list.length / 4));
  });

  it('normal weights have the requested mean and std within sampling error', () => {
    const spec = buildSimulation(
      twoPopNet(100, 100, { type: 'all_to_all' }, { weight: { distribution: 'normal', mean: 0.5, std: 0.1 } }),
      OPTIONS,
    );
    const w = Array.from(spec.network.projections[0].synapses.weights);
    const n = w.length;
    expect(n).toBe(10000);
    const mean = w.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - 0.5)).toBeLessThan((4 * 0.1) / Math.sqrt(n));
    expect(Math.abs(std - 0.1)).toBeLessThan((4 * 0.1) / Math.sqrt(2 * n));
  });

  it('uniform weights stay in [low, high) with the right mean', () => {
    const spec = buildSimulation(
      twoPopNet(100, 100, { type: 'all_to_all' }, { weight: { distribution: 'uniform', low: -1, high: -0.5 } }),
      OPTIONS,
    );
    const w = Array.from(spec.network.projections[0].synapses.weights);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...w)).toBeLessThan(-0.5);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const sd = 0.5 / Math.sqrt(12);
    expect(Math.abs(mean + 0.75)).toBeLessThan((4 * sd) / Math.sqrt(w.length));
  });

  it('a per-connection weight list follows the generation order (post-major for fixed_in_degree)', () => {
    const spec = buildSimulation(
      onePopNet(3, { type: 'fixed_in_degree', n: 2, allow_self_connections: false }, { weight: [1, 2, 3, 4, 5, 6] }),
      OPTIONS,
    );
    // generation order: post 0 <- 1, 2; post 1 <- 0, 2; post 2 <- 0, 1
    expect(triples(spec.network.projections[0].synapses)).toEqual([
      [0, 1, 3],
      [0, 2, 5],
      [1, 0, 1],
      [1, 2, 6],
      [2, 0, 2],
      [2, 1, 4],
    ]);
  });
});

describe('Poisson sources', () => {
  const poisson = (seed: number, extra: Json = {}): Json => ({
    seed,
    duration: 1000,
    populations: [{ name: 'noise', type: 'spike_source_poisson', size: 200, rate: 50, start: 100, stop: 900, ...extra }],
  });

  it('the same seed gives the same times; another seed other times', () => {
    const a = source(buildSimulation(poisson(3), OPTIONS), 0).spikeTimesMs;
    const b = source(buildSimulation(poisson(3), OPTIONS), 0).spikeTimesMs;
    const c = source(buildSimulation(poisson(4), OPTIONS), 0).spikeTimesMs;
    expect(a.map((t) => Array.from(t))).toEqual(b.map((t) => Array.from(t)));
    expect(Array.from(a[0])).not.toEqual(Array.from(c[0]));
  });

  it('mean count is within 4 sigma of rate * (stop - start); times sorted inside [start, stop)', () => {
    const trains = source(buildSimulation(poisson(9), OPTIONS), 0).spikeTimesMs;
    let total = 0;
    for (const t of trains) {
      total += t.length;
      for (let k = 0; k < t.length; k++) {
        expect(t[k]).toBeGreaterThanOrEqual(100);
        expect(t[k]).toBeLessThan(900);
        if (k > 0) expect(t[k]).toBeGreaterThan(t[k - 1]);
      }
    }
    const expected = 200 * 50 * 0.8; // 200 neurons, 50 Hz, 0.8 s
    expect(Math.abs(total - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('stop defaults to the duration and rate 0 gives no spikes', () => {
    const s = buildSimulation({ duration: 200, populations: [{ name: 'q', type: 'spike_source_poisson', size: 50, rate: 100 }] }, OPTIONS);
    const trains = source(s, 0).spikeTimesMs;
    const last = Math.max(...trains.map((t) => (t.length > 0 ? t[t.length - 1] : 0)));
    expect(last).toBeLessThan(200);
    expect(last).toBeGreaterThan(150);
    const silent = buildSimulation(poisson(1, { rate: 0 }), OPTIONS);
    expect(source(silent, 0).spikeTimesMs.every((t) => t.length === 0)).toBe(true);
  });
});

describe('bad configs give one line naming the path and the reason', () => {
  const base = (): Json => ({
    seed: 3,
    duration: 100,
    substrate: 'ideal',
    populations: [
      { name: 'in', type: 'spike_source_array', size: 2, spike_times: [[1, 5], []] },
      { name: 'noise', type: 'spike_source_poisson', size: 3, rate: 10 },
      { name: 'exc', type: 'IF_curr_exp', size: 4 },
    ],
    projections: [{ source: 'in', target: 'exc', connector: { type: 'all_to_all' }, weight: 0.5 }],
  });

  const cases: [string, (c: Json) => void, string, string][] = [
    ['unknown top-level property', (c) => (c.durations = 5), '/', "unknown property 'durations'"],
    ['unknown parameter', (c) => (c.populations[2].params = { tau_x: 1 }), '/populations/2/params', "unknown property 'tau_x'"],
    ['unknown connector property', (c) => (c.projections[0].connector.p_connect = 0.5), '/projections/0/connector', "unknown property 'p_connect'"],
    ['wrong type', (c) => (c.duration = '100'), '/duration', 'must be a number (got the string "100")'],
    ['wrong type in a list', (c) => (c.populations[0].spike_times[0][1] = true), '/populations/0/spike_times/0/1', 'must be a number'],
    ['non-integer seed', (c) => (c.seed = 1.5), '/seed', 'must be an integer'],
    ['negative seed', (c) => (c.seed = -1), '/seed', 'must be >= 0'],
    ['missing duration', (c) => delete c.duration, '/', "missing required property 'duration'"],
    ['missing population size', (c) => delete c.populations[2].size, '/populations/2', "missing required property 'size'"],
    ['missing population type', (c) => delete c.populations[1].type, '/populations/1', "missing required property 'type'"],
    ['NaN', (c) => (c.duration = Number.NaN), '/duration', 'must be a finite number (got NaN)'],
    ['Infinity in spike times', (c) => (c.populations[0].spike_times[0][0] = Infinity), '/populations/0/spike_times/0/0', 'finite'],
    ['-Infinity weight', (c) => (c.projections[0].weight = -Infinity), '/projections/0/weight', 'finite'],
    ['zero duration', (c) => (c.duration = 0), '/duration', 'must be > 0'],
    ['zero tau_m', (c) => (c.populations[2].params = { tau_m: 0 }), '/populations/2/params/tau_m', 'must be > 0 (a time constant)'],
    ['negative tau_syn_I', (c) => (c.populations[2].params = { tau_syn_I: -1 }), '/populations/2/params/tau_syn_I', 'must be > 0 (a time constant)'],
    ['zero tau_syn_E in an override', (c) => (c.populations[2].overrides = [{ indices: [0], params: { tau_syn_E: 0 } }]), '/populations/2/overrides/0/params/tau_syn_E', 'must be > 0'],
    ['zero cm', (c) => (c.populations[2].params = { cm: 0 }), '/populations/2/params/cm', 'must be > 0 (a capacitance)'],
    ['negative tau_refrac', (c) => (c.populations[2].params = { tau_refrac: -0.1 }), '/populations/2/params/tau_refrac', 'must be >= 0'],
    ['v_reset = v_thresh', (c) => (c.populations[2].params = { v_reset: -50 }), '/populations/2/params/v_reset', 'v_reset (-50 mV) must be < v_thresh (-50 mV)'],
    ['v_reset > v_thresh via v_thresh', (c) => (c.populations[2].params = { v_thresh: -70 }), '/populations/2/params/v_thresh', 'v_reset (-65 mV) must be < v_thresh (-70 mV)'],
    [
      'v_reset >= v_thresh after overrides',
      (c) => (c.populations[2].overrides = [{ indices: [1], params: { tau_m: 3 } }, { indices: [3], params: { v_thresh: -66 } }]),
      '/populations/2/overrides/1/params',
      'v_reset (-65 mV) must be < v_thresh (-66 mV) (neuron 3, after overrides)',
    ],
    ['override index out of range', (c) => (c.populations[2].overrides = [{ indices: [0, 4], params: { tau_m: 3 } }]), '/populations/2/overrides/0/indices/1', "neuron index 4 out of range (population 'exc' has 4 neurons)"],
    ['unknown population (source)', (c) => (c.projections[0].source = 'nope'), '/projections/0/source', "unknown population 'nope' (known: in, noise, exc)"],
    ['unknown population (target)', (c) => (c.projections[0].target = 'exx'), '/projections/0/target', "unknown population 'exx'"],
    ['unknown population (record spikes)', (c) => (c.record = { spikes: ['exc', 'inh'] }), '/record/spikes/1', "unknown population 'inh'"],
    ['unknown population (record v)', (c) => (c.record = { v: [{ population: 'x', dt: 1 }] }), '/record/v/0/population', "unknown population 'x'"],
    ['population recorded twice', (c) => (c.record = { spikes: ['exc', 'exc'] }), '/record/spikes/1', 'listed twice'],
    ['duplicate population names', (c) => (c.populations[2].name = 'in'), '/populations/2/name', "duplicate population name 'in' (also /populations/0)"],
    ['bad population name', (c) => (c.populations[2].name = '2exc'), '/populations/2/name', 'invalid name "2exc"'],
    ['unknown population type', (c) => (c.populations[2].type = 'IF_cond_exp'), '/populations/2/type', 'unknown population type "IF_cond_exp" (known: spike_source_array, spike_source_poisson, IF_curr_exp)'],
    ['target is a spike source', (c) => (c.projections[0].target = 'noise'), '/projections/0/target', "population 'noise' is a spike source (spike_source_poisson)"],
    ['trace of a spike source', (c) => (c.record = { v: [{ population: 'in', dt: 1 }] }), '/record/v/0/population', 'membrane traces need an IF_curr_exp population'],
    ['unknown substrate', (c) => (c.substrate = 'loihi'), '/substrate', "unknown substrate 'loihi' (known: ideal, bss2)"],
    ['unknown substrate (object form)', (c) => (c.substrate = { name: 'spinnaker', x: 1 }), '/substrate/name', "unknown substrate 'spinnaker'"],
    ['substrate object without a name', (c) => (c.substrate = { chip: 1 }), '/substrate', "missing required property 'name'"],
    ['from_list pre index out of range', (c) => (c.projections[0].connector = { type: 'from_list', connections: [[0, 0], [2, 1]] }), '/projections/0/connector/connections/1/0', "presynaptic index 2 out of range (source 'in' has 2 neurons)"],
    ['from_list post index out of range', (c) => (c.projections[0].connector = { type: 'from_list', connections: [[0, 9]] }), '/projections/0/connector/connections/0/1', "postsynaptic index 9 out of range (target 'exc' has 4 neurons)"],
    ['from_list entry too long', (c) => (c.projections[0].connector = { type: 'from_list', connections: [[0, 1, 0.5, 2]] }), '/projections/0/connector/connections/0', 'a connection must be [pre, post] or [pre, post, weight]'],
    ['negative from_list index', (c) => (c.projections[0].connector = { type: 'from_list', connections: [[-1, 1]] }), '/projections/0/connector/connections/0/0', 'must be >= 0 (a neuron index)'],
    ['record index out of range', (c) => (c.record = { v: [{ population: 'exc', indices: [3, 4], dt: 1 }] }), '/record/v/0/indices/1', "neuron index 4 out of range (population 'exc' has 4 neurons)"],
    ['duplicate record index', (c) => (c.record = { v: [{ population: 'exc', indices: [1, 2, 1], dt: 1 }] }), '/record/v/0/indices', 'duplicate entry 1 (items 0 and 2)'],
    ['zero trace dt', (c) => (c.record = { v: [{ population: 'exc', dt: 0 }] }), '/record/v/0/dt', 'must be > 0'],
    ['one_to_one size mismatch', (c) => (c.projections[0].connector = { type: 'one_to_one' }), '/projections/0/connector', "one_to_one needs populations of equal size, but source 'in' has 2 neurons and target 'exc' has 4"],
    ['fixed_in_degree n too large', (c) => (c.projections[0].connector = { type: 'fixed_in_degree', n: 3 }), '/projections/0/connector/n', "fixed_in_degree n = 3 exceeds the 2 available sources per target in 'in'"],
    [
      'fixed_in_degree n = n_pre without self-connections',
      (c) => (c.projections[0] = { source: 'exc', target: 'exc', connector: { type: 'fixed_in_degree', n: 4, allow_self_connections: false }, weight: 1 }),
      '/projections/0/connector/n',
      'exceeds the 3 available sources per target',
    ],
    ['p_connect > 1', (c) => (c.projections[0].connector = { type: 'fixed_probability', p_connect: 1.5 }), '/projections/0/connector/p_connect', 'must be <= 1'],
    ['p_connect < 0', (c) => (c.projections[0].connector = { type: 'fixed_probability', p_connect: -0.1 }), '/projections/0/connector/p_connect', 'must be >= 0'],
    ['missing p_connect', (c) => (c.projections[0].connector = { type: 'fixed_probability' }), '/projections/0/connector', "missing required property 'p_connect'"],
    ['unknown connector type', (c) => (c.projections[0].connector = { type: 'all_to_one' }), '/projections/0/connector/type', 'unknown connector type "all_to_one"'],
    ['weight matrix with too few rows', (c) => (c.projections[0].weight = [[1, 2, 3, 4]]), '/projections/0/weight', "weight matrix has 1 rows but source 'in' has 2 neurons (expected [2][4])"],
    ['weight matrix row too short', (c) => (c.projections[0].weight = [[1, 2, 3, 4], [1, 2, 3]]), '/projections/0/weight/1', "weight matrix row has 3 entries but target 'exc' has 4 neurons"],
    ['weight mixes rows and numbers', (c) => (c.projections[0].weight = [[1, 2, 3, 4], 5]), '/projections/0/weight/1', 'mixes rows and numbers'],
    ['weight list of the wrong length', (c) => (c.projections[0].weight = [1, 2, 3]), '/projections/0/weight', 'weight list has 3 values but the connector generated 8 connections'],
    ['negative std', (c) => (c.projections[0].weight = { distribution: 'normal', mean: 1, std: -0.1 }), '/projections/0/weight/std', 'must be >= 0 (a standard deviation)'],
    ['unknown distribution', (c) => (c.projections[0].weight = { distribution: 'lognormal', mean: 1 }), '/projections/0/weight/distribution', 'unknown weight distribution "lognormal" (known: normal, uniform)'],
    ['uniform high < low', (c) => (c.projections[0].weight = { distribution: 'uniform', low: 1, high: 0 }), '/projections/0/weight/high', 'uniform high (0) must be >= low (1)'],
    ['weight missing', (c) => delete c.projections[0].weight, '/projections/0', "missing required property 'weight'"],
    [
      'weight missing for a from_list entry without one',
      (c) => (c.projections[0] = { source: 'in', target: 'exc', connector: { type: 'from_list', connections: [[0, 1, 0.5], [1, 1]] } }),
      '/projections/0',
      'from_list entry 1 has no weight of its own',
    ],
    ['negative delay', (c) => (c.projections[0].delay = -1), '/projections/0/delay', 'must be >= 0 (a delay in ms)'],
    [
      'duplicate projection names',
      (c) => {
        c.projections[0].name = 'p';
        c.projections.push({ name: 'p', source: 'in', target: 'exc', connector: { type: 'one_to_one' }, weight: 1 });
      },
      '/projections/1/name',
      "duplicate projection name 'p' (also /projections/0)",
    ],
    ['spike_times count != size', (c) => (c.populations[0].spike_times = [[1]]), '/populations/0/spike_times', "has 1 lists but population 'in' has 2 neurons"],
    ['spike_times mixes lists and numbers', (c) => (c.populations[0].spike_times = [[1], 2]), '/populations/0/spike_times/1', 'mixes numbers and lists'],
    ['negative spike time', (c) => (c.populations[0].spike_times = [[1, -2], []]), '/populations/0/spike_times/0/1', 'must be >= 0 (a spike time)'],
    ['negative spike time (flat list)', (c) => (c.populations[0].spike_times = [-1]), '/populations/0/spike_times/0', 'must be >= 0 (a spike time)'],
    ['initial_v length mismatch', (c) => (c.populations[2].initial_v = [-65, -60]), '/populations/2/initial_v', "has 2 values but population 'exc' has 4 neurons"],
    ['negative rate', (c) => (c.populations[1].rate = -5), '/populations/1/rate', 'must be >= 0 (a rate in Hz)'],
    ['Poisson stop before start', (c) => Object.assign(c.populations[1], { start: 50, stop: 20 }), '/populations/1/stop', 'stop (20 ms) must be >= start (50 ms)'],
    ['Poisson start after the duration (default stop)', (c) => (c.populations[1].start = 150), '/populations/1/start', 'must be >= start (150 ms)'],
    ['zero population size', (c) => (c.populations[2].size = 0), '/populations/2/size', 'must be >= 1 (a population needs at least one neuron)'],
    ['no populations', (c) => (c.populations = []), '/populations', 'must list at least one population'],
    ['projections not an array', (c) => (c.projections = {}), '/projections', 'must be an array (got an object)'],
    ['config not an object', (c) => (c.populations = null), '/populations', 'must be an array (got null)'],
  ];

  it.each(cases)('%s', (_name, mutate, path, reason) => {
    const config = base();
    mutate(config);
    let caught: unknown;
    try {
      buildSimulation(config, OPTIONS);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.path).toBe(path);
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`${path}: ${error.reason}`);
    expect(error.message).not.toContain('\n');
  });

  it('the base of the bad cases is itself valid', () => {
    const spec = buildSimulation(base(), OPTIONS);
    expect(spec.network.projections[0].synapses.targets.length).toBe(8);
  });

  it('a non-object config is rejected at the root', () => {
    expect(() => buildSimulation([], OPTIONS)).toThrow('/: must be an object (got an array)');
  });
});

describe('files and JSON text', () => {
  it('parseConfigText reports syntax errors with file, line and column', () => {
    const text = '{\n  "duration": 10,\n  "populations": [,]\n}';
    let caught: unknown;
    try {
      parseConfigText(text, 'net.json');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).path).toBe('/');
    expect((caught as ConfigError).reason).toBe("invalid JSON in 'net.json' at line 3, column 19: unexpected character \",\"");
    expect(() => parseConfigText('{"a": 1', 'x.json')).toThrow(
      "/: invalid JSON in 'x.json' at line 1, column 8: unexpected end of input",
    );
    expect(() => parseConfigText('{"a": tru}', 'y.json')).toThrow("at line 1, column 7");
    expect(parseConfigText('\uFEFF{"a": [1, 2.5e3]}', 'z.json')).toEqual({ a: [1, 2500] });
  });

  it('loadConfigFile: missing file, syntax error, and a good file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firstspike-config-'));
    tempDirs.push(dir);
    const missing = join(dir, 'missing.json');
    await expect(loadConfigFile(missing, OPTIONS)).rejects.toThrow(
      new ConfigError('/', `cannot read file '${missing}': no such file`),
    );
    await expect(loadConfigFile(missing, OPTIONS)).rejects.toMatchObject({
      path: '/',
      reason: `cannot read file '${missing}': no such file`,
    });
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{\n  "duration": 10\n  "populations": []\n}\n');
    await expect(loadConfigFile(broken, OPTIONS)).rejects.toMatchObject({
      path: '/',
      reason: `invalid JSON in '${broken}' at line 3, column 3: unexpected character "\\""`,
    });
    await expect(loadConfigFile(dir, OPTIONS)).rejects.toMatchObject({ path: '/', reason: `cannot read file '${dir}': is a directory` });
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ duration: 20, populations: [{ name: 'n', type: 'IF_curr_exp', size: 3 }] }));
    const spec = await loadConfigFile(good, OPTIONS);
    expect(spec.network.populations[0].size).toBe(3);
    expect(spec.durationMs).toBe(20);
  });

  it('the example configs load', async () => {
    const chain = await loadConfigFile('examples/chain.json', OPTIONS);
    expect(chain.network.populations.map((p) => p.size)).toEqual([1, 5]);
    expect(triples(chain.network.projections[1].synapses)).toEqual([
      [0, 1, 2],
      [1, 2, 2],
      [2, 3, 2],
      [3, 4, 2],
    ]);
    const balanced = await loadConfigFile('examples/balanced.json', OPTIONS);
    expect(balanced.network.projections.length).toBe(6);
    expect(balanced.network.projections[0].synapses.targets.length).toBe(400 * 20);
    expect(balanced.network.projections[0].name).toBe('noise->exc#0');
    const poisson = await loadConfigFile('examples/poisson-input.json', OPTIONS);
    expect(poisson.substrate).toEqual({ name: 'ideal', options: {} });
    expect(poisson.network.projections[0].synapses.targets.length).toBe(4 * 30);
  });
});

describe('the schema', () => {
  it('has a description on every property', () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        node.forEach((x, k) => visit(x, `${path}/${k}`));
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const obj = node as Record<string, unknown>;
      if (obj.properties !== undefined) {
        for (const [key, sub] of Object.entries(obj.properties as Record<string, unknown>)) {
          if (typeof (sub as { description?: unknown }).description !== 'string') missing.push(`${path}/properties/${key}`);
        }
      }
      for (const [key, sub] of Object.entries(obj)) visit(sub, `${path}/${key}`);
    };
    visit(CONFIG_SCHEMA, '#');
    expect(missing).toEqual([]);
  });

  it('is written as JSON that reads back equal', async () => {
    expect(JSON.parse(configSchemaJson())).toEqual(JSON.parse(JSON.stringify(CONFIG_SCHEMA)));
    const dir = await mkdtemp(join(tmpdir(), 'firstspike-schema-'));
    tempDirs.push(dir);
    const file = join(dir, 'schema.json');
    await writeConfigSchema(file);
    expect(await readFile(file, 'utf8')).toBe(configSchemaJson());
  });
});
