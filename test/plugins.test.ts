/**
 * --plugin: modules resolved like an import from the current folder, substrates registered into the one
 * registry of the process (whatever copy of firstspike the plugin imports), and the same modules loaded by
 * the training worker threads.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../cli/io.ts';
import { loadPlugins, resolvePlugin } from '../cli/plugins.ts';
import { buildSimulation, getSubstrate, simulate, substrateNames } from '../index.ts';
import { loadModel } from '../plugins/learning/modelFile.ts';
import { runCli } from './helpers/cliRun.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLUGIN = './examples/plugins/hotter.mjs';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firstspike-plugins-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Exit code 2, nothing on stdout, one stderr line containing `expected`. */
async function expectBadInput(argv: readonly string[], expected: string): Promise<void> {
  const r = await runCli(argv);
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toContain(expected);
}

describe('before any plugin is loaded', () => {
  it('without --plugin the config names an unknown substrate; a bad --plugin is one line, exit 2', async () => {
    expect(substrateNames()).not.toContain('hotter'); // runs before any test loads the plugin
    await expectBadInput(['simulate', 'examples/plugins/chain-hotter.json'], "unknown substrate 'hotter'");
    await expectBadInput(['simulate', 'examples/chain.json', '--plugin', './nope.mjs'], "--plugin './nope.mjs': no such file");
    await expectBadInput(['validate', '--cases', '1', '--plugin', './nope.mjs'], "--plugin './nope.mjs': no such file");
    await expectBadInput(['evaluate', '--model', 'x.json', '--plugin', './nope.mjs'], "--plugin './nope.mjs': no such file");
  });

});

describe('resolvePlugin', () => {
  it('resolves a relative path from the given folder and a package name through its exports', async () => {
    expect(await resolvePlugin(PLUGIN, ROOT)).toBe(pathToFileURL(join(ROOT, 'examples/plugins/hotter.mjs')).href);
    // an ESM-only package (only an "import" condition), as require.resolve could not find it
    const pkg = join(dir, 'project', 'node_modules', 'my-substrate');
    await mkdir(join(pkg, 'lib'), { recursive: true });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'my-substrate', type: 'module', exports: { '.': { import: './lib/entry.mjs' } } }));
    await writeFile(join(pkg, 'lib', 'entry.mjs'), 'export const loaded = true;\n');
    expect(await resolvePlugin('my-substrate', join(dir, 'project'))).toBe(pathToFileURL(join(pkg, 'lib', 'entry.mjs')).href);
  });

  it('reports what it cannot resolve as a usage error naming the module', async () => {
    await expect(resolvePlugin('no-such-package-xyz', dir)).rejects.toThrow(UsageError);
    await expect(resolvePlugin('no-such-package-xyz', dir)).rejects.toThrow(/^--plugin 'no-such-package-xyz': cannot resolve it from /);
    await expect(resolvePlugin('./missing.mjs', dir)).rejects.toThrow(`--plugin './missing.mjs': no such file ${join(dir, 'missing.mjs')}`);
    // a file name without ./ is a package name for Node; the message says how to name the file
    await expect(resolvePlugin('examples/plugins/hotter.mjs', ROOT)).rejects.toThrow("write './examples/plugins/hotter.mjs'");
  });
});

describe('loadPlugins', () => {
  it('registers the example substrate into this registry although the plugin imports the compiled package', async () => {
    const urls = await loadPlugins([PLUGIN], ROOT);
    expect(urls).toEqual([await resolvePlugin(PLUGIN, ROOT)]);
    expect(substrateNames()).toContain('hotter');
    // the plugin imported 'firstspike' (dist/, a second copy of the registry module): one registry
    const compiled = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as typeof import('../index.ts');
    expect(compiled.getSubstrate('hotter')).toBe(getSubstrate('hotter'));
    expect(compiled.substrateNames()).toEqual(substrateNames());
    // and the other way round: what the compiled copy registers or removes, this one sees
    compiled.registerSubstrate({ ...getSubstrate('ideal'), name: 'ideal-copy' });
    expect(getSubstrate('ideal-copy').description).toBe(getSubstrate('ideal').description);
    compiled.unregisterSubstrate('ideal-copy');
    expect(substrateNames()).not.toContain('ideal-copy');
  });

  it('a module that throws while loading is a usage error naming it', async () => {
    const bad = join(dir, 'throws.mjs');
    await writeFile(bad, "throw new Error('plugin broke');\n");
    await expect(loadPlugins(['./throws.mjs'], dir)).rejects.toThrow(/^--plugin '\.\/throws\.mjs': failed to load .*: plugin broke$/);
  });
});

describe('the CLI with --plugin', () => {
  it('simulate runs a config on the plugin substrate: the spikes of the ideal run with thresholds 1 mV lower', async () => {
    const r = await runCli(['simulate', 'examples/plugins/chain-hotter.json', '--plugin', PLUGIN]);
    expect(r.code, r.err).toBe(0);
    const got = JSON.parse(r.out).spikes;
    // independent reference: the same network on 'ideal' with v_thresh -56 instead of -55 in the config
    const config = JSON.parse(await readFile(join(ROOT, 'examples', 'chain.json'), 'utf8'));
    config.populations[1].params.v_thresh = -56;
    const ref = simulate(buildSimulation(config, { knownSubstrates: substrateNames() })).spikes;
    expect(got.time_ms).toEqual(Array.from(ref.timeMs));
    // and it is visible: the chain fires earlier than on the nominal thresholds
    const nominal = await runCli(['simulate', 'examples/chain.json']);
    const nominalTimes: number[] = JSON.parse(nominal.out).spikes.time_ms;
    expect(got.time_ms[1]).toBeLessThan(nominalTimes[1]);
  });

  it('train --plugin --threads 2 (worker threads import the plugin) gives bitwise the weights of 1 thread', async () => {
    const common = ['train', '--preset', 'yinyang', '--substrate', 'hotter', '--substrate-options', '{"deltaMv":0.002}', '--epochs', '1', '--train-samples', '200', '--no-checkpoint', '--plugin', PLUGIN];
    const one = await runCli([...common, '--threads', '1', '--out', join(dir, 'one.json')]);
    expect(one.code, one.err).toBe(0);
    const two = await runCli([...common, '--threads', '2', '--out', join(dir, 'two.json')]);
    expect(two.code, two.err).toBe(0);
    const a = await loadModel(join(dir, 'one.json'));
    const b = await loadModel(join(dir, 'two.json'));
    expect(a.meta.training.substrate).toBe('hotter');
    let differing = 0;
    a.model.weights.forEach((w, l) => w.forEach((x, k) => void (Object.is(x, b.model.weights[l][k]) ? 0 : differing++)));
    expect(differing).toBe(0);
    expect(a.model.weights.some((w, l) => w.some((x, k) => x !== 0 && x === b.model.weights[l][k]))).toBe(true);
  }, 120_000);

  it('sweep --plugin: the sweep workers import the plugin and train on its substrate', async () => {
    const spec = join(dir, 'sweep.json');
    await writeFile(
      spec,
      JSON.stringify({
        preset: 'yinyang', epochs: 1, seeds: [1], trainSamples: 100, testSamples: 100,
        substrate: { name: 'hotter' }, modes: ['in-the-loop'], axes: [{ name: 'deltaMv', values: [0, 2] }],
      }),
    );
    const out = join(dir, 'sweep-out');
    const r = await runCli(['sweep', spec, '--out', out, '--workers', '2', '--plugin', PLUGIN]);
    expect(r.code, r.err).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { rows: { point: { deltaMv: number }; test_accuracy: number }[] };
    expect(results.rows.map((row) => row.point.deltaMv).sort()).toEqual([0, 2]);
    for (const row of results.rows) expect(row.test_accuracy).toBeGreaterThan(0);
  }, 120_000);
});
