import { describe, expect, it } from 'vitest';
import '../index.ts';
import { createModel, loadPresetData } from '../plugins/learning/experiment.ts';
import { YINYANG_PRESET } from '../plugins/learning/presets.ts';
import { evaluate, train, type EncodedSet, type Evaluation } from '../plugins/learning/trainer.ts';
import { getSubstrate } from '../core/substrate/registry.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';

const data = loadPresetData(YINYANG_PRESET);
const first = (set: EncodedSet, n: number): EncodedSet => ({ ...set, n, times: set.times.subarray(0, n * set.inputs), labels: set.labels.subarray(0, n) });

describe('model selection on the validation set (keepBest)', () => {
  it('ends with the weights of the epoch with the highest validation accuracy, the later one on ties', async () => {
    const validation = first(data.validation, 200);
    const model = createModel(YINYANG_PRESET, 4);
    const snapshots: Float64Array[][] = [];
    const accuracies: number[] = [];
    const state = await train(model, first(data.train, 600), validation, idealSubstrate, {}, // a high learning rate makes validation accuracy go down as well as up (seed 4: best at epoch 7 of 8)
      { ...YINYANG_PRESET.train, epochs: 8, seed: 4, keepBest: true, learningRate: 0.03 }, {
      onEpoch(r) {
        snapshots.push(model.weights.map((w) => w.slice()));
        accuracies.push(r.validation!.accuracy);
        expect(r.bestEpoch).not.toBeNull();
      },
    });
    // the selection by hand: last index of the maximum
    const top = Math.max(...accuracies);
    const expected = accuracies.lastIndexOf(top) + 1;
    expect(state.best?.epoch).toBe(expected);
    expect(state.best?.validationAccuracy).toBe(top);
    model.weights.forEach((w, l) => expect(Array.from(w)).toEqual(Array.from(snapshots[expected - 1][l])));
    // and it is a real choice here: the last epoch is not the selected one, or the test is vacuous
    expect(expected).toBeLessThan(8);
    expect(evaluate(model, validation, idealSubstrate, {}, YINYANG_PRESET.train.pass).accuracy).toBe(top);
  });

  it('without keepBest the run ends with the last epoch', async () => {
    const model = createModel(YINYANG_PRESET, 11);
    let last: Float64Array[] = [];
    const state = await train(model, first(data.train, 300), first(data.validation, 100), idealSubstrate, {}, { ...YINYANG_PRESET.train, epochs: 3, seed: 11, keepBest: false }, {
      onEpoch() {
        last = model.weights.map((w) => w.slice());
      },
    });
    expect(state.best ?? null).toBeNull();
    model.weights.forEach((w, l) => expect(Array.from(w)).toEqual(Array.from(last[l])));
  });
});

describe('the validation pass on the executor', () => {
  it('gives the figures of evaluate() on 1 and on 2 threads, per-sample noise included (bss2)', async () => {
    const bss2 = getSubstrate('bss2');
    const validation = first(data.validation, 150);
    for (const threads of [1, 2]) {
      const model = createModel(YINYANG_PRESET, 6);
      const seen: Evaluation[] = [];
      const direct: Evaluation[] = [];
      await train(model, first(data.train, 150), validation, bss2, { chipSeed: 2 }, { ...YINYANG_PRESET.train, epochs: 2, seed: 6, threads }, {
        onEpoch(r) {
          seen.push(r.validation!);
          direct.push(evaluate(model, validation, bss2, { chipSeed: 2 }, YINYANG_PRESET.train.pass, 6));
        },
      });
      expect(seen).toEqual(direct);
    }
    // and the noise is per sample: evaluating with another seed changes the figures
    const model = createModel(YINYANG_PRESET, 6);
    const a = evaluate(model, validation, bss2, { chipSeed: 2 }, YINYANG_PRESET.train.pass, 6);
    const b = evaluate(model, validation, bss2, { chipSeed: 2 }, YINYANG_PRESET.train.pass, 7);
    expect(a.loss).not.toBe(b.loss);
  });
});

describe('learning-rate schedule', () => {
  it('steps by the factor every everyEpochs, then anneals linearly over the last annealEpochs (hand-computed)', async () => {
    const { learningRateAt } = await import('../plugins/learning/trainer.ts');
    const o = { learningRate: 0.005, epochs: 300, lrSchedule: { factor: 0.95, everyEpochs: 20 } };
    expect(learningRateAt(o, 0)).toBe(0.005);
    expect(learningRateAt(o, 19)).toBe(0.005);
    expect(learningRateAt(o, 20)).toBeCloseTo(0.00475, 15);
    expect(learningRateAt(o, 299)).toBeCloseTo(0.005 * 0.95 ** 14, 15);
    const a = { ...o, lrSchedule: { ...o.lrSchedule, annealEpochs: 60 } };
    expect(learningRateAt(a, 239)).toBe(learningRateAt(o, 239)); // 61 epochs left: no anneal yet
    expect(learningRateAt(a, 240)).toBeCloseTo(0.005 * 0.95 ** 12 * (60 / 60), 15);
    expect(learningRateAt(a, 270)).toBeCloseTo(0.005 * 0.95 ** 13 * (30 / 60), 15);
    expect(learningRateAt(a, 299)).toBeCloseTo(0.005 * 0.95 ** 14 * (1 / 60), 15);
  });

  it('moves the input noise towards inputNoiseFinalSigma over the anneal, in step with the learning rate (hand-computed)', async () => {
    const { inputNoiseSigmaAt } = await import('../plugins/learning/trainer.ts');
    const o = { inputNoiseSigma: 0.5, inputNoiseFinalSigma: 0.2, epochs: 75, lrSchedule: { factor: 0.9, everyEpochs: 5, annealEpochs: 25 } };
    expect(inputNoiseSigmaAt(o, 0)).toBe(0.5);
    expect(inputNoiseSigmaAt(o, 49)).toBe(0.5); // 26 epochs left
    expect(inputNoiseSigmaAt(o, 50)).toBeCloseTo(0.5, 15); // 25 left: the anneal's first epoch, factor 25/25
    expect(inputNoiseSigmaAt(o, 60)).toBeCloseTo(0.2 + 0.3 * (15 / 25), 15);
    expect(inputNoiseSigmaAt(o, 74)).toBeCloseTo(0.2 + 0.3 * (1 / 25), 15);
    expect(inputNoiseSigmaAt({ ...o, inputNoiseFinalSigma: undefined }, 74)).toBe(0.5);
    expect(inputNoiseSigmaAt({ ...o, lrSchedule: { factor: 0.9, everyEpochs: 5 } }, 74)).toBe(0.5);
  });
});

describe('stopping early (shouldStop)', () => {
  it('ends after the epoch where shouldStop says so, with model selection over the epochs run', async () => {
    const model = createModel(YINYANG_PRESET, 4);
    const seen: number[] = [];
    const state = await train(model, first(data.train, 300), first(data.validation, 100), idealSubstrate, {}, { ...YINYANG_PRESET.train, epochs: 10, seed: 4 }, {
      onEpoch(r) {
        seen.push(r.epoch);
      },
      shouldStop: (s) => s.epoch >= 3,
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(state.epoch).toBe(3);
    expect(state.best?.epoch).toBeLessThanOrEqual(3);
  });
});

describe('weight bumping', () => {
  // output neuron 0 gets only strongly negative weights: it is silent for every sample, so the output layer
  // (limit 0) is bumped in every batch; the hidden layer (limit 1) never is
  const quietModel = () => {
    const model = createModel(YINYANG_PRESET, 9);
    const w = model.weights[1];
    const size = model.layerSizes[2];
    for (let j = 0; j < w.length / size; j++) w[j * size] = -1;
    return model;
  };
  const run = async (batchSize: number, weightBumping: Parameters<typeof train>[5]['weightBumping']) => {
    const model = quietModel();
    await train(model, first(data.train, 150), null, idealSubstrate, {}, { ...YINYANG_PRESET.train, epochs: 1, batchSize, seed: 9, keepBest: false, weightBumping });
    return model.weights;
  };
  const before = quietModel().weights;
  const rows = before[1].length / 3;

  it('raises the input weights of the silent neurons only and skips the step; the bump doubles on consecutive batches (hand-computed)', async () => {
    const one = await run(150, { value: 0.01, maxSilentFraction: [1, 0] });
    expect(Array.from(one[0])).toEqual(Array.from(before[0]));
    for (let j = 0; j < rows; j++) {
      expect(one[1][j * 3]).toBe(-1 + 0.01);
      expect(one[1][j * 3 + 1]).toBe(before[1][j * 3 + 1]);
      expect(one[1][j * 3 + 2]).toBe(before[1][j * 3 + 2]);
    }
    const two = await run(75, { value: 0.01, maxSilentFraction: [1, 0] });
    for (let j = 0; j < rows; j++) expect(two[1][j * 3]).toBeCloseTo(-1 + 0.01 + 0.02, 14);
  });

  it('with stepToo also takes the Adam step: bumped weights plus the step of the run without bumping', async () => {
    const stepped = await run(150, null);
    const both = await run(150, { value: 0.01, maxSilentFraction: [1, 0], stepToo: true });
    let moved = 0;
    for (let l = 0; l < 2; l++) {
      for (let k = 0; k < before[l].length; k++) {
        const step = stepped[l][k] - before[l][k];
        if (Math.abs(step) > 1e-6) moved++;
        const bump = l === 1 && k % 3 === 0 ? 0.01 : 0;
        expect(both[l][k]).toBeCloseTo(before[l][k] + bump + step, 12);
      }
    }
    // the step is a real one (Adam's first step moves every weight with a gradient by about the learning rate)
    expect(moved).toBeGreaterThan(100);
  });
});

describe('training on the validation split too (trainingSets)', () => {
  it('joins training then validation samples, times and labels unchanged; holdOutValidation and plain presets keep them apart', async () => {
    const { trainingSets } = await import('../plugins/learning/experiment.ts');
    const joined = trainingSets({ ...YINYANG_PRESET, trainOnValidation: true }, data);
    expect(joined.validation).toBeNull();
    expect(joined.train.n).toBe(6000);
    expect(Array.from(joined.train.times.subarray(0, 5000 * 5))).toEqual(Array.from(data.train.times));
    expect(Array.from(joined.train.times.subarray(5000 * 5))).toEqual(Array.from(data.validation.times));
    expect(Array.from(joined.train.labels.subarray(5000))).toEqual(Array.from(data.validation.labels));
    const held = trainingSets({ ...YINYANG_PRESET, trainOnValidation: true }, data, true);
    expect([held.train, held.validation]).toEqual([data.train, data.validation]);
    expect(trainingSets(YINYANG_PRESET, data).validation).toBe(data.validation);
  });
});
