/**
 * Two versions of the engine side by side in one process, on the benchmark network: the `--old` and the
 * `--new` checkout of this repository (directories holding core/), from their TypeScript sources. Runs
 * alternate (old, new, then new, old, ...), each timed over its last `--seconds` after a 0.1 s warm-up, so
 * that the machine's swings hit both alike; prints the median of each and the median of the per-pair ratios.
 *
 *   npx tsx bench/engine-compare.ts --old ../firstspike-old --new . [--size 1000] [--seconds 1] [--pairs 12] [--seed 1]
 *
 * (e.g. `git worktree add ../firstspike-old <commit>` for the old one, with `npm ci` there or a link to this
 * checkout's node_modules.)
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { runNetwork as RunNetwork } from '../core/engine/runNetwork.ts';
import type { lifDynamics as LifDynamics } from '../core/lif/lifDynamics.ts';
import { IN_DEGREE, buildNetwork } from './lib/balancedNetwork.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
function fail(flag: string, reason: string): never {
  console.error(`firstspike: error: ${flag}: ${reason}`);
  process.exit(2);
}

const checkouts = ['old', 'new'].map((flag) => {
  const dir = argument(flag, '');
  if (dir === '') fail(`--${flag}`, 'a checkout directory is required');
  if (!existsSync(resolve(dir, 'core/engine/runNetwork.ts'))) fail(`--${flag}`, `${dir} holds no core/engine/runNetwork.ts`);
  return resolve(dir);
});
const n = Number(argument('size', '1000'));
if (!Number.isInteger(n) || n <= IN_DEGREE) fail('--size', `expected an integer above the in-degree ${IN_DEGREE}, got '${argument('size', '')}'`);
const seconds = Number(argument('seconds', '1'));
if (!(seconds > 0 && seconds <= 100)) fail('--seconds', `expected a number in (0, 100], got '${argument('seconds', '')}'`);
const pairs = Number(argument('pairs', '12'));
if (!Number.isInteger(pairs) || pairs < 1 || pairs > 1000) fail('--pairs', `expected an integer from 1 to 1000, got '${argument('pairs', '')}'`);
const seed = Number(argument('seed', '1'));
if (!Number.isInteger(seed)) fail('--seed', `expected an integer, got '${argument('seed', '')}'`);

interface Engine {
  readonly runNetwork: typeof RunNetwork;
  readonly lifDynamics: typeof LifDynamics;
}
async function load(dir: string): Promise<Engine> {
  const { runNetwork } = (await import(pathToFileURL(resolve(dir, 'core/engine/runNetwork.ts')).href)) as { runNetwork: typeof RunNetwork };
  const { lifDynamics } = (await import(pathToFileURL(resolve(dir, 'core/lif/lifDynamics.ts')).href)) as { lifDynamics: typeof LifDynamics };
  return { runNetwork, lifDynamics };
}

const warmupMs = 100;
const totalMs = warmupMs + 1000 * seconds;
const { network } = buildNetwork(n, totalMs, seed);
const engines = [await load(checkouts[0]), await load(checkouts[1])];

/** Wall time (ms) of the run after its warm-up, and its spike count. */
function timed(engine: Engine): { ms: number; spikes: number } {
  let warm = 0;
  const r = engine.runNetwork({
    network,
    dynamics: engine.lifDynamics,
    durationMs: totalMs,
    recording: {},
    onProgress: (t) => {
      if (warm === 0 && t >= warmupMs) warm = performance.now();
    },
  });
  return { ms: performance.now() - warm, spikes: r.statistics.spikesEmitted };
}

// JIT warm-up of both
timed(engines[0]);
timed(engines[1]);
const ms: number[][] = [[], []];
const ratios: number[] = [];
const spikes = [0, 0];
for (let p = 0; p < pairs; p++) {
  const order = p % 2 === 0 ? [0, 1] : [1, 0];
  const pair = [0, 0];
  for (const e of order) {
    const r = timed(engines[e]);
    pair[e] = r.ms;
    spikes[e] = r.spikes;
    ms[e].push(r.ms);
  }
  ratios.push(pair[1] / pair[0]);
}
const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};
console.log(`N=${n} seed ${seed}, ${pairs} pairs of ${seconds} s after ${warmupMs} ms (spikes: old ${spikes[0]}, new ${spikes[1]})`);
console.log(`old ${checkouts[0]}: median ${median(ms[0]).toFixed(1)} ms`);
console.log(`new ${checkouts[1]}: median ${median(ms[1]).toFixed(1)} ms`);
console.log(`new / old time, median of the pairs: ${median(ratios).toFixed(3)} (speed-up ${(1 / median(ratios)).toFixed(2)}x); pairs ${ratios.map((x) => x.toFixed(2)).join(' ')}`);
