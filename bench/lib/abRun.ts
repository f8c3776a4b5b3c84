/**
 * One timed run of the benchmark network on the engine of another source tree (for interleaved A/B runs
 * against an older commit exported with `git archive`):
 *
 *   npx tsx bench/lib/abRun.ts <tree> <N> [seconds] [seed]
 *
 * Prints N, wall and CPU seconds of the measured part (1 s after a 0.1 s warm-up by default), the event
 * and spike counts, and the CPU time and events per CPU second of the whole run.
 */
import { pathToFileURL } from 'node:url';
import { buildNetwork } from './balancedNetwork.ts';

const [tree, nArg, secondsArg, seedArg] = process.argv.slice(2);
const n = Number(nArg);
const seconds = Number(secondsArg ?? '1');
const seed = Number(seedArg ?? '1');
const { runNetwork } = await import(pathToFileURL(`${tree}/core/engine/runNetwork.ts`).href);
const { lifDynamics } = await import(pathToFileURL(`${tree}/core/lif/lifDynamics.ts`).href);
const warmupMs = 100;
const totalMs = warmupMs + 1000 * seconds;
const { network } = buildNetwork(n, totalMs, seed);
const run = (durationMs: number) => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let warmWall = 0;
  let warmCpu = 0;
  // clock readings after the window that reaches the warm-up (trees without a reference option ignore it)
  const onProgress = (simulatedMs: number): void => {
    if (warmWall === 0 && simulatedMs >= warmupMs) {
      const c = process.cpuUsage(c0);
      warmWall = (performance.now() - t0) / 1000;
      warmCpu = (c.user + c.system) / 1e6;
    }
  };
  const result = runNetwork({ network, dynamics: lifDynamics, durationMs, recording: {}, onProgress });
  const c = process.cpuUsage(c0);
  return { s: result.statistics, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, warmWall, warmCpu };
};
run(50);
const warm = run(warmupMs);
const full = run(totalMs);
const events = full.s.externalEvents + full.s.recurrentEvents - warm.s.externalEvents - warm.s.recurrentEvents;
// the whole run (warm-up included) as well: one timing, less exposed to load than a difference of two
const all = full.s.externalEvents + full.s.recurrentEvents;
console.log(
  `${tree.split('/').pop()} N=${n} wall=${(full.wall - full.warmWall).toFixed(3)} cpu=${(full.cpu - full.warmCpu).toFixed(3)} ` +
    `events=${events} spikes=${full.s.spikesEmitted - warm.s.spikesEmitted} ` +
    `events/cpu-s=${(events / (full.cpu - full.warmCpu)).toExponential(2)} | whole run: cpu=${full.cpu.toFixed(3)} s, ${(all / full.cpu).toExponential(2)} events/cpu-s`,
);
