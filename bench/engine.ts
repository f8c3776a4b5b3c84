/**
 * Engine benchmark (issue: exact engine). N LIF neurons, fixed in-degree K = 100 without self-connections,
 * the first 80% excitatory (w = +0.1 nA), the rest inhibitory (w = -0.4 nA), delay 1 ms; each neuron gets
 * its own Poisson input of 1550 Hz with w = 0.1 nA. tau_m 10 ms, tau_syn_E = tau_syn_I = 5 ms, cm 10 nF,
 * v_rest = v_reset = 0 mV, v_thresh = 1 mV, tau_refrac 2 ms. 1 s is measured after a 0.1 s warm-up, in a
 * run that follows the JIT warm-up (about 5e6 synaptic events of the same network, see JIT_WARMUP_EVENTS).
 *
 *   npx tsx bench/engine.ts [--sizes 1000,4000] [--seconds 1] [--seed 1] [--threads 1] [--reference] [--dist]
 *
 * --dist measures the compiled engine in dist/ (npm run build), as an installed firstspike runs it; without
 * it, the TypeScript sources as tsx runs them.
 *
 * --reference runs the generic input-by-input path instead of the windowed fast path. Besides wall time,
 * prints the CPU time of the measured second (this process, all its threads; less exposed to machine load)
 * and the share of neuron-windows that took the sweep.
 *
 * --threads T > 1 runs the threaded engine (core/engine/parallel/runNetworkThreads.ts) and then the
 * one-thread engine on the same network, each timed on its own, prints a line for each and whether the two
 * spike tables and statistics are bit-identical. The threaded run's clock reading at the warm-up's end is
 * taken when its progress report arrives (every 10 ms of wall time at most), so its wall time is
 * uncertain by about 10 ms; worker start-up falls in the warm-up and is not counted.
 */
import { existsSync } from 'node:fs';
import { runNetworkThreads as sourceRunNetworkThreads } from '../core/engine/parallel/runNetworkThreads.ts';
import type { SpikeTable } from '../core/engine/recorder.ts';
import { runNetwork as sourceRunNetwork, type RunResult } from '../core/engine/runNetwork.ts';
import type { Network } from '../core/network/network.ts';
import { IN_DEGREE, buildNetwork } from './lib/balancedNetwork.ts';
import { lifDynamics as sourceLifDynamics } from '../core/lif/lifDynamics.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/**
 * Runs the network for durationMs. The clock readings (wall and CPU) are taken once more after the window
 * that reaches warmupMs, so the measured part [warmupMs, durationMs) is timed within the same run.
 */
async function run(network: Network, durationMs: number, threads = 1): Promise<{ result: RunResult; wallMs: number; cpuMs: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let warmWallMs = 0;
  let warmCpuMs = 0;
  const onProgress = (simulatedMs: number): void => {
    if (warmWallMs === 0 && simulatedMs >= warmupMs) {
      const c = process.cpuUsage(c0);
      warmWallMs = performance.now() - t0;
      warmCpuMs = (c.user + c.system) / 1000;
    }
  };
  const options = { network, dynamics: lifDynamics, durationMs, recording: {}, reference, onProgress };
  const result = threads === 1 ? runNetwork(options) : await runNetworkThreads({ ...options, threads });
  const c1 = process.cpuUsage(c0);
  return { result, wallMs: performance.now() - t0 - warmWallMs, cpuMs: (c1.user + c1.system) / 1000 - warmCpuMs };
}

/**
 * The engine measured: the TypeScript sources as tsx runs them (default), or with --dist the compiled
 * package in dist/ (`npm run build`), which is what an installed firstspike runs (the two measured the same
 * within run-to-run noise on the bench network; docs/benchmarks.md).
 */
interface Engine {
  readonly runNetwork: typeof sourceRunNetwork;
  readonly runNetworkThreads: typeof sourceRunNetworkThreads;
  readonly lifDynamics: typeof sourceLifDynamics;
}
async function compiledEngine(): Promise<Engine> {
  const dist = new URL('../dist/', import.meta.url);
  if (!existsSync(new URL('core/engine/runNetwork.js', dist))) {
    console.error('firstspike: error: --dist: dist/ is not built (run npm run build)');
    process.exit(2);
  }
  const load = async <T>(path: string): Promise<T> => (await import(new URL(path, dist).href)) as T;
  return {
    runNetwork: (await load<{ runNetwork: Engine['runNetwork'] }>('core/engine/runNetwork.js')).runNetwork,
    runNetworkThreads: (await load<{ runNetworkThreads: Engine['runNetworkThreads'] }>('core/engine/parallel/runNetworkThreads.js')).runNetworkThreads,
    lifDynamics: (await load<{ lifDynamics: Engine['lifDynamics'] }>('core/lif/lifDynamics.js')).lifDynamics,
  };
}
const fromDist = process.argv.includes('--dist');
const { runNetwork, runNetworkThreads, lifDynamics }: Engine = fromDist
  ? await compiledEngine()
  : { runNetwork: sourceRunNetwork, runNetworkThreads: sourceRunNetworkThreads, lifDynamics: sourceLifDynamics };

const sizes = argument('sizes', '1000,4000').split(',').map(Number);
if (!sizes.every((n) => Number.isInteger(n) && n > IN_DEGREE)) {
  console.error(`firstspike: error: --sizes: expected integers above the in-degree ${IN_DEGREE}, got '${argument('sizes', '')}'`);
  process.exit(2);
}
const seconds = Number(argument('seconds', '1'));
const seed = Number(argument('seed', '1'));
const reference = process.argv.includes('--reference');
const threads = Number(argument('threads', '1'));
if (!Number.isInteger(threads) || threads < 1) {
  console.error(`firstspike: error: --threads: expected an integer >= 1, got '${argument('threads', '1')}'`);
  process.exit(2);
}

/** Same spikes (times compared with Object.is) and the same statistics. */
function identical(a: RunResult, b: RunResult): boolean {
  const same = (x: SpikeTable, y: SpikeTable): boolean =>
    x.timeMs.length === y.timeMs.length &&
    x.timeMs.every((t, q) => Object.is(t, y.timeMs[q]) && x.population[q] === y.population[q] && x.neuron[q] === y.neuron[q]);
  return same(a.spikes, b.spikes) && JSON.stringify(a.statistics) === JSON.stringify(b.statistics);
}
const warmupMs = 100;
/**
 * Synaptic events the engine runs before any measurement, as Brian2's figures exclude its code generation
 * and compilation. 5e6 is about 2 s of the N = 1000 network (capped at one run's length), 0.4 s at N = 4000
 * and 17 ms at N = 1e5 (at least 50 ms). With the former fixed 50 ms, the first size measured in a process
 * at N = 1000 ran 10-15% slower than the same size measured again in it (docs/benchmarks.md, session 7).
 */
const JIT_WARMUP_EVENTS = 5e6;
const totalMs = warmupMs + 1000 * seconds;
console.log(`node ${process.version}, ${fromDist ? 'compiled engine (dist/)' : 'engine from the TypeScript sources (tsx)'}, ${seconds} s simulated after ${warmupMs} ms warm-up, seed ${seed}`);
for (const n of sizes) {
  const { network, synapseBytes, synapses } = buildNetwork(n, totalMs, seed);
  // JIT warm-up of the engine itself (V8 compiles the hot functions in the background for a while): the same
  // network for about JIT_WARMUP_EVENTS synaptic events, at least 50 ms and at most the whole run
  const probe = await run(network, 50);
  const eventsPerMs = (probe.result.statistics.externalEvents + probe.result.statistics.recurrentEvents) / 50;
  const jitMs = Math.min(totalMs, Math.max(50, JIT_WARMUP_EVENTS / Math.max(eventsPerMs, 1)));
  if (jitMs > 50) await run(network, jitMs);
  // the threaded run's workers are pooled across runs: warm their JIT the same way
  if (threads > 1) await run(network, jitMs, threads);
  const warm = await run(network, warmupMs);
  const runs = threads === 1 ? [await run(network, totalMs)] : [await run(network, totalMs, threads), await run(network, totalMs)];
  for (const full of runs) report(n, full, warm, synapseBytes, synapses, full === runs[0] ? threads : 1);
  if (runs.length > 1) console.log(`  bit-identical spikes and statistics, ${threads} threads vs 1: ${identical(runs[0].result, runs[1].result) ? 'yes' : 'NO'}`);
}

function report(
  n: number,
  full: Awaited<ReturnType<typeof run>>,
  warm: Awaited<ReturnType<typeof run>>,
  synapseBytes: number,
  synapses: number,
  threadsUsed: number,
): void {
  const s = full.result.statistics;
  const w = warm.result.statistics;
  const spikes = s.spikesEmitted - w.spikesEmitted;
  const external = s.externalEvents - w.externalEvents;
  const recurrent = s.recurrentEvents - w.recurrentEvents;
  const wallS = full.wallMs / 1000;
  const cpuS = full.cpuMs / 1000;
  const neuronWindows = s.bulkNeuronWindows + s.sweptNeuronWindows;
  const rss = process.resourceUsage().maxRSS * 1024;
  console.log(
    [
      `N=${n}`,
      `threads=${threadsUsed}`,
      `spikes=${spikes}`,
      `rate=${(spikes / n / seconds).toFixed(2)} Hz`,
      `events=${external + recurrent} (recurrent ${recurrent}, external ${external})`,
      `wall=${wallS.toFixed(3)} s`,
      `events/s=${((external + recurrent) / wallS).toExponential(3)}`,
      `cpu=${cpuS.toFixed(3)} s (${((external + recurrent) / cpuS).toExponential(3)} events/cpu-s)`,
      `swept=${neuronWindows > 0 ? ((100 * s.sweptNeuronWindows) / neuronWindows).toFixed(1) : '-'}%`,
      `peakRSS=${(rss / 2 ** 20).toFixed(0)} MiB`,
      `bytes/synapse=${(synapseBytes / synapses).toFixed(2)}`,
    ].join('  '),
  );
}
