/**
 * The learning path on a substrate (issue #5, training in the loop): ForwardBackward applies the substrate's
 * input map (input and bias times), its observation (recorded times for the loss, the silent counts and the
 * backward pass, exact times for the network itself) and its per-trial noise (one sample = one trial); the
 * trainer can clamp its weights to the substrate's weight range. The expectations are worked out by hand:
 * tau_m = tau_s = 1, C_m = 1, threshold 1, so one input of weight w at t_in gives a spike at t_in + x(w)
 * with w x e^{-x} = 1, i.e. x(w) = -W0(-1/w), and d t_out / d w = -s / (w (1 - s)) at s = t_out - t_in.
 */
import { describe, expect, it } from 'vitest';
import { LayeredRunner } from '../core/engine/layeredRunner.ts';
import { lifDynamics } from '../core/lif/lifDynamics.ts';
import { lifParamArrays } from '../core/lif/params.ts';
import { normalDraw, randomStream } from '../core/rng.ts';
import { lambertW0 } from '../core/numerics/lambertW.ts';
import type { Substrate } from '../core/substrate/substrate.ts';
import { batchContext, chunkSums, emptyBatchSums } from '../plugins/learning/batchGradient.ts';
import { DEFAULT_PASS, ForwardBackward, emptySampleResult, type PassOptions } from '../plugins/learning/forwardBackward.ts';
import { ttfsLoss } from '../plugins/learning/loss.ts';
import { modelToNetwork, presynapticCount, type LayeredModel } from '../plugins/learning/model.ts';
import { TTFS_NEURON } from '../plugins/learning/presets.ts';
import { gradientConstants, ttfsGradient } from '../plugins/learning/ttfsGradient.ts';
import { clampWeights, clampWeightsToSubstrate, substrateWeightLimit } from '../plugins/learning/weightLimit.ts';
import { BSS2_ALL_OFF, bss2Substrate, floorToGrid, fpgaCycle, resolveBss2Options, roundToGrid } from '../substrates/bss2/index.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';

const CYCLE = fpgaCycle(resolveBss2Options({})); // 8 ns at 6 us per unit = 1/750
const PASS: PassOptions = { ...DEFAULT_PASS, tMax: 20 };
const NO_CHOP: PassOptions = { ...PASS, maxDwNorm: Infinity };

/** x(w): the time from a single input of weight w to the spike of a neuron at rest (tau_m = tau_s = C = theta = 1). */
const delay = (w: number): number => -lambertW0(-1 / w);
/** d t_out / d w for that neuron: -s / (w (1 - s)) at s = t_out - t_in. */
const dtdwSingle = (w: number, s: number): number => -s / (w * (1 - s));

function randomModel(biasTimes: (number | null)[] = [0.4, 0.9], seed = 3): LayeredModel {
  const sizes = [3, 6, 2];
  const stream = randomStream(seed, 'learningSubstrate/weights');
  const weights: Float64Array[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const pre = sizes[l - 1] + (biasTimes[l - 1] === null ? 0 : 1);
    weights.push(Float64Array.from({ length: pre * sizes[l] }, () => (l === 1 ? 1.6 : 1.2) + 0.8 * normalDraw(stream)));
  }
  return { layerSizes: sizes, biasTimes, neuron: TTFS_NEURON, weights };
}

const INPUTS: number[][] = [
  [0.2001, 1.1003, 0.7002],
  [0.5003, Infinity, 1.9007],
  [1.3001, 0.1502, 0.9004],
  [0.0503, 0.6001, 1.2002],
];
const LABELS = [0, 1, 1, 0];

const contextOf = (substrate: Substrate, options: Record<string, unknown>, trial = 0) => batchContext(substrate, options, 5, trial);

function realised(model: LayeredModel, substrate: Substrate, options: Record<string, unknown>, pass = PASS, trial = 0): ForwardBackward {
  const fb = new ForwardBackward(model, pass);
  fb.realise(substrate, contextOf(substrate, options, trial));
  return fb;
}

/** Forward + backward of every sample of INPUTS; per sample the recorded and exact times, the loss; summed gradients. */
function runAll(fb: ForwardBackward, inputs = INPUTS) {
  const grads = fb.model.weights.map((w) => new Float64Array(w.length));
  const res = emptySampleResult();
  const samples = inputs.map((input, s) => {
    fb.forwardBackward(input, LABELS[s], grads, res, 1 / inputs.length);
    const L = fb.model.layerSizes.length - 1;
    const layers = Array.from({ length: L }, (_, i) => i + 1);
    return {
      recorded: layers.map((l) => Array.from(fb.layerTimes(l))),
      exact: layers.map((l) => Array.from(fb.exactLayerTimes(l))),
      inputs: Array.from(fb.realisedInputTimes()),
      loss: res.loss,
      spikes: res.spikes,
    };
  });
  return { samples, grads: grads.map((g) => Array.from(g)) };
}

/** The backward pass as it was before substrates could observe or map times: exact times, nominal bias times. */
function referenceGradients(model: LayeredModel, pass: PassOptions, inputs: number[][], labels: number[]) {
  const sizes = model.layerSizes;
  const L = sizes.length - 1;
  const total = sizes.slice(1).reduce((a, b) => a + b, 0);
  const runner = new LayeredRunner(lifDynamics, lifParamArrays(total, model.neuron), sizes, model.biasTimes);
  model.weights.forEach((w, l) => runner.weights[l + 1].set(w));
  const g = gradientConstants(model.neuron);
  const grads = model.weights.map((w) => new Float64Array(w.length));
  const times = sizes.map((n) => new Float64Array(n));
  const perSample: number[][][] = [];
  const maxPre = Math.max(...sizes.slice(1).map((_, i) => presynapticCount(model, i + 1)));
  const pre = new Float64Array(maxPre);
  const preW = new Float64Array(maxPre);
  const dtdw = new Float64Array(maxPre);
  const dtdtin = new Float64Array(maxPre);
  inputs.forEach((input, s) => {
    runner.run(input, pass.tMax, times);
    perSample.push(times.slice(1).map((t) => Array.from(t)));
    const dLdt = sizes.map((n) => new Float64Array(n));
    ttfsLoss(times[L], labels[s], pass.loss, pass.silentTime, dLdt[L]);
    const scale = 1 / inputs.length;
    for (let l = L; l >= 1; l--) {
      const size = sizes[l];
      const nBelow = sizes[l - 1];
      const nPre = presynapticCount(model, l);
      const below = l === 1 ? input : times[l - 1];
      for (let j = 0; j < nBelow; j++) pre[j] = below[j];
      if (nPre > nBelow) pre[nBelow] = model.biasTimes[l - 1] as number;
      const w = model.weights[l - 1];
      for (let n = 0; n < size; n++) {
        const delta = scale * dLdt[l][n];
        if (delta === 0 || !(times[l][n] < Infinity)) continue;
        for (let j = 0; j < nPre; j++) preW[j] = w[j * size + n];
        ttfsGradient(g, times[l][n], pre, preW, nPre, dtdw, dtdtin);
        let largest = 0;
        for (let j = 0; j < nPre; j++) largest = Math.max(largest, Math.abs(delta * dtdw[j]));
        if (largest <= pass.maxDwNorm) for (let j = 0; j < nPre; j++) grads[l - 1][j * size + n] += delta * dtdw[j];
        if (l > 1) for (let j = 0; j < nBelow; j++) dLdt[l - 1][j] += dLdt[l][n] * dtdtin[j];
      }
    }
  });
  return { perSample, grads: grads.map((x) => Array.from(x)) };
}

/** 1 input -> 1 hidden (weight w1) -> 2 outputs (weights w2), no biases. */
function chainModel(w1: number, w2: [number, number]): LayeredModel {
  return { layerSizes: [1, 1, 2], biasTimes: [null, null], neuron: TTFS_NEURON, weights: [Float64Array.of(w1), Float64Array.of(...w2)] };
}

const onGrid = (t: number): boolean => Math.abs(t / CYCLE - Math.round(t / CYCLE)) < 1e-6;

describe('learning path on the ideal substrate (no hooks)', () => {
  it('spike times are those of the layered runner and the gradients those of the unchanged backward pass, bit for bit', () => {
    for (const pass of [PASS, NO_CHOP]) {
      const model = randomModel();
      const ref = referenceGradients(model, pass, INPUTS, LABELS);
      const fb = realised(model, idealSubstrate, {}, pass);
      const got = runAll(fb);
      got.samples.forEach((s, q) => {
        expect(s.recorded).toEqual(ref.perSample[q]);
        expect(s.exact).toEqual(ref.perSample[q]);
        expect(s.inputs).toEqual(INPUTS[q]);
      });
      expect(got.grads).toEqual(ref.grads);
      // not vacuous: hidden and output neurons spike, and the gradient is not zero
      expect(got.samples.every((s) => s.spikes > 2)).toBe(true);
      expect(got.grads[0].some((x) => x !== 0) && got.grads[1].some((x) => x !== 0)).toBe(true);
    }
  });
});

describe('learning path on bss2', () => {
  it('with everything off it equals ideal: same times, losses and gradients, bit for bit', () => {
    const model = randomModel();
    const ideal = runAll(realised(model, idealSubstrate, {}));
    const bss2 = runAll(realised(model, bss2Substrate, BSS2_ALL_OFF));
    expect(bss2).toEqual(ideal);
  });

  it('output time stamps only: recorded times on the 8 ns grid, the network propagates exact times, the gradient uses recorded ones', () => {
    const w1 = 3;
    const w2: [number, number] = [4, 3];
    const model = chainModel(w1, w2);
    const fb = realised(model, bss2Substrate, { ...BSS2_ALL_OFF, quantiseOutputTimes: true }, NO_CHOP);
    const grads = model.weights.map((w) => new Float64Array(w.length));
    const res = fb.forwardBackward([0.5], 1, grads, emptySampleResult());

    const hExact = fb.exactLayerTimes(1)[0];
    const hRec = fb.layerTimes(1)[0];
    expect(hExact).toBeCloseTo(0.5 + delay(w1), 12);
    expect(hRec).toBe(floorToGrid(hExact, CYCLE));
    expect(onGrid(hRec)).toBe(true);
    // the case matters: the time stamp is well off the exact time (about 0.3 of a cycle here)
    expect(hExact - hRec).toBeGreaterThan(1e-5);
    for (let k = 0; k < 2; k++) {
      const oExact = fb.exactLayerTimes(2)[k];
      // layer 2 received the exact hidden spike, not its time stamp
      expect(oExact).toBeCloseTo(hExact + delay(w2[k]), 12);
      expect(Math.abs(oExact - (hRec + delay(w2[k])))).toBeGreaterThan(1e-5);
      expect(fb.layerTimes(2)[k]).toBe(floorToGrid(oExact, CYCLE));
      expect(onGrid(fb.layerTimes(2)[k])).toBe(true);
    }
    // loss and prediction from the recorded output times
    const dLdt = new Float64Array(2);
    const rec = Array.from(fb.layerTimes(2));
    expect(res.loss).toBe(ttfsLoss(rec, 1, PASS.loss, PASS.silentTime, dLdt));
    expect(res.outputTimes).toBe(fb.layerTimes(2));
    // backward pass at the recorded times of the same record: s = t_out - t_in, both recorded
    for (let k = 0; k < 2; k++) {
      const s = rec[k] - hRec;
      expect(grads[1][k]).toBeCloseTo(dLdt[k] * dtdwSingle(w2[k], s), 12);
      const sExact = fb.exactLayerTimes(2)[k] - hExact;
      expect(Math.abs(grads[1][k] - dLdt[k] * dtdwSingle(w2[k], sExact))).toBeGreaterThan(1e-7);
    }
    // layer 1: dL/dt_h = sum_k dL/dt_k (a single input shifts its output one to one), at s1 = recorded t_h - t_in
    expect(grads[0][0]).toBeCloseTo((dLdt[0] + dLdt[1]) * dtdwSingle(w1, hRec - 0.5), 12);
  });

  it('read-out latency shifts every recorded time by exactly the latency; the network is unchanged', () => {
    const model = randomModel();
    const ideal = runAll(realised(model, idealSubstrate, {}));
    const late = runAll(realised(model, bss2Substrate, { ...BSS2_ALL_OFF, readoutLatencyNs: 80 }));
    const latency = 0.08 / 6;
    let shifted = 0;
    late.samples.forEach((s, q) => {
      expect(s.exact).toEqual(ideal.samples[q].exact);
      s.recorded.forEach((layer, l) =>
        layer.forEach((t, n) => {
          const e = s.exact[l][n];
          if (e < Infinity) shifted++;
          expect(t).toBe(e < Infinity ? e + latency : Infinity);
        }),
      );
      const dLdt = new Float64Array(2);
      expect(s.loss).toBe(ttfsLoss(s.recorded[1], LABELS[q], PASS.loss, PASS.silentTime, dLdt));
    });
    expect(shifted).toBeGreaterThan(10);
    expect(late.grads).not.toEqual(ideal.grads);
  });

  it('input quantisation puts inputs and bias spikes on the 8 ns grid, and the network receives them there', () => {
    const biasTimes = [0.9005, 0.4003];
    const model = randomModel(biasTimes);
    const options = { ...BSS2_ALL_OFF, quantiseInputTimes: true };
    const got = runAll(realised(model, bss2Substrate, options));
    const quantised = INPUTS.map((input) => input.map((t) => (t < Infinity ? Math.round(t / CYCLE) * CYCLE : t)));
    got.samples.forEach((s, q) => {
      expect(s.inputs).toEqual(quantised[q]);
      s.inputs.forEach((t, j) => {
        if (!(INPUTS[q][j] < Infinity)) return expect(t).toBe(Infinity);
        expect(onGrid(t)).toBe(true);
        expect(Math.abs(t - INPUTS[q][j])).toBeLessThanOrEqual(CYCLE / 2 + 1e-15);
        expect(Math.abs(t - INPUTS[q][j])).toBeGreaterThan(1e-6); // every test input is off the grid
      });
    });
    // the same network on ideal, fed the quantised inputs and bias times directly, spikes at the same times
    const onGridModel = { ...model, biasTimes: biasTimes.map((t) => Math.round(t / CYCLE) * CYCLE) };
    const direct = runAll(realised(onGridModel, idealSubstrate, {}), quantised);
    got.samples.forEach((s, q) => expect(s.exact).toEqual(direct.samples[q].exact));
    // the backward pass takes the inputs and the bias times as the network received them, too
    expect(got.grads).toEqual(direct.grads);
    // and the quantisation matters: with the raw times some spike moves
    const raw = runAll(realised(model, idealSubstrate, {}));
    expect(got.samples.map((s) => s.exact)).not.toEqual(raw.samples.map((s) => s.exact));
  });

  it('the input map agrees with what realise does to source spike times', () => {
    const model = randomModel([0.9005, 0.4003]);
    const input = INPUTS[0];
    const context = contextOf(bss2Substrate, {});
    const network = bss2Substrate.realise(modelToNetwork(model, input), context);
    const map = bss2Substrate.inputTimes!(network, context);
    const nominal = modelToNetwork(model, input);
    let checked = 0;
    nominal.populations.forEach((p, idx) => {
      const r = network.populations[idx];
      if (p.kind !== 'source' || r.kind !== 'source') return;
      p.spikeTimesMs.forEach((times, n) =>
        times.forEach((t, k) => {
          checked++;
          expect(r.spikeTimesMs[n][k]).toBe(map.spikeTime(idx, n, t));
          expect(r.spikeTimesMs[n][k]).toBe(roundToGrid(t, CYCLE));
        }),
      );
    });
    expect(checked).toBe(5); // 3 inputs, 2 biases
  });

  it('per-sample threshold noise: trial k of a realisation has its own thresholds, N(1, 0.015^2)', () => {
    // one neuron, one input of weight 3 at 0: 3 t e^{-t} = threshold, so each spike time reveals its threshold
    const model: LayeredModel = { layerSizes: [1, 1], biasTimes: [null], neuron: TTFS_NEURON, weights: [Float64Array.of(3)] };
    const perSample = { ...BSS2_ALL_OFF, noiseScale: 1, noise: { thresholdBatch: 0, thresholdSample: 0.015, jitterNs: 0 } };
    const fb = realised(model, bss2Substrate, perSample, PASS, 4);
    const res = emptySampleResult();
    const thresholdOf = (trial: number): number => {
      fb.forward([0], 0, res, trial);
      const t = fb.layerTimes(1)[0];
      return 3 * t * Math.exp(-t);
    };
    const n = 2000;
    const th = Float64Array.from({ length: n }, (_, k) => thresholdOf(k));
    const mean = th.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(th.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - 1)).toBeLessThan((4 * 0.015) / Math.sqrt(n));
    expect(Math.abs(sd - 0.015)).toBeLessThan((4 * 0.015) / Math.sqrt(2 * n));
    // a trial is reproducible on its own, in any order; the counter continues from the last trial
    expect(thresholdOf(7)).toBe(th[7]);
    expect(thresholdOf(3)).toBe(th[3]);
    fb.forward([0], 0, res);
    expect(3 * fb.layerTimes(1)[0] * Math.exp(-fb.layerTimes(1)[0])).toBe(th[4]);
    // another batch (realise trial) draws other thresholds for the same sample
    const other = realised(model, bss2Substrate, perSample, PASS, 5);
    other.forward([0], 0, res, 0);
    expect(other.layerTimes(1)[0]).toBeLessThan(Infinity);
    expect(3 * other.layerTimes(1)[0] * Math.exp(-other.layerTimes(1)[0])).not.toBe(th[0]);
  });

  it('read-out jitter (jitterReachesNetwork false) is drawn per recorded spike and per sample: N(0, 60 ns) on top of the exact time', () => {
    const model: LayeredModel = { layerSizes: [1, 1], biasTimes: [null], neuron: TTFS_NEURON, weights: [Float64Array.of(3)] };
    const fb = realised(model, bss2Substrate, { ...BSS2_ALL_OFF, noiseScale: 1, noise: { thresholdBatch: 0, jitterReachesNetwork: false } });
    const res = emptySampleResult();
    const exact = 0 + delay(3);
    const n = 2000;
    const dev = Float64Array.from({ length: n }, (_, k) => {
      fb.forward([0], 0, res, k);
      expect(fb.exactLayerTimes(1)[0]).toBeCloseTo(exact, 12);
      return fb.layerTimes(1)[0] - fb.exactLayerTimes(1)[0];
    });
    const sigma = 0.06 / 6;
    const mean = dev.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(dev.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean)).toBeLessThan((4 * sigma) / Math.sqrt(n));
    expect(Math.abs(sd - sigma)).toBeLessThan((4 * sigma) / Math.sqrt(2 * n));
    fb.forward([0], 0, res, 11);
    expect(fb.layerTimes(1)[0] - fb.exactLayerTimes(1)[0]).toBe(dev[11]);
  });

  it("a sample's noise depends only on its trial: any order and any chunking of a batch give the same record (default options)", () => {
    const model = randomModel();
    const inputs = [...INPUTS, ...INPUTS.map((x) => x.map((t) => t + 0.05))];
    const inOrder = realised(model, bss2Substrate, {}, PASS, 9);
    const res = emptySampleResult();
    const recordOf = (fb: ForwardBackward, q: number) => {
      fb.forward(inputs[q], 0, res, q);
      return [1, 2].map((l) => [Array.from(fb.layerTimes(l)), Array.from(fb.exactLayerTimes(l))]);
    };
    const forwards = inputs.map((_, q) => recordOf(inOrder, q));
    const reversed = realised(model, bss2Substrate, {}, PASS, 9);
    const backwards = inputs.map((_, q) => inputs.length - 1 - q).map((q) => recordOf(reversed, q)).reverse();
    expect(backwards).toEqual(forwards);
    // noise is on: the record is not the exact times, and two samples with the same input differ
    expect(forwards[0][1][0]).not.toEqual(forwards[0][1][1]);
    const twice = realised(model, bss2Substrate, {}, PASS, 9);
    const a = recordOf(twice, 0);
    twice.forward(inputs[0], 0, res, 1);
    expect(Array.from(twice.layerTimes(2))).not.toEqual(a[1][0]);

    // chunkSums: two chunks starting at samples 0 and 4 record what one chunk does
    const flat = Float64Array.from(inputs.flat());
    const labels = Int32Array.from(inputs.map((_, q) => q % 2));
    const whole = emptyBatchSums(model);
    const fbWhole = realised(model, bss2Substrate, {}, PASS, 9);
    chunkSums(fbWhole, flat, labels, 8, 1 / 8, whole);
    const first = emptyBatchSums(model);
    const second = emptyBatchSums(model);
    const fbChunks = realised(model, bss2Substrate, {}, PASS, 9);
    chunkSums(fbChunks, flat.subarray(0, 12), labels.subarray(0, 4), 4, 1 / 8, first, 0);
    chunkSums(fbChunks, flat.subarray(12), labels.subarray(4), 4, 1 / 8, second, 4);
    expect(first.loss + second.loss).toBeCloseTo(whole.loss, 12);
    whole.grads.forEach((g, l) => g.forEach((x, k) => expect(first.grads[l][k] + second.grads[l][k]).toBeCloseTo(x, 12)));
    whole.silent.forEach((c, l) => c.forEach((x, k) => expect(first.silent[l][k] + second.silent[l][k]).toBe(x)));
    // the chunk's first sample matters: the second chunk run as trials 0..3 records something else
    const wrong = emptyBatchSums(model);
    chunkSums(fbChunks, flat.subarray(12), labels.subarray(4), 4, 1 / 8, wrong, 0);
    expect(Math.abs(wrong.loss - second.loss)).toBeGreaterThan(1e-9);
  });

  it('a spike the observation drops (NaN) counts as silent for the loss, the silent counts and the gradient', () => {
    const model = randomModel();
    // modelToNetwork order: input, bias1, layer1, bias2, layer2 -> the output layer is population 4
    const dropper: Substrate = {
      ...idealSubstrate,
      name: 'dropper',
      observation: () => ({ spikeTime: (population, neuron, t) => (population === 4 && neuron === 0 ? NaN : t) }),
    };
    const fb = realised(model, dropper, {}, NO_CHOP);
    const sums = emptyBatchSums(model);
    chunkSums(fb, Float64Array.from(INPUTS.flat()), Int32Array.from(LABELS), INPUTS.length, 1, sums);
    const ideal = realised(model, idealSubstrate, {}, NO_CHOP);
    const idealSums = emptyBatchSums(model);
    chunkSums(ideal, Float64Array.from(INPUTS.flat()), Int32Array.from(LABELS), INPUTS.length, 1, idealSums);
    // output 0 spiked in every sample but is recorded as silent
    expect(idealSums.silent[2][0]).toBe(0);
    expect(sums.silent[2][0]).toBe(INPUTS.length);
    expect(sums.silent[2][1]).toBe(idealSums.silent[2][1]);
    expect(sums.silent[1]).toEqual(idealSums.silent[1]);
    const res = emptySampleResult();
    fb.forward(INPUTS[0], 1, res);
    expect(fb.exactLayerTimes(2)[0]).toBeLessThan(Infinity);
    expect(fb.layerTimes(2)[0]).toBe(Infinity);
    expect(res.predicted).toBe(1);
    // no gradient into the dropped neuron, some into the other one
    const size = 2;
    const rows = model.weights[1].length / size;
    for (let j = 0; j < rows; j++) expect(sums.grads[1][j * size]).toBe(0);
    expect(Array.from({ length: rows }, (_, j) => sums.grads[1][j * size + 1]).some((x) => x !== 0)).toBe(true);
  });
});

describe('weight range', () => {
  it('bss2 reports 63 / weightScale with weight quantisation and no limit without; ideal has none', () => {
    // default normalisation, TTFS neuron: a full-scale PSP of 2.1/(e 1.52) with unit PSP 1/e gives the
    // largest weight 2.1 / 1.52 = 1.3816 (scale 45.6)
    expect(bss2Substrate.weightLimit!({}, TTFS_NEURON)).toBeCloseTo(2.1 / 1.52, 14);
    expect(() => bss2Substrate.weightLimit!({})).toThrow(/neuron/);
    expect(bss2Substrate.weightLimit!({ weightScale: 20 })).toBe(3.15);
    expect(bss2Substrate.weightLimit!({ weightQuantisation: false })).toBeUndefined();
    expect(substrateWeightLimit(bss2Substrate, {}, TTFS_NEURON)).toBeCloseTo(2.1 / 1.52, 14);
    expect(substrateWeightLimit(bss2Substrate, { weightScale: 30 })).toBe(2.1);
    expect(substrateWeightLimit(bss2Substrate, BSS2_ALL_OFF)).toBe(Infinity);
    expect(substrateWeightLimit(idealSubstrate, {})).toBe(Infinity);
    expect(() => substrateWeightLimit(bss2Substrate, { weightScale: -1 })).toThrow(/weightScale/);
  });

  it('clampWeights clamps into [-limit, limit] in place and counts the changes', () => {
    const model: LayeredModel = {
      layerSizes: [2, 2, 1],
      biasTimes: [null, 0.9],
      neuron: TTFS_NEURON,
      weights: [Float64Array.of(3, -3, 1, 2.1), Float64Array.of(-2.2, 0.5, 2.0999)],
    };
    expect(clampWeightsToSubstrate(model, idealSubstrate, {})).toBe(0);
    expect(Array.from(model.weights[0])).toEqual([3, -3, 1, 2.1]);
    // the limit of an explicit scale of 30: 2.1 (clampWeightsToSubstrate passes model.neuron for derived ones)
    expect(clampWeightsToSubstrate(model, bss2Substrate, { weightScale: 30 })).toBe(3);
    expect(Array.from(model.weights[0])).toEqual([2.1, -2.1, 1, 2.1]);
    expect(Array.from(model.weights[1])).toEqual([-2.1, 0.5, 2.0999]);
    expect(clampWeights(model, 0.5)).toBe(6);
    expect(Array.from(model.weights[0])).toEqual([0.5, -0.5, 0.5, 0.5]);
    expect(Array.from(model.weights[1])).toEqual([-0.5, 0.5, 0.5]);
    expect(clampWeights(model, Infinity)).toBe(0);
  });

  it('clamping to the limit does not change what bss2 realises (the chip clips at 63 anyway)', () => {
    const big: LayeredModel = chainModel(3, [4, -5]);
    const clamped: LayeredModel = chainModel(3, [4, -5]);
    expect(clampWeightsToSubstrate(clamped, bss2Substrate, {})).toBe(3);
    const a = bss2Substrate.realise(modelToNetwork(big), contextOf(bss2Substrate, {}));
    const b = bss2Substrate.realise(modelToNetwork(clamped), contextOf(bss2Substrate, {}));
    expect(a.projections.map((p) => Array.from(p.synapses.weights))).toEqual(b.projections.map((p) => Array.from(p.synapses.weights)));
  });
});
