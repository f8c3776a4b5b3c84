import type { LifConstants } from './constants.ts';
import { DV_DT, D2V_DT2, I_EXC, I_INH, V, propagateFree, propagationScratch } from './propagator.ts';

const scratch = propagationScratch();

/** Slot of `horizonState` holding the horizon it was computed for. */
const HORIZON = 3;

/**
 * The free state (V, I_E, I_I) at the horizon from the last `firstCrossingTime` call that evaluated it,
 * with that horizon in slot 3 (NaN when the last call did not reach it). Exactly what `propagateFree` gives
 * for the same arguments, so a caller that then advances to the horizon can reuse it.
 */
export const horizonState = new Float64Array([NaN, NaN, NaN, NaN]);
const EPS = Number.EPSILON;

/** Which function of time a root is sought for. */
const enum Target {
  /** V(t) - v_thresh: the threshold crossing. */
  Crossing,
  /** dV/dt: a critical point of V. */
  CriticalPoint,
}

function evaluate(
  k: LifConstants,
  i: number,
  v0: number,
  iE0: number,
  iI0: number,
  t: number,
  target: Target,
): number {
  propagateFree(k, i, v0, iE0, iI0, t, scratch);
  return target === Target.Crossing ? scratch[V] - k.vThreshMv[i] : scratch[DV_DT];
}

/**
 * Safeguarded Newton on a bracket [lo, hi] whose end values have opposite signs; `hiSign` is the sign
 * of f(hi) (+1 or -1). Newton steps that leave the bracket or fail to halve it twice in a row are
 * replaced by bisection; a converged Newton iterate is pushed one tolerance past the root so that the
 * bracket closes from both sides. Returns a point on the `hi` side (sign(f) = hiSign or f = 0)
 * within the final bracket width of the root; for crossings that width is one ulp.
 */
function solveBracketed(
  k: LifConstants,
  i: number,
  v0: number,
  iE0: number,
  iI0: number,
  lo: number,
  hi: number,
  hiSign: number,
  target: Target,
): number {
  let x = 0.5 * (lo + hi);
  let widthBefore = hi - lo;
  let slowSteps = 0;
  for (let iter = 0; iter < 200; iter++) {
    const f = evaluate(k, i, v0, iE0, iI0, x, target);
    const df = target === Target.Crossing ? scratch[DV_DT] : scratch[D2V_DT2];
    // f = 0 counts as the hi side: the crossing is the first time V >= v_thresh, and a critical point is
    // where dV/dt stops having the sign it had at lo (it may underflow to exactly 0 far out)
    const onHiSide = f * hiSign > 0 || f === 0;
    if (onHiSide) hi = x;
    else lo = x;
    const width = hi - lo;
    const tol = 2 * EPS * hi;
    // Critical points only split pieces; crossings are narrowed down to two adjacent doubles so that the
    // answer (the first double at which V >= v_thresh) does not depend on the bracket it started from.
    if (target === Target.CriticalPoint && width <= tol) break;
    if (width > 0.5 * widthBefore) slowSteps++;
    else slowSteps = 0;
    widthBefore = width;

    let next = df !== 0 ? x - f / df : NaN;
    if (next > lo && next < hi && slowSteps < 2) {
      const step = Math.abs(next - x);
      // step past the root towards the side that has not moved, to close the bracket
      if (step < tol) next = onHiSide ? Math.max(next - tol, lo + 0.5 * width) : Math.min(next + tol, hi);
    } else {
      next = lo + 0.5 * width;
      slowSteps = 0;
    }
    if (next <= lo || next >= hi) {
      next = lo + 0.5 * width;
      if (next <= lo || next >= hi) break; // bracket is two adjacent doubles
    }
    x = next;
  }
  return hi;
}

/**
 * The first time t in (0, horizonMs] at which the free membrane potential of neuron `i`, starting from
 * (v0 mV, iExc0 nA, iInh0 nA) at t = 0, reaches v_thresh; Infinity if it does not; 0 if v0 >= v_thresh.
 *
 * Method (design.md section 1): V' = e^{-a t} g(t) with g' = -e^{a t} (b_E I_E(t) + b_I I_I(t)) / C_m,
 * whose sign changes at most once (at the split time s below), so V' changes sign at most once on each
 * side of s: V is monotone between at most four breakpoints (0, s, the zeros of V', horizon). The first
 * monotone piece whose right end reaches v_thresh holds the crossing, found by safeguarded Newton; a
 * maximum that just touches v_thresh counts. A cheap O(1) upper bound rejects most calls first.
 * The returned time is never before the crossing: V evaluated there is >= v_thresh.
 */
export function firstCrossingTime(
  k: LifConstants,
  i: number,
  v0: number,
  iExc0: number,
  iInh0: number,
  horizonMs: number,
): number {
  const theta = k.vThreshMv[i];
  horizonState[HORIZON] = NaN;
  if (v0 >= theta) return 0;
  if (!(horizonMs > 0)) return Infinity;

  // Upper bound: c + (v0 - c) e^{-at} <= max(v0, c) and 0 <= K(t) <= min(K_peak, t).
  const invC = k.invCapacitance[i];
  let bound = Math.max(v0, k.vAsymptoteMv[i]);
  if (iExc0 > 0) bound += invC * iExc0 * Math.min(k.kernelPeakExcMs[i], horizonMs);
  if (iInh0 > 0) bound += invC * iInh0 * Math.min(k.kernelPeakInhMs[i], horizonMs);
  if (bound < theta - 8 * EPS * (Math.abs(theta) + Math.abs(bound))) return Infinity;

  // Split time s where b_E I_E(t) + b_I I_I(t) changes sign (only if the currents have opposite signs).
  const bE = k.rateExc[i];
  const bI = k.rateInh[i];
  let split = Infinity;
  if (bE !== bI && iExc0 * iInh0 < 0) {
    split = Math.log(-(bI * iInh0) / (bE * iExc0)) / (bI - bE);
  }
  const hasSplit = split > 0 && split < horizonMs;

  // dV/dt at 0 (propagateFree at t = 0 reduces to this exactly)
  let tPrev = 0;
  let dvPrev = -k.rateMem[i] * (v0 - k.vAsymptoteMv[i]) + invC * (iExc0 + iInh0);
  let pieceStart = 0;
  let vPieceStart = v0;
  for (let piece = 0; piece < 2; piece++) {
    const r = piece === 0 && hasSplit ? split : horizonMs;
    propagateFree(k, i, v0, iExc0, iInh0, r, scratch);
    const vR = scratch[V];
    const dvR = scratch[DV_DT];
    if (r === horizonMs) {
      horizonState[V] = vR;
      horizonState[I_EXC] = scratch[I_EXC];
      horizonState[I_INH] = scratch[I_INH];
      horizonState[HORIZON] = horizonMs;
    }
    // a maximum inside (tPrev, r]; dV/dt = 0 at r counts (far horizons underflow to exactly 0)
    if ((dvPrev > 0 && dvR <= 0) || (dvPrev < 0 && dvR > 0)) {
      const z = solveBracketed(k, i, v0, iExc0, iInh0, tPrev, r, dvR > 0 ? 1 : -1, Target.CriticalPoint);
      propagateFree(k, i, v0, iExc0, iInh0, z, scratch);
      if (scratch[V] >= theta) {
        return solveBracketed(k, i, v0, iExc0, iInh0, pieceStart, z, 1, Target.Crossing);
      }
      pieceStart = z;
      vPieceStart = scratch[V];
    }
    if (vR >= theta) {
      return vPieceStart >= theta ? pieceStart : solveBracketed(k, i, v0, iExc0, iInh0, pieceStart, r, 1, Target.Crossing);
    }
    pieceStart = r;
    vPieceStart = vR;
    tPrev = r;
    dvPrev = dvR;
    if (r === horizonMs) break;
  }
  return Infinity;
}
