import type { LifConstants } from './constants.ts';
import { DV_DT, D2V_DT2, I_EXC, I_INH, V, propagateFree, propagationScratch } from './propagator.ts';

const scratch = propagationScratch();

/** Slot of `horizonState` holding the horizon it was computed for. */
export const HORIZON = 3;

/**
 * The free state (V, I_E, I_I) at the horizon from the last `firstCrossingTime` call that evaluated it,
 * with that horizon in slot 3 (NaN when the last call did not reach it). Exactly what `propagateFree` gives
 * for the same arguments, so a caller that then advances to the horizon can reuse it.
 */
export const horizonState = new Float64Array([NaN, NaN, NaN, NaN]);
const EPS = Number.EPSILON;

// Neighbouring doubles of a non-negative finite x, by stepping its bit pattern (little-endian words).
const bitsF64 = new Float64Array(1);
const bitsU32 = new Uint32Array(bitsF64.buffer);
function nextUp(x: number): number {
  bitsF64[0] = x;
  if (bitsU32[0] === 0xffffffff) {
    bitsU32[0] = 0;
    bitsU32[1]++;
  } else bitsU32[0]++;
  return bitsF64[0];
}
function nextDown(x: number): number {
  if (x <= 0) return -Number.MIN_VALUE;
  bitsF64[0] = x;
  if (bitsU32[0] === 0) {
    bitsU32[0] = 0xffffffff;
    bitsU32[1]--;
  } else bitsU32[0]--;
  return bitsF64[0];
}

/**
 * Steps of the final walk over neighbouring doubles before falling back to bracketing and bisection. Near a
 * crossing the computed V is flat at the ulp scale over tens of ulps (its rounding, ~1e-16 mV, exceeds its
 * change per ulp of t), where a long walk rarely ends: on the bench network (N = 4000) 12 steps cost 22.3
 * evaluations of V per spike, 2 steps 14.8, for an equally valid adjacent pair.
 */
const MAX_WALK = 2;

/**
 * The threshold crossing on a rising piece [lo, hi] with V(lo) < v_thresh <= V(hi): the first double t
 * of the piece with V(t) >= v_thresh, i.e. the upper one of two adjacent doubles whose V lie on either
 * side of threshold (vLo, vHi: V at the ends). Starting on the chord, Halley's method safeguarded by bisection (a step that leaves the bracket, or one that is not
 * at least twice as short as the one before, becomes a bisection) brings the iterate to within a few ulps;
 * a walk over neighbouring doubles then settles the answer. Never returns a time with V below threshold.
 */
function solveCrossing(
  k: LifConstants,
  i: number,
  v0: number,
  iE0: number,
  iI0: number,
  lo: number,
  hi: number,
  vLo: number,
  vHi: number,
): number {
  const theta = k.vThreshMv[i];
  // start from the chord between the bracket ends
  let x = lo + (hi - lo) * ((theta - vLo) / (vHi - vLo));
  if (!(x > lo && x < hi)) x = lo + 0.5 * (hi - lo);
  let lastStep = Infinity;
  for (let iter = 0; iter < 200; iter++) {
    propagateFree(k, i, v0, iE0, iI0, x, scratch);
    const f = scratch[V] - theta;
    const df = scratch[DV_DT];
    if (f >= 0) hi = x;
    else lo = x;
    // Halley's step (V'' comes with the propagation), Newton's where its denominator is not positive
    const den = 2 * df * df - f * scratch[D2V_DT2];
    let next = df > 0 ? (den > 0 ? x - (2 * f * df) / den : x - f / df) : NaN;
    const step = Math.abs(next - x);
    if (step <= 4 * EPS * x) {
      // converged to within a few ulps (Newton may land on a bracket end: the root is there)
      if (next > lo && next < hi) {
        propagateFree(k, i, v0, iE0, iI0, next, scratch);
        if (scratch[V] >= theta) hi = next;
        else lo = next;
        x = next;
      }
      break;
    }
    if (next > lo && next < hi && step <= 0.5 * lastStep) {
      lastStep = step;
    } else {
      next = lo + 0.5 * (hi - lo);
      lastStep = hi - lo;
      if (next <= lo || next >= hi) return hi; // lo and hi are adjacent doubles
    }
    x = next;
  }
  // x is a bracket end within a few ulps of threshold: walk over neighbouring doubles to the adjacent pair
  for (let walk = 0; walk < MAX_WALK; walk++) {
    if (x === hi) {
      const below = nextDown(hi);
      if (below <= lo) return hi;
      propagateFree(k, i, v0, iE0, iI0, below, scratch);
      if (!(scratch[V] >= theta)) return hi;
      hi = below;
      x = below;
    } else {
      const above = nextUp(lo);
      if (above >= hi) return hi;
      propagateFree(k, i, v0, iE0, iI0, above, scratch);
      if (scratch[V] >= theta) return above;
      lo = above;
      x = above;
    }
  }
  // V is flat at the ulp scale here (rounding noise over many ulps): bracket x tightly, then bisect
  const delta = 4 * EPS * x;
  if (x === hi) {
    let probe = hi - delta;
    while (probe > lo) {
      propagateFree(k, i, v0, iE0, iI0, probe, scratch);
      if (!(scratch[V] >= theta)) {
        lo = probe;
        break;
      }
      hi = probe;
      probe = hi - 2 * (x - probe);
    }
  } else {
    let probe = lo + delta;
    while (probe < hi) {
      propagateFree(k, i, v0, iE0, iI0, probe, scratch);
      if (scratch[V] >= theta) {
        hi = probe;
        break;
      }
      lo = probe;
      probe = lo + 2 * (probe - x);
    }
  }
  for (;;) {
    const mid = lo + 0.5 * (hi - lo);
    if (mid <= lo || mid >= hi) return hi;
    propagateFree(k, i, v0, iE0, iI0, mid, scratch);
    if (scratch[V] >= theta) hi = mid;
    else lo = mid;
  }
}

/**
 * A zero of dV/dt in [lo, hi], where dV/dt changes sign, to about two ulps (critical points only split V
 * into monotone pieces). When both currents decay at one rate (or one of them is zero) the zero has a closed
 * form: with g = I(0) / C_m and d = b - a, V'(t) = e^{-at} (-a (v0 - c) - a g / d) + e^{-bt} g b / d, so
 * e^{-dt} = a ((v0 - c) d + g) / (g b), and t = 1/a - (v0 - c) / g when d = 0. Otherwise safeguarded Newton.
 */
function solveCriticalPoint(
  k: LifConstants,
  i: number,
  v0: number,
  iE0: number,
  iI0: number,
  lo: number,
  hi: number,
  hiSign: number,
): number {
  let g = NaN;
  let d = 0;
  let b = 0;
  if (k.rateExc[i] === k.rateInh[i] || iI0 === 0) {
    g = (iE0 + iI0) * k.invCapacitance[i];
    d = k.rateDiffExc[i];
    b = k.rateExc[i];
  } else if (iE0 === 0) {
    g = iI0 * k.invCapacitance[i];
    d = k.rateDiffInh[i];
    b = k.rateInh[i];
  }
  if (g !== 0 && !Number.isNaN(g)) {
    const a = k.rateMem[i];
    const u = v0 - k.vAsymptoteMv[i];
    const t = d === 0 ? 1 / a - u / g : -Math.log((a * (u * d + g)) / (g * b)) / d;
    if (t >= lo && t <= hi) return t;
  }
  let x = lo + 0.5 * (hi - lo);
  let lastStep = Infinity;
  for (let iter = 0; iter < 200; iter++) {
    propagateFree(k, i, v0, iE0, iI0, x, scratch);
    const f = scratch[DV_DT];
    const df = scratch[D2V_DT2];
    // f = 0 counts as the hi side (dV/dt may underflow to exactly 0 far out)
    if (f * hiSign > 0 || f === 0) hi = x;
    else lo = x;
    let next = df !== 0 ? x - f / df : NaN;
    const step = Math.abs(next - x);
    if (next > lo && next < hi && step <= 0.5 * lastStep) {
      lastStep = step;
      if (step <= 2 * EPS * next) return next;
    } else {
      next = lo + 0.5 * (hi - lo);
      lastStep = hi - lo;
      if (hi - lo <= 2 * EPS * hi || next <= lo || next >= hi) return hi;
    }
    x = next;
  }
  return hi;
}

/**
 * The O(1) test that rules out most crossing searches: true when neuron i, free from (v0, iExc0, iInh0)
 * below threshold, provably stays below v_thresh during (0, horizonMs] (horizonMs > 0). Upper bound:
 * c + (v0 - c) e^{-at} <= max(v0, c) and 0 <= K(t) <= min(K_peak, t), with a margin of a few ulps.
 */
export function crossingExcluded(k: LifConstants, i: number, v0: number, iExc0: number, iInh0: number, horizonMs: number): boolean {
  const theta = k.vThreshMv[i];
  if (!(v0 < theta) || !(horizonMs > 0)) return false;
  const invC = k.invCapacitance[i];
  let bound = Math.max(v0, k.vAsymptoteMv[i]);
  if (iExc0 > 0) bound += invC * iExc0 * Math.min(k.kernelPeakExcMs[i], horizonMs);
  if (iInh0 > 0) bound += invC * iInh0 * Math.min(k.kernelPeakInhMs[i], horizonMs);
  return bound < theta - 8 * EPS * (Math.abs(theta) + Math.abs(bound));
}

/**
 * The first time t in (0, horizonMs] at which the free membrane potential of neuron `i`, starting from
 * (v0 mV, iExc0 nA, iInh0 nA) at t = 0, reaches v_thresh; Infinity if it does not; 0 if v0 >= v_thresh.
 *
 * Method (docs/design.md section 1): V' = e^{-a t} g(t) with g' = -e^{a t} (b_E I_E(t) + b_I I_I(t)) / C_m,
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

  if (crossingExcluded(k, i, v0, iExc0, iInh0, horizonMs)) return Infinity;
  const invC = k.invCapacitance[i];

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
      const z = solveCriticalPoint(k, i, v0, iExc0, iInh0, tPrev, r, dvR > 0 ? 1 : -1);
      propagateFree(k, i, v0, iExc0, iInh0, z, scratch);
      if (scratch[V] >= theta) {
        return solveCrossing(k, i, v0, iExc0, iInh0, pieceStart, z, vPieceStart, scratch[V]);
      }
      pieceStart = z;
      vPieceStart = scratch[V];
    }
    if (vR >= theta) {
      return vPieceStart >= theta ? pieceStart : solveCrossing(k, i, v0, iExc0, iInh0, pieceStart, r, vPieceStart, vR);
    }
    pieceStart = r;
    vPieceStart = vR;
    tPrev = r;
    dvPrev = dvR;
    if (r === horizonMs) break;
  }
  return Infinity;
}
