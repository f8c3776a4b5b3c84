/**
 * Engine benchmark (issue: exact engine). N LIF neurons, fixed in-degree K = 100 without self-connections,
 * the first 80% excitatory (w = +0.1 nA), the rest inhibitory (w = -0.4 nA), delay 1 ms; each neuron gets
 * its own Poisson input of 1550 Hz with w = 0.1 nA. tau_m 10 ms, tau_syn_E = tau_syn_I = 5 ms, cm 10 nF,
 * v_rest = v_reset = 0 mV, v_thresh = 1 mV, tau_refrac 2 ms. 1 s is measured after a 0.1 s warm-up.
 *
 *   npx tsx bench/engine.ts [--sizes 1000,4000] [--seconds 1] [--seed 1] [--threads 1] [--reference]
 *
 * --reference runs the generic input-by-input path instead of the windowed fast path. --threads takes only 1
 * (a multi-threaded engine is not implemented). Besides wall time, prints the CPU time of the measured
 * second (this process; less exposed to machine load) and the share of neuron-windows that took the sweep.
 */
import { runNetwork } from '../core/engine/runNetwork.ts';
import type { Network } from '../core/network/network.ts';
import { buildNetwork } from './lib/balancedNetwork.ts';
import { lifDynamics } from '../core/lif/lifDynamics.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/**
 * Runs the network for durationMs. The clock readings (wall and CPU) are taken once more after the window
 * that reaches warmupMs, so the measured part [warmupMs, durationMs) is timed within the same run.
 */
function run(network: Network, durationMs: number) {
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
  const result = runNetwork({ network, dynamics: lifDynamics, durationMs, recording: {}, reference, onProgress });
  const c1 = process.cpuUsage(c0);
  return { result, wallMs: performance.now() - t0 - warmWallMs, cpuMs: (c1.user + c1.system) / 1000 - warmCpuMs };
}

const sizes = argument('sizes', '1000,4000').split(',').map(Number);
const seconds = Number(argument('seconds', '1'));
const seed = Number(argument('seed', '1'));
const reference = process.argv.includes('--reference');
if (argument('threads', '1') !== '1') {
  console.error('firstspike: error: --threads: only 1 thread is implemented');
  process.exit(2);
}
const warmupMs = 100;
const totalMs = warmupMs + 1000 * seconds;
console.log(`node ${process.version}, ${seconds} s simulated after ${warmupMs} ms warm-up, seed ${seed}`);
for (const n of sizes) {
  const { network, synapseBytes, synapses } = buildNetwork(n, totalMs, seed);
  run(network, 50); // JIT warm-up of the engine itself
  const warm = run(network, warmupMs);
  const full = run(network, totalMs);
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
