import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSimulation, substrateNames } from '../index.ts';
import { pynnScript } from '../plugins/interop/pynnScript.ts';
import { runCli } from './helpers/cliRun.ts';

// Configs are plain JSON objects; `any` keeps the literals short.
type Json = any;

const ORIGIN = { config: 'net.json', substrate: 'ideal', realised: false };

/** The NETWORK data embedded in a script: the Python string literal is JSON text inside a JSON string. */
function embedded(script: string): Json {
  const line = script.split('\n').find((l) => l.startsWith('NETWORK = '));
  expect(line).toBeDefined();
  const literal = /^NETWORK = __import__\("json"\)\.loads\((".*")\)$/.exec(line!);
  expect(literal).not.toBeNull();
  return JSON.parse(JSON.parse(literal![1]) as string);
}

const CONFIG: Json = {
  seed: 5,
  duration: 40,
  populations: [
    { name: 'poisson', type: 'spike_source_poisson', size: 3, rate: 200, start: 2, stop: 30 },
    { name: 'arr', type: 'spike_source_array', size: 2, spike_times: [[1.25, 0.5], []] },
    {
      name: 'lif',
      type: 'IF_curr_exp',
      size: 4,
      params: { tau_m: 12, cm: 0.5, v_thresh: -52 },
      overrides: [{ indices: [2], params: { tau_refrac: 3 } }],
      initial_v: [-65, -60, -55, -65],
    },
  ],
  projections: [
    { name: 'p', source: 'poisson', target: 'lif', connector: { type: 'fixed_probability', p_connect: 0.5 }, weight: { distribution: 'normal', mean: 0, std: 1 }, delay: 0 },
    { name: 'a', source: 'arr', target: 'lif', connector: { type: 'from_list', connections: [[0, 3, -0.75], [1, 0, 0.25]] }, delay: 1.5 },
  ],
  record: { spikes: ['lif', 'arr'], v: [{ population: 'lif', indices: [1, 3], dt: 0.5 }] },
};

describe('export pynn: the generated script (content only, no Python)', () => {
  const spec = buildSimulation(CONFIG, { knownSubstrates: substrateNames() });
  const script = pynnScript(spec, ORIGIN);
  const data = embedded(script);

  it('embeds the built network: drawn Poisson times, sorted array times, per-neuron parameters', () => {
    const [poisson, arr, lif] = data.populations;
    const built = spec.network.populations;
    expect(poisson.kind).toBe('source');
    expect(poisson.spike_times).toEqual((built[0] as Json).spikeTimesMs.map((t: Float64Array) => Array.from(t)));
    expect(poisson.spike_times.flat().length).toBeGreaterThan(5);
    expect(arr.spike_times).toEqual([[0.5, 1.25], []]);
    expect(lif.params).toMatchObject({ tau_m: 12, cm: 0.5, v_thresh: -52, tau_syn_E: 5, v_rest: -65, i_offset: 0 });
    expect(lif.params.tau_refrac).toEqual([0.1, 0.1, 3, 0.1]);
    expect(lif.initial_v).toEqual([-65, -60, -55, -65]);
  });

  it('lists every connection with its weight, and keeps firstspike delays (0 included) for the script to adjust', () => {
    const [p, a] = data.projections;
    expect(a).toEqual({ name: 'a', source: 'arr', target: 'lif', delay_ms: 1.5, connections: [[0, 3, -0.75], [1, 0, 0.25]] });
    expect(p.delay_ms).toBe(0);
    // the same (pre, post, weight) triples as the CSR matrix firstspike simulates
    const syn = spec.network.projections[0].synapses;
    const triples: [number, number, number][] = [];
    for (let j = 0; j < syn.rows; j++) for (let e = syn.rowStart[j]; e < syn.rowStart[j + 1]; e++) triples.push([j, syn.targets[e], syn.weights[e]]);
    expect(p.connections).toEqual(triples);
    expect(triples.some((t) => t[2] < 0) && triples.some((t) => t[2] > 0)).toBe(true);
  });

  it('records what the config records, in its order', () => {
    expect(data.record).toEqual({ spikes: ['lif', 'arr'], v: [{ population: 'lif', indices: [1, 3], dt_ms: 0.5 }] });
    expect(data.duration_ms).toBe(40);
  });

  it('runs on a backend chosen at run time and handles what PyNN cannot express', () => {
    expect(script.startsWith('#!/usr/bin/env python3\n')).toBe(true);
    expect(script).toMatch(/add_argument\("--backend", choices=\["brian2", "nest"\], default="brian2"/);
    expect(script).toMatch(/import pyNN\.brian2 as sim/);
    expect(script).toMatch(/import pyNN\.nest as sim/);
    expect(script).toMatch(/add_argument\("--dt", type=float, default=0\.01/);
    // zero delays raised to one step; delays on the grid
    expect(script).toMatch(/if steps < 1:\n\s+steps = 1/);
    expect(script).toMatch(/sim\.setup\(timestep=dt, min_delay=dt/);
    // sources on the neurons' clock under pyNN.brian2
    expect(script).toMatch(/brian2\.defaultclock\.dt = dt \* brian2\.ms/);
    // weights split by sign onto the two receptors
    expect(script).toMatch(/\("excitatory", lambda w: w > 0\), \("inhibitory", lambda w: w < 0\)/);
    expect(script).toMatch(/sim\.FromListConnector\(part_rows, column_names=\["weight", "delay"\]\)/);
    expect(script).toMatch(/sim\.IF_curr_exp\(\*\*sub\)/);
    expect(script).toMatch(/"format": "firstspike\.simulation"/);
    expect(script).toMatch(/record\("v", sampling_interval=interval\)/);
    // pyNN.brian2 gives NaN when tau_syn == tau_m (e.g. the TTFS models): nudged for that backend only
    expect(script).toMatch(/if args\.backend == "brian2":\n\s+nudged \+= _separate_time_constants\(params, size\)/);
    expect(script).toMatch(/^TAU_NUDGE = 1e-6$/m);
    // pyNN.brian2 takes one tau_refrac per population: split by value there
    expect(script).toMatch(/if args\.backend == "brian2" and np\.any\(refrac != refrac\[0\]\):/);
  });

  it('survives awkward names: the embedded literal round-trips quotes, backslashes and newlines', () => {
    const odd = structuredClone(CONFIG);
    odd.projections[1].name = 'a "quoted" \\ name\nwith """ triple quotes';
    const s = pynnScript(buildSimulation(odd, { knownSubstrates: substrateNames() }), { ...ORIGIN, config: 'x"""y.json' });
    expect(embedded(s).projections[1].name).toBe(odd.projections[1].name);
    // the docstring stays closed: exactly two triple-quote delimiters before NETWORK
    const head = s.slice(0, s.indexOf('NETWORK = '));
    expect(head.split('"""').length).toBe(3);
  });
});

describe('firstspike export pynn (CLI)', () => {
  it('writes the script to --out and reports bad configs as one line with exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-pynn-'));
    const configPath = join(dir, 'net.json');
    await writeFile(configPath, JSON.stringify(CONFIG));
    const out = join(dir, 'model.py');
    const r = await runCli(['export', 'pynn', configPath, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^wrote .*model\.py: PyNN script, 3 populations, 9 neurons/);
    expect(embedded(await readFile(out, 'utf8')).populations).toHaveLength(3);
    await writeFile(configPath, JSON.stringify({ ...CONFIG, duration: -1 }));
    const bad = await runCli(['export', 'pynn', configPath, '--out', join(dir, 'bad.py')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^firstspike: error: \/duration: must be > 0/);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });
});
