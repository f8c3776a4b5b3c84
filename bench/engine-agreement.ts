/**
 * The windowed fast path against the reference path on the benchmark network (bench/lib/balancedNetwork.ts):
 * spike for spike until chaos separates the two runs, then per-neuron spike counts.
 *
 *   npx tsx bench/engine-agreement.ts [--size 1000] [--seed 1] [--seconds 10]
 *
 * Both runs start from the same state and differ only in rounding (the fast path sums a window's inputs in
 * another order). A balanced network is chaotic, so a rounding-level difference grows until one spike moves
 * or appears/disappears. Printed: the time up to which every neuron's spike train agrees to 1e-9 ms, the
 * largest |difference| of spike times before then (by decade of simulated time, to show it starts at
 * rounding level), and over the whole run the per-neuron spike counts of both paths (totals, the difference
 * of the totals in units of its Poisson standard deviation, the correlation across neurons and the largest
 * distance between the two empirical count distributions, a two-sample Kolmogorov-Smirnov statistic).
 */
import { runNetwork, type RunResult } from '../core/engine/runNetwork.ts';
import { lifDynamics } from '../core/lif/lifDynamics.ts';
import { IN_DEGREE, buildNetwork } from './lib/balancedNetwork.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const n = Number(argument('size', '1000'));
if (!Number.isInteger(n) || n <= IN_DEGREE) {
  console.error(`firstspike: error: --size: expected an integer above the in-degree ${IN_DEGREE}, got '${argument('size', '')}'`);
  process.exit(2);
}
const seed = Number(argument('seed', '1'));
const seconds = Number(argument('seconds', '10'));
const durationMs = 1000 * seconds;
const { network } = buildNetwork(n, durationMs, seed);

function timed(reference: boolean): { result: RunResult; wallS: number } {
  const t0 = performance.now();
  const result = runNetwork({ network, dynamics: lifDynamics, durationMs, recording: {}, reference });
  return { result, wallS: (performance.now() - t0) / 1000 };
}
const fast = timed(false);
const ref = timed(true);

/** Spike trains per neuron. */
function trains(r: RunResult): number[][] {
  const out: number[][] = Array.from({ length: n }, () => []);
  const s = r.spikes;
  for (let q = 0; q < s.timeMs.length; q++) out[s.neuron[q]].push(s.timeMs[q]);
  return out;
}
const a = trains(fast.result);
const b = trains(ref.result);

// first time at which some neuron's trains differ: a pair further apart than 1e-9 ms, or an unmatched spike
let divergence = Infinity;
for (let i = 0; i < n; i++) {
  const m = Math.min(a[i].length, b[i].length);
  for (let q = 0; q < m; q++) {
    if (Math.abs(a[i][q] - b[i][q]) > 1e-9) {
      divergence = Math.min(divergence, a[i][q], b[i][q]);
      break;
    }
  }
  if (a[i].length > m) divergence = Math.min(divergence, a[i][m]);
  if (b[i].length > m) divergence = Math.min(divergence, b[i][m]);
}
// largest |difference| of matched spikes before the divergence, by decade of time
const decades = new Map<number, { max: number; count: number; equal: number }>();
let agreeing = 0;
for (let i = 0; i < n; i++) {
  const m = Math.min(a[i].length, b[i].length);
  for (let q = 0; q < m; q++) {
    const t = Math.min(a[i][q], b[i][q]);
    if (!(t < divergence)) break;
    agreeing++;
    const d = Math.abs(a[i][q] - b[i][q]);
    const key = t < 1 ? 0 : Math.floor(Math.log10(t)) + 1;
    const e = decades.get(key) ?? { max: 0, count: 0, equal: 0 };
    e.max = Math.max(e.max, d);
    e.count++;
    if (d === 0) e.equal++;
    decades.set(key, e);
  }
}

console.log(`N=${n} seed=${seed} ${seconds} s: fast path ${fast.wallS.toFixed(2)} s, reference ${ref.wallS.toFixed(2)} s`);
console.log(
  `fast path: ${fast.result.statistics.bulkNeuronWindows} neuron-windows in bulk, ${fast.result.statistics.sweptNeuronWindows} swept`,
);
console.log(`spike trains agree to 1e-9 ms until t = ${divergence.toFixed(3)} ms (${agreeing} spikes)`);
for (const [key, e] of [...decades.entries()].sort((x, y) => x[0] - y[0])) {
  const range = key === 0 ? '[0, 1) ms' : `[${10 ** (key - 1)}, ${10 ** key}) ms`;
  console.log(`  spikes in ${range}: ${e.count}, bitwise equal ${e.equal}, max |difference| ${e.max.toExponential(2)} ms`);
}

const ca = a.map((x) => x.length);
const cb = b.map((x) => x.length);
const sa = ca.reduce((x, y) => x + y, 0);
const sb = cb.reduce((x, y) => x + y, 0);
const mean = (x: number[]): number => x.reduce((p, q) => p + q, 0) / x.length;
const ma = mean(ca);
const mb = mean(cb);
let sab = 0;
let saa = 0;
let sbb = 0;
for (let i = 0; i < n; i++) {
  sab += (ca[i] - ma) * (cb[i] - mb);
  saa += (ca[i] - ma) ** 2;
  sbb += (cb[i] - mb) ** 2;
}
const sortedA = [...ca].sort((x, y) => x - y);
const sortedB = [...cb].sort((x, y) => x - y);
let ks = 0;
for (const v of new Set([...ca, ...cb])) {
  const fa = upperBound(sortedA, v) / n;
  const fb = upperBound(sortedB, v) / n;
  ks = Math.max(ks, Math.abs(fa - fb));
}
function upperBound(x: number[], v: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
// KS critical value at 5% for two samples of size n each: 1.358 sqrt(2/n)
console.log(
  `spike counts over ${seconds} s: fast ${sa} (${(sa / n / seconds).toFixed(3)} Hz), reference ${sb} (${(sb / n / seconds).toFixed(3)} Hz), ` +
    `difference ${((sa - sb) / Math.sqrt(sa + sb)).toFixed(2)} sd; per-neuron correlation ${(sab / Math.sqrt(saa * sbb)).toFixed(4)}; ` +
    `KS distance ${ks.toFixed(4)} (5% critical value ${(1.358 * Math.sqrt(2 / n)).toFixed(4)})`,
);
