import { describe, expect, it } from 'vitest';
import { Adam } from '../plugins/learning/adam.ts';
import { DEFAULT_LOSS, SILENT_LABEL_LOSS, ttfsLoss } from '../plugins/learning/loss.ts';

/**
 * Hand-derived reference values for Adam and the TTFS loss. The literals were computed outside this
 * repository's code: by hand where the comment says so, otherwise with a separate 40-digit mpmath
 * script written from the formulas (Kingma & Ba 2015, Algorithm 1; the loss of Göltz, Kriener et al.
 * 2021, eq. 6 with the regulariser alpha (exp(t_label / beta) - 1)) and rounded to doubles.
 */

/** |a - b| <= rel * max(|b|, 1e-300), element by element. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    expect(Math.abs(actual[k] - expected[k]), `${what}[${k}]: ${actual[k]} vs ${expected[k]}`).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected[k]), 1e-300));
  }
}

describe('Adam: three steps by hand (beta1 0.9, beta2 0.999, epsilon 1e-8, lr 0.01)', () => {
  // Parameters [0.5, -1, 2, 0]; gradients per step below. Step 1 by hand: m = 0.1 g, v = 0.001 g^2, the
  // bias corrections divide by 0.1 and 0.001, so each parameter moves by lr g / (|g| + 1e-8):
  // 0.5 - 0.01 * 0.2 / (0.2 + 1e-8) = 0.4900000005, -1 + 0.01 * 3 / (3 + 1e-8) = -0.99000000003333...,
  // a zero gradient does not move it, and 0 - 0.01 * 1e-3 / (1e-3 + 1e-8) = -0.0099999000009999.
  // Steps 2 and 3: mpmath (40 digits), with the bias corrections 1 - 0.9^t and 1 - 0.999^t.
  const grads = [
    [0.2, -3, 0, 1e-3],
    [0.1, 1, 0.5, 1e-3],
    [-0.4, 2, 0.5, -2e-3],
  ];
  const expected = [
    {
      p: [0.4900000005, -0.9900000000333333, 2.0, -0.00999990000099999],
      m: [0.02, -0.3, 0, 0.0001],
      v: [4e-5, 0.009, 0, 1e-9],
    },
    {
      p: [0.4806782047015365, -0.985997814331691, 1.9925586319747512, -0.01999980000199998],
      m: [0.028, -0.17, 0.05, 0.00019],
      v: [4.996e-5, 0.009991, 0.00025, 1.9990000000000002e-9],
    },
    {
      p: [0.4827417748955474, -0.986800790676352, 1.9839740066273235, -0.019243312042273027],
      m: [-0.0148, 0.047, 0.095, -2.9e-5],
      v: [0.00020991004000000003, 0.013981009, 0.00049975, 5.997001e-9],
    },
  ];

  it('parameters and both moment estimates after each step, split over two parameter arrays', () => {
    // two arrays ([0.5, -1] and [2, 0]) to check that each array keeps its own moments
    const params = [Float64Array.of(0.5, -1), Float64Array.of(2, 0)];
    const adam = new Adam(params, 0.9, 0.999, 1e-8);
    for (let step = 0; step < 3; step++) {
      const g = grads[step];
      adam.update(params, [Float64Array.of(g[0], g[1]), Float64Array.of(g[2], g[3])], 0.01);
      expect(adam.step).toBe(step + 1);
      const e = expected[step];
      expectClose([...params[0], ...params[1]], e.p, 1e-14, `step ${step + 1} parameters`);
      expectClose([...adam.m[0], ...adam.m[1]], e.m, 1e-14, `step ${step + 1} m`);
      expectClose([...adam.v[0], ...adam.v[1]], e.v, 1e-14, `step ${step + 1} v`);
    }
  });

  it('the first step moves every parameter by lr (sign of g) whatever the gradient scale (bias correction)', () => {
    for (const scale of [1e-6, 1, 1e6]) {
      const p = [Float64Array.of(1, 1)];
      new Adam(p).update(p, [Float64Array.of(3 * scale, -0.5 * scale)], 0.05);
      // 1 -+ 0.05 |g| / (|g| + 1e-8): within 1e-8 / |g| (relative) of a step of exactly lr
      expect(Math.abs(p[0][0] - 0.95)).toBeLessThan(0.05 * (1e-8 / (3 * scale)) + 1e-15);
      expect(Math.abs(p[0][1] - 1.05)).toBeLessThan(0.05 * (1e-8 / (0.5 * scale)) + 1e-15);
    }
  });
});

describe('TTFS loss and dL/dt on small inputs (xi 0.2, alpha 0.005, beta 1, silent time 10)', () => {
  it('the default loss options are the ones the values below were derived for', () => {
    expect(DEFAULT_LOSS).toEqual({ xi: 0.2, alpha: 0.005, beta: 1 });
  });
  const cases: { times: number[]; label: number; loss: number; grad: number[]; how: string }[] = [
    {
      // three outputs at 2: p_k = 1/3, L = ln 3 + 0.005 (e^2 - 1) = 1.0986122886681098 + 0.0319452804946533;
      // dL/dt_label = (1 - 1/3) / 0.2 + 0.005 e^2 = 3.3333... + 0.0369452804946533, others -(1/3) / 0.2
      times: [2, 2, 2],
      label: 1,
      loss: 1.130557569162763,
      grad: [-1.6666666666666667, 3.3702786138279865, -1.6666666666666667],
      how: 'by hand',
    },
    {
      // the silent third output stands at t = 10 in the softmax and gets no gradient
      times: [1, 1.5, Infinity],
      label: 0,
      loss: 0.08748114343484485,
      grad: [0.392882309248513, -0.37929090010621774, 0],
      how: 'mpmath',
    },
    {
      times: [1, 1.5, Infinity],
      label: 1,
      loss: 2.59629817964424,
      grad: [-4.620709099893782, 4.643117545245473, 0],
      how: 'mpmath',
    },
    {
      times: [0.3, 0.25, 0.9],
      label: 2,
      loss: 3.854801205599528,
      grad: [-2.1424171959046103, -2.7509181326903995, 4.905633344150795],
      how: 'mpmath',
    },
  ];
  for (const c of cases) {
    it(`times [${c.times.join(', ')}], label ${c.label} (${c.how})`, () => {
      const dLdt = new Float64Array(3).fill(Number.NaN);
      const loss = ttfsLoss(c.times, c.label, DEFAULT_LOSS, 10, dLdt);
      expect(Math.abs(loss - c.loss), `loss ${loss} vs ${c.loss}`).toBeLessThanOrEqual(1e-14 * c.loss);
      expectClose(dLdt, c.grad, 1e-14, 'dL/dt');
    });
  }

  it('other options (xi 0.5, alpha 0.01, beta 2) and a silent output at silent time 3, where it weighs in the softmax (mpmath)', () => {
    const options = { xi: 0.5, alpha: 0.01, beta: 2 };
    for (const [label, loss, grad] of [
      [2, 2.16011444678449, [-1.7336266643946698, 0, 1.7789705534898985]],
      [0, 0.1494188412069008, [0.2746169419588309, 0, -0.23462085565239674]],
    ] as const) {
      const dLdt = new Float64Array(3).fill(Number.NaN);
      expect(Math.abs(ttfsLoss([1, Infinity, 2], label, options, 3, dLdt) - loss)).toBeLessThanOrEqual(1e-14 * loss);
      expectClose(dLdt, grad, 1e-14, `label ${label} dL/dt`);
    }
  });

  it('a silent label neuron gives the fixed loss 100 and no gradient at all', () => {
    const dLdt = new Float64Array(3).fill(Number.NaN);
    expect(SILENT_LABEL_LOSS).toBe(100);
    expect(ttfsLoss([Infinity, 1, 2], 0, DEFAULT_LOSS, 10, dLdt)).toBe(100);
    expect(Array.from(dLdt)).toEqual([0, 0, 0]);
  });
});
