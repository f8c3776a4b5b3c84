import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceState, membranePotentialAt, receiveSpike, restingState, type LifState } from '../core/lif/neuron.ts';
import type { LifParams } from '../core/lif/params.ts';
import { refKernel, refVoltage } from './helpers/reference.ts';

const base: LifParams = {
  tauMemMs: 10,
  tauSynExcMs: 5,
  tauSynInhMs: 5,
  capacitanceNf: 1,
  vRestMv: -65,
  vResetMv: -70,
  vThreshMv: -50,
  tauRefracMs: 2,
  iOffsetNa: 0,
};

const relClose = (a: number, b: number, rel: number, abs = 0): boolean =>
  Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;

describe('exact LIF propagator', () => {
  it('advancing by t1 then t2 equals advancing by t1 + t2 (including refractory holds)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        fc.double({ min: 0.2, max: 20, noNaN: true }),
        fc.double({ min: 0.2, max: 20, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 5, noNaN: true })),
        fc.oneof(fc.constant(0), fc.double({ min: -5, max: -1e-6, noNaN: true })),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        (tauM, tauE, tauI, iOffset, iE, iI, refLeft, t1, t2) => {
          const p = { ...base, tauMemMs: tauM, tauSynExcMs: tauE, tauSynInhMs: tauI, iOffsetNa: iOffset };
          const s: LifState = { vMv: -60, iExcNa: iE, iInhNa: iI, refractoryLeftMs: refLeft };
          const twoSteps = advanceState(advanceState(s, p, t1), p, t2);
          const oneStep = advanceState(s, p, t1 + t2);
          expect(relClose(twoSteps.vMv, oneStep.vMv, 1e-12, 1e-12)).toBe(true);
          expect(relClose(twoSteps.iExcNa, oneStep.iExcNa, 1e-12, 1e-280)).toBe(true);
          expect(relClose(twoSteps.iInhNa, oneStep.iInhNa, 1e-12, 1e-280)).toBe(true);
          expect(twoSteps.refractoryLeftMs).toBeCloseTo(oneStep.refractoryLeftMs, 12);
        },
      ),
      { numRuns: 2000, seed: 7 },
    );
  });

  // PSP of one input of weight w at t = 0 onto a resting neuron: (w / C_m) K(t), K written out by hand.
  const pspCases: [string, number, number][] = [
    ['tau_m > tau_s', 10, 5],
    ['tau_m < tau_s', 3, 8],
    ['tau_m = tau_s', 6, 6],
    ['tau_m = tau_s (1 + 1e-9)', 6, 6 * (1 + 1e-9)],
    ['tau_m = tau_s (1 - 1e-9)', 6, 6 * (1 - 1e-9)],
    ['tau_m = tau_s (1 + 1e-14)', 6, 6 * (1 + 1e-14)],
  ];
  for (const [label, tauM, tauS] of pspCases) {
    it(`matches the analytic PSP of a single input, ${label}`, () => {
      const p = { ...base, tauMemMs: tauM, tauSynExcMs: tauS, tauSynInhMs: tauS, capacitanceNf: 0.25 };
      const w = 0.7;
      const s = receiveSpike(restingState(p), w);
      let worst = 0;
      for (let t = 0; t <= 80; t += 0.37) {
        const expected =
          tauM === tauS ? p.vRestMv + (w / p.capacitanceNf) * t * Math.exp(-t / tauM) : p.vRestMv + (w / p.capacitanceNf) * refKernel(tauM, tauS, t);
        const got = membranePotentialAt(s, p, t);
        const psp = got - p.vRestMv;
        const expectedPsp = expected - p.vRestMv;
        worst = Math.max(worst, Math.abs(psp - expectedPsp) / Math.max(1e-300, Math.abs(expectedPsp) || 1));
      }
      expect(worst).toBeLessThan(1e-12);
    });
  }

  it('peak of the equal-tau PSP is at t = tau with height (w / C_m) tau / e (hand-derived)', () => {
    const p = { ...base, tauMemMs: 4, tauSynExcMs: 4, tauSynInhMs: 4, capacitanceNf: 2, vRestMv: 0 };
    const s = receiveSpike(restingState(p), 3);
    expect(membranePotentialAt(s, p, 4)).toBeCloseTo(((3 / 2) * 4) / Math.E, 14);
    expect(membranePotentialAt(s, p, 4 - 1e-4)).toBeLessThan(membranePotentialAt(s, p, 4));
    expect(membranePotentialAt(s, p, 4 + 1e-4)).toBeLessThan(membranePotentialAt(s, p, 4));
  });

  it('an offset current drives V to v_rest + I tau_m / C_m: V(t) = c + (V0 - c) e^{-t/tau_m}', () => {
    const p = { ...base, iOffsetNa: 0.5, capacitanceNf: 0.5, tauMemMs: 20 };
    const c = p.vRestMv + (0.5 * 20) / 0.5;
    const s = { ...restingState(p) };
    for (const t of [0, 1, 10, 100]) {
      expect(membranePotentialAt(s, p, t)).toBeCloseTo(c + (p.vRestMv - c) * Math.exp(-t / 20), 12);
    }
  });

  it('agrees with the independent reference voltage for random states and all tau orderings', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        fc.double({ min: 0.2, max: 20, noNaN: true }),
        fc.double({ min: 0.2, max: 20, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 0, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (tauM, tauE, tauI, iOffset, iE, iI, t) => {
          const p = { ...base, tauMemMs: tauM, tauSynExcMs: tauE, tauSynInhMs: tauI, iOffsetNa: iOffset };
          const got = membranePotentialAt({ vMv: -60, iExcNa: iE, iInhNa: iI, refractoryLeftMs: 0 }, p, t);
          const want = refVoltage(
            { tauM, tauE, tauI, cm: p.capacitanceNf, vRest: p.vRestMv, iOffset, vThresh: p.vThreshMv },
            -60,
            iE,
            iI,
            t,
          );
          expect(Math.abs(got - want)).toBeLessThan(1e-9 * (1 + Math.abs(want)));
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('holds V at v_reset during the refractory period while currents decay', () => {
    const s: LifState = { vMv: -70, iExcNa: 2, iInhNa: -1, refractoryLeftMs: 2 };
    const after1 = advanceState(s, base, 1);
    expect(after1.vMv).toBe(-70);
    expect(after1.iExcNa).toBeCloseTo(2 * Math.exp(-1 / 5), 14);
    expect(after1.iInhNa).toBeCloseTo(-Math.exp(-1 / 5), 14);
    expect(after1.refractoryLeftMs).toBeCloseTo(1, 14);
    // after release V evolves from v_reset with the decayed currents
    const after3 = advanceState(s, base, 3);
    const expected = refVoltage(
      { tauM: 10, tauE: 5, tauI: 5, cm: 1, vRest: -65, iOffset: 0, vThresh: -50 },
      -70,
      2 * Math.exp(-2 / 5),
      -Math.exp(-2 / 5),
      1,
    );
    expect(after3.vMv).toBeCloseTo(expected, 12);
  });
});
