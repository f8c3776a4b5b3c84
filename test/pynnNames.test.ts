import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, buildSimulation, normalisePynnNames, simulate, substrateNames } from '../index.ts';
import { generateConnections } from '../core/config/connectors.ts';
import { randomStream } from '../core/rng.ts';
import { runCli } from './helpers/cliRun.ts';

// Configs are plain JSON objects; `any` keeps the literals short.
type Json = any;

const load = (config: unknown) => buildSimulation(config, { knownSubstrates: substrateNames() });

const LIF_PARAMS = { tau_m: 10, cm: 0.25, v_thresh: -55, tau_refrac: 1 };

/** A network written with PyNN's names ... */
const PYNN: Json = {
  seed: 11,
  duration: 120,
  populations: [
    { label: 'noise', type: 'SpikeSourcePoisson', size: 30, params: { rate: 80, start: 10, duration: 50 } },
    { label: 'stim', type: 'SpikeSourceArray', size: 2, spike_times: [[5, 7.5], [6]] },
    { label: 'exc', type: 'IF_curr_exp', size: 12, params: LIF_PARAMS, initial_values: { v: -60 } },
  ],
  projections: [
    { source: 'noise', target: 'exc', connector: { type: 'FixedNumberPreConnector', n: 5, with_replacement: false }, synapse_type: { type: 'StaticSynapse', weight: 0.8, delay: 1 }, receptor_type: 'excitatory' },
    { source: 'stim', target: 'exc', connector: { type: 'FromListConnector', conn_list: [[0, 1, 1.5, 0.5], [1, 2, 1.5, 2], [0, 3, -1, 0.5]] } },
    { source: 'exc', target: 'exc', connector: { type: 'FixedProbabilityConnector', p_connect: 0.3, allow_self_connections: false }, weight: -0.5, delay: 1.5, receptor_type: 'inhibitory' },
    { source: 'noise', target: 'exc', connector: { type: 'FixedNumberPostConnector', n: 2 }, weight: 0.4, delay: 0.7 },
    { source: 'stim', target: 'exc', connector: { type: 'AllToAllConnector' }, weight: 0.1 },
  ],
  record: { spikes: ['exc'] },
};

/** ... and the same network written by hand in firstspike's form. */
const NATIVE: Json = {
  seed: 11,
  duration: 120,
  populations: [
    { name: 'noise', type: 'spike_source_poisson', size: 30, rate: 80, start: 10, stop: 60 },
    { name: 'stim', type: 'spike_source_array', size: 2, spike_times: [[5, 7.5], [6]] },
    { name: 'exc', type: 'IF_curr_exp', size: 12, params: LIF_PARAMS, initial_v: -60 },
  ],
  projections: [
    { source: 'noise', target: 'exc', connector: { type: 'fixed_in_degree', n: 5 }, weight: 0.8, delay: 1, name: 'noise->exc#0' },
    { name: 'stim->exc#1@0.5ms', source: 'stim', target: 'exc', connector: { type: 'from_list', connections: [[0, 1, 1.5], [0, 3, -1]] }, delay: 0.5 },
    { name: 'stim->exc#1@2ms', source: 'stim', target: 'exc', connector: { type: 'from_list', connections: [[1, 2, 1.5]] }, delay: 2 },
    { name: 'exc->exc#2', source: 'exc', target: 'exc', connector: { type: 'fixed_probability', p_connect: 0.3, allow_self_connections: false }, weight: -0.5, delay: 1.5 },
    { name: 'noise->exc#3', source: 'noise', target: 'exc', connector: { type: 'fixed_out_degree', n: 2 }, weight: 0.4, delay: 0.7 },
    { name: 'stim->exc#4', source: 'stim', target: 'exc', connector: { type: 'all_to_all' }, weight: 0.1 },
  ],
  record: { spikes: ['exc'] },
};

describe('PyNN names on input', () => {
  it('normalise to exactly the hand-written firstspike form', () => {
    expect(normalisePynnNames(PYNN)).toEqual(NATIVE);
  });

  it('build the same network and give the same spikes as the hand-written form', () => {
    const a = load(PYNN);
    const b = load(NATIVE);
    expect(a.network).toEqual(b.network);
    const ra = simulate(a);
    const rb = simulate(b);
    expect(ra.spikes).toEqual(rb.spikes);
    expect(ra.spikes.timeMs.length).toBeGreaterThan(0);
    // PyNN's duration is a window length: Poisson spikes lie in [start, start + duration)
    const noise = a.network.populations[0] as Json;
    const all = noise.spikeTimesMs.flatMap((t: Float64Array) => Array.from(t));
    expect(Math.min(...all)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...all)).toBeLessThan(60);
  });

  it('leave a config in firstspike form unchanged (idempotent), including the examples', async () => {
    expect(normalisePynnNames(NATIVE)).toEqual(NATIVE);
    for (const name of ['balanced', 'chain', 'poisson-input']) {
      const config = JSON.parse(await readFile(new URL(`../examples/${name}.json`, import.meta.url), 'utf8'));
      expect(normalisePynnNames(config)).toEqual(config);
    }
  });

  it('does not change the input object', () => {
    const copy = structuredClone(PYNN);
    normalisePynnNames(PYNN);
    expect(PYNN).toEqual(copy);
  });

  it('a single delay in FromListConnector rows becomes the projection delay; column_names picks the columns', () => {
    const c = structuredClone(PYNN);
    c.projections = [
      { source: 'stim', target: 'exc', connector: { type: 'FromListConnector', conn_list: [[0, 1, 2, 0.25], [1, 0, 3, 0.25]] } },
      { source: 'stim', target: 'exc', connector: { type: 'FromListConnector', conn_list: [[0, 4, 1.25]], column_names: ['delay'] }, weight: 0.5 },
    ];
    expect((normalisePynnNames(c) as Json).projections).toEqual([
      { source: 'stim', target: 'exc', connector: { type: 'from_list', connections: [[0, 1, 2], [1, 0, 3]] }, delay: 0.25 },
      { source: 'stim', target: 'exc', connector: { type: 'from_list', connections: [[0, 4]] }, weight: 0.5, delay: 1.25 },
    ]);
  });

  it('rejects what PyNN names cannot mean here, with the path', () => {
    const cases: [(c: Json) => void, string, RegExp][] = [
      [(c) => (c.populations[0].params.stop = 70), '/populations/0/duration', /'stop' or PyNN's 'duration'/],
      [(c) => (c.projections[0].connector.with_replacement = true), '/projections/0/connector/with_replacement', /replacement/],
      [(c) => (c.projections[2].weight = 0.5), '/projections/2/receptor_type', /weight 0.5 does not fit receptor_type 'inhibitory'/],
      [(c) => (c.projections[1].connector.column_names = ['weight', 'tau']), '/projections/1/connector/column_names', /weight/],
      [(c) => (c.projections[1].connector.conn_list[1] = [1, 2, 1.5]), '/projections/1/connector/conn_list/1', /\[pre, post, weight, delay\]/],
      [(c) => (c.projections[0].synapse_type.tau_rec = 1), '/projections/0/synapse_type/tau_rec', /unknown StaticSynapse parameter/],
      [(c) => (c.populations[2].initial_values.u = 0), '/populations/2/initial_values/u', /only v/],
      [(c) => (c.populations[1].name = 'x'), '/populations/1/label', /'name' or its PyNN alias 'label'/],
    ];
    for (const [change, path, reason] of cases) {
      const c = structuredClone(PYNN);
      change(c);
      let error: unknown;
      try {
        load(c);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).path).toBe(path);
      expect((error as ConfigError).reason).toMatch(reason);
    }
  });
});

describe('fixed_out_degree (PyNN FixedNumberPostConnector)', () => {
  const ends = (nPre: number, nPost: number, same = false) => ({ sourceName: 'a', targetName: 'b', nPre, nPost, samePopulation: same });

  it('gives every source exactly n distinct targets, ascending, pre-major, never itself when self-connections are off', () => {
    const c = generateConnections({ type: 'fixed_out_degree', n: 4, allow_self_connections: false }, ends(50, 50, true), () => randomStream(3, 'x'));
    expect(c.count).toBe(200);
    for (let i = 0; i < 50; i++) {
      const targets = Array.from(c.post.slice(4 * i, 4 * i + 4));
      expect(Array.from(c.pre.slice(4 * i, 4 * i + 4))).toEqual([i, i, i, i]);
      expect(targets).toEqual([...new Set(targets)].sort((x, y) => x - y));
      expect(targets).not.toContain(i);
    }
  });

  it('draws targets uniformly: each of 10 targets chosen ~ n_pre * n / 10 times (within 5 sigma)', () => {
    const nPre = 3000;
    const c = generateConnections({ type: 'fixed_out_degree', n: 3 }, ends(nPre, 10), () => randomStream(9, 'uniformity'));
    const counts = new Array(10).fill(0);
    for (const j of c.post) counts[j]++;
    // each target is chosen by a source with probability 3/10: binomial(3000, 0.3), mean 900, sd ~25.1
    for (const k of counts) expect(Math.abs(k - 900)).toBeLessThan(5 * Math.sqrt(nPre * 0.3 * 0.7));
  });

  it('refuses n above the available targets', () => {
    const c = structuredClone(NATIVE);
    c.projections[4].connector.n = 13;
    expect(() => load(c)).toThrow(/fixed_out_degree n = 13 exceeds the 12 available targets per source in 'exc'/);
  });
});

describe('simulate --print-config', () => {
  it('prints the normalised form and does not simulate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-names-'));
    const path = join(dir, 'pynn.json');
    await writeFile(path, JSON.stringify(PYNN));
    const r = await runCli(['simulate', path, '--print-config']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(NATIVE);
    expect(r.err).toBe('');
  });
});
