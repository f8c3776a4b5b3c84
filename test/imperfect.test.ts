import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { realiseContext, type SimulationResult } from '../core/engine/simulate.ts';
import type { LifParams } from '../core/lif/params.ts';
import type { LifPopulation, Network } from '../core/network/network.ts';
import { randomStream } from '../core/rng.ts';
import type { RealiseContext } from '../core/substrate/substrate.ts';
import { ForwardBackward, emptySampleResult } from '../plugins/learning/forwardBackward.ts';
import { modelToNetwork, type LayeredModel } from '../plugins/learning/model.ts';
import { TTFS_NEURON } from '../plugins/learning/presets.ts';
import { attachedTrialThresholds } from '../substrates/bss2/trials.ts';
import {
  IMPERFECT_OPTION_NAMES,
  NEURON_DEAD,
  NEURON_STUCK_ON,
  STUCK_ON_MIN_PERIOD_MS,
  SpikeKeyedDraws,
  drawNeuronVariation,
  imperfectObservation,
  imperfectSubstrate,
  imperfectTransmission,
  quantiseWeights,
  resolveImperfectOptions,
} from '../substrates/imperfect/index.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';
import { lifPop, projection, runOnSubstrate, smallNetworkArb, sourcePop } from './helpers/networks.ts';
import { layeredModel } from './helpers/layeredModels.ts';
import { meanSd } from './helpers/statistics.ts';

// ---- helpers --------------------------------------------------------------------------------------------

function contextFor(options: Record<string, unknown>, trial = 0, seed = 17): RealiseContext {
  return realiseContext({ network: { populations: [], projections: [] }, durationMs: 1, seed, substrate: { name: 'imperfect', options }, recording: {} }, trial);
}

function runOn(substrate: 'ideal' | 'imperfect', network: Network, durationMs: number, options: Record<string, unknown> = {}, trial = 0): SimulationResult {
  return substrate === 'ideal'
    ? runOnSubstrate(idealSubstrate, 'ideal', network, durationMs, options, trial, true)
    : runOnSubstrate(imperfectSubstrate, 'imperfect', network, durationMs, options, trial, true);
}

function lifOf(network: Network, index: number): LifPopulation {
  const p = network.populations[index];
  if (p.kind !== 'lif') throw new Error('not a LIF population');
  return p;
}

/**
 * Draws of N(mean, sd^2): the sample mean within 4 standard errors (sd / sqrt(n)), and the sample variance
 * within the chi-square bounds (n - 1) s^2 / sd^2 in k +- 4 sqrt(2k), k = n - 1 (normal approximation, k large).
 */
function expectNormal(xs: ArrayLike<number>, mean: number, sd: number): void {
  const m = meanSd(xs);
  expect(Math.abs(m.mean - mean)).toBeLessThan((4 * sd) / Math.sqrt(m.n));
  const k = m.n - 1;
  const chi2 = (k * m.sd ** 2) / sd ** 2;
  expect(Math.abs(chi2 - k)).toBeLessThan(4 * Math.sqrt(2 * k));
}

/** A count of successes out of n trials of probability p: within 4 binomial standard deviations of n p. */
function expectBinomial(count: number, n: number, p: number): void {
  expect(Math.abs(count - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
}

/** A population of `size` TTFS neurons driven by one input at t = 0.1 of weight `w`. */
function drivenLayer(size: number, w: number, params: LifParams = { ...TTFS_NEURON, tauRefracMs: 0.5 }): Network {
  return {
    populations: [sourcePop('in', [[0.1]]), lifPop('n', size, params)],
    projections: [projection('in->n', 0, 1, 1, 0, Array.from({ length: size }, (_, n) => [0, n, w] as [number, number, number]))],
  };
}

// ---- options ---------------------------------------------------------------------------------------------

describe('imperfect options', () => {
  const invalid: [Record<string, unknown>, RegExp][] = [
    [{ thresholdspread: 0.1 }, /^\/substrate\/thresholdspread: unknown option for substrate 'imperfect' \(known: chipSeed, tauMemSpread, /],
    [JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>, /^\/substrate\/__proto__: unknown option/],
    [{ toString: 1 }, /^\/substrate\/toString: unknown option/],
    [{ constructor: 1 }, /^\/substrate\/constructor: unknown option/],
    [{ chipSeed: -1 }, /^\/substrate\/chipSeed: must be an integer >= 0/],
    [{ tauMemSpread: -0.1 }, /^\/substrate\/tauMemSpread: must be a finite number >= 0 and <= 10 \(got -0.1\)$/],
    [{ thresholdNoise: 'x' }, /^\/substrate\/thresholdNoise: must be a finite number >= 0/],
    [{ transmissionJitterMs: Infinity }, /^\/substrate\/transmissionJitterMs: must be a finite number/],
    [{ weightBits: 0 }, /^\/substrate\/weightBits: must be an integer >= 1 and <= 30 or null \(got 0\)$/],
    [{ weightBits: 4.5 }, /^\/substrate\/weightBits: must be an integer/],
    [{ weightBits: 4, weightRange: 0 }, /^\/substrate\/weightRange: must be a finite number > 0/],
    [{ weightRange: 2 }, /^\/substrate\/weightRange: needs weightBits/],
    [{ weightRounding: 'floor' }, /^\/substrate\/weightRounding: must be 'nearest' or 'stochastic' \(got 'floor'\)$/],
    [{ deadFraction: 1.5 }, /^\/substrate\/deadFraction: must be a finite number >= 0 and <= 1/],
    [{ deadFraction: 0.6, stuckOnFraction: 0.6 }, /^\/substrate\/stuckOnFraction: deadFraction \+ stuckOnFraction must be <= 1/],
    [{ spikeLoss: NaN }, /^\/substrate\/spikeLoss: must be a finite number/],
    [{ tauRatioError: -1 }, /^\/substrate\/tauRatioError: must be a finite number > -1/],
  ];
  it.each(invalid)('rejects %j', (options, message) => {
    expect(() => imperfectSubstrate.validateOptions(options)).toThrow(message);
  });

  it('accepts every knob and fills in defaults (all off)', () => {
    const all = {
      chipSeed: 2,
      tauMemSpread: 0.1,
      tauSynSpread: 0.1,
      thresholdSpread: 0.1,
      leakSpread: 0.1,
      resetSpread: 0.1,
      thresholdNoise: 0.1,
      transmissionJitterMs: 0.1,
      readoutJitterMs: 0.1,
      weightBits: 6,
      weightRange: 2,
      weightRounding: 'stochastic',
      deadFraction: 0.1,
      stuckOnFraction: 0.1,
      spikeLoss: 0.1,
      tauRatioError: -0.2,
    };
    expect(Object.keys(all).sort()).toEqual([...IMPERFECT_OPTION_NAMES].sort());
    expect(() => imperfectSubstrate.validateOptions(all)).not.toThrow();
    expect(resolveImperfectOptions({ thresholdSpread: 0.2 })).toMatchObject({ thresholdSpread: 0.2, tauMemSpread: 0, weightBits: null, weightRounding: 'nearest' });
  });

  it('reports the weight range as the weight limit only for quantised weights with a fixed range', () => {
    expect(imperfectSubstrate.weightLimit!({})).toBeUndefined();
    expect(imperfectSubstrate.weightLimit!({ weightBits: 6 })).toBeUndefined();
    expect(imperfectSubstrate.weightLimit!({ weightBits: 6, weightRange: 2.5 })).toBe(2.5);
  });
});

// ---- every knob off = ideal ------------------------------------------------------------------------------

describe('imperfect with every knob off equals ideal bit for bit', () => {
  it('identical spike times and membrane traces on random small networks (general engine)', () => {
    let spikes = 0;
    fc.assert(
      fc.property(smallNetworkArb, fc.nat({ max: 3 }), fc.nat({ max: 5 }), (network, trial, chipSeed) => {
        const ideal = runOn('ideal', network, 40, {}, trial);
        const imperfect = runOn('imperfect', network, 40, { chipSeed, weightRounding: 'stochastic' }, trial);
        expect(Array.from(imperfect.spikes.timeMs)).toEqual(Array.from(ideal.spikes.timeMs));
        expect(Array.from(imperfect.spikes.population)).toEqual(Array.from(ideal.spikes.population));
        expect(Array.from(imperfect.spikes.neuron)).toEqual(Array.from(ideal.spikes.neuron));
        imperfect.traces.forEach((tr, q) => expect(Array.from(tr.vMv)).toEqual(Array.from(ideal.traces[q].vMv)));
        spikes += ideal.spikes.timeMs.length;
      }),
      { numRuns: 100, seed: 2025 },
    );
    expect(spikes).toBeGreaterThan(300);
  });

  it('identical first-spike times, recorded times and gradients through the learning plugin (layered runner)', () => {
    let spikes = 0;
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.integer({ min: -500, max: 2500 }).map((k) => k / 1000), { minLength: 64, maxLength: 64 }),
        fc.array(fc.integer({ min: 0, max: 3000 }).map((k) => k / 1000), { minLength: 6, maxLength: 6 }),
        (bias, weights, inputs) => {
          const results = [idealSubstrate, imperfectSubstrate].map((substrate) => {
            const model = layeredModel(weights, [6, 7, 3], bias);
            const fb = new ForwardBackward(model);
            fb.realise(substrate, contextFor({}));
            const grads = model.weights.map((w) => new Float64Array(w.length));
            const res = fb.forwardBackward(inputs, 1, grads, emptySampleResult());
            return { h: fb.layerTimes(1).slice(), o: fb.layerTimes(2).slice(), loss: res.loss, grads };
          });
          expect(Array.from(results[1].h)).toEqual(Array.from(results[0].h));
          expect(Array.from(results[1].o)).toEqual(Array.from(results[0].o));
          expect(results[1].loss).toBe(results[0].loss);
          results[1].grads.forEach((g, l) => expect(Array.from(g)).toEqual(Array.from(results[0].grads[l])));
          spikes += results[0].h.filter((t) => t < Infinity).length;
        },
      ),
      { numRuns: 100, seed: 7 },
    );
    expect(spikes).toBeGreaterThan(200);
  });

  it('with every knob off, realise draws nothing: parameters and weights are the nominal ones', () => {
    const network = drivenLayer(5, 2);
    const realised = imperfectSubstrate.realise(network, contextFor({ chipSeed: 4 }));
    const p = lifOf(realised, 1).params;
    const q = lifOf(network, 1).params;
    for (const field of ['tauMemMs', 'tauSynExcMs', 'tauSynInhMs', 'vThreshMv', 'vRestMv', 'vResetMv'] as const) {
      expect(Array.from(p[field])).toEqual(Array.from(q[field]));
    }
    expect(realised.projections[0].synapses.weights).toBe(network.projections[0].synapses.weights);
  });
});

// ---- statistics of the drawn variation -------------------------------------------------------------------

describe('fixed-pattern variation: statistics of the draws', () => {
  const N = 4000;
  const ctx = contextFor({});

  it('each spread is N(0, sigma^2) across neurons, per quantity, and does not move the others', () => {
    const o = resolveImperfectOptions({ tauMemSpread: 0.04, tauSynSpread: 0.06, thresholdSpread: 0.1, leakSpread: 0.07, resetSpread: 0.03 });
    const v = drawNeuronVariation(ctx, o, N);
    expectNormal(v.tauMemFactor.map((f) => f - 1), 0, 0.04);
    expectNormal(v.tauSynFactor.map((f) => f - 1), 0, 0.06);
    expectNormal(v.thresholdShift, 0, 0.1);
    expectNormal(v.leakShift, 0, 0.07);
    expectNormal(v.resetShift, 0, 0.03);
    // independent streams: the threshold deviations are uncorrelated with the leak deviations (|r| < 4 / sqrt(N))
    const a = meanSd(v.thresholdShift);
    const b = meanSd(v.leakShift);
    let c = 0;
    for (let j = 0; j < N; j++) c += (v.thresholdShift[j] - a.mean) * (v.leakShift[j] - b.mean);
    expect(Math.abs(c / (N - 1) / (a.sd * b.sd))).toBeLessThan(4 / Math.sqrt(N));
  });

  it('a neuron keeps its deviations whatever the network size and the spread scales the same draws', () => {
    const small = drawNeuronVariation(ctx, resolveImperfectOptions({ thresholdSpread: 0.1 }), 10);
    const large = drawNeuronVariation(ctx, resolveImperfectOptions({ thresholdSpread: 0.2 }), 100);
    for (let j = 0; j < 10; j++) expect(large.thresholdShift[j]).toBeCloseTo(2 * small.thresholdShift[j], 14);
  });

  it('the chip seed alone fixes the pattern: the same in every trial and master seed, different on another chip', () => {
    const o = resolveImperfectOptions({ chipSeed: 3, thresholdSpread: 0.1 });
    const a = drawNeuronVariation(contextFor({}, 0, 1), o, 20).thresholdShift;
    const b = drawNeuronVariation(contextFor({}, 5, 99), o, 20).thresholdShift;
    const c = drawNeuronVariation(contextFor({}, 0, 1), { ...o, chipSeed: 4 }, 20).thresholdShift;
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('dead and stuck-on neurons are binomial with their fractions and never overlap', () => {
    const v = drawNeuronVariation(ctx, resolveImperfectOptions({ deadFraction: 0.1, stuckOnFraction: 0.05 }), N);
    expectBinomial(v.fault.filter((f) => f === NEURON_DEAD).length, N, 0.1);
    expectBinomial(v.fault.filter((f) => f === NEURON_STUCK_ON).length, N, 0.05);
  });

  it('realise applies the documented formulas (hand-computed from the draws)', () => {
    const options = { chipSeed: 2, tauMemSpread: 0.1, tauSynSpread: 0.1, thresholdSpread: 0.1, leakSpread: 0.1, resetSpread: 0.1, tauRatioError: 0.25 };
    const params: LifParams = { ...TTFS_NEURON, vRestMv: -1, vResetMv: -1.5, vThreshMv: 3, tauMemMs: 2, tauSynExcMs: 0.5, tauSynInhMs: 0.7 };
    const network: Network = { populations: [sourcePop('in', [[1]]), lifPop('a', 3, params), lifPop('b', 2, params, 0.5)], projections: [] };
    const realised = imperfectSubstrate.realise(network, contextFor(options));
    const v = drawNeuronVariation(contextFor(options), resolveImperfectOptions(options), 5);
    const span = 3 - -1;
    [1, 2].forEach((pop, k) => {
      const p = lifOf(realised, pop);
      for (let n = 0; n < p.size; n++) {
        const j = k * 3 + n;
        expect(p.params.vThreshMv[n]).toBe(3 + span * v.thresholdShift[j]);
        expect(p.params.vRestMv[n]).toBe(-1 + span * v.leakShift[j]);
        expect(p.initialVMv[n]).toBe((k === 0 ? -1 : 0.5) + span * v.leakShift[j]);
        expect(p.params.vResetMv[n]).toBe(-1.5 + span * v.resetShift[j]);
        expect(p.params.tauMemMs[n]).toBe(2 * v.tauMemFactor[j] * 1.25);
        expect(p.params.tauSynExcMs[n]).toBe(0.5 * v.tauSynFactor[j]);
        expect(p.params.tauSynInhMs[n]).toBe(0.7 * v.tauSynFactor[j]);
      }
    });
  });
});

// ---- each knob's effect -----------------------------------------------------------------------------------

describe('each knob changes what it says, and only that', () => {
  it('tauRatioError: the realised network spikes as the ideal one with tau_m (1 + error)', () => {
    const network = drivenLayer(1, 3);
    const changed = drivenLayer(1, 3, { ...TTFS_NEURON, tauRefracMs: 0.5, tauMemMs: 1.3 });
    const a = runOn('imperfect', network, 10, { tauRatioError: 0.3 }).spikes.timeMs;
    const b = runOn('ideal', changed, 10).spikes.timeMs;
    expect(a.length).toBeGreaterThan(0);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('thresholdNoise: thresholds redrawn per trial, N(0, sigma^2) around the fixed-pattern value, the same for a trial replayed', () => {
    const options = { thresholdSpread: 0.1, thresholdNoise: 0.05, chipSeed: 1 };
    const network = drivenLayer(3, 2);
    const ctx = contextFor(options);
    const realised = imperfectSubstrate.realise(network, ctx);
    const th = attachedTrialThresholds(realised)!;
    const noise = imperfectSubstrate.trialNoise!(realised, ctx);
    const shift = drawNeuronVariation(ctx, resolveImperfectOptions(options), 3).thresholdShift;
    const draws: number[] = [];
    for (let k = 0; k < 3000; k++) {
      noise.beginTrial(k);
      draws.push(th.current[1] - (1 + shift[1]));
    }
    expectNormal(draws, 0, 0.05);
    noise.beginTrial(17);
    const again = th.current.slice();
    noise.beginTrial(3);
    noise.beginTrial(17);
    expect(Array.from(th.current)).toEqual(Array.from(again));
  });

  it('weightBits, nearest: hand-computed levels (2 bits over +-3: step 1, halves away from zero, clipped at 3)', () => {
    const w = Float64Array.from([0.4, 0.5, -0.5, 1.49, 2.6, 7, -7, 0]);
    quantiseWeights(w, 2, 3, 'nearest', null);
    expect(Array.from(w)).toEqual([0, 1, -1, 1, 3, 3, -3, 0]);
    const adaptive = Float64Array.from([0.1, -0.7, 1.4]);
    quantiseWeights(adaptive, 1, null, 'nearest', null); // range = 1.4: levels 0 and +-1.4
    expect(Array.from(adaptive)).toEqual([0, -1.4, 1.4]);
  });

  it('weightBits, stochastic: rounds up with probability equal to the remainder (binomial), only to the two neighbours', () => {
    const n = 20000;
    const w = new Float64Array(n).fill(2.3);
    quantiseWeights(w, 3, 7, 'stochastic', randomStream(5, 'test'));
    const up = w.filter((x) => x === 3).length;
    expect(w.filter((x) => x === 2).length + up).toBe(n);
    expectBinomial(up, n, 0.3);
  });

  it('weightBits through realise: every weight on the grid of its projection; stochastic rounding differs per realisation', () => {
    const network: Network = {
      populations: [sourcePop('in', [[0.1], [0.2]]), lifPop('n', 3, TTFS_NEURON)],
      projections: [projection('p', 0, 1, 2, 0, [[0, 0, 0.33], [0, 1, -1.2], [0, 2, 0.77], [1, 0, 2.5], [1, 1, 1.01], [1, 2, -0.05]])],
    };
    const options = { weightBits: 3, weightRange: 2.1, weightRounding: 'stochastic' };
    const step = 2.1 / 7;
    const a = imperfectSubstrate.realise(network, contextFor(options, 0)).projections[0].synapses.weights;
    for (const x of a) expect(Math.abs(x / step - Math.round(x / step))).toBeLessThan(1e-12);
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(2.1 + 1e-12);
    const differs = [1, 2, 3, 4, 5].some((trial) => {
      const b = imperfectSubstrate.realise(network, contextFor(options, trial)).projections[0].synapses.weights;
      return Array.from(b).some((x, e) => x !== a[e]);
    });
    expect(differs).toBe(true);
  });

  it('deadFraction 1: no neuron ever fires, however strongly driven', () => {
    expect(runOn('imperfect', drivenLayer(4, 50), 10, { deadFraction: 1 }).spikes.timeMs.length).toBe(0);
    expect(runOn('ideal', drivenLayer(4, 50), 10).spikes.timeMs.length).toBeGreaterThan(0);
  });

  it('stuckOnFraction 1: every neuron fires at 0 and then every tau_refrac, without any input', () => {
    const network: Network = { populations: [sourcePop('in', [[]]), lifPop('n', 2, { ...TTFS_NEURON, tauRefracMs: 0.75 })], projections: [] };
    const s = runOn('imperfect', network, 2, { stuckOnFraction: 1 }).spikes;
    const of0 = Array.from(s.timeMs).filter((_, k) => s.neuron[k] === 0);
    expect(of0).toEqual([0, 0.75, 1.5]);
    const fast: Network = { populations: [sourcePop('in', [[]]), lifPop('n', 1, { ...TTFS_NEURON, tauRefracMs: 0 })], projections: [] };
    expect(runOn('imperfect', fast, 0.035, { stuckOnFraction: 1 }).spikes.timeMs.length).toBe(Math.ceil(0.035 / STUCK_ON_MIN_PERIOD_MS));
  });

  it('readoutJitterMs: recorded - emitted is N(0, sigma^2); the network itself is untouched', () => {
    const network = drivenLayer(2000, 3);
    const ideal = runOn('ideal', network, 10).spikes;
    const jittered = runOn('imperfect', network, 10, { readoutJitterMs: 0.2 }).spikes;
    expect(jittered.timeMs.length).toBe(ideal.timeMs.length);
    const emitted = new Map<number, number>();
    for (let k = 0; k < ideal.timeMs.length; k++) emitted.set(ideal.neuron[k], ideal.timeMs[k]);
    const d = Array.from(jittered.timeMs, (t, k) => t - emitted.get(jittered.neuron[k])!);
    expectNormal(d, 0, 0.2);
  });

  it('transmission jitter and spike loss: simulate refuses them (only the layered runner models transmission)', () => {
    expect(() => runOn('imperfect', drivenLayer(1, 3), 10, { spikeLoss: 0.1 })).toThrow(/^\/substrate: substrate 'imperfect': these options perturb spike transmission/);
    expect(() => runOn('imperfect', drivenLayer(1, 3), 10, { transmissionJitterMs: 0.1 })).toThrow(/^\/substrate: substrate 'imperfect': these options perturb spike transmission/);
  });

  it('per-spike draws: uniform (chi-square over 20 bins) and the same whatever the order of asking', () => {
    const d = new SpikeKeyedDraws(randomStream(3, 'x'));
    const n = 20000;
    const bins = new Array<number>(20).fill(0);
    for (let k = 0; k < n; k++) bins[Math.floor(d.uniform(1, k, 0.5 + k * 1e-3, 1) * 20)]++;
    const chi2 = bins.reduce((a, c) => a + (c - n / 20) ** 2 / (n / 20), 0);
    expect(chi2).toBeLessThan(43.8); // 99.9% quantile of chi-square with 19 degrees of freedom
    const a = d.normal(2, 5, 1.25, 2);
    d.uniform(7, 7, 7, 7);
    expect(d.normal(2, 5, 1.25, 2)).toBe(a);
    d.beginTrial(1);
    expect(d.normal(2, 5, 1.25, 2)).not.toBe(a);
  });
});

// ---- transmission in the layered runner ------------------------------------------------------------------

describe('transmission: what the next layer receives (learning plugin)', () => {
  /** 1 input -> 1 hidden -> 1 output, one synapse each: the output fires a fixed time after the hidden spike. */
  const chain = (): LayeredModel => ({ layerSizes: [1, 1, 1], biasTimes: [null, null], neuron: TTFS_NEURON, weights: [Float64Array.of(3), Float64Array.of(3)] });

  it('transmissionJitterMs: the output spike moves by exactly the hidden spike\'s jitter; recorded hidden time stays the emitted one', () => {
    const ideal = new ForwardBackward(chain());
    ideal.realise(idealSubstrate, contextFor({}));
    ideal.forward([0.5], 0, emptySampleResult());
    const th = ideal.layerTimes(1)[0];
    const delay = ideal.layerTimes(2)[0] - th;
    const options = { transmissionJitterMs: 0.3 };
    const fb = new ForwardBackward(chain());
    const ctx = contextFor(options);
    fb.realise(imperfectSubstrate, ctx);
    // the same draws, from a transmission made independently for the same context
    const reference = imperfectTransmission(imperfectSubstrate.realise(modelToNetwork(chain()), ctx), ctx, resolveImperfectOptions(options));
    let moved = 0;
    for (let k = 0; k < 50; k++) {
      fb.forward([0.5], 0, emptySampleResult(), k);
      reference?.beginTrial?.(k);
      const received = reference!.spikeTime(1, 0, th);
      expect(fb.layerTimes(1)[0]).toBe(th);
      expect(fb.layerTimes(2)[0]).toBeCloseTo(received + delay, 9);
      if (Math.abs(received - th) > 1e-6) moved++;
    }
    expect(moved).toBe(50);
  });

  it('spikeLoss: a lost hidden spike reaches neither the output nor the record; the loss fraction is binomial', () => {
    const model = layeredModel([1.5, 2, 2.5, 0.5], [5, 40, 3], true);
    const fb = new ForwardBackward(model);
    fb.realise(imperfectSubstrate, contextFor({ spikeLoss: 0.25 }));
    const ref = new ForwardBackward(layeredModel([1.5, 2, 2.5, 0.5], [5, 40, 3], true));
    ref.realise(idealSubstrate, contextFor({}));
    let emitted = 0;
    let lost = 0;
    for (let k = 0; k < 100; k++) {
      const input = [0.1, 0.4, 0.2 + k / 200, 0.8, 0];
      fb.forward(input, 0, emptySampleResult(), k);
      ref.forward(input, 0, emptySampleResult(), k);
      const exact = fb.exactLayerTimes(1);
      expect(Array.from(exact)).toEqual(Array.from(ref.exactLayerTimes(1))); // the hidden layer itself is unchanged
      for (let n = 0; n < 40; n++) {
        if (!(exact[n] < Infinity)) continue;
        emitted++;
        if (!(fb.layerTimes(1)[n] < Infinity)) lost++;
      }
    }
    expect(emitted).toBeGreaterThan(1000);
    expectBinomial(lost, emitted, 0.25);
  });

  it('the transmission and the record agree on every lost spike', () => {
    const ctx = contextFor({ spikeLoss: 0.5, transmissionJitterMs: 0.1, readoutJitterMs: 0.1 });
    const o = resolveImperfectOptions(ctx.options);
    const network = drivenLayer(1, 1);
    const tx = imperfectTransmission(network, ctx, o)!;
    const obs = imperfectObservation(network, ctx, o);
    let lost = 0;
    for (let k = 0; k < 2000; k++) {
      tx.beginTrial?.(k % 7);
      obs.beginTrial?.(k % 7);
      const t = 0.5 + k * 1e-3;
      const a = tx.spikeTime(1, k % 11, t);
      const b = obs.spikeTime(1, k % 11, t);
      expect(Number.isNaN(a)).toBe(Number.isNaN(b));
      if (Number.isNaN(a)) lost++;
    }
    expectBinomial(lost, 2000, 0.5);
  });
});
