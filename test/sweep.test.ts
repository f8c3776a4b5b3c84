import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import '../index.ts';
import { checkSweepSpec, expandPoints, parseShard, resultsCsv, shardJobs, sweepJobs, type SweepResults, type SweepRow, type SweepSpec } from '../plugins/sweep/index.ts';
import { runCli } from './helpers/cliRun.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SMOKE = join(ROOT, 'examples', 'sweeps', 'smoke.json');
const dirs: string[] = [];

async function freshDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'firstspike-sweep-'));
  dirs.push(d);
  return d;
}

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Runs the CLI as its own process (`node --import tsx cli/main.ts ...`), as a cluster job would. */
function spawnCli(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), ...args],
      { cwd: ROOT, timeout: 240_000, env: { ...process.env, FIRSTSPIKE_DEBUG: '' } },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

async function results(dir: string): Promise<SweepResults> {
  return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as SweepResults;
}

/** Every row field except the wall time. */
function withoutWallTime(r: SweepResults) {
  return { ...r, rows: r.rows.map(({ wall_time_s: _w, ...rest }) => rest) };
}

const BASE: SweepSpec = {
  preset: 'yinyang',
  epochs: 1,
  seeds: [1, 2],
  substrate: { name: 'imperfect' },
  modes: ['ideal-trained', 'in-the-loop', 'other-chip'],
  axes: [
    { name: 'thresholdSpread', values: [0, 0.1, 0.2] },
    { name: 'bits', values: ['float', 4], zip: { weightBits: [null, 4], weightRange: [null, 3] } },
  ],
};

describe('sweep spec: points, jobs and shards', () => {
  it('product: every combination, first axis slowest; a zip axis sets all its options', () => {
    const points = expandPoints(checkSweepSpec(BASE));
    expect(points.map((p) => p.point)).toEqual([
      { thresholdSpread: 0, bits: 'float' },
      { thresholdSpread: 0, bits: 4 },
      { thresholdSpread: 0.1, bits: 'float' },
      { thresholdSpread: 0.1, bits: 4 },
      { thresholdSpread: 0.2, bits: 'float' },
      { thresholdSpread: 0.2, bits: 4 },
    ]);
    expect(points[3].options).toEqual({ thresholdSpread: 0.1, weightBits: 4, weightRange: 3 });
  });

  it('each: one axis at a time; points with the same effective options share one job', () => {
    const spec = checkSweepSpec({
      ...BASE,
      combine: 'each',
      axes: [
        { name: 'thresholdSpread', values: [0, 0.1] },
        { name: 'deadFraction', values: [0, 0.1, 0.2] },
      ],
    });
    const { points, jobs, pointJobs } = sweepJobs(spec);
    expect(points.map((p) => [p.axis, p.point])).toEqual([
      ['thresholdSpread', { thresholdSpread: 0 }],
      ['thresholdSpread', { thresholdSpread: 0.1 }],
      ['deadFraction', { deadFraction: 0 }],
      ['deadFraction', { deadFraction: 0.1 }],
      ['deadFraction', { deadFraction: 0.2 }],
    ]);
    expect(jobs.length).toBe(4 * 2); // the two all-off points share their jobs
    expect(pointJobs[2]).toEqual(pointJobs[0]);
    expect(jobs[0].options).toEqual({ thresholdSpread: 0, chipSeed: 1 }); // chip seed = training seed
  });

  it('shards are disjoint, cover every job, and are the same however often they are computed', () => {
    const { jobs } = sweepJobs(checkSweepSpec(BASE));
    for (const n of [1, 2, 3, 5, 13]) {
      const parts = Array.from({ length: n }, (_, i) => shardJobs(jobs, { index: i + 1, count: n }).map((j) => j.key));
      expect(parts.flat().sort()).toEqual(jobs.map((j) => j.key).sort());
      expect(new Set(parts.flat()).size).toBe(jobs.length);
      expect(parts).toEqual(Array.from({ length: n }, (_, i) => shardJobs(jobs, { index: i + 1, count: n }).map((j) => j.key)));
    }
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3', '-1/2']) expect(parseShard(bad)).toBeNull();
  });
});

describe('results.csv', () => {
  it('one column per axis then the row fields; commas, quotes and objects quoted as RFC 4180 says', () => {
    const row = {
      point: { a: 'x,y', b: 3 },
      mode: 'in-the-loop',
      seed: 2,
      test_accuracy: 0.5,
      axis: null,
      substrate_options: { weightRounding: 'say "hi"' },
      wall_time_s: 1.5,
    } as unknown as SweepRow;
    const [header, line] = resultsCsv(['a', 'b', 'c'], [row]).trim().split('\n');
    expect(header.startsWith('a,b,c,mode,seed,test_accuracy,axis,')).toBe(true);
    expect(header.endsWith(',wall_time_s')).toBe(true);
    expect(line.startsWith('"x,y",3,,in-the-loop,2,0.5,,')).toBe(true);
    expect(line).toContain(',"{""weightRounding"":""say \\""hi\\""""}",');
    expect(line.endsWith(',1.5')).toBe(true);
  });
});

describe('sweep spec errors: one line, exit 2, nothing written', () => {
  const cases: [string, unknown, string][] = [
    ['unknown property', { ...BASE, epoch: 3 }, "#/: unknown property 'epoch' (allowed: description, preset, "],
    ['missing seeds', { ...BASE, seeds: undefined }, "#/: missing required property 'seeds'"],
    ['bad mode', { ...BASE, modes: ['in-loop'] }, '#/modes/0: '],
    ['unknown preset', { ...BASE, preset: 'cifar' }, "#/preset: unknown preset 'cifar' (known: "],
    ['unknown substrate', { ...BASE, substrate: { name: 'loihi' } }, "#/substrate/name: unknown substrate 'loihi' (known: "],
    ['unknown option on an axis', { ...BASE, axes: [{ name: 'treshold', values: [0.1] }] }, "#/axes/0/values/0: /substrate/treshold: unknown option for substrate 'imperfect'"],
    ['bad value on an axis', { ...BASE, axes: [{ name: 'deadFraction', values: [0.1, 2] }] }, '#/axes/0/values/1: /substrate/deadFraction: must be a finite number >= 0 and <= 1 (got 2)'],
    ['zip lengths', { ...BASE, axes: [{ name: 'w', values: [1, 2], zip: { weightBits: [4] } }] }, '#/axes/0/zip/weightBits: must have as many values as /axes/0/values (2; got 1)'],
    ['empty zip', { ...BASE, axes: [{ name: 'x', values: [1], zip: {} }] }, '#/axes/0/zip: '],
    ['other-chip on ideal', { ...BASE, substrate: { name: 'ideal' }, modes: ['other-chip'] }, "#/modes: 'other-chip' needs a substrate with a chipSeed option ('ideal' has none)"],
    ['duplicate axis', { ...BASE, axes: [BASE.axes[0], BASE.axes[0]] }, "#/axes/1/name: axis 'thresholdSpread' appears twice"],
    ['no seeds', { ...BASE, seeds: [] }, '#/seeds: must have at least 1 entries'],
  ];
  it.each(cases)('%s', async (_name, spec, message) => {
    const dir = await freshDir();
    const path = join(dir, 'spec.json');
    await writeFile(path, JSON.stringify(spec));
    const out = join(dir, 'out');
    const r = await runCli(['sweep', path, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n').length).toBe(2); // one line and its newline
    expect(r.err.startsWith(`firstspike: error: ${path}${message}`)).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  it('an unreadable spec, invalid JSON, a bad --shard or --workers', async () => {
    const dir = await freshDir();
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"preset": ');
    const out = join(dir, 'out');
    for (const [args, start] of [
      [['sweep', join(dir, 'none.json'), '--out', out], `firstspike: error: ${join(dir, 'none.json')}: cannot read the spec (ENOENT)`],
      [['sweep', broken, '--out', out], `firstspike: error: ${broken}: not valid JSON`],
      [['sweep', SMOKE, '--out', out, '--shard', '4/3'], "firstspike: error: --shard: must be i/n with 1 <= i <= n (got '4/3')"],
      [['sweep', SMOKE, '--out', out, '--workers', '0'], "firstspike: error: --workers: must be a whole number from 1 to 1024 (got '0')"],
    ] as const) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.err.split('\n').length).toBe(2);
      expect(r.err.startsWith(start)).toBe(true);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('--help explains the spec with an example', async () => {
    const r = await runCli(['sweep', '--help']);
    expect(r.code).toBe(0);
    for (const word of ['preset', 'epochs', 'seeds', 'substrate', 'modes', 'axes', 'zip', 'combine', '--shard', '"thresholdSpread"', 'sweep merge']) {
      expect(r.out).toContain(word);
    }
  });
});

describe('sweep, shards and merge (separate processes, examples/sweeps/smoke.json)', () => {
  it('shards 1/3 + 2/3 + 3/3 merged equal the unsharded run in every column but wall time; reruns skip finished points; merge refuses other specs', async () => {
    const dir = await freshDir();
    const whole = join(dir, 'whole');
    const shard = (k: number) => join(dir, `shard${k}`);
    const merged = join(dir, 'merged');
    const runs = await Promise.all([
      spawnCli(['sweep', SMOKE, '--out', whole, '--workers', '2']),
      ...[1, 2, 3].map((k) => spawnCli(['sweep', SMOKE, '--out', shard(k), '--shard', `${k}/3`, '--workers', '1'])),
    ]);
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    expect(runs[0].stdout).toContain('sweep complete');
    expect(runs[1].stdout).toContain("merge the shards with 'firstspike sweep merge'");
    // not a TTY: one line per finished point
    expect(runs[0].stderr.split('\n').filter((l) => /^\[\d+\/4\] /.test(l)).length).toBe(4);
    // round robin over 4 jobs: shards of 2, 1, 1
    expect([1, 2, 3].map((k) => readdirSync(join(shard(k), 'points')).length)).toEqual([2, 1, 1]);

    const m = await spawnCli(['sweep', 'merge', shard(1), shard(2), shard(3), '--out', merged]);
    expect(m.status, m.stderr).toBe(0);
    expect(m.stdout).toContain('merged 8 rows');
    const a = await results(whole);
    const b = await results(merged);
    expect(withoutWallTime(b)).toEqual(withoutWallTime(a));
    // the contract: spec hash, axes, rows with point, mode, seed, test accuracy and provenance
    expect(typeof a.spec_hash).toBe('string');
    expect(a.axes).toEqual(['thresholdSpread', 'weights']);
    expect(a.rows.length).toBe(4 * 2);
    for (const row of a.rows) {
      expect(Object.keys(row.point).sort()).toEqual(['thresholdSpread', 'weights']);
      expect(['ideal-trained', 'in-the-loop']).toContain(row.mode);
      expect(row.seed).toBe(1);
      expect(row.test_accuracy).toBeGreaterThanOrEqual(0);
      expect(row.test_accuracy).toBeLessThanOrEqual(1);
      expect(row.spec_hash).toBe(a.spec_hash);
      expect(row.package_version).toMatch(/^\d+\.\d+\.\d+/);
      expect(row.wall_time_s).toBeGreaterThan(0);
      expect(row.substrate_options).toMatchObject({ chipSeed: 1 });
    }
    // all knobs off: training in the loop on imperfect is training on ideal
    const off = a.rows.filter((r) => r.point.thresholdSpread === 0 && r.point.weights === 'float');
    expect(off.map((r) => r.test_accuracy)).toEqual([off[0].test_accuracy, off[0].test_accuracy]);
    expect(off.map((r) => r.test_loss)).toEqual([off[0].test_loss, off[0].test_loss]);
    // the CSV: the same in every column but wall time
    const csv = async (d: string) =>
      (await readFile(join(d, 'results.csv'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.replace(/,[^,]*$/, ''));
    expect(await csv(merged)).toEqual(await csv(whole));

    // resume: a rerun skips finished points; a deleted point is run again, and only it
    const before = readdirSync(join(whole, 'points')).map((f) => statSync(join(whole, 'points', f)).mtimeMs);
    const again = await runCli(['sweep', SMOKE, '--out', whole, '--workers', '1']);
    expect(again.code).toBe(0);
    expect(again.err).toContain('4 already finished, 0 to run');
    expect(readdirSync(join(whole, 'points')).map((f) => statSync(join(whole, 'points', f)).mtimeMs)).toEqual(before);
    const victim = readdirSync(join(whole, 'points'))[1];
    await rm(join(whole, 'points', victim));
    const partial = await spawnCli(['sweep', 'merge', whole, '--out', join(dir, 'partial')]);
    expect(partial.status).toBe(2);
    expect(partial.stderr).toMatch(/^firstspike: error: merge: 1 of 4 points are not finished in .*--partial\)\n$/);
    const resumed = await spawnCli(['sweep', SMOKE, '--out', whole, '--workers', '1']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('3 already finished, 1 to run');
    expect(withoutWallTime(await results(whole))).toEqual(withoutWallTime(a));

    // another spec: its folder cannot be merged with these, nor reuse this folder
    const other = join(dir, 'other.json');
    await writeFile(other, JSON.stringify({ ...JSON.parse(await readFile(SMOKE, 'utf8')), testSamples: 100 }));
    const reuse = await runCli(['sweep', other, '--out', whole]);
    expect(reuse.code).toBe(2);
    expect(reuse.err).toMatch(/^firstspike: error: --out: '.*whole' holds points of another spec \(hash [0-9a-f]+, this spec [0-9a-f]+\); use another folder\n$/);
    const foreign = join(dir, 'foreign');
    const f = await spawnCli(['sweep', other, '--out', foreign, '--shard', '1/4', '--workers', '1']);
    expect(f.status, f.stderr).toBe(0);
    const refused = await runCli(['sweep', 'merge', shard(1), foreign, '--out', join(dir, 'bad')]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^firstspike: error: .*foreign: a sweep of another spec \(hash [0-9a-f]+, not [0-9a-f]+ of .*shard1\)\n$/);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  }, 600_000);
});
