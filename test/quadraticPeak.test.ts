import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lifConstants } from '../core/lif/constants.ts';
import { lifParamArrays } from '../core/lif/params.ts';
import { V, propagateFree, propagationScratch } from '../core/lif/propagator.ts';
import { quadraticPeak } from '../core/engine/windowedLif.ts';
import { unitParams } from './helpers/networks.ts';

// The windowed sweep skips the crossing search on an interval when quadraticPeak says V stays below
// threshold there (tau_syn = tau_m / 2). Checked against a brute-force scan of the exact free evolution.
describe('quadraticPeak: the maximum of free V over an interval, tau_syn_E = tau_syn_I = tau_m / 2', () => {
  it('bounds V at every scanned time and is reached by the scan (2001 points of propagateFree)', () => {
    const out = propagationScratch();
    let vertexInside = 0;
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 40, noNaN: true }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: 1e-3, max: 3, noNaN: true }),
        (tauM, cm, v0, iE, iI, hOverTau) => {
          const k = lifConstants(lifParamArrays(1, { ...unitParams, tauMemMs: tauM, tauSynExcMs: tauM / 2, tauSynInhMs: tauM / 2, capacitanceNf: cm }));
          const a = k.rateMem[0];
          const c = k.vAsymptoteMv[0];
          const h = hOverTau * tauM;
          const x = Math.exp(-a * h);
          const u = v0 - c;
          const gs = ((iE + iI) * k.invCapacitance[0]) / k.rateDiffExc[0];
          const qEnd = u * x + gs * (x * (1 - x));
          const peak = quadraticPeak(u, gs, x, qEnd);
          let scanMax = -Infinity;
          const scale = Math.abs(u) + Math.abs(gs) + 1;
          for (let j = 0; j <= 2000; j++) {
            propagateFree(k, 0, v0, iE, iI, (j * h) / 2000, out);
            const q = out[V] - c;
            if (q > scanMax) scanMax = q;
          }
          expect(scanMax).toBeLessThanOrEqual(peak + 1e-13 * scale);
          // the scan's grid misses the vertex by at most half a step in x (a step is at most a h / 2000):
          // q'' (dx / 2)^2 / 2 with |q''| = 2 |gs|
          const dx = (a * h) / 2000;
          expect(scanMax).toBeGreaterThanOrEqual(peak - Math.abs(gs) * (dx / 2) ** 2 - 1e-13 * scale);
          const xs = 0.5 + u / (2 * gs);
          if (gs > 0 && xs > x && xs < 1) vertexInside++;
        },
      ),
      { numRuns: 1000, seed: 7 },
    );
    // the interior maximum (the vertex) was exercised, not only the end values
    expect(vertexInside).toBeGreaterThan(40);
  });
});
