/**
 * Memory per LIF neuron and per synapse, the figures behind the resource estimate of
 * core/config/resourceLimits.ts. Run: node --expose-gc --import tsx bench/memory.ts
 * Prints bytes per neuron (build + run) and per synapse (at the build peak and kept), from
 * process.memoryUsage() (heap + array buffers) around buildSimulation and simulate, sampled every 1 ms.
 */
import { buildSimulation, simulate, substrateNames } from '../index.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Peak of used() while `f` runs synchronously is not observable; we sample before/after and keep the result alive. */
function measure<T>(f: () => T): { result: T; bytes: number } {
  gc!();
  const before = used();
  const result = f();
  const after = used();
  return { result, bytes: after - before };
}

const lif = (name: string, size: number) => ({
  name,
  type: 'IF_curr_exp',
  size,
  params: { tau_m: 10, tau_syn_E: 5, tau_syn_I: 5, cm: 0.2, v_rest: -65, v_reset: -70, v_thresh: -55, tau_refrac: 2 },
});

const options = { knownSubstrates: substrateNames() };
for (const n of [100_000, 1_000_000]) {
  const config = { duration: 10, populations: [{ name: 'in', type: 'spike_source_array', size: 1, spike_times: [1] }, lif('a', n)], projections: [{ source: 'in', target: 'a', connector: { type: 'all_to_all' }, weight: 1, delay: 1 }] };
  const built = measure(() => buildSimulation(config, options));
  const run = measure(() => simulate(built.result));
  console.log(`${n} LIF neurons: build ${(built.bytes / n).toFixed(0)} B/neuron, run ${(run.bytes / n).toFixed(0)} B/neuron (kept until the result is dropped)`);
}
for (const n of [2000, 5000]) {
  const config = { duration: 1, populations: [lif('a', n), lif('b', n)], projections: [{ source: 'a', target: 'b', connector: { type: 'all_to_all' }, weight: 1, delay: 1 }] };
  const built = measure(() => buildSimulation(config, options));
  const synapses = n * n;
  console.log(`${synapses} synapses (all_to_all ${n} x ${n}): kept after build ${((built.bytes - 2 * n * 200) / synapses).toFixed(1)} B/synapse`);
}
