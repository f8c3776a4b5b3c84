/**
 * Independent reference formulas for tests: the membrane potential of a free LIF neuron written directly
 * from the textbook solution (no shared code with core/lif), with a Taylor series where the time
 * constants nearly coincide, and a brute-force first-crossing oracle (fine grid plus local refinement).
 */
export interface RefParams {
  tauM: number;
  tauE: number;
  tauI: number;
  cm: number;
  vRest: number;
  iOffset: number;
  vThresh: number;
}

/** integral_0^t e^{-(t-s)/tauM} e^{-s/tauS} ds, by the difference formula or a Taylor series in (1/tauS - 1/tauM) t. */
export function refKernel(tauM: number, tauS: number, t: number): number {
  const d = 1 / tauS - 1 / tauM;
  const x = d * t;
  if (Math.abs(x) < 1e-3) {
    // t e^{-t/tauM} (1 - x/2 + x^2/6 - x^3/24 + ...)
    let sum = 0;
    let term = 1;
    for (let n = 1; n < 12; n++) {
      sum += term / n;
      term *= -x;
      term /= n;
      // term now (-x)^n / n!; next sum adds (-x)^n/(n+1)!
    }
    return t * Math.exp(-t / tauM) * sum;
  }
  return ((tauM * tauS) / (tauM - tauS)) * (Math.exp(-t / tauM) - Math.exp(-t / tauS));
}

/** V(t) of a free neuron from (v0, iE0, iI0) at t = 0. */
export function refVoltage(p: RefParams, v0: number, iE0: number, iI0: number, t: number): number {
  const c = p.vRest + (p.iOffset * p.tauM) / p.cm;
  return c + (v0 - c) * Math.exp(-t / p.tauM) + (iE0 * refKernel(p.tauM, p.tauE, t) + iI0 * refKernel(p.tauM, p.tauI, t)) / p.cm;
}

/**
 * First t in (0, horizon] with f(t) >= 0 by a grid of `steps` points, refined by bisection; local maxima
 * of the grid below zero are refined by golden-section search so narrow crossings between grid points
 * are not missed. Returns Infinity if none.
 */
export function bruteForceFirstCrossing(f: (t: number) => number, horizon: number, steps: number): number {
  const h = horizon / steps;
  let prevT = 0;
  let prev = f(0);
  if (prev >= 0) return 0;
  let prevPrev = -Infinity;
  for (let k = 1; k <= steps; k++) {
    const t = k === steps ? horizon : k * h;
    const v = f(t);
    if (v >= 0) return bisect(f, prevT, t);
    // a grid-local maximum at prevT: refine the maximum over [prevT - h, t]
    if (k >= 2 && prev > prevPrev && prev >= v) {
      const peak = goldenMax(f, Math.max(0, prevT - h), t);
      if (f(peak) >= 0) return bisect(f, Math.max(0, prevT - h), peak);
    }
    prevPrev = prev;
    prev = v;
    prevT = t;
  }
  return Infinity;
}

function bisect(f: (t: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 200 && hi - lo > 0; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (f(mid) >= 0) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Argmax of a unimodal function on [a, b] by golden-section search. */
export function goldenMax(f: (t: number) => number, a: number, b: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < 200 && b - a > 1e-15 * Math.max(1, b); i++) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = f(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = f(x1);
    }
  }
  return f1 > f2 ? x1 : x2;
}
