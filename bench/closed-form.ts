/**
 * Closed-form first-spike times vs the event engine (issue: closed-form first-spike times, `firstspike
 * validate`). The same single-neuron cases for both: a LIF neuron at rest (tau_syn 5 ms, tau_m = ratio *
 * tau_syn, cm 0.2..1 nF, v_rest -65 mV, threshold 5..20 mV above it) with 10..100 mixed-sign inputs at
 * times uniform in [0, 20) ms, weights scaled so that the maximum of V is 0.5..2 times the threshold
 * distance (about half the neurons fire). Runs of 60 ms; tau_refrac longer than the run.
 *
 * Figures (first-spike times per second, one thread):
 * - closed form: closedFormFirstSpikeTime per case (inputs unsorted, as given);
 * - engine, one run per case: build a Network and simulate it (ideal substrate), per case;
 * - engine, batched: all cases as independent neurons of one network, simulated once.
 * The last line checks that closed form and engine agree (max |difference| over neurons that both fire;
 * closed-form spikes after the 60 ms run count as none).
 *
 *   npx tsx bench/closed-form.ts [--cases 20000] [--seed 1] [--seconds 1]
 */
import { closedFormFirstSpikeTime, type ClosedFormRatio } from '../core/closedForm/firstSpikeTime.ts';
import { simulate } from '../core/engine/simulate.ts';
import { lifParamArrays, type LifParamArrays, type LifParams } from '../core/lif/params.ts';
import { csrFromTriples, type Network } from '../core/network/network.ts';
import { randomStream } from '../core/rng.ts';
import type { SimulationSpec } from '../core/simulation.ts';
import { expectNeuron } from '../core/validation/neuronExpectation.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const DURATION_MS = 60;

interface BenchCase {
  readonly params: LifParams;
  readonly times: Float64Array;
  readonly weights: Float64Array;
}

function makeCases(count: number, ratio: ClosedFormRatio, seed: number): BenchCase[] {
  const r = randomStream(seed, `bench/closed-form/${ratio}`);
  const cases: BenchCase[] = [];
  for (let c = 0; c < count; c++) {
    const gap = 5 + 15 * r.next();
    const params: LifParams = {
      tauMemMs: 5 * ratio,
      tauSynExcMs: 5,
      tauSynInhMs: 5,
      capacitanceNf: 0.2 + 0.8 * r.next(),
      vRestMv: -65,
      vResetMv: -65,
      vThreshMv: -65 + gap,
      tauRefracMs: 2 * DURATION_MS,
      iOffsetNa: 0,
    };
    const n = 10 + Math.floor(91 * r.next());
    const times = Float64Array.from({ length: n }, () => 20 * r.next());
    const weights = Float64Array.from({ length: n }, () => (r.next() < 0.7 ? 1 : -1) * (0.05 + 0.95 * r.next()));
    const peak = expectNeuron(params, times, weights).maxDepolarisationMv;
    const scale = peak > 0 ? (gap * 0.5 * 4 ** r.next()) / peak : 1;
    for (let i = 0; i < n; i++) weights[i] *= scale;
    cases.push({ params, times, weights });
  }
  return cases;
}

/** Repeats `run` (which handles `items` first-spike times) for at least `seconds`; returns items per second. */
function rate(items: number, seconds: number, run: () => void): number {
  run(); // warm-up
  let reps = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    run();
    reps++;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < seconds);
  return (reps * items) / elapsed;
}

function singleSpec(c: BenchCase): SimulationSpec {
  const n = c.times.length;
  const network: Network = {
    populations: [
      { kind: 'source', name: 'in', size: n, spikeTimesMs: Array.from(c.times, (t) => Float64Array.of(t)) },
      { kind: 'lif', name: 'out', size: 1, params: lifParamArrays(1, c.params), initialVMv: Float64Array.of(c.params.vRestMv) },
    ],
    projections: [
      {
        name: 'in->out',
        source: 0,
        target: 1,
        delayMs: 0,
        synapses: csrFromTriples(n, Array.from({ length: n }, (_, i) => i), new Int32Array(n), c.weights),
      },
    ],
  };
  return { network, durationMs: DURATION_MS, seed: 0, substrate: { name: 'ideal', options: {} }, recording: {} };
}

/** All cases in one network: neuron k of 'out' gets the inputs of case k from its own source neurons. */
function batchedSpec(cases: readonly BenchCase[]): SimulationSpec {
  const spikeTimesMs: Float64Array[] = [];
  const pre: number[] = [];
  const post: number[] = [];
  const w: number[] = [];
  const params = lifParamArrays(cases.length, cases[0].params) as { -readonly [K in keyof LifParamArrays]: LifParamArrays[K] };
  cases.forEach((c, k) => {
    for (let i = 0; i < c.times.length; i++) {
      pre.push(spikeTimesMs.length);
      post.push(k);
      w.push(c.weights[i]);
      spikeTimesMs.push(Float64Array.of(c.times[i]));
    }
    params.capacitanceNf[k] = c.params.capacitanceNf;
    params.vThreshMv[k] = c.params.vThreshMv;
  });
  const network: Network = {
    populations: [
      { kind: 'source', name: 'in', size: spikeTimesMs.length, spikeTimesMs },
      { kind: 'lif', name: 'out', size: cases.length, params, initialVMv: new Float64Array(cases.length).fill(cases[0].params.vRestMv) },
    ],
    projections: [{ name: 'in->out', source: 0, target: 1, delayMs: 0, synapses: csrFromTriples(spikeTimesMs.length, pre, post, w) }],
  };
  return { network, durationMs: DURATION_MS, seed: 0, substrate: { name: 'ideal', options: {} }, recording: {} };
}

function fmt(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}e6` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}e3` : x.toFixed(0);
}

const count = Number(argument('cases', '20000'));
const seed = Number(argument('seed', '1'));
const seconds = Number(argument('seconds', '1'));
console.log(`closed form vs event engine, ${count} single-neuron cases with 10..100 inputs each (seed ${seed}), Node ${process.version}`);
for (const ratio of [1, 2] as const) {
  const cases = makeCases(count, ratio, seed);
  const closed = new Float64Array(count);
  const cfRate = rate(count, seconds, () => {
    for (let k = 0; k < count; k++) closed[k] = closedFormFirstSpikeTime(cases[k].params, cases[k].times, cases[k].weights).timeMs ?? NaN;
  });
  const specs = cases.map(singleSpec);
  const perCase = new Float64Array(count);
  const perCaseRate = rate(count, seconds, () => {
    for (let k = 0; k < count; k++) {
      const s = simulate(specs[k], { substrate: idealSubstrate }).spikes;
      perCase[k] = s.timeMs.length > 0 ? s.timeMs[0] : NaN;
    }
  });
  const batch = batchedSpec(cases);
  const batched = new Float64Array(count).fill(NaN);
  const batchedRate = rate(count, seconds, () => {
    batched.fill(NaN);
    const s = simulate(batch, { substrate: idealSubstrate }).spikes;
    for (let k = 0; k < s.timeMs.length; k++) if (Number.isNaN(batched[s.neuron[k]])) batched[s.neuron[k]] = s.timeMs[k];
  });
  // a crossing at or after the end of the run is not seen by the engine (late peaks exist: V can keep
  // rising long after the last input while excitation outlasts inhibition)
  for (let k = 0; k < count; k++) if (closed[k] >= DURATION_MS) closed[k] = NaN;
  let fired = 0;
  let mismatches = 0;
  let maxDiff = 0;
  for (let k = 0; k < count; k++) {
    if (!Number.isNaN(closed[k])) fired++;
    for (const e of [perCase[k], batched[k]]) {
      if (Number.isNaN(e) !== Number.isNaN(closed[k])) mismatches++;
      else if (!Number.isNaN(e)) maxDiff = Math.max(maxDiff, Math.abs(e - closed[k]));
    }
  }
  console.log(`ratio ${ratio} (tau_m ${5 * ratio} ms, tau_syn 5 ms): ${fired} of ${count} neurons fire`);
  console.log(`  closed form:              ${fmt(cfRate)} first-spike times/s`);
  console.log(`  engine, one run per case: ${fmt(perCaseRate)} first-spike times/s  (closed form ${(cfRate / perCaseRate).toFixed(1)}x faster)`);
  console.log(`  engine, batched:          ${fmt(batchedRate)} first-spike times/s  (closed form ${(cfRate / batchedRate).toFixed(1)}x faster)`);
  console.log(`  agreement: ${mismatches} spike/no-spike mismatches, max |difference| ${maxDiff.toExponential(2)} ms`);
}
