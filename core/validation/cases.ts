/**
 * Seeded test cases for `firstspike validate` (docs/model.md, "Validation against closed forms"): single
 * LIF neurons at rest with 1..200 mixed-sign inputs, and layered zero-delay feed-forward networks. Case k
 * of a given (seed, family) is drawn from its own stream `validate/<family>/<k>`, so it is the same in a
 * run of 10 cases and in a run of 10,000, and does not depend on the ratio's draws of other cases.
 */
import type { ClosedFormRatio } from '../closedForm/firstSpikeTime.ts';
import { lifParamArrays, type LifParams } from '../lif/params.ts';
import { csrFromTriples, type Network, type Population, type Projection } from '../network/network.ts';
import { randomStream, type RandomStream } from '../rng.ts';
import type { SimulationSpec } from '../simulation.ts';
import { expectNeuron } from './neuronExpectation.ts';

/** The kinds of generated case. */
export type CaseKind =
  /** Single neuron, weights scaled so that the maximum of V is 0.5..2 times the threshold distance. */
  | 'random'
  /** Single neuron, maximum of V within 1e-12..1e-6 (relative) above or below threshold. */
  | 'near-threshold'
  /** Single neuron, a strong inhibitory input 1e-12..1e-6 tau_syn before or after the crossing. */
  | 'input-at-crossing'
  /** Single neuron, input times on a coarse grid, so many inputs arrive together. */
  | 'simultaneous'
  /** Layered feed-forward network. */
  | 'layered';

/** What to generate. */
export interface CaseOptions {
  /** Master seed of the streams. */
  readonly seed: number;
  /** tau_m / tau_syn: 1 or 2. */
  readonly ratio: ClosedFormRatio;
  /** Number of LIF layers: 1 gives single neurons, 2..4 layered networks. */
  readonly layers: number;
}

/** One generated case: a run the engine can simulate and whose LIF first spikes the closed forms give. */
export interface ValidationCase {
  readonly index: number;
  readonly kind: CaseKind;
  readonly spec: SimulationSpec;
}

/** Largest number of LIF layers generated cases have. */
export const MAX_LAYERS = 4;

/** Uniform in [lo, hi). */
function uniform(r: RandomStream, lo: number, hi: number): number {
  return lo + (hi - lo) * r.next();
}

/** Log-uniform in [lo, hi). */
function logUniform(r: RandomStream, lo: number, hi: number): number {
  return lo * Math.exp(Math.log(hi / lo) * r.next());
}

/** Integer uniform in [lo, hi]. */
function integer(r: RandomStream, lo: number, hi: number): number {
  return lo + Math.floor(r.next() * (hi - lo + 1));
}

/**
 * Random IF_curr_exp parameters with tau_m = ratio * tau_syn: tau_syn 1..10 ms, cm 0.1..1 nF,
 * v_rest -70..-50 mV, threshold 2..20 mV above rest, v_reset = v_rest, tau_refrac set later.
 */
function drawParams(r: RandomStream, ratio: ClosedFormRatio): LifParams {
  const tauSyn = uniform(r, 1, 10);
  const vRest = uniform(r, -70, -50);
  return {
    tauMemMs: ratio * tauSyn,
    tauSynExcMs: tauSyn,
    tauSynInhMs: tauSyn,
    capacitanceNf: uniform(r, 0.1, 1),
    vRestMv: vRest,
    vResetMv: vRest,
    vThreshMv: vRest + uniform(r, 2, 20),
    tauRefracMs: 0,
    iOffsetNa: 0,
  };
}

/** Mixed-sign weights: excitatory with probability pExc, magnitudes uniform in (0.05, 1]. */
function drawWeights(r: RandomStream, n: number, pExc: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const magnitude = 1 - 0.95 * r.next();
    w[i] = r.next() < pExc ? magnitude : -magnitude;
  }
  return w;
}

/** A factor 1 + delta or 1 - delta with delta log-uniform in [1e-12, 1e-6]: a near-threshold maximum. */
function nearOne(r: RandomStream): number {
  const delta = logUniform(r, 1e-12, 1e-6);
  return r.next() < 0.5 ? 1 - delta : 1 + delta;
}

/**
 * The factor that brings the maximum of V - v_rest over time to `target` times the threshold distance
 * (V is linear in the weights). When V never rises above rest, the factor only brings the weights to a
 * typical size (g_l times the threshold distance per input), since no factor makes the neuron fire.
 */
function scaleForMaximum(params: LifParams, times: ArrayLike<number>, weights: ArrayLike<number>, target: number): number {
  const gap = params.vThreshMv - params.vRestMv;
  const peak = expectNeuron(params, times, weights).maxDepolarisationMv;
  if (peak > 0 && Number.isFinite(peak)) return (target * gap) / peak;
  let largest = 0;
  for (let i = 0; i < weights.length; i++) largest = Math.max(largest, Math.abs(weights[i]));
  return largest > 0 ? ((params.capacitanceNf / params.tauMemMs) * gap) / largest : 1;
}

/** Multiplies `weights` in place by `scale`. */
function scaleWeights(weights: Float64Array, scale: number): void {
  for (let i = 0; i < weights.length; i++) weights[i] *= scale;
}

/** A run length that covers every closed-form spike and every maximum of V, rounded up to a whole ms. */
function runLength(latestEventMs: number, tauMemMs: number): number {
  return Math.ceil(latestEventMs + 3 * tauMemMs + 1);
}

function sourcePopulation(name: string, times: ArrayLike<number>): Population {
  return { kind: 'source', name, size: times.length, spikeTimesMs: Array.from(times, (t) => Float64Array.of(t)) };
}

function lifPopulation(name: string, size: number, params: LifParams): Population {
  return {
    kind: 'lif',
    name,
    size,
    params: lifParamArrays(size, params),
    initialVMv: new Float64Array(size).fill(params.vRestMv),
  };
}

/** All-to-all, pre-major: weights[post][pre]. */
function allToAll(name: string, source: number, target: number, nPre: number, weights: readonly Float64Array[]): Projection {
  const pre: number[] = [];
  const post: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < nPre; i++) {
    for (let j = 0; j < weights.length; j++) {
      pre.push(i);
      post.push(j);
      w.push(weights[j][i]);
    }
  }
  return { name, source, target, delayMs: 0, synapses: csrFromTriples(nPre, pre, post, w) };
}

function specOf(network: Network, durationMs: number, seed: number): SimulationSpec {
  return { network, durationMs, seed, substrate: { name: 'ideal', options: {} }, recording: {} };
}

/**
 * Single neuron at rest with 1..200 inputs (log-uniform count) at times uniform in [0, span),
 * span 0.5..5 tau_m. Kinds: 55% random, 30% near-threshold, 10% input-at-crossing, 5% simultaneous.
 */
function singleNeuronCase(options: CaseOptions, index: number): ValidationCase {
  const r = randomStream(options.seed, `validate/single/${index}`);
  const params = drawParams(r, options.ratio);
  const pick = r.next();
  const kind: CaseKind =
    pick < 0.55 ? 'random' : pick < 0.85 ? 'near-threshold' : pick < 0.95 ? 'input-at-crossing' : 'simultaneous';
  const n = Math.min(200, Math.floor(Math.exp(Math.log(201) * r.next())) || 1);
  const span = params.tauMemMs * uniform(r, 0.5, 5);
  const grid = kind === 'simultaneous' ? params.tauSynExcMs * uniform(r, 0.2, 1) : 0;
  let times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = span * r.next();
    times.push(grid > 0 ? grid * Math.floor(t / grid) : t);
  }
  let weights = drawWeights(r, n, uniform(r, 0.5, 0.9));
  if (kind === 'near-threshold') scaleWeights(weights, scaleForMaximum(params, times, weights, nearOne(r)));
  else if (kind === 'input-at-crossing') {
    scaleWeights(weights, scaleForMaximum(params, times, weights, uniform(r, 1.05, 2)));
    const crossing = expectNeuron(params, times, weights).timeMs;
    if (crossing !== null) {
      let total = 0;
      for (const w of weights) total += Math.abs(w);
      const offset = params.tauSynExcMs * logUniform(r, 1e-12, 1e-6);
      times = [...times, r.next() < 0.5 ? crossing - offset : crossing + offset];
      weights = Float64Array.from([...weights, -total]);
    }
  } else scaleWeights(weights, scaleForMaximum(params, times, weights, logUniform(r, 0.5, 2)));

  const e = expectNeuron(params, times, weights);
  const durationMs = runLength(Math.max(e.lastInputMs, e.peakMs, e.timeMs ?? 0), params.tauMemMs);
  const lif: LifParams = { ...params, tauRefracMs: 2 * durationMs };
  const network: Network = {
    populations: [sourcePopulation('in', times), lifPopulation('out', 1, lif)],
    projections: [allToAll('in->out', 0, 1, times.length, [weights])],
  };
  return { index, kind: kind, spec: specOf(network, durationMs, options.seed) };
}

/**
 * Layered network: a spike-source layer of 2..20 neurons (one spike each, uniform in [0, 2 tau_m)),
 * then `layers` LIF layers of 3..20 neurons, each all-to-all from the layer below with mixed-sign zero-
 * delay weights and its own parameters (same ratio). Each neuron's incoming weights are scaled, given the
 * closed-form spike times of the layer below, so that its maximum of V is 0.5..2 times the threshold
 * distance (2% of neurons: within 1e-12..1e-6 of it), which keeps about half of every layer firing.
 * tau_refrac exceeds the run, so every neuron fires at most once.
 */
function layeredCase(options: CaseOptions, index: number): ValidationCase {
  const r = randomStream(options.seed, `validate/layered/${options.layers}/${index}`);
  const nIn = integer(r, 2, 20);
  const layerParams: LifParams[] = [];
  for (let l = 0; l < options.layers; l++) layerParams.push(drawParams(r, options.ratio));
  const inputTimes = Float64Array.from({ length: nIn }, () => 2 * layerParams[0].tauMemMs * r.next());
  const pExc = uniform(r, 0.55, 0.85);

  let below: (number | null)[] = Array.from(inputTimes);
  let latest = Math.max(...inputTimes);
  const layerWeights: Float64Array[][] = [];
  for (let l = 0; l < options.layers; l++) {
    const params = layerParams[l];
    const size = integer(r, 3, 20);
    const weights: Float64Array[] = [];
    const next: (number | null)[] = [];
    const spikingTimes: number[] = [];
    const spikingIndex: number[] = [];
    below.forEach((t, i) => {
      if (t !== null) {
        spikingTimes.push(t);
        spikingIndex.push(i);
      }
    });
    for (let j = 0; j < size; j++) {
      const w = drawWeights(r, below.length, pExc);
      const target = r.next() < 0.02 ? nearOne(r) : logUniform(r, 0.5, 2);
      scaleWeights(w, scaleForMaximum(params, spikingTimes, Float64Array.from(spikingIndex, (i) => w[i]), target));
      const active = Float64Array.from(spikingIndex, (i) => w[i]);
      weights.push(w);
      const e = expectNeuron(params, spikingTimes, active);
      next.push(e.timeMs);
      latest = Math.max(latest, e.peakMs, e.timeMs ?? 0);
    }
    layerWeights.push(weights);
    below = next;
  }
  const tauMax = Math.max(...layerParams.map((p) => p.tauMemMs));
  const durationMs = runLength(latest, tauMax);
  const populations: Population[] = [sourcePopulation('in', inputTimes)];
  const projections: Projection[] = [];
  for (let l = 0; l < options.layers; l++) {
    const params: LifParams = { ...layerParams[l], tauRefracMs: 2 * durationMs };
    populations.push(lifPopulation(`layer${l + 1}`, layerWeights[l].length, params));
    const nPre = populations[l].size;
    const name = `${populations[l].name}->layer${l + 1}`;
    projections.push(allToAll(name, l, l + 1, nPre, layerWeights[l]));
  }
  return { index, kind: 'layered', spec: specOf({ populations, projections }, durationMs, options.seed) };
}

/**
 * Case `index` (0-based) of the given seed, ratio and number of layers.
 *
 * @throws RangeError if layers is not an integer in 1..4 or ratio is not 1 or 2
 */
export function generateCase(options: CaseOptions, index: number): ValidationCase {
  if (options.ratio !== 1 && options.ratio !== 2) throw new RangeError(`ratio must be 1 or 2 (got ${String(options.ratio)})`);
  if (!Number.isInteger(options.layers) || options.layers < 1 || options.layers > MAX_LAYERS) {
    throw new RangeError(`layers must be an integer in 1..${MAX_LAYERS} (got ${options.layers})`);
  }
  return options.layers === 1 ? singleNeuronCase(options, index) : layeredCase(options, index);
}
