import { spawn } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSimulation, simulate, substrateNames } from '../index.ts';
import { checkResources, type FirstspikeConfig } from '../core/config/index.ts';
import { NonFiniteStateError, SpikeLimitError } from '../core/engine/runLimits.ts';
import { removeStaleTempFiles } from '../core/io/atomicWrite.ts';
import { encodeIdx, parseIdx } from '../plugins/datasets/idx.ts';
import { createModel } from '../plugins/learning/experiment.ts';
import { modelToDocument } from '../plugins/learning/modelFile.ts';
import { PRESETS } from '../plugins/learning/presets.ts';
import { memorySizeOption, threadsOption } from '../cli/limits.ts';
import { runCli } from './helpers/cliRun.ts';

/*
 * Issue #13: every hostile input found by trying the CLI as a new user would, as a table of inputs and the
 * one line each must give (`firstspike: error: <path or flag>: <reason>`, exit 2, no output file), plus
 * the process-level cases that need a real process (closed pipe, full disk, SIGINT during a write).
 */

// Configs are plain JSON objects mutated per case.
type Json = any;

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'firstspike-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => {
  const dir = join(work, `c${counter++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** examples/chain.json: a source kicking a chain of five neurons (1 ms recurrent delays). */
const CHAIN: Json = JSON.parse(readFileSync(join(ROOT, 'examples/chain.json'), 'utf8'));

function variant(change: (c: Json) => void, base: Json = CHAIN): Json {
  const c = structuredClone(base);
  change(c);
  return c;
}

function writeJson(dir: string, name: string, value: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** Asserts exit 2, nothing on stdout, exactly one stderr line matching `expected` (after the prefix). */
function expectOneLine(r: { code: number; out: string; err: string }, expected: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n'), r.err).toBe(true);
  expect(r.err.trimEnd().split('\n'), r.err).toHaveLength(1);
  expect(r.err.startsWith('firstspike: error: '), r.err).toBe(true);
  expect(r.err.slice('firstspike: error: '.length).trimEnd()).toMatch(expected);
}

const lif = (name: string, size: number): Json => ({ name, type: 'IF_curr_exp', size });

/** The spikes of a JSON result (columns) as rows. */
function spikeRows(result: Json): { population: string; index: number; time: number }[] {
  const s = result.spikes;
  return s.time_ms.map((time: number, k: number) => ({ population: s.population[k], index: s.index[k], time }));
}

interface ConfigCase {
  readonly item: string;
  readonly config: Json;
  readonly args?: readonly string[];
  readonly expected: RegExp;
}

const CONFIG_CASES: readonly ConfigCase[] = [
  // 1. substrate options are parsed as own keys only
  ...['constructor', 'toString', '__proto__', 'hasOwnProperty'].map((key) => ({
    item: `1 bss2 option '${key}'`,
    config: variant((c) => (c.substrate = JSON.parse(`{"name": "bss2", "checkSize": false, "${key}": 1}`))),
    expected: new RegExp(`^/substrate/${key}: unknown option for substrate 'bss2' \\(known: chipSeed, `),
  })),
  {
    item: '1 bss2 mismatch.valueOf',
    config: variant((c) => (c.substrate = { name: 'bss2', checkSize: false, mismatch: { valueOf: 1 } })),
    expected: /^\/substrate\/mismatch\/valueOf: unknown mismatch option \(known: threshold, /,
  },
  {
    item: '1 ideal toString',
    config: variant((c) => (c.substrate = JSON.parse('{"name": "ideal", "toString": "x"}'))),
    expected: /^\/substrate\/toString: unknown option for substrate 'ideal' \(it takes none\)$/,
  },
  // 2. hangs on finite, schema-valid input
  {
    item: '2 weight 5e307',
    config: variant((c) => (c.projections[1].weight = 5e307)),
    expected: /^\/projections\/1\/weight: must be within \+-1000000000 nA \(got 5e\+307; /,
  },
  {
    item: '2 recurrent delay 1e-12 ms',
    config: variant((c) => (c.projections[1].delay = 1e-12)),
    expected: /^\/projections\/1\/delay: must be 0 or >= 1e-9 ms \(got 1e-12; /,
  },
  {
    item: '2 i_offset 1e6 with tau_refrac 0 (spike cap)',
    config: variant((c) => Object.assign(c.populations[1].params, { i_offset: 1e6, tau_refrac: 0 })),
    args: ['--max-spikes', '20000'],
    expected: /^--max-spikes: more than 20000 spikes by t = [\d.e-]+ ms \(the last from population 'chain'\); .*raise the limit with --max-spikes$/,
  },
  // 3. V8 crashes: Poisson sources and neuron counts estimated before building
  {
    item: '3 Poisson rate 1e12 Hz',
    config: variant((c) => c.populations.push({ name: 'noise', type: 'spike_source_poisson', size: 10, rate: 1e12 })),
    expected: /^\/populations\/2\/rate: population 'noise' would generate about 5\.00e\+11 spikes \(rate x duration x size\), more than the limit of 1\.00e\+7 spikes per run \(raise it with --max-spikes\)$/,
  },
  {
    item: '3 duration 1e308 with a Poisson source',
    config: variant((c) => {
      c.duration = 1e308;
      delete c.record.v;
      c.populations.push({ name: 'noise', type: 'spike_source_poisson', size: 1, rate: 5 });
    }),
    expected: /^\/populations\/2\/rate: population 'noise' would generate about 5\.00e\+305 spikes /,
  },
  {
    item: '3 1e7 neurons',
    config: { duration: 10, populations: [lif('big', 10_000_000)] },
    args: ['--max-memory', '4G'],
    expected: /^\/populations\/0\/size: population 'big' \(1\.00e\+7 LIF neurons\) needs about 10 GB, more than the memory limit of 4\.0 GB \(raise it with --max-memory\)$/,
  },
  {
    item: '3 1e8 neurons (the schema maximum)',
    config: { duration: 10, populations: [lif('huge', 100_000_000)] },
    expected: /^\/populations\/0\/size: population 'huge' \(1\.00e\+8 LIF neurons\) needs about 100 GB, more than the memory limit of /,
  },
  // 4. synapses
  {
    item: '4 all_to_all 1e5 x 1e5',
    config: { duration: 10, populations: [lif('a', 100_000), lif('b', 100_000)], projections: [{ source: 'a', target: 'b', connector: { type: 'all_to_all' }, weight: 1, delay: 1 }] },
    expected: /^\/projections\/0\/connector: projection 'a->b#0' would have about 1\.00e\+10 synapses, more than the 2147483647 one projection can hold; split it/,
  },
  {
    item: '4 fixed_probability 0.5 on 3e4 x 3e4',
    config: { duration: 10, populations: [lif('a', 30_000), lif('b', 30_000)], projections: [{ name: 'dense', source: 'a', target: 'b', connector: { type: 'fixed_probability', p_connect: 0.5 }, weight: 1, delay: 1 }] },
    args: ['--max-memory', '2G'],
    expected: /^\/projections\/0\/connector: projection 'dense' \(4\.50e\+8 synapses\) needs about 7\.2 GB \(the whole run about 7\.3 GB\), more than the memory limit of 2\.0 GB \(raise it with --max-memory\)$/,
  },
  // 5. values whose exact solution is NaN
  {
    item: '5 cm 1e-320',
    config: variant((c) => (c.populations[1].params.cm = 1e-320)),
    expected: /^\/populations\/1\/params\/cm: must be in \[1e-9, 1000000000\] nF \(got 1e-320; /,
  },
  {
    item: '5 i_offset 1e308',
    config: variant((c) => (c.populations[1].params.i_offset = 1e308)),
    expected: /^\/populations\/1\/params\/i_offset: must be within \+-1000000000 nA \(got 1e\+308; /,
  },
  {
    item: '5 tau_m 1e-320',
    config: variant((c) => (c.populations[1].params.tau_m = 1e-320)),
    expected: /^\/populations\/1\/params\/tau_m: must be in \[1e-9, 1000000000\] ms \(got 1e-320; /,
  },
  // 9. a 2 MB name is cut in the message
  {
    item: '9 2 MB population name',
    config: variant((c) => (c.record.spikes = ['x'.repeat(2_000_000)])),
    expected: /^\/record\/spikes\/0: unknown population 'x{79}\.\.\. \(2000002 characters\) \(known: in, chain\)$/,
  },
  {
    item: '9 2 MB invalid population name',
    config: variant((c) => (c.populations[1].name = `${'y'.repeat(2_000_000)} z`)),
    expected: /^\/populations\/1\/name: invalid name "y{79}\.\.\. \(2000001 characters\) z": must start with a letter/,
  },
  // 16. a bss2 chip-size violation is the user's input
  {
    item: '16 bss2 with 500 neurons',
    config: { duration: 10, substrate: 'bss2', populations: [lif('many', 500)] },
    expected: /^\/substrate: bss2: the network has 500 LIF neurons, more than the 256 logical neurons of one BrainScaleS-2 chip .*checkSize: false/,
  },
];

describe('issue #13: hostile configs give one line, exit 2, no output file', () => {
  it.each(CONFIG_CASES)('$item', async ({ config, args, expected }) => {
    const dir = fresh();
    const configPath = writeJson(dir, 'config.json', config);
    const outPath = join(dir, 'out.json');
    const started = performance.now();
    const r = await runCli(['simulate', configPath, '--out', outPath, ...(args ?? [])]);
    expectOneLine(r, expected);
    expect(existsSync(outPath)).toBe(false);
    expect(readdirSync(dir)).toEqual(['config.json']);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('issue #13 item 2: runs that used to hang end at once', () => {
  it.each([
    ['duration 1e8 on chain.json', 1e8, 0],
    ['duration 1e308 on chain.json (skips the empty windows)', 1e308, 0],
    ['a recurrent delay of 1e-9 ms', 50, 1e-9],
  ])('%s', async (_name, duration, delay) => {
    const dir = fresh();
    const config = variant((c) => {
      c.duration = duration;
      delete c.record.v;
      if (delay > 0) c.projections[1].delay = delay;
    });
    const started = performance.now();
    const r = await runCli(['simulate', writeJson(dir, 'c.json', config)]);
    expect(r.code, r.err).toBe(0);
    expect(performance.now() - started).toBeLessThan(3000);
    const spikes = spikeRows(JSON.parse(r.out));
    // the chain: the source's two kicks run down all five neurons in every variant
    const chain = spikes.filter((s) => s.population === 'chain');
    expect(new Set(chain.map((s) => s.index))).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it('skipping quiet windows gives the same spikes as the plain run (duration 50 vs 1e308)', async () => {
    const dir = fresh();
    const short = variant((c) => delete c.record.v);
    const long = variant((c) => {
      delete c.record.v;
      c.duration = 1e308;
    });
    const a = spikeRows(JSON.parse((await runCli(['simulate', writeJson(dir, 'a.json', short)])).out));
    const b = spikeRows(JSON.parse((await runCli(['simulate', writeJson(dir, 'b.json', long)])).out));
    expect(a.length).toBeGreaterThan(20);
    expect(b.filter((s) => s.time < 50)).toEqual(a);
  });

  it('a non-finite state stops the run naming population and neuron (library networks bypass the config bounds)', () => {
    const spec = buildSimulation(variant((c) => delete c.record.v), { knownSubstrates: substrateNames() });
    spec.network.projections[0].synapses.weights[0] = Infinity;
    expect(() => simulate(spec)).toThrow(NonFiniteStateError);
    expect(() => simulate(spec)).toThrow(/^\/populations\/1: neuron 0 of population 'chain' reached a non-finite state .* at t = 1\.5 ms/);
  });

  it('the spike cap is a SpikeLimitError in the library', () => {
    const spec = buildSimulation(variant((c) => Object.assign(c.populations[1].params, { i_offset: 10, tau_refrac: 0 })), { knownSubstrates: substrateNames() });
    expect(() => simulate(spec, { maxSpikes: 100 })).toThrow(SpikeLimitError);
  });
});

describe('issue #13: the resource estimate', () => {
  const limits = { maxMemoryBytes: 1e9, maxSpikes: 1e6 };
  it('refuses at the largest item and accepts what fits', () => {
    const config = (n: number): FirstspikeConfig =>
      ({ duration: 10, populations: [lif('a', n), lif('b', 10)], projections: [{ source: 'a', target: 'b', connector: { type: 'all_to_all' }, weight: 1 }] }) as FirstspikeConfig;
    // 1000 B per neuron + 16 B per synapse: 1e5 neurons and 1e6 synapses = 116 MB
    expect(() => checkResources(config(100_000), limits)).not.toThrow();
    // 1e6 neurons (1 GB) + 1e7 synapses (160 MB): over 1 GB, the population is the largest item
    expect(() => checkResources(config(1_000_000), limits)).toThrow(/^\/populations\/0\/size: population 'a' \(1\.00e\+6 LIF neurons\) needs about 1\.0 GB \(the whole run about 1\.2 GB\)/);
  });
  it('counts the synapses and source spikes twice for a threaded run (each thread holds its part again)', () => {
    const config = {
      duration: 1000,
      populations: [{ name: 'p', type: 'spike_source_poisson', size: 1000, rate: 100 }, lif('a', 1000), lif('b', 1000)],
      projections: [{ source: 'a', target: 'b', connector: { type: 'all_to_all' }, weight: 1 }],
    } as FirstspikeConfig;
    // 2000 LIF x 1000 B + 1000 sources x 200 B + 1e5 spikes x 8 B + 1e6 synapses x 16 B = 19.0 MB on one thread;
    // on two: + 0.8 MB of spikes + 16 MB of synapses = 35.8 MB
    const at = (maxMemoryBytes: number, threads?: number) => () => checkResources(config, { maxMemoryBytes, maxSpikes: 1e6, threads });
    expect(at(19.0e6)).not.toThrow();
    expect(at(19.0e6, 1)).not.toThrow();
    expect(at(18.9e6)).toThrow();
    expect(at(19.0e6, 2)).toThrow(/^\/projections\/0\/connector: projection 'a->b#0' \(1\.00e\+6 synapses, twice over on 2 threads\) needs about 32 MB \(the whole run about 36 MB\)/);
    expect(at(35.8e6, 2)).not.toThrow();
    expect(at(35.7e6, 2)).toThrow();
  });

  it('counts the expected Poisson spikes against the spike limit', () => {
    const poisson = (rate: number): FirstspikeConfig =>
      ({ duration: 1000, populations: [{ name: 'p', type: 'spike_source_poisson', size: 100, rate }] }) as FirstspikeConfig;
    expect(() => checkResources(poisson(10_000), limits)).not.toThrow(); // 1e6 spikes
    expect(() => checkResources(poisson(10_001), limits)).toThrow(/^\/populations\/0\/rate: /);
  });
  it('--max-memory sizes', () => {
    expect(memorySizeOption('512M')).toBe(512e6);
    expect(memorySizeOption('2GiB')).toBe(2 * 2 ** 30);
    expect(memorySizeOption('1.5g')).toBe(1.5e9);
    expect(memorySizeOption('1000')).toBe(1000);
    expect(() => memorySizeOption('lots')).toThrow("--max-memory: must be a size such as 512M, 8G or 2GiB (got 'lots')");
  });
});

describe('issue #13: output files', () => {
  it('7 --out /dev/null is written in place, not replaced by a regular file', async () => {
    const dir = fresh();
    const r = await runCli(['simulate', writeJson(dir, 'c.json', CHAIN), '--out', '/dev/null', '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('7 --out through a symlink writes the target and keeps the link', async () => {
    const dir = fresh();
    const configPath = writeJson(dir, 'c.json', CHAIN);
    const target = join(dir, 'real.json');
    writeFileSync(target, 'old');
    symlinkSync(target, join(dir, 'link.json'));
    const r = await runCli(['simulate', configPath, '--out', join(dir, 'link.json'), '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(spikeRows(JSON.parse(readFileSync(target, 'utf8'))).length).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['c.json', 'link.json', 'real.json']);
  });

  it('6 --out on a full disk (/dev/full) is one line, exit 2', async () => {
    const dir = fresh();
    const r = await runCli(['simulate', writeJson(dir, 'c.json', CHAIN), '--out', '/dev/full']);
    expectOneLine(r, /^--out: cannot write '\/dev\/full' \(ENOSPC: no space left on device\)$/);
  });

  it('8 simulate X --out X is refused and X kept (also through a symlink)', async () => {
    const dir = fresh();
    const configPath = writeJson(dir, 'c.json', CHAIN);
    const before = readFileSync(configPath, 'utf8');
    expectOneLine(await runCli(['simulate', configPath, '--out', configPath]), /^--out: '.*c\.json' is also the config '.*c\.json'; writing it would destroy that file$/);
    symlinkSync(configPath, join(dir, 'alias.json'));
    expectOneLine(await runCli(['simulate', configPath, '--out', join(dir, 'alias.json')]), /^--out: .* is also the config /);
    expect(readFileSync(configPath, 'utf8')).toBe(before);
  });

  it('8 train --checkpoint equal to --out is refused before training', async () => {
    const dir = fresh();
    const same = join(dir, 'm.json');
    expectOneLine(
      await runCli(['train', '--preset', 'yinyang', '--epochs', '1', '--train-samples', '10', '--out', same, '--checkpoint', same]),
      /^--checkpoint: '.*m\.json' is also --out; the model file would overwrite the checkpoint/,
    );
    expect(existsSync(same)).toBe(false);
  });

  it('11 a stale temporary file of a dead process is removed, a live one kept', async () => {
    const dir = fresh();
    const configPath = writeJson(dir, 'c.json', CHAIN);
    const out = join(dir, 'out.json');
    // pid 2^22 + 1 is above Linux's pid_max limit (2^22): no process has it
    const dead = 4_194_305;
    writeFileSync(`${out}.${dead}.tmp`, 'partial');
    writeFileSync(`${out}.${dead}.0badf00d.tmp`, 'partial');
    writeFileSync(`${out}.${process.pid}.12345678.tmp`, 'someone writing');
    const r = await runCli(['simulate', configPath, '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['c.json', 'out.json', `out.json.${process.pid}.12345678.tmp`]);
    await removeStaleTempFiles(out); // idempotent
  });

  it('12 an unwritable --out is reported before the config is even read (so before any run)', async () => {
    const dir = fresh();
    // the config is also bad: the --out error wins only if --out is checked first
    const bad = variant((c) => (c.duration = -1));
    const r = await runCli(['simulate', writeJson(dir, 'c.json', bad), '--out', join(dir, 'no', 'out.json')]);
    expectOneLine(r, /^--out: folder '.*no' of '.*out\.json' does not exist$/);
    // the same config with a writable --out: the config's error
    expectOneLine(await runCli(['simulate', join(dir, 'c.json'), '--out', join(dir, 'out.json')]), /^\/duration: must be > 0/);
  });
});

describe('issue #13: options and usage errors', () => {
  it('13 --threads is capped at the available cores unless forced', async () => {
    expect(threadsOption('2', false, 2)).toBe(2);
    expect(threadsOption('8', true, 2)).toBe(8);
    expect(() => threadsOption('64', false, 2)).toThrow(
      '--threads: 64 is more than the 2 cores available (os.availableParallelism()); more threads only cost memory and time; add --force-threads to use them anyway',
    );
    expect(() => threadsOption('257', true, 2)).toThrow('--threads: must be a whole number from 1 to 256');
    expectOneLine(await runCli(['train', '--preset', 'yinyang', '--threads', '256', '--out', join(fresh(), 'm.json')]), /^--threads: 256 is more than the \d+ cores? available .*--force-threads/);
  });

  it.each([
    [['simulate', 'x.json', '--ot', 'y'], /^--ot: unknown option \(did you mean --out\?\) \(see --help\)$/],
    [['simulat'], /^simulat: unknown command \(did you mean simulate\?\) \(see --help\)$/],
    [['simulate'], /^<config>: missing required argument \(see --help\)$/],
    [['simulate', 'x.json', '--out'], /^--out: needs a value \(see --help\)$/],
    [['evaluate'], /^--model: required \(see --help\)$/],
    [['simulate', 'x.json', '--format', 'xml'], /^--format: invalid value 'xml'\. Allowed choices are json, csv\. \(see --help\)$/],
  ])('14 commander: %j', async (argv, expected) => {
    expectOneLine(await runCli(argv), expected);
  });

  it('1 train --substrate-options with a prototype name', async () => {
    expectOneLine(
      await runCli(['train', '--preset', 'yinyang', '--substrate', 'bss2', '--substrate-options', '{"constructor": 1}', '--out', join(fresh(), 'm.json')]),
      /^--substrate-options: \/substrate\/constructor: unknown option for substrate 'bss2'/,
    );
  });
});

describe('issue #13: model files and data files', () => {
  const modelFile = (change: (doc: Json) => void): string => {
    const dir = fresh();
    const doc: Json = modelToDocument(createModel(PRESETS.yinyang, 1), {
      preset: 'yinyang',
      training: { seed: 1, epochsDone: 0, substrate: 'ideal', substrateOptions: {}, validationAccuracy: null },
    });
    change(doc);
    return writeJson(dir, 'model.json', doc);
  };

  it('15 negative bias_times in a model file', async () => {
    const path = modelFile((d) => (d.bias_times[0] = -1));
    expectOneLine(await runCli(['evaluate', '--model', path]), /^--model '.*model\.json': \/bias_times\/0: must be >= 0 \(got the number -1\)$/);
  });

  it('2 a weight of 5e307 in a model file given to evaluate', async () => {
    const path = modelFile((d) => (d.weights[0][3] = 5e307));
    expectOneLine(await runCli(['evaluate', '--model', path]), /^--model '.*model\.json': \/weights\/0\/3: must be <= 1000000000 \(got the number 5e\+307\)$/);
  });

  it('10 a gzip bomb is refused after the size its IDX header declares', () => {
    const header = encodeIdx([10, 28, 28], new Uint8Array(7840));
    const bomb = new Uint8Array(header.length + 50_000_000);
    bomb.set(header);
    const gz = gzipSync(bomb, { level: 1 });
    const started = performance.now();
    expect(() => parseIdx(gz, 'bomb.gz')).toThrow('bomb.gz: gzip data inflates to more than the 7856 bytes its IDX header declares');
    expect(performance.now() - started).toBeLessThan(1000);
    // an honest file still reads
    expect(parseIdx(gzipSync(header), 'ok.gz').dims).toEqual([10, 28, 28]);
  });

  it('10 a header declaring more than the reader accepts', () => {
    const raw = new Uint8Array(4 + 12);
    raw[2] = 8;
    raw[3] = 3;
    new DataView(raw.buffer).setUint32(4, 60000, false);
    new DataView(raw.buffer).setUint32(8, 60000, false);
    new DataView(raw.buffer).setUint32(12, 60000, false);
    expect(() => parseIdx(gzipSync(raw), 'huge.gz')).toThrow(/^huge\.gz: header declares 216000000000000 data bytes, more than /);
  });
});

// ---------------------------------------------------------------------------------------------------
// Real processes: closed pipe, full standard output, SIGINT during a write
// ---------------------------------------------------------------------------------------------------

const CLI = ['--import', 'tsx', join(ROOT, 'cli/main.ts')];

function spawnCli(args: readonly string[], stdout: 'pipe' | number) {
  return spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ['ignore', stdout, 'pipe'] });
}

function exitOf(child: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, err })));
}

/** A config whose output is several MB (membrane traces every 1 us). */
const BIG_OUTPUT = variant((c) => (c.record.v = [{ population: 'chain', dt: 0.001 }]));

describe('issue #13: process-level (spawned)', () => {
  it('6 a closed pipe ends quietly (simulate big.json | head -c1)', async () => {
    const configPath = writeJson(fresh(), 'big.json', BIG_OUTPUT);
    const child = spawnCli(['simulate', configPath], 'pipe');
    child.stdout!.once('data', () => child.stdout!.destroy());
    const { code, err } = await exitOf(child);
    expect(err).toBe('');
    expect(code).toBe(0);
  }, 30_000);

  it('6 a full standard output (> /dev/full) is one line, exit 2', async () => {
    const configPath = writeJson(fresh(), 'big.json', BIG_OUTPUT);
    const fd = openSync('/dev/full', 'w');
    try {
      const { code, err } = await exitOf(spawnCli(['simulate', configPath], fd));
      expect(err).toBe('firstspike: error: standard output: cannot write (ENOSPC: no space left on device)\n');
      expect(code).toBe(2);
    } finally {
      closeSync(fd);
    }
  }, 30_000);

  it('11 SIGINT during a write removes the temporary file', async () => {
    const dir = fresh();
    const out = join(dir, 'out.json');
    // a write whose content never ends: the temporary file exists until the signal
    const script = `
      import { installProcessHandlers } from ${JSON.stringify(join(ROOT, 'cli/main.ts'))};
      import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'core/io/atomicWrite.ts'))};
      installProcessHandlers();
      async function* endless() { yield 'partial'; await new Promise(() => setInterval(() => undefined, 1000)); }
      await writeFileAtomic(${JSON.stringify(out)}, endless());
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = exitOf(child);
    const deadline = Date.now() + 20_000;
    while (!readdirSync(dir).some((f) => f.endsWith('.tmp')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    child.kill('SIGINT');
    const { code, err } = await exited;
    expect(err).toBe('');
    expect(code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  }, 30_000);
});
