import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimulation, simulate, substrateNames } from '../index.ts';
import { DEFAULT_NETWORK } from '../cli/defaultNetwork.ts';
import { START_EPOCHS } from '../cli/commands/start.ts';
import { registerSubstrate, unregisterSubstrate } from '../core/substrate/registry.ts';
import { MNIST_FILES } from '../plugins/datasets/mnist.ts';
import { loadModel } from '../plugins/learning/modelFile.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';
import { runCli } from './helpers/cliRun.ts';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'firstspike-commands-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The real executable in `cwd`. */
function spawnCli(args: readonly string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'firstspike.js'), ...args], { cwd, timeout: 120_000, env: { ...process.env, FIRSTSPIKE_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

describe('firstspike demo (the built-in 1000-neuron network)', () => {
  it('runs, prints a spike summary per population, and --out writes the same spikes as the library', async () => {
    const out = join(root, 'demo.json');
    const r = await runCli(['demo', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^firstspike demo: built-in network \(see 'firstspike demo --print-config'\), 500 ms simulated in \d+\.\d\d s wall time$/m);
    for (const [name, size] of [
      ['exc', 800],
      ['inh', 200],
    ] as const) {
      const m = new RegExp(`^  ${name}: (\\d+) spikes, (\\d+)/${size} neurons active, mean rate ([\\d.]+) Hz, first spike ([\\d.]+) ms$`, 'm').exec(r.out);
      expect(m, `${name} line in\n${r.out}`).not.toBeNull();
      const [spikes, active, rate] = [Number(m![1]), Number(m![2]), Number(m![3])];
      // the rate line is the count over size and duration
      expect(rate).toBeCloseTo(spikes / size / 0.5, 2);
      expect(active).toBeGreaterThan(0.5 * size);
    }
    expect(r.out).toContain(`wrote ${out}`);
    // the file holds exactly the spikes of the library's own run of the printed config
    const spec = buildSimulation(DEFAULT_NETWORK, { knownSubstrates: substrateNames() });
    const library = simulate(spec);
    const file = JSON.parse(await readFile(out, 'utf8')) as { spikes: { time_ms: number[]; population: string[] } };
    expect(file.spikes.time_ms).toEqual(Array.from(library.spikes.timeMs));
    expect(file.spikes.time_ms.length).toBeGreaterThan(1000);
  });
});

describe('firstspike start (the executable, as npm start runs it)', () => {
  it(`trains Yin-Yang (1 epoch here; ${START_EPOCHS} by default), prints progress and test accuracy, writes out/yinyang-model.json in the working folder`, async () => {
    const cwd = await mkdtemp(join(root, 'start-'));
    const r = await spawnCli(['start', '--epochs', '1'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^firstspike start: training Yin-Yang with the paper's network for 1 epochs \(the full schedule is \d+: 'firstspike train --preset yinyang'\)/);
    expect(r.stdout).toMatch(/^epoch 1\/1 {2}train loss \d\.\d{4} acc \d\.\d{3} {2}validation loss \d\.\d{4} acc \d\.\d{3} {2}lr \S+ {2}\d+\.\d\d s$/m);
    const acc = Number(/^test accuracy ([01]\.\d{4}) \(\d+\/1000\)/m.exec(r.stdout)?.[1]);
    // one epoch on all 5000 samples is already well above chance (1/3)
    expect(acc).toBeGreaterThan(0.4);
    const modelPath = join(cwd, 'out', 'yinyang-model.json');
    expect(existsSync(modelPath)).toBe(true);
    const { meta } = await loadModel(modelPath);
    expect(meta.training).toMatchObject({ seed: 0, epochsDone: 1, substrate: 'ideal' });
    expect(meta.training.testAccuracy).toBeCloseTo(acc, 4);
    // the default epoch count is what the help promises
    const help = await runCli(['start', '--help']);
    expect(help.out).toContain(`(default ${START_EPOCHS})`);
    expect(START_EPOCHS).toBe(60);
  }, 120_000);
});

describe('exit code 1 for internal errors (not only through validate)', () => {
  const broken = {
    ...idealSubstrate,
    name: 'broken-realise',
    description: 'throws a plain Error while realising (a bug, not bad input)',
    realise: () => {
      throw new Error('index out of range in realise\nsecond line');
    },
  };
  beforeAll(() => registerSubstrate(broken));
  afterAll(() => void unregisterSubstrate('broken-realise'));

  it('simulate with a substrate that throws: exit 1, one stderr line "internal error", no output file', async () => {
    const dir = await mkdtemp(join(root, 'internal-'));
    const config = {
      seed: 1,
      duration: 10,
      substrate: { name: 'broken-realise' },
      populations: [
        { name: 'in', type: 'spike_source_array', size: 1, spike_times: [[1]] },
        { name: 'out', type: 'IF_curr_exp', size: 1 },
      ],
      projections: [{ source: 'in', target: 'out', connector: { type: 'all_to_all' }, weight: 1, delay: 1 }],
    };
    const path = join(dir, 'c.json');
    writeFileSync(path, JSON.stringify(config));
    const out = join(dir, 'r.json');
    const r = await runCli(['simulate', path, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe('firstspike: internal error: index out of range in realise\\nsecond line\n');
    expect(await readdir(dir)).toEqual(['c.json']);
  });
});

describe('--data-dir: MNIST IDX files through the CLI', () => {
  // A folder in the original MNIST layout: 5020 training images (the loader keeps 5000 apart for
  // validation) and 20 test images, gzipped test files; the headers are written out byte by byte.
  const nTrain = 5020;
  const nTest = 20;
  const be32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const images = (n: number): Uint8Array => {
    // digit k is a vertical bar at column 4 + 2k (bright) on a dark background
    const data = new Uint8Array(16 + n * 784);
    data.set([0x00, 0x00, 0x08, 0x03, ...be32(n), ...be32(28), ...be32(28)]);
    for (let s = 0; s < n; s++) for (let r = 4; r < 24; r++) data[16 + s * 784 + r * 28 + 4 + 2 * (s % 10)] = 255;
    return data;
  };
  const labels = (n: number): Uint8Array => Uint8Array.from([0x00, 0x00, 0x08, 0x01, ...be32(n), ...Array.from({ length: n }, (_, s) => s % 10)]);
  let dataDir: string;
  beforeAll(() => {
    dataDir = join(root, 'idx');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, MNIST_FILES.trainImages), images(nTrain));
    writeFileSync(join(dataDir, MNIST_FILES.trainLabels), labels(nTrain));
    writeFileSync(join(dataDir, `${MNIST_FILES.testImages}.gz`), gzipSync(images(nTest)));
    writeFileSync(join(dataDir, `${MNIST_FILES.testLabels}.gz`), gzipSync(labels(nTest)));
  });

  it('train --preset mnist16 --data-dir reads the folder, and evaluate finds it again from the model', async () => {
    const dir = await mkdtemp(join(root, 'idx-train-'));
    const out = join(dir, 'm.json');
    const r = await runCli(['train', '--preset', 'mnist16', '--data-dir', dataDir, '--epochs', '1', '--train-samples', '40', '--out', out, '--no-checkpoint']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^  40 training samples \(1 batches of \d+\)/m);
    expect(r.out).toMatch(new RegExp(`, ${nTest} test; 1 epochs$`, 'm'));
    expect(r.out).toMatch(new RegExp(`^test accuracy [01]\\.\\d{4} \\(\\d+/${nTest}\\)`, 'm'));
    const { meta } = await loadModel(out);
    expect(meta.training.dataDir).toBe(dataDir);
    const e = await runCli(['evaluate', '--model', out, '--json']);
    expect(e.code, e.err).toBe(0);
    expect(JSON.parse(e.out)).toMatchObject({ samples: nTest, preset: 'mnist16' });
  });

  it('a folder without the files is bad input: exit 2, one line naming --data-dir and the file', async () => {
    const empty = await mkdtemp(join(root, 'idx-empty-'));
    const r = await runCli(['train', '--preset', 'mnist16', '--data-dir', empty, '--out', join(empty, 'm.json')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^firstspike: error: --data-dir: .*train-images-idx3-ubyte: file not found \(also tried train-images-idx3-ubyte\.gz\)\n$/);
  });
});
