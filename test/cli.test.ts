import { runCli } from './helpers/cliRun.ts';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimulation, simulate, substrateNames } from '../index.ts';
import { DEFAULT_NETWORK } from '../cli/defaultNetwork.ts';

// Configs are plain JSON objects mutated per case; `any` keeps the mutations short.
type Json = any;

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

const run = runCli;

/**
 * The small valid base config: two array sources (2 neurons) driving three IF_curr_exp neurons hard
 * enough to spike, with one membrane trace.
 */
const BASE: Json = {
  seed: 3,
  duration: 50,
  populations: [
    { name: 'in', type: 'spike_source_array', size: 2, spike_times: [[1, 10], [5]] },
    {
      name: 'out',
      type: 'IF_curr_exp',
      size: 3,
      params: {
        tau_m: 10,
        tau_syn_E: 5,
        tau_syn_I: 5,
        cm: 0.2,
        v_rest: -65,
        v_reset: -70,
        v_thresh: -55,
        tau_refrac: 2,
      },
    },
  ],
  projections: [
    { name: 'drive', source: 'in', target: 'out', connector: { type: 'all_to_all' }, weight: 2.0, delay: 0.5 },
  ],
  record: { spikes: ['in', 'out'], v: [{ population: 'out', indices: [0], dt: 1 }] },
};

function variant(change: (c: Json) => void): Json {
  const c = structuredClone(BASE);
  change(c);
  return c;
}

/** A config with Poisson input and random connectivity and weights (for reproducibility). */
function poissonConfig(seed: number): Json {
  return {
    seed,
    duration: 200,
    populations: [
      { name: 'noise', type: 'spike_source_poisson', size: 20, rate: 50 },
      { name: 'exc', type: 'IF_curr_exp', size: 10, params: { tau_m: 10, cm: 0.2, tau_refrac: 2 } },
    ],
    projections: [
      {
        name: 'noise->exc',
        source: 'noise',
        target: 'exc',
        connector: { type: 'fixed_probability', p_connect: 0.5 },
        weight: { distribution: 'uniform', low: 0.5, high: 1.5 },
        delay: 1,
      },
    ],
    record: { spikes: ['noise', 'exc'], v: [{ population: 'exc', indices: [0], dt: 0.5 }] },
  };
}

let tempRoot: string;
let caseCounter = 0;

beforeAll(async () => {
  tempRoot = await mkdtemp(join(tmpdir(), 'firstspike-cli-'));
});

afterAll(async () => {
  await rm(tempRoot, { recursive: true, force: true });
});

/** A fresh empty directory for one case, so leftovers can be checked exactly. */
async function freshDir(): Promise<string> {
  const dir = join(tempRoot, `case-${caseCounter++}`);
  await mkdir(dir);
  return dir;
}

async function writeConfig(dir: string, config: Json | string): Promise<string> {
  const path = join(dir, 'config.json');
  await writeFile(path, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return path;
}

// -------------------------------------------------------------------------------------------------
// Bad inputs
// -------------------------------------------------------------------------------------------------

/** How a bad case sets up its input file: an object, raw text, nothing, or a directory. */
type Input =
  | { readonly config: Json }
  | { readonly text: string }
  | { readonly missing: true }
  | { readonly directory: true };

interface BadCase {
  readonly name: string;
  readonly input: Input;
  /** The JSON pointer the message must name (it follows `firstspike: error: `). */
  readonly path: string;
  /** Substrings the reason must contain. */
  readonly reason: readonly string[];
}

const BASE_TEXT = JSON.stringify(BASE, null, 2);

const BAD_CASES: readonly BadCase[] = [
  { name: 'missing file', input: { missing: true }, path: '/', reason: ['cannot read file', 'no such file'] },
  { name: 'a directory instead of a file', input: { directory: true }, path: '/', reason: ['cannot read file', 'is a directory'] },
  {
    name: 'invalid JSON syntax (trailing comma)',
    input: { text: '{\n  "duration": 50,\n  "populations": [],\n}\n' },
    path: '/',
    reason: ['invalid JSON in', 'at line 4, column 1: unexpected character "}"'],
  },
  {
    name: 'NaN written into the file (not JSON)',
    input: { text: BASE_TEXT.replace('"duration": 50', '"duration": NaN') },
    path: '/',
    reason: ['invalid JSON in', 'line 3, column 15: unexpected character "N"'],
  },
  {
    name: 'huge number 1e400 (JSON.parse gives Infinity)',
    input: { text: BASE_TEXT.replace('"duration": 50', '"duration": 1e400') },
    path: '/duration',
    reason: ['must be a finite number (got Infinity)'],
  },
  {
    name: 'unknown top-level property',
    input: { config: variant((c) => (c.durations = 5)) },
    path: '/',
    reason: ["unknown property 'durations'", 'allowed: seed, duration, substrate, populations, projections, record'],
  },
  {
    name: 'missing duration',
    input: { config: variant((c) => delete c.duration) },
    path: '/',
    reason: ["missing required property 'duration'"],
  },
  {
    name: 'negative duration',
    input: { config: variant((c) => (c.duration = -5)) },
    path: '/duration',
    reason: ['must be > 0', 'the simulated time in ms'],
  },
  {
    name: 'tau_m 0',
    input: { config: variant((c) => (c.populations[1].params.tau_m = 0)) },
    path: '/populations/1/params/tau_m',
    reason: ['must be > 0 (a time constant)'],
  },
  {
    name: 'tau_syn_E negative',
    input: { config: variant((c) => (c.populations[1].params.tau_syn_E = -1)) },
    path: '/populations/1/params/tau_syn_E',
    reason: ['must be > 0 (a time constant)'],
  },
  {
    name: 'cm negative',
    input: { config: variant((c) => (c.populations[1].params.cm = -0.2)) },
    path: '/populations/1/params/cm',
    reason: ['must be > 0 (a capacitance)'],
  },
  {
    name: 'tau_refrac negative',
    input: { config: variant((c) => (c.populations[1].params.tau_refrac = -0.5)) },
    path: '/populations/1/params/tau_refrac',
    reason: ['must be >= 0 (a duration)'],
  },
  {
    name: 'v_reset above v_thresh',
    input: { config: variant((c) => (c.populations[1].params.v_reset = -50)) },
    path: '/populations/1/params/v_reset',
    reason: ['v_reset (-50 mV) must be < v_thresh (-55 mV)'],
  },
  {
    name: 'v_reset equal to v_thresh',
    input: { config: variant((c) => (c.populations[1].params.v_reset = -55)) },
    path: '/populations/1/params/v_reset',
    reason: ['v_reset (-55 mV) must be < v_thresh (-55 mV)'],
  },
  {
    name: 'unknown population name in a projection',
    input: { config: variant((c) => (c.projections[0].source = 'nope')) },
    path: '/projections/0/source',
    reason: ["unknown population 'nope' (known: in, out)"],
  },
  {
    name: 'projection targeting a spike source',
    input: { config: variant((c) => (c.projections[0].target = 'in')) },
    path: '/projections/0/target',
    reason: ["population 'in' is a spike source (spike_source_array)", 'must target an IF_curr_exp population'],
  },
  {
    name: 'unknown substrate name (string form)',
    input: { config: variant((c) => (c.substrate = 'loihi')) },
    path: '/substrate',
    reason: ["unknown substrate 'loihi'", `(known: ${substrateNames().join(', ')})`, 'ideal'],
  },
  {
    name: 'unknown substrate name (object form)',
    input: { config: variant((c) => (c.substrate = { name: 'loihi', cores: 2 })) },
    path: '/substrate/name',
    reason: ["unknown substrate 'loihi'", `(known: ${substrateNames().join(', ')})`],
  },
  {
    name: 'unknown option for the ideal substrate',
    input: { config: variant((c) => (c.substrate = { name: 'ideal', foo: 1 })) },
    path: '/substrate/foo',
    reason: ["unknown option for substrate 'ideal'"],
  },
  {
    name: 'out-of-range index in from_list',
    input: {
      config: variant((c) => (c.projections[0].connector = { type: 'from_list', connections: [[0, 0], [2, 1]] })),
    },
    path: '/projections/0/connector/connections/1/0',
    reason: ["presynaptic index 2 out of range (source 'in' has 2 neurons)"],
  },
  {
    name: 'out-of-range post index in from_list',
    input: {
      config: variant((c) => (c.projections[0].connector = { type: 'from_list', connections: [[0, 3]] })),
    },
    path: '/projections/0/connector/connections/0/1',
    reason: ['index 3 out of range', "'out' has 3 neurons"],
  },
  {
    name: 'out-of-range index in record.v',
    input: { config: variant((c) => (c.record.v[0].indices = [0, 5])) },
    path: '/record/v/0/indices/1',
    reason: ["neuron index 5 out of range (population 'out' has 3 neurons)"],
  },
  {
    name: 'one_to_one with different sizes',
    input: { config: variant((c) => (c.projections[0].connector = { type: 'one_to_one' })) },
    path: '/projections/0/connector',
    reason: ["one_to_one needs populations of equal size, but source 'in' has 2 neurons and target 'out' has 3"],
  },
  {
    name: 'fixed_in_degree n larger than the source',
    input: { config: variant((c) => (c.projections[0].connector = { type: 'fixed_in_degree', n: 3 })) },
    path: '/projections/0/connector/n',
    reason: ['fixed_in_degree n = 3 exceeds the 2 available sources'],
  },
  {
    name: 'p_connect above 1',
    input: {
      config: variant((c) => (c.projections[0].connector = { type: 'fixed_probability', p_connect: 1.5 })),
    },
    path: '/projections/0/connector/p_connect',
    reason: ['must be <= 1'],
  },
  {
    name: 'weight matrix of the wrong shape',
    input: { config: variant((c) => (c.projections[0].weight = [[1, 1, 1]])) },
    path: '/projections/0/weight',
    reason: ["weight matrix has 1 rows but source 'in' has 2 neurons (expected [2][3])"],
  },
  {
    name: 'weight list of the wrong length',
    input: { config: variant((c) => (c.projections[0].weight = [1, 2, 3])) },
    path: '/projections/0/weight',
    reason: ['weight list has 3 values but the connector generated 6 connections'],
  },
  {
    name: 'size given as a string',
    input: { config: variant((c) => (c.populations[1].size = '3')) },
    path: '/populations/1/size',
    reason: ['must be an integer (got the string "3")'],
  },
  {
    name: 'duplicate population names',
    input: { config: variant((c) => (c.populations[1].name = 'in')) },
    path: '/populations/1/name',
    reason: ["duplicate population name 'in' (also /populations/0)"],
  },
  {
    name: 'negative spike time',
    input: { config: variant((c) => (c.populations[0].spike_times = [[1, -10], [5]])) },
    path: '/populations/0/spike_times/0/1',
    reason: ['must be >= 0 (a spike time)'],
  },
  {
    name: 'unknown population type',
    input: { config: variant((c) => (c.populations[1].type = 'IF_cond_exp')) },
    path: '/populations/1/type',
    reason: ['unknown population type "IF_cond_exp" (known: spike_source_array, spike_source_poisson, IF_curr_exp)'],
  },
  {
    name: 'negative standard deviation of normal weights',
    input: { config: variant((c) => (c.projections[0].weight = { distribution: 'normal', mean: 1, std: -1 })) },
    path: '/projections/0/weight/std',
    reason: ['must be >= 0 (a standard deviation)'],
  },
  {
    name: 'population recorded twice',
    input: { config: variant((c) => (c.record.spikes = ['out', 'in', 'out'])) },
    path: '/record/spikes/2',
    reason: ["population 'out' is listed twice"],
  },
];

async function prepareInput(dir: string, input: Input): Promise<string> {
  if ('missing' in input) return join(dir, 'does-not-exist.json');
  if ('directory' in input) {
    const path = join(dir, 'a-directory.json');
    await mkdir(path);
    return path;
  }
  return writeConfig(dir, 'config' in input ? input.config : input.text);
}

/** No output file and no temp file of the atomic write may remain in `dir`. */
async function expectNoOutput(dir: string, outName: string): Promise<void> {
  expect(existsSync(join(dir, outName))).toBe(false);
  const entries = await readdir(dir);
  expect(entries.filter((e) => e.endsWith('.tmp') || e.startsWith(outName))).toEqual([]);
}

/**
 * Runs `simulate <config> --out <file>` on `input` and checks the bad-input contract: exit 2, stdout
 * empty, stderr exactly one line `firstspike: error: <path>: <reason>` with every `reason` part, no stack
 * trace, and neither the output file nor a temp file left behind.
 */
async function expectBadInput(input: Input, path: string, reason: readonly string[]): Promise<void> {
  const dir = await freshDir();
  const configPath = await prepareInput(dir, input);
  const outPath = join(dir, 'result.json');
  const { code, out, err } = await run(['simulate', configPath, '--out', outPath]);

  expect(code).toBe(2);
  expect(out).toBe('');
  expect(err.endsWith('\n')).toBe(true);
  const lines = err.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`firstspike: error: ${path}: `)).toBe(true);
  for (const part of reason) expect(lines[0]).toContain(part);
  expect(err).not.toContain('    at ');
  expect(err).not.toContain('internal error');
  await expectNoOutput(dir, 'result.json');
}

describe('simulate: bad input', () => {
  it('has at least 20 distinct cases', () => {
    expect(BAD_CASES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(BAD_CASES.map((c) => c.name)).size).toBe(BAD_CASES.length);
  });

  it.each(BAD_CASES)('$name -> exit 2, one line naming $path', async ({ input, path, reason }) => {
    await expectBadInput(input, path, reason);
  });

  it('a file error names the file it could not read', async () => {
    const dir = await freshDir();
    const missing = join(dir, 'nope.json');
    const { code, err } = await run(['simulate', missing, '--out', join(dir, 'o.json')]);
    expect(code).toBe(2);
    expect(err).toBe(`firstspike: error: /: cannot read file '${missing}': no such file\n`);
  });

  it('--out into a missing directory -> exit 2, one line, nothing written', async () => {
    const dir = await freshDir();
    const configPath = await writeConfig(dir, BASE);
    const outPath = join(dir, 'missing-dir', 'result.json');
    const { code, out, err } = await run(['simulate', configPath, '--out', outPath]);
    expect(code).toBe(2);
    expect(out).toBe('');
    // checked before the run (issue #13 item 12)
    expect(err).toBe(`firstspike: error: --out: folder '${join(dir, 'missing-dir')}' of '${outPath}' does not exist\n`);
    expect(await readdir(dir)).toEqual(['config.json']);
  });

  it('--format xml is a usage error (exit 2), nothing written', async () => {
    const dir = await freshDir();
    const configPath = await writeConfig(dir, BASE);
    const outPath = join(dir, 'result.xml');
    const { code, out, err } = await run(['simulate', configPath, '--format', 'xml', '--out', outPath]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^firstspike: error: --format: invalid value 'xml'\. [^\n]*\n$/);
    expect(err).toContain('json, csv');
    expect(err).not.toContain('    at ');
    expect(await readdir(dir)).toEqual(['config.json']);
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const { code, out, err } = await run(['frobnicate', 'x.json']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^firstspike: error: frobnicate: unknown command[^\n]*\n$/);
    expect(err).not.toContain('    at ');
  });

  it('simulate without a config argument is a usage error (exit 2)', async () => {
    const { code, out, err } = await run(['simulate']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^firstspike: error: <config>: missing required argument[^\n]*\n$/);
  });
});

// -------------------------------------------------------------------------------------------------
// Edge cases of the bad-input contract (each once a bug): control characters in names, sizes too
// large to allocate, and nesting deep enough to overflow a recursive parser.
// -------------------------------------------------------------------------------------------------

describe('simulate: bad input (edge cases)', () => {
  // User strings appear in reasons; a "\n" escape in a JSON string must not split the error line.
  it('a newline in a duplicated projection name still gives one line', async () => {
    const config = variant((c) => {
      c.projections[0].name = 'a\nb';
      c.projections.push(structuredClone(c.projections[0]));
    });
    await expectBadInput({ config }, '/projections/1/name', ['duplicate projection name']);
  });

  it('a newline in an unknown population reference still gives one line', async () => {
    const config = variant((c) => (c.projections[0].source = 'x\ny'));
    await expectBadInput({ config }, '/projections/0/source', ['unknown population']);
  });

  // A size the typed arrays cannot hold ends as `firstspike: internal error: Invalid typed array
  // length: 10000000000` with exit 1.
  it('a population too large to allocate is bad input (exit 2), not an internal error', async () => {
    const config = variant((c) => (c.populations[1].size = 1e10));
    await expectBadInput({ config }, '/populations/1/size', []);
  });

  // duration / dt samples: 50 / 1e-9 = 5e10 samples -> internal error with exit 1.
  it('a trace step too small to allocate is bad input (exit 2), not an internal error', async () => {
    const config = variant((c) => (c.record.v[0].dt = 1e-9));
    await expectBadInput({ config }, '/record/v/0/dt', []);
  });

  // checkFiniteNumbers (valid JSON) and locateJsonError (invalid JSON) recurse once per nesting level:
  // deep nesting ends as `firstspike: internal error: Maximum call stack size exceeded` with exit 1.
  it('deeply nested valid JSON is bad input (exit 2), not a stack overflow', async () => {
    const depth = 100_000;
    await expectBadInput({ text: '['.repeat(depth) + ']'.repeat(depth) }, '/', []);
  });

  it('deeply nested invalid JSON is a syntax error (exit 2), not a stack overflow', async () => {
    await expectBadInput({ text: '['.repeat(100_000) }, '/', ['invalid JSON']);
  });
});

// -------------------------------------------------------------------------------------------------
// Success paths
// -------------------------------------------------------------------------------------------------

/** What the library gives for a config, as the CLI's JSON output would list it. */
function librarySpikes(config: Json): { population: string[]; index: number[]; time_ms: number[] } {
  const spec = buildSimulation(config, { knownSubstrates: substrateNames() });
  const result = simulate(spec);
  return {
    population: Array.from(result.spikes.population, (p) => result.populationNames[p]),
    index: Array.from(result.spikes.neuron),
    time_ms: Array.from(result.spikes.timeMs),
  };
}

describe('simulate: success', () => {
  it('writes JSON to --out with the spikes the library computes', async () => {
    const dir = await freshDir();
    const configPath = await writeConfig(dir, BASE);
    const outPath = join(dir, 'result.json');
    const { code, out, err } = await run(['simulate', configPath, '--out', outPath]);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err.startsWith(`wrote ${outPath}\n`)).toBe(true);
    expect(err).toMatch(/^ {2}out: \d+ spikes, \d+\/3 neurons active/m);
    expect(await readdir(dir)).toEqual(['config.json', 'result.json']);

    const parsed = JSON.parse(await readFile(outPath, 'utf8'));
    const expected = librarySpikes(BASE);
    expect(parsed.format).toBe('firstspike.simulation');
    expect(parsed.version).toBe(1);
    expect(parsed.duration_ms).toBe(50);
    expect(parsed.spikes).toEqual(expected);
    // the LIF neurons must spike (the sources spike at 1, 5 and 10 ms, each input is 2 nA into 0.2 nF)
    const outTimes = expected.time_ms.filter((_, k) => expected.population[k] === 'out');
    expect(outTimes.length).toBeGreaterThan(0);
    expect(Math.min(...outTimes)).toBeGreaterThan(1.5);
    expect(new Set(expected.index.filter((_, k) => expected.population[k] === 'out'))).toEqual(new Set([0, 1, 2]));
    // one trace of neuron 0 of 'out', sampled at 0, 1, ..., 49 ms, starting at v_rest
    expect(parsed.traces).toHaveLength(1);
    expect(parsed.traces[0].population).toBe('out');
    expect(parsed.traces[0].index).toBe(0);
    expect(parsed.traces[0].dt_ms).toBe(1);
    expect(parsed.traces[0].v_mv).toHaveLength(50);
    expect(parsed.traces[0].v_mv[0]).toBe(-65);
  });

  // record.spikes may list spike sources too (docs/config.md: "any kind of population").
  it('records the spikes of a spike source listed in record.spikes', async () => {
    const dir = await freshDir();
    const configPath = await writeConfig(dir, BASE);
    const { code, out } = await run(['simulate', configPath]);
    expect(code).toBe(0);
    const spikes = JSON.parse(out).spikes;
    const inTimes = spikes.time_ms.filter((_: number, k: number) => spikes.population[k] === 'in');
    const inIndex = spikes.index.filter((_: number, k: number) => spikes.population[k] === 'in');
    expect(inTimes).toEqual([1, 5, 10]);
    expect(inIndex).toEqual([0, 1, 0]);
  });

  it('--quiet suppresses the summary', async () => {
    const dir = await freshDir();
    const configPath = await writeConfig(dir, BASE);
    const outPath = join(dir, 'result.json');
    const { code, out, err } = await run(['simulate', configPath, '--out', outPath, '--quiet']);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toBe('');
    expect(JSON.parse(await readFile(outPath, 'utf8')).spikes).toEqual(librarySpikes(BASE));
  });

  it('writes CSV to --out with the same spikes', async () => {
    const dir = await freshDir();
    const configPath = await writeConfig(dir, BASE);
    const outPath = join(dir, 'result.csv');
    const { code, out } = await run(['simulate', configPath, '--format', 'csv', '--out', outPath]);
    expect(code).toBe(0);
    expect(out).toBe('');
    const text = await readFile(outPath, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines[0]).toBe('record,population,index,time_ms,v_mv');
    const rows = lines.slice(1).map((l) => l.split(','));
    for (const row of rows) expect(row).toHaveLength(5);
    const spikeRows = rows.filter((r) => r[0] === 'spike');
    const expected = librarySpikes(BASE);
    expect(spikeRows.map((r) => r[1])).toEqual(expected.population);
    expect(spikeRows.map((r) => Number(r[2]))).toEqual(expected.index);
    expect(spikeRows.map((r) => Number(r[3]))).toEqual(expected.time_ms);
    for (const r of spikeRows) expect(r[4]).toBe('');
    const vRows = rows.filter((r) => r[0] === 'v');
    expect(vRows).toHaveLength(50);
    expect(vRows.map((r) => Number(r[3]))).toEqual(Array.from({ length: 50 }, (_, k) => k));
    expect(vRows.every((r) => r[1] === 'out' && r[2] === '0')).toBe(true);
    expect(Number(vRows[0][4])).toBe(-65);
    expect(spikeRows.length + vRows.length).toBe(rows.length);
  });

  it('writes to stdout when there is no --out (json and csv)', async () => {
    const dir = await freshDir();
    const configPath = await writeConfig(dir, BASE);
    const json = await run(['simulate', configPath]);
    expect(json.code).toBe(0);
    expect(json.err).toBe('');
    expect(JSON.parse(json.out).spikes).toEqual(librarySpikes(BASE));
    const csv = await run(['simulate', configPath, '-f', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.err).toBe('');
    expect(csv.out.split('\n')[0]).toBe('record,population,index,time_ms,v_mv');
    // stdout output equals the --out output byte for byte
    const outPath = join(dir, 'result.json');
    await run(['simulate', configPath, '--out', outPath, '-q']);
    expect(await readFile(outPath, 'utf8')).toBe(json.out);
    expect(await readdir(dir)).toEqual(['config.json', 'result.json']);
  });

  it('runs the shipped example chain.json', async () => {
    const { code, out } = await run(['simulate', join(ROOT, 'examples', 'chain.json')]);
    expect(code).toBe(0);
    const parsed = JSON.parse(out);
    const config = JSON.parse(await readFile(join(ROOT, 'examples', 'chain.json'), 'utf8'));
    expect(parsed.spikes).toEqual(librarySpikes(config));
    // the kick makes every neuron of the chain fire
    const chained = new Set(parsed.spikes.index.filter((_: number, k: number) => parsed.spikes.population[k] === 'chain'));
    expect([...chained].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('--help for the root, simulate and demo exits 0 and prints usage', async () => {
    const root = await run(['--help']);
    expect(root.code).toBe(0);
    expect(root.err).toBe('');
    expect(root.out).toContain('Usage: firstspike [options] [command]');
    expect(root.out).toContain('simulate [options] <config>');
    expect(root.out).toContain('demo [options]');

    const sim = await run(['simulate', '--help']);
    expect(sim.code).toBe(0);
    expect(sim.err).toBe('');
    expect(sim.out).toContain('Usage: firstspike simulate [options] <config>');
    expect(sim.out).toContain('--format <format>');
    expect(sim.out).toContain('--out <file>');
    expect(sim.out).toContain('"json", "csv"');

    const demo = await run(['demo', '--help']);
    expect(demo.code).toBe(0);
    expect(demo.err).toBe('');
    expect(demo.out).toContain('Usage: firstspike demo [options]');
    expect(demo.out).toContain('--print-config');

    const viaHelpCommand = await run(['help', 'simulate']);
    expect(viaHelpCommand.code).toBe(0);
    expect(viaHelpCommand.out).toBe(sim.out);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    const { code, out, err } = await run(['--version']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toBe(`${pkg.version}\n`);
  });

  it('demo --print-config prints JSON that buildSimulation accepts', async () => {
    const { code, out, err } = await run(['demo', '--print-config']);
    expect(code).toBe(0);
    expect(err).toBe('');
    const config = JSON.parse(out);
    expect(config).toEqual(DEFAULT_NETWORK);
    const spec = buildSimulation(config, { knownSubstrates: substrateNames() });
    expect(spec.durationMs).toBe(500);
    expect(spec.network.populations.map((p) => [p.name, p.size])).toEqual([
      ['poisson', 1000],
      ['exc', 800],
      ['inh', 200],
    ]);
  });
});

// -------------------------------------------------------------------------------------------------
// Reproducibility
// -------------------------------------------------------------------------------------------------

describe('simulate: reproducibility', () => {
  it('the same config gives byte-identical files; another seed changes them', async () => {
    const dir = await freshDir();
    const configPath = await writeConfig(dir, poissonConfig(5));
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    expect((await run(['simulate', configPath, '-o', a, '-q'])).code).toBe(0);
    expect((await run(['simulate', configPath, '-o', b, '-q'])).code).toBe(0);
    const bytesA = await readFile(a);
    const bytesB = await readFile(b);
    expect(bytesB.equals(bytesA)).toBe(true);

    const parsed = JSON.parse(bytesA.toString('utf8'));
    const poissonTrain = (seed: number): number[] => {
      const pop = buildSimulation(poissonConfig(seed), { knownSubstrates: substrateNames() }).network.populations[0];
      return pop.kind === 'source' ? pop.spikeTimesMs.flatMap((t) => Array.from(t)) : [];
    };
    // 20 sources at 50 Hz for 200 ms: about 200 input spikes
    expect(poissonTrain(5).length).toBeGreaterThan(100);
    expect(poissonTrain(6)).not.toEqual(poissonTrain(5));
    expect(parsed.spikes.population.filter((p: string) => p === 'exc').length).toBeGreaterThan(0);
    expect(parsed.spikes).toEqual(librarySpikes(poissonConfig(5)));

    const csvA = join(dir, 'a.csv');
    const csvB = join(dir, 'b.csv');
    expect((await run(['simulate', configPath, '-f', 'csv', '-o', csvA, '-q'])).code).toBe(0);
    expect((await run(['simulate', configPath, '-f', 'csv', '-o', csvB, '-q'])).code).toBe(0);
    expect((await readFile(csvB)).equals(await readFile(csvA))).toBe(true);

    const otherPath = join(dir, 'other-seed.json');
    await writeFile(otherPath, JSON.stringify(poissonConfig(6), null, 2));
    const c = join(dir, 'c.json');
    expect((await run(['simulate', otherPath, '-o', c, '-q'])).code).toBe(0);
    const bytesC = await readFile(c);
    expect(bytesC.equals(bytesA)).toBe(false);
    expect(JSON.parse(bytesC.toString('utf8')).spikes.time_ms).not.toEqual(parsed.spikes.time_ms);
  });
});

// -------------------------------------------------------------------------------------------------
// The real executable
// -------------------------------------------------------------------------------------------------

function spawnCli(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'firstspike.js'), ...args],
      { cwd: ROOT, timeout: 20_000, env: { ...process.env, FIRSTSPIKE_DEBUG: '' } },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

describe('bin/firstspike.js (subprocess)', () => {
  it('exits 2 with one stderr line on a bad config, 0 on a good one', async () => {
    const dir = await freshDir();
    const badPath = join(dir, 'bad.json');
    await writeFile(badPath, JSON.stringify(variant((c) => (c.populations[1].params.tau_m = 0))));
    const goodPath = await writeConfig(dir, BASE);
    const badOut = join(dir, 'bad-result.json');
    const goodOut = join(dir, 'good-result.json');
    const [bad, good] = await Promise.all([
      spawnCli(['simulate', badPath, '--out', badOut]),
      spawnCli(['simulate', goodPath, '--out', goodOut, '--quiet']),
    ]);

    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('firstspike: error: /populations/1/params/tau_m: must be > 0 (a time constant)\n');
    expect(existsSync(badOut)).toBe(false);

    expect(good.status).toBe(0);
    expect(good.stdout).toBe('');
    expect(good.stderr).toBe('');
    expect(JSON.parse(await readFile(goodOut, 'utf8')).spikes).toEqual(librarySpikes(BASE));
    expect((await readdir(dir)).filter((e) => e.endsWith('.tmp'))).toEqual([]);
  });
});
