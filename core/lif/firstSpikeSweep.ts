import type { NeuronStateArrays } from '../substrate/dynamics.ts';
import type { LifConstants } from './constants.ts';
import {
  DECAY_EXC,
  DECAY_INH,
  DECAY_MEM,
  I_EXC,
  I_INH,
  KERNEL_EXC,
  KERNEL_INH,
  V,
  intervalFactors,
  propagateFree,
  propagationScratch,
} from './propagator.ts';
import { crossingExcluded } from './thresholdCrossing.ts';

const scratch = propagationScratch();
const factors = new Float64Array(5);
let active = new Int32Array(64);

/** The generic per-neuron steps the sweep falls back to: the dynamics' own methods with their constants. */
export interface GenericSteps<C> {
  nextSpikeTime(s: NeuronStateArrays, k: C, i: number, tLimit: number): number;
  advanceTo(s: NeuronStateArrays, k: C, i: number, t: number): void;
  receive(s: NeuronStateArrays, k: C, i: number, w: number): void;
}

/**
 * Per-neuron departures from the plain LIF neuron that a substrate built on the exact LIF dynamics may have
 * before its first spike: a saturating synaptic current (receive: x = I + w; I := x beyond the cap ?
 * max(cap, I) : x, and the mirror image for inhibition), neurons that never fire, and neurons that take the
 * generic path for every step.
 */
export interface SweepQuirks {
  readonly capExc: Float64Array;
  readonly capInh: Float64Array;
  /** 1: the neuron never fires (its first spike is Infinity); 2: every step takes the generic path. */
  readonly kind: Uint8Array;
}

export const SWEEP_DEAD = 1;
export const SWEEP_GENERIC = 2;

/**
 * The layered first-spike sweep of the exact LIF dynamics (NeuronDynamics.firstSpikes): input by input,
 * every neuron that has not fired yet. When the O(1) bound of the threshold search already rules out a
 * crossing before the next input (most steps), the neuron is propagated and given its input inline; every
 * other step takes the generic path (`generic` with constants `k`). Both do the same arithmetic as the
 * generic sweep, so spike times are bitwise the same; neurons sharing tau_m and an interval share one
 * exponential (see propagator.ts), and a layer of identical neurons without quirks takes `uniformSweep`,
 * which forms each interval's factors once. `lif` holds the LIF constants the generic steps use for free
 * evolution.
 */
export function lifFirstSpikes<C>(
  generic: GenericSteps<C>,
  k: C,
  lif: LifConstants,
  quirks: SweepQuirks | null,
  s: NeuronStateArrays,
  base: number,
  size: number,
  timesMs: Float64Array,
  rows: Int32Array,
  m: number,
  weights: Float64Array,
  tMaxMs: number,
  out: Float64Array,
): void {
  if (active.length < size) active = new Int32Array(size);
  const list = active;
  let live = 0;
  for (let n = 0; n < size; n++) {
    out[n] = Infinity;
    if (quirks === null || quirks.kind[base + n] !== SWEEP_DEAD) list[live++] = n;
  }
  const vMv = s.vMv;
  const iExc = s.iExcNa;
  const iInh = s.iInhNa;
  const lastMs = s.lastMs;
  if (quirks === null && uniformConstants(lif, base, size)) {
    uniformSweep(generic, k, lif, s, base, live, timesMs, rows, m, weights, tMaxMs, out);
    return;
  }
  let tPrev = 0;
  for (let q = 0; q <= m && live > 0; q++) {
    const tIn = q < m ? timesMs[q] : tMaxMs;
    const row = q < m ? rows[q] : 0;
    const h = tIn - tPrev;
    let kept = 0;
    for (let a = 0; a < live; a++) {
      const n = list[a];
      const i = base + n;
      // h = 0 (simultaneous inputs): below threshold nothing can happen in no time, the input is just added
      if (
        (quirks === null || quirks.kind[i] === 0) &&
        lastMs[i] === tPrev &&
        (h === 0 ? vMv[i] < lif.vThreshMv[i] : crossingExcluded(lif, i, vMv[i], iExc[i], iInh[i], h))
      ) {
        if (q === m) continue;
        let e = iExc[i];
        let f = iInh[i];
        if (h !== 0) {
          propagateFree(lif, i, vMv[i], e, f, h, scratch);
          vMv[i] = scratch[V];
          lastMs[i] = tIn;
          e = scratch[I_EXC];
          f = scratch[I_INH];
        }
        const w = weights[row + n];
        if (quirks === null) {
          if (w >= 0) e += w;
          else f += w;
        } else if (w >= 0) {
          const x = e + w;
          const cap = quirks.capExc[i];
          e = x > cap ? Math.max(cap, e) : x;
        } else {
          const x = f + w;
          const cap = -quirks.capInh[i];
          f = x < cap ? Math.min(cap, f) : x;
        }
        iExc[i] = e;
        iInh[i] = f;
        list[kept++] = n;
        continue;
      }
      const tc = genericStep(generic, s, k, i, tIn, q === m, q < m ? weights[row + n] : 0);
      if (tc === tc) out[n] = tc;
      else if (q < m) list[kept++] = n;
    }
    live = kept;
    tPrev = tIn;
  }
}

/**
 * One step of the generic sweep for neuron i: its first spike before the input at tIn (at tIn itself
 * unless this is the trial end), or else NaN after advancing it to tIn and giving it the input `w`.
 */
function genericStep<C>(generic: GenericSteps<C>, s: NeuronStateArrays, k: C, i: number, tIn: number, trialEnd: boolean, w: number): number {
  const tc = generic.nextSpikeTime(s, k, i, tIn);
  if (tc < tIn || (!trialEnd && tc === tIn)) return tc;
  if (!trialEnd) {
    generic.advanceTo(s, k, i, tIn);
    generic.receive(s, k, i, w);
  }
  return NaN;
}

/** True when a[base..base+size) are all equal. */
function allSame(a: Float64Array, base: number, size: number): boolean {
  const x = a[base];
  for (let n = 1; n < size; n++) if (a[base + n] !== x) return false;
  return true;
}

/** True when neurons base..base+size-1 share every constant the inline step reads (checked per call, no allocation). */
function uniformConstants(k: LifConstants, base: number, size: number): boolean {
  return (
    allSame(k.rateMem, base, size) &&
    allSame(k.rateExc, base, size) &&
    allSame(k.rateInh, base, size) &&
    allSame(k.rateDiffExc, base, size) &&
    allSame(k.rateDiffInh, base, size) &&
    allSame(k.invCapacitance, base, size) &&
    allSame(k.vAsymptoteMv, base, size) &&
    allSame(k.vThreshMv, base, size) &&
    allSame(k.kernelPeakExcMs, base, size) &&
    allSame(k.kernelPeakInhMs, base, size)
  );
}

/**
 * lifFirstSpikes for a layer of identical LIF neurons without quirks (the learning presets): the same steps
 * with the constants and each interval's factors (`intervalFactors`, as propagateFree uses them) computed
 * once for all neurons. Neurons in list[0..live) start the sweep.
 */
function uniformSweep<C>(
  generic: GenericSteps<C>,
  k: C,
  lif: LifConstants,
  s: NeuronStateArrays,
  base: number,
  live: number,
  timesMs: Float64Array,
  rows: Int32Array,
  m: number,
  weights: Float64Array,
  tMaxMs: number,
  out: Float64Array,
): void {
  const list = active;
  const vMv = s.vMv;
  const iExc = s.iExcNa;
  const iInh = s.iInhNa;
  const lastMs = s.lastMs;
  const c = lif.vAsymptoteMv[base];
  const invC = lif.invCapacitance[base];
  const theta = lif.vThreshMv[base];
  const peakE = lif.kernelPeakExcMs[base];
  const peakI = lif.kernelPeakInhMs[base];
  const EPS8 = 8 * Number.EPSILON;
  let tPrev = 0;
  for (let q = 0; q <= m && live > 0; q++) {
    const tIn = q < m ? timesMs[q] : tMaxMs;
    const row = q < m ? rows[q] : 0;
    const h = tIn - tPrev;
    // the interval's factors, the very ones propagateFree uses for t = h
    let ea = 1;
    let eE = 1;
    let kE = 0;
    let eI = 1;
    let kI = 0;
    if (h > 0) {
      intervalFactors(lif, base, h, factors);
      ea = factors[DECAY_MEM];
      eE = factors[DECAY_EXC];
      kE = factors[KERNEL_EXC];
      eI = factors[DECAY_INH];
      kI = factors[KERNEL_INH];
    }
    const hE = peakE < h ? peakE : h;
    const hI = peakI < h ? peakI : h;
    let kept = 0;
    for (let j = 0; j < live; j++) {
      const n = list[j];
      const i = base + n;
      const v0 = vMv[i];
      if (lastMs[i] === tPrev && v0 < theta) {
        const e0 = iExc[i];
        const f0 = iInh[i];
        let excluded = h === 0;
        if (!excluded) {
          // crossingExcluded's bound
          let bound = Math.max(v0, c);
          if (e0 > 0) bound += invC * e0 * hE;
          if (f0 > 0) bound += invC * f0 * hI;
          excluded = bound < theta - EPS8 * (Math.abs(theta) + Math.abs(bound));
        }
        if (excluded) {
          if (q === m) continue;
          let e = e0;
          let f = f0;
          if (h !== 0) {
            vMv[i] = c + (v0 - c) * ea + invC * (e0 * kE + f0 * kI);
            e = e0 * eE;
            f = f0 * eI;
            lastMs[i] = tIn;
          }
          const w = weights[row + n];
          if (w >= 0) e += w;
          else f += w;
          iExc[i] = e;
          iInh[i] = f;
          list[kept++] = n;
          continue;
        }
      }
      const tc = genericStep(generic, s, k, i, tIn, q === m, q < m ? weights[row + n] : 0);
      if (tc === tc) out[n] = tc;
      else if (q < m) list[kept++] = n;
    }
    live = kept;
    tPrev = tIn;
  }
}
