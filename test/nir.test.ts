import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSimulation, simulate, substrateNames } from '../index.ts';
import { resultAsJson } from '../cli/formatResult.ts';
import { compareSpikes } from '../plugins/interop/compare.ts';
import { readNirFile, writeNirFile } from '../plugins/interop/nirFile.ts';
import { NirMappingError, networkToNir, nirToConfig } from '../plugins/interop/nirGraph.ts';
import { parseSpikeFile } from '../plugins/interop/spikeFile.ts';
import { runCli } from './helpers/cliRun.ts';

// Configs are plain JSON objects; `any` keeps the literals short.
type Json = any;

const load = (config: unknown) => buildSimulation(config, { knownSubstrates: substrateNames() });

/** A feed-forward network: Poisson and array inputs -> 20 hidden (per-neuron parameters) -> 4 outputs. */
const FEED_FORWARD: Json = {
  seed: 2,
  duration: 80,
  populations: [
    { name: 'noise', type: 'spike_source_poisson', size: 15, rate: 60, start: 5, stop: 60 },
    { name: 'cue', type: 'spike_source_array', size: 2, spike_times: [[10, 30], [20]] },
    {
      name: 'hidden',
      type: 'IF_curr_exp',
      size: 20,
      params: { tau_m: 10, tau_syn_E: 5, tau_syn_I: 5, cm: 0.25, v_thresh: -55, v_reset: -70, tau_refrac: 2 },
      overrides: [{ indices: [0, 1, 2], params: { tau_m: 7, tau_syn_E: 3, tau_syn_I: 3, cm: 0.3 } }],
      initial_v: -62,
    },
    { name: 'out', type: 'IF_curr_exp', size: 4, params: { tau_m: 15, tau_syn_E: 4, tau_syn_I: 4, cm: 0.5, v_thresh: -56, tau_refrac: 1.5 } },
  ],
  projections: [
    { name: 'noise-hidden', source: 'noise', target: 'hidden', connector: { type: 'fixed_probability', p_connect: 0.5 }, weight: { distribution: 'uniform', low: -0.3, high: 1.2 }, delay: 0 },
    { name: 'cue-hidden', source: 'cue', target: 'hidden', connector: { type: 'all_to_all' }, weight: 0.9 },
    { name: 'hidden-out', source: 'hidden', target: 'out', connector: { type: 'all_to_all' }, weight: { distribution: 'normal', mean: 0.6, std: 0.5 } },
  ],
  record: { spikes: ['noise', 'cue', 'hidden', 'out'] },
};

describe('NIR graphs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-nir-'));
  });

  it('maps IF_curr_exp to CubaLIF by hand-derived values: r = tau_m / cm, NIR weight = w * tau_syn', () => {
    const graph = networkToNir(load(FEED_FORWARD).network);
    const hidden = graph.nodes.get('hidden')!;
    expect(hidden.type).toBe('CubaLIF');
    expect(hidden.params.r.data[0]).toBeCloseTo(7 / 0.3, 12);
    expect(hidden.params.r.data[5]).toBe(40); // 10 ms / 0.25 nF
    expect(hidden.params.tau_syn.data[0]).toBe(3);
    expect(hidden.params.v_leak.data[5]).toBe(-65);
    expect(hidden.metadata?.tau_refrac.data[5]).toBe(2);
    const cue = graph.nodes.get('cue-hidden')!;
    expect(cue.params.weight.shape).toEqual([20, 2]);
    // weight[post][pre]: post 1 (tau_syn 3) gets 0.9 * 3, post 7 (tau_syn 5) 0.9 * 5
    expect(cue.params.weight.data[1 * 2 + 0]).toBeCloseTo(2.7, 12);
    expect(cue.params.weight.data[7 * 2 + 1]).toBe(4.5);
    expect(graph.edges).toContainEqual(['cue', 'cue-hidden']);
    expect(graph.edges).toContainEqual(['cue-hidden', 'hidden']);
    expect(graph.edges).toContainEqual(['out', 'out.output']);
    expect(graph.nodes.get('out.output')?.type).toBe('Output');
  });

  it('round trip through an HDF5 file: export, import, simulate gives the same spikes', async () => {
    const spec = load(FEED_FORWARD);
    const path = join(dir, 'ff.nir');
    await writeNirFile(path, networkToNir(spec.network));
    const graph = await readNirFile(path);
    expect([...graph.nodes.keys()].sort()).toEqual(['cue', 'cue-hidden', 'hidden', 'hidden-out', 'noise', 'noise-hidden', 'out', 'out.output']);
    const inputTimes: Record<string, number[][]> = {};
    for (const pop of spec.network.populations) if (pop.kind === 'source') inputTimes[pop.name] = pop.spikeTimesMs.map((t) => Array.from(t));
    const back = load(nirToConfig(graph, { durationMs: spec.durationMs, inputTimes }));
    const a = simulate(spec);
    const b = simulate(back);
    const c = compareSpikes(parseSpikeFile(resultAsJson(a), 'a'), parseSpikeFile(resultAsJson(b), 'b'), 1e-9);
    expect(c.populations.find((p) => p.population === 'out')!.spikesA).toBeGreaterThan(3);
    expect(c.populations.find((p) => p.population === 'hidden')!.spikesA).toBeGreaterThan(20);
    expect(c.agree).toBe(true);
    // weights pass through w * tau_syn / tau_syn: equal to a few ulps, so the spike times agree to ~1e-12 ms
    expect(c.maxAbsDtMs).toBeLessThan(1e-9);
  });

  it('refuses what NIR cannot hold: recurrence, delays, two synaptic time constants, offset currents', () => {
    const cases: [(c: Json) => void, RegExp][] = [
      [(c) => c.projections.push({ source: 'out', target: 'hidden', connector: { type: 'all_to_all' }, weight: 0.1 }), /cycle/],
      [(c) => (c.projections[1].delay = 1), /delay of 1 ms/],
      [(c) => (c.populations[3].params.tau_syn_I = 8), /tau_syn_E \(4 ms\) != tau_syn_I \(8 ms\)/],
      [(c) => (c.populations[3].params.i_offset = 0.1), /i_offset/],
    ];
    for (const [change, reason] of cases) {
      const c = structuredClone(FEED_FORWARD);
      change(c);
      expect(() => networkToNir(load(c).network)).toThrow(NirMappingError);
      expect(() => networkToNir(load(c).network)).toThrow(reason);
    }
  });

  it('CLI: export nir / import nir, and one-line errors with exit 2', async () => {
    const configPath = join(dir, 'ff.json');
    await writeFile(configPath, JSON.stringify(FEED_FORWARD));
    const nirPath = join(dir, 'cli.nir');
    const e = await runCli(['export', 'nir', configPath, '--out', nirPath]);
    expect(e.code).toBe(0);
    expect(e.err).toMatch(/NIR graph, 8 nodes, 7 edges/);
    const i = await runCli(['import', 'nir', nirPath, '--inputs', configPath]);
    expect(i.code).toBe(0);
    const config = JSON.parse(i.out);
    expect(config.duration).toBe(80);
    // inputs first (HDF5 lists them alphabetically), then the layers in feed-forward order
    expect(config.populations.map((p: Json) => p.name)).toEqual(['cue', 'noise', 'hidden', 'out']);
    const recurrent = structuredClone(FEED_FORWARD);
    recurrent.projections.push({ source: 'hidden', target: 'hidden', connector: { type: 'one_to_one' }, weight: 0.1, delay: 0 });
    await writeFile(configPath, JSON.stringify(recurrent));
    await writeFile(join(dir, 'not.nir'), 'plain text');
    for (const argv of [
      ['export', 'nir', configPath, '--out', join(dir, 'x.nir')],
      ['import', 'nir', join(dir, 'not.nir')],
      ['import', 'nir', join(dir, 'missing.nir')],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^firstspike: error: /);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
