/**
 * A brute-force threshold-crossing oracle that only evaluates the membrane potential (docs/design.md
 * section 1: "a fine-grid brute-force scan is the test oracle"). It knows nothing about the shape of V,
 * so it can judge any substrate's exact search.
 */

/** Argmax of f on [a, b] by golden-section search (f unimodal there); returns the best point seen. */
export function goldenSectionMax(f: (t: number) => number, a: number, b: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let best = f(a) >= f(b) ? a : b;
  let bestF = f(best);
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let k = 0; k < 200 && b - a > 4 * Number.EPSILON * Math.max(1, Math.abs(b)); k++) {
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
  if (f1 > bestF) {
    best = x1;
    bestF = f1;
  }
  if (f2 > bestF) best = x2;
  return best;
}

/** The first double in (lo, hi] at which f >= 0, given f(lo) < 0 <= f(hi), by bisection to adjacent doubles. */
function bisect(f: (t: number) => number, lo: number, hi: number): number {
  for (let k = 0; k < 2100; k++) {
    const mid = lo + 0.5 * (hi - lo);
    if (mid <= lo || mid >= hi) break;
    if (f(mid) >= 0) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The maximum of a function over [start, end]: dense grid, then golden-section refinement around the best grid point. */
export function maximumOnInterval(
  f: (t: number) => number,
  startMs: number,
  endMs: number,
  gridPoints = 2000,
): { timeMs: number; value: number } {
  let bestK = 0;
  let bestF = -Infinity;
  const at = (k: number): number => (k === gridPoints ? endMs : startMs + ((endMs - startMs) * k) / gridPoints);
  for (let k = 0; k <= gridPoints; k++) {
    const v = f(at(k));
    if (v > bestF) {
      bestF = v;
      bestK = k;
    }
  }
  const t = goldenSectionMax(f, at(Math.max(0, bestK - 1)), at(Math.min(gridPoints, bestK + 1)));
  const v = f(t);
  return v > bestF ? { timeMs: t, value: v } : { timeMs: at(bestK), value: bestF };
}

/**
 * The first time in [startMs, endMs] at which `vAt(t) >= thresholdMv`, or Infinity. A grid of
 * `gridPoints` intervals is scanned; a crossing between grid points is bisected to adjacent doubles; at
 * every local maximum of the grid values that stays below threshold, the maximum is refined by
 * golden-section search over the two neighbouring intervals, so that a narrow excursion above threshold
 * (a grazing crossing) between grid points is not missed.
 */
export function bruteForceFirstCrossing(
  vAt: (t: number) => number,
  thresholdMv: number,
  startMs: number,
  endMs: number,
  gridPoints = 2000,
): number {
  if (!(endMs >= startMs)) return Infinity;
  const f = (t: number): number => vAt(t) - thresholdMv;
  const at = (k: number): number => (k === gridPoints ? endMs : startMs + ((endMs - startMs) * k) / gridPoints);
  let fPrev = f(startMs);
  if (fPrev >= 0) return startMs;
  if (endMs === startMs) return Infinity;
  let fPrevPrev = -Infinity; // sentinel: a maximum in the first interval counts as a grid-local maximum
  for (let k = 1; k <= gridPoints; k++) {
    const t = at(k);
    const fk = f(t);
    if (fk >= 0) return bisect(f, at(k - 1), t);
    if (fPrev > fPrevPrev && fPrev >= fk) {
      // every grid value so far is < 0, so f(lo) < 0 brackets the crossing with the refined peak
      const lo = at(Math.max(0, k - 2));
      const peak = goldenSectionMax(f, lo, t);
      if (f(peak) >= 0) return bisect(f, lo, peak);
    }
    fPrevPrev = fPrev;
    fPrev = fk;
  }
  return Infinity;
}
