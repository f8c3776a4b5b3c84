/**
 * The bss2 cost estimate computed from a run (issue #18): spikes, synaptic events and the time per inference
 * come from the run's activity (plugins/learning/activity.ts), checked against hand counts on small networks;
 * a Yin-Yang-sized and an MNIST-sized network give different figures, where the old fixed formula gave the
 * same for both.
 */
import { describe, expect, it } from 'vitest';
import { randomStream } from '../core/rng.ts';
import { lambertW0 } from '../core/numerics/lambertW.ts';
import { runActivity } from '../plugins/learning/activity.ts';
import { createModel, loadPresetData } from '../plugins/learning/experiment.ts';
import { DEFAULT_PASS, type PassOptions } from '../plugins/learning/forwardBackward.ts';
import type { LayeredModel } from '../plugins/learning/model.ts';
import { MNIST16_PRESET, TTFS_NEURON, YINYANG_CHIP_PRESET } from '../plugins/learning/presets.ts';
import type { EncodedSet } from '../plugins/learning/trainer.ts';
import { BSS2_ALL_OFF, bss2CostEstimate, bss2Substrate } from '../substrates/bss2/index.ts';

const PASS: PassOptions = { ...DEFAULT_PASS, tMax: 20 };
/** Time from one input of weight w to the spike of the TTFS neuron at rest: w x e^{-x} = 1. */
const delay = (w: number): number => -lambertW0(-1 / w);

function setOf(rows: number[][], classes = 2): EncodedSet {
  return { n: rows.length, inputs: rows[0].length, times: Float64Array.from(rows.flat()), labels: new Int32Array(rows.length), classes };
}

describe('cost estimate from the run: hand counts', () => {
  it('chain 1 -> 1 -> 1 (weights 3), 3 samples with an input and 1 without: counts, time and energy by hand', () => {
    const chain: LayeredModel = { layerSizes: [1, 1, 1], biasTimes: [null, null], neuron: TTFS_NEURON, weights: [Float64Array.of(3), Float64Array.of(3)] };
    const set = setOf([[0], [0], [0], [Infinity]]);
    const a = runActivity(chain, set, bss2Substrate, BSS2_ALL_OFF, PASS, 1);
    // 3 input spikes; each drives 1 synapse and makes both neurons fire once; the hidden spike drives 1 synapse
    expect([a.inputSpikes, a.neuronSpikes, a.synapticEvents]).toEqual([3, 6, 6]);
    const d = delay(3); // 0.61906
    expect(Array.from(a.lastOutputSpike).slice(0, 3).every((t) => Math.abs(t - 2 * d) < 1e-12)).toBe(true);
    expect(a.lastOutputSpike[3]).toBe(Infinity);
    const c = bss2CostEstimate(a);
    // spacing: 3 x (2d + 2 margin) + 8 (the silent one) tau = 17.7144 tau, x 6 us / 4 inferences = 26.5716 us;
    // run offset 100 us / 4 = 25 us; 51.5716 us; energy x 175 and x 200 mW: 9.0250 and 10.3143 uJ
    const time = (6 * (3 * (2 * d + 2) + 8)) / 4 + 25;
    expect(time).toBeCloseTo(51.5716, 4);
    expect(c.timeUs).toBeCloseTo(time, 12);
    expect(c.offsetUs).toBe(25);
    expect(c.energyUJ[0]).toBeCloseTo((175 * time) / 1000, 12);
    expect(c.energyUJ[1]).toBeCloseTo((200 * time) / 1000, 12);
    expect([c.inputSpikes, c.neuronSpikes, c.synapticEvents]).toEqual([0.75, 1.5, 1.5]);
    // batches of 2: two chip runs, 2 x 100 us / 4
    expect(bss2CostEstimate(a, { batchSize: 2 }).offsetUs).toBe(50);
    expect(c.notes.join('\n')).toMatch(/margin: ASSUMPTION/);
  });

  it('a weight that rounds to 0 is no synapse: events count the realised fan-out, bias spikes included', () => {
    // 2 inputs -> 3 hidden (+ bias at 0.5) -> 1 output at weight scale 30: 0.001 x 30 rounds to 0.
    // input 0 -> [2, 2, 2], input 1 -> [2, 2, 0.001]: hidden 0 and 1 get 4 t e^{-t} (they fire), hidden 2 only
    // 2 t e^{-t} (peak 0.74: silent); hidden 0, 1 -> output 2, hidden 2 -> 0.001, bias -> 0.001: the output
    // gets 4 x e^{-x} after delay(4) and fires. Fan-outs: input 0: 3, input 1: 2, hidden 0: 1, hidden 1: 1,
    // hidden 2: 0, bias: 0. Events: 3 + 2 + 1 + 1 + 0 = 7; spikes: inputs 2 + bias 1, neurons 2 + 1.
    const model: LayeredModel = {
      layerSizes: [2, 3, 1],
      biasTimes: [null, 0.5],
      neuron: TTFS_NEURON,
      weights: [Float64Array.of(2, 2, 2, 2, 2, 0.001), Float64Array.of(2, 2, 0.001, 0.001)],
    };
    const a = runActivity(model, setOf([[0, 0]]), bss2Substrate, { ...BSS2_ALL_OFF, weightQuantisation: true, weightScale: 30 }, PASS, 1);
    expect([a.inputSpikes, a.neuronSpikes, a.synapticEvents]).toEqual([3, 3, 7]);
    // the output's spike: delay(4) after the hidden spikes at delay(4)
    expect(a.lastOutputSpike[0]).toBeCloseTo(2 * delay(4), 12);
  });
});

describe('cost estimate from the run: Yin-Yang-sized and MNIST-sized networks differ', () => {
  it('25-120-3 and 256-246-10 on bss2 (defaults): different events and times; the fixed slot alone would give the same time', () => {
    const n = 40;
    const yy = loadPresetData(YINYANG_CHIP_PRESET).test;
    const yySet: EncodedSet = { ...yy, n, times: yy.times.slice(0, n * yy.inputs), labels: yy.labels.slice(0, n) };
    const yyModel = createModel(YINYANG_CHIP_PRESET, 1);
    // MNIST-sized inputs: about half of 256 pixels spike, at times in [0.15, 2] (the paper's coding range)
    const stream = randomStream(3, 'bss2Cost/mnist');
    const mnTimes = Float64Array.from({ length: n * 256 }, () => (stream.next() < 0.5 ? 0.15 + 1.85 * stream.next() : Infinity));
    const mnSet: EncodedSet = { n, inputs: 256, times: mnTimes, labels: new Int32Array(n), classes: 10 };
    const mnModel = createModel(MNIST16_PRESET, 1);
    const options = { chipSeed: 1 };
    const yyA = runActivity(yyModel, yySet, bss2Substrate, options, YINYANG_CHIP_PRESET.train.pass, 0);
    const mnA = runActivity(mnModel, mnSet, bss2Substrate, options, MNIST16_PRESET.train.pass, 0);
    // input spikes by hand: Yin-Yang: every one of the 25 inputs (4 features and the bias, 5 times each) plus
    // the hidden layer's bias spike; MNIST: the finite times drawn above (no bias)
    expect(yyA.inputSpikes).toBe(26 * n);
    let finite = 0;
    for (const t of mnTimes) if (t < Infinity) finite++;
    expect(mnA.inputSpikes).toBe(finite);
    const yyC = bss2CostEstimate(yyA);
    const mnC = bss2CostEstimate(mnA);
    expect(mnC.synapticEvents).toBeGreaterThan(5 * yyC.synapticEvents);
    expect(mnC.timeUs).not.toBeCloseTo(yyC.timeUs, 3);
    // each input spike drives at most the next layer's size: bounds by hand
    expect(yyC.synapticEvents).toBeLessThanOrEqual(26 * 120 + yyC.neuronSpikes * 3);
    expect(mnC.synapticEvents).toBeLessThanOrEqual((finite / n) * 246 + mnC.neuronSpikes * 10);
    // with the paper's fixed slot both cost 48 us + 100 us / 40 = 50.5 us: that part does not depend on the run
    expect(bss2CostEstimate(yyA, { slotUnits: 8 }).timeUs).toBeCloseTo(50.5, 12);
    expect(bss2CostEstimate(mnA, { slotUnits: 8 }).timeUs).toBeCloseTo(50.5, 12);
  });
});
