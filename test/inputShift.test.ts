import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../index.ts';
import { randomStream } from '../core/rng.ts';
import { checkInputShift, shiftImage, type InputShift } from '../plugins/learning/inputShift.ts';
import { initialiseWeights, type LayeredModel } from '../plugins/learning/model.ts';
import { TTFS_NEURON, YINYANG_PRESET } from '../plugins/learning/presets.ts';
import { train, type EncodedSet } from '../plugins/learning/trainer.ts';
import { idealSubstrate } from '../substrates/ideal/index.ts';

describe('moving image inputs (inputShift)', () => {
  const shape: InputShift = { width: 3, height: 2, maxPixels: 1, blankTime: 9 };
  // row-major 3x2 image:  1 2 3
  //                       4 5 6
  const image = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const moved = (dx: number, dy: number): number[] => {
    const out = new Float64Array(8).fill(-1);
    shiftImage(image, 0, out, 1, shape, dx, dy);
    expect(out[0]).toBe(-1); // nothing written outside the target range
    expect(out[7]).toBe(-1);
    return Array.from(out.subarray(1, 7));
  };

  it('moves by whole pixels and fills with the blank time (hand-computed)', () => {
    expect(moved(0, 0)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(moved(1, 0)).toEqual([9, 1, 2, 9, 4, 5]);
    expect(moved(-1, 0)).toEqual([2, 3, 9, 5, 6, 9]);
    expect(moved(0, 1)).toEqual([9, 9, 9, 1, 2, 3]);
    expect(moved(-1, -1)).toEqual([5, 6, 9, 9, 9, 9]);
    expect(moved(3, 0)).toEqual([9, 9, 9, 9, 9, 9]);
  });

  it('moving there and back restores every pixel that stayed inside (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), (w, h, dx, dy) => {
        const s: InputShift = { width: w, height: h, maxPixels: 3, blankTime: -7 };
        const src = Float64Array.from({ length: w * h }, (_, i) => i + 0.5);
        const there = new Float64Array(w * h);
        const back = new Float64Array(w * h);
        shiftImage(src, 0, there, 0, s, dx, dy);
        shiftImage(there, 0, back, 0, s, -dx, -dy);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const inside = x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h;
            expect(back[y * w + x]).toBe(inside ? src[y * w + x] : -7);
          }
        }
      }),
    );
  });

  it('names the invalid field', () => {
    expect(() => checkInputShift({ ...shape, maxPixels: 0 }, 6)).toThrow('inputShift.maxPixels must be an integer >= 1, got 0');
    expect(() => checkInputShift({ ...shape, width: 2.5 }, 6)).toThrow(/inputShift.width/);
    expect(() => checkInputShift(shape, 7)).toThrow('inputShift: width x height = 6 must equal the input count 7');
    expect(() => checkInputShift({ ...shape, blankTime: Number.NaN }, 6)).toThrow(/blankTime must be finite/);
  });

  it('the trainer moves each training sample by its own draw from the epoch stream', async () => {
    // 6 copies of one 4x4 image in one batch: training with inputShift must equal training without it on
    // the 6 images moved by the draws of stream input-shift/epoch0 (dx then dy per sample, in [-1, 1])
    const w = 4;
    const n = 6;
    const picture = Float64Array.from({ length: w * w }, (_, i) => 0.15 + 1.85 * (((i * 7) % 11) / 10));
    const labels = new Int32Array(n); // one label, so that which move meets which sample does not matter
    const same: EncodedSet = { n, inputs: w * w, times: new Float64Array(n * w * w), labels, classes: 2 };
    for (let s = 0; s < n; s++) same.times.set(picture, s * w * w);
    const shift: InputShift = { width: w, height: w, maxPixels: 1, blankTime: 2 };
    const draws = randomStream(3, 'input-shift/epoch0');
    const movedSet: EncodedSet = { ...same, times: new Float64Array(n * w * w) };
    for (let s = 0; s < n; s++) {
      const dx = Math.floor(draws.next() * 3) - 1;
      const dy = Math.floor(draws.next() * 3) - 1;
      shiftImage(picture, 0, movedSet.times, s * w * w, shift, dx, dy);
    }
    const fresh = (): LayeredModel => ({
      layerSizes: [w * w, 8, 2],
      biasTimes: [null, null],
      neuron: TTFS_NEURON,
      weights: initialiseWeights([w * w, 8, 2], [null, null], [{ mean: 0.4, std: 0.3 }, { mean: 0.8, std: 0.5 }], randomStream(1, 'init')),
    });
    const options = { ...YINYANG_PRESET.train, epochs: 1, batchSize: n, seed: 3, weightBumping: null, keepBest: false };
    const [a, b, c] = [fresh(), fresh(), fresh()];
    await train(a, same, null, idealSubstrate, {}, { ...options, inputShift: shift });
    await train(b, movedSet, null, idealSubstrate, {}, options);
    await train(c, same, null, idealSubstrate, {}, options);
    // one batch of the same samples, summed in another order: equal up to rounding
    a.weights.forEach((wa, l) => wa.forEach((v, i) => expect(v).toBeCloseTo(b.weights[l][i], 12)));
    // and the move matters: without it the step differs
    expect(a.weights[0].some((v, i) => Math.abs(v - c.weights[0][i]) > 1e-6)).toBe(true);
  });
});
