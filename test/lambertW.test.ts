import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INV_E, lambertW0, lambertWm1 } from '../core/numerics/lambertW.ts';

const EPS = Number.EPSILON;

function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs((actual - expected) / expected);
}

/**
 * Residual check of w e^w = x. The tolerance is 1e-14 relative in x, widened only where rounding w
 * itself to a double already moves w e^w by more (d(w e^w)/(w e^w) = (1 + w)/w dw, and dw of one or
 * two ulps gives about 2 eps |1 + w|; this exceeds 1e-14 only for |1 + w| > 22, i.e. x > 1e10 on W0
 * and x > -1e-9 on W-1), and 1e-15 absolute near 0.
 */
function expectInverse(w: number, x: number): void {
  const residual = Math.abs(w * Math.exp(w) - x);
  const tolerance = Math.max(1e-14 * Math.abs(x), 2 * EPS * Math.abs(1 + w) * Math.abs(x), Math.abs(x) < 1e-3 ? 1e-15 : 0);
  expect(residual).toBeLessThanOrEqual(tolerance);
}

describe('Lambert W: known values', () => {
  it('W0 at 1, e, 0, -1/e and the branch point of W-1', () => {
    expect(relativeError(lambertW0(1), 0.5671432904097838)).toBeLessThanOrEqual(1e-14);
    expect(relativeError(lambertW0(Math.E), 1)).toBeLessThanOrEqual(1e-14);
    expect(lambertW0(0)).toBe(0);
    expect(lambertW0(-INV_E)).toBe(-1);
    expect(lambertWm1(-INV_E)).toBe(-1);
    expect(lambertW0(-Math.exp(-1))).toBe(-1);
    expect(lambertWm1(-1 / Math.E)).toBe(-1);
    expect(relativeError(lambertWm1(-0.1), -3.577152063957297)).toBeLessThanOrEqual(1e-14);
  });

  it('W(x e^x) = x on the branch containing x', () => {
    for (const w of [2, 0.5, -0.5, 5, 50, 1e-6]) {
      expect(relativeError(lambertW0(w * Math.exp(w)), w)).toBeLessThanOrEqual(1e-14);
    }
    for (const w of [-2, -1.5, -3, -10, -40]) {
      expect(relativeError(lambertWm1(w * Math.exp(w)), w)).toBeLessThanOrEqual(1e-14);
    }
  });

  it('W0(+Infinity) = +Infinity and W0(-0) = -0', () => {
    expect(lambertW0(Infinity)).toBe(Infinity);
    expect(Object.is(lambertW0(-0), -0)).toBe(true);
  });

  // Reference values from mpmath 1.3.0 lambertw at 200-bit precision, rounded to double.
  const W0_TABLE: readonly (readonly [number, number])[] = [
    [-0.36787944117144133, -0.9999999267562402],
    [-0.36787944117044236, -0.9999976683981106],
    [-0.3678794401714423, -0.9999262687548364],
    [-0.36787844117144236, -0.9976701662720535],
    [-0.3, -0.4894022271802149],
    [-0.25, -0.3574029561813889],
    [-0.1, -0.11183255915896297],
    [-1e-5, -1.0000100001500027e-5],
    [1e-300, 1e-300],
    [1e-10, 9.999999999e-11],
    [0.5, 0.35173371124919584],
    [3.0, 1.04990889496404],
    [10.0, 1.7455280027406994],
    [1000.0, 5.249602852401596],
    [1e20, 42.306755091738395],
    [1e300, 684.2472086297608],
    [1.7976931348623157e308, 703.2270331047702],
  ];
  const WM1_TABLE: readonly (readonly [number, number])[] = [
    [-0.36787944117144133, -1.0000000732437635],
    [-0.36787944117044236, -1.0000023316055138],
    [-0.3678794401714423, -1.0000737348695394],
    [-0.36787844117144236, -1.0023334581084247],
    [-0.3, -1.7813370234216277],
    [-0.25, -2.15329236411035],
    [-0.2, -2.5426413577735265],
    [-0.001, -9.11800647040274],
    [-1e-10, -26.295238819246926],
    [-1e-100, -235.72115887568532],
    [-1e-300, -697.3227762954601],
    [-5e-324, -751.0615595398791],
  ];

  it('matches high-precision reference values to 1e-14 relative (W0)', () => {
    let worst = 0;
    for (const [x, w] of W0_TABLE) {
      worst = Math.max(worst, relativeError(lambertW0(x), w));
    }
    expect(worst).toBeLessThanOrEqual(1e-14);
  });

  it('matches high-precision reference values to 1e-14 relative (W-1)', () => {
    let worst = 0;
    for (const [x, w] of WM1_TABLE) {
      worst = Math.max(worst, relativeError(lambertWm1(x), w));
    }
    expect(worst).toBeLessThanOrEqual(1e-14);
  });
});

describe('Lambert W: inverse property over the whole domain', () => {
  const FC = { numRuns: 3000, seed: 20210101 };
  const logUniform = (minExp: number, maxExp: number): fc.Arbitrary<number> =>
    fc.integer({ min: 0, max: 0x3fffffff }).map((i) => 10 ** (minExp + ((maxExp - minExp) * i) / 0x3fffffff));

  it('W0(x) e^W0(x) = x for x in [-1/e, 1e308]', () => {
    const x = fc.oneof(
      logUniform(-17, -0.5).map((d) => -INV_E + d), // within 1e-17..0.3 of -1/e
      fc.double({ min: -INV_E, max: 10, noNaN: true }),
      logUniform(-320, 308),
      logUniform(-320, -0.6).map((m) => -m),
    );
    fc.assert(
      fc.property(x, (value) => {
        const w = lambertW0(value);
        expect(w).toBeGreaterThanOrEqual(-1);
        expectInverse(w, value);
      }),
      FC,
    );
  });

  it('W-1(x) e^W-1(x) = x for x in [-1/e, 0)', () => {
    const x = fc.oneof(
      logUniform(-17, -0.45).map((d) => -INV_E + d),
      fc.double({ min: -INV_E, max: -Number.MIN_VALUE, noNaN: true }),
      logUniform(-323, -0.44).map((m) => -m),
    );
    fc.assert(
      fc.property(x, (value) => {
        const w = lambertWm1(value);
        expect(w).toBeLessThanOrEqual(-1);
        expectInverse(w, value);
      }),
      FC,
    );
  });

  it('points within 1e-12 of -1/e: inverse and the branch-point expansion', () => {
    for (let i = 1; i <= 200; i += 1) {
      const distance = (i / 200) * 1e-12;
      const x = -INV_E + distance;
      const w0 = lambertW0(x);
      const wm1 = lambertWm1(x);
      expectInverse(w0, x);
      expectInverse(wm1, x);
      // W = -1 +- p - p^2/3 + O(p^3), p = sqrt(2 (1 + e x)) (Corless et al. 1996, eq. 4.22).
      const p = Math.sqrt(2 * Math.E * (x + INV_E - 1.2428753672788363e-17));
      expect(Math.abs(w0 - (-1 + p - (p * p) / 3))).toBeLessThanOrEqual(p ** 3 + 1e-15);
      expect(Math.abs(wm1 - (-1 - p - (p * p) / 3))).toBeLessThanOrEqual(p ** 3 + 1e-15);
      expect(w0).toBeGreaterThan(-1);
      expect(wm1).toBeLessThan(-1);
    }
  });

  it('is monotone: W0 increasing and W-1 decreasing on a grid', () => {
    let previous0 = -Infinity;
    let previousM1 = Infinity;
    for (let i = 0; i <= 2000; i += 1) {
      const x = -INV_E + (i / 2000) * (INV_E - 1e-9);
      const w0 = lambertW0(x);
      const wm1 = lambertWm1(x);
      expect(w0).toBeGreaterThanOrEqual(previous0);
      expect(wm1).toBeLessThanOrEqual(previousM1);
      previous0 = w0;
      previousM1 = wm1;
    }
  });
});

describe('Lambert W: domain errors', () => {
  it('throws RangeError naming the function, the value and the domain', () => {
    expect(() => lambertW0(-0.5)).toThrow(RangeError);
    expect(() => lambertW0(-0.5)).toThrow(/lambertW0.*-0\.5.*\[-1\/e, \+Infinity\)/);
    expect(() => lambertW0(Number.NaN)).toThrow(/lambertW0.*NaN/);
    expect(() => lambertW0(-Infinity)).toThrow(RangeError);
    // The next double below -INV_E is outside the domain.
    expect(() => lambertW0(-0.3678794411714424)).toThrow(RangeError);
    expect(() => lambertWm1(0)).toThrow(/lambertWm1.*0.*\[-1\/e, 0\)/);
    expect(() => lambertWm1(0.5)).toThrow(RangeError);
    expect(() => lambertWm1(-1)).toThrow(RangeError);
    expect(() => lambertWm1(Number.NaN)).toThrow(RangeError);
    expect(() => lambertWm1(Infinity)).toThrow(RangeError);
  });
});
