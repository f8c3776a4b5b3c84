import type { LifConstants } from '../lif/constants.ts';
import { DECAY_EXC, DECAY_INH, DECAY_MEM, I_EXC, I_INH, KERNEL_EXC, KERNEL_INH, V, intervalFactors } from '../lif/propagator.ts';
import type { LifParamArrays } from '../lif/params.ts';
import { HORIZON, crossingExcluded, firstCrossingTime, horizonState } from '../lif/thresholdCrossing.ts';
import type { NeuronStateArrays } from '../substrate/dynamics.ts';

/**
 * The windowed fast path of the engine for populations of identical exact-LIF neurons (core/lif's
 * lifDynamics, shared tau_m, tau_syn_E, tau_syn_I and C_m).
 *
 * Within a lookahead window [T0, T1) every input of a neuron is known before the neuron is run. Superposition
 * gives the state at T1 as the free evolution of the state at T0 plus one term per input arriving at t_s:
 * V gains w K(T1 - t_s) / C_m and the current w e^{-b (T1 - t_s)} (design.md section 1). The factors depend
 * only on t_s and the population, so they are formed once per spike (and target population), not per
 * synaptic event; each event is then two multiply-adds into the target's accumulators. A neuron can only
 * fire in the window when an O(1) upper bound of V over the window reaches threshold (with W <= the time of
 * the kernel peak, so that K rises over the window; otherwise every neuron takes the sweep):
 *   V(t) <= c + max over both half-windows [t1, t2] of (max((V(T0) - c) e^{-a t1}, (V(T0) - c) e^{-a t2})
 *            + max(I(T0), 0) K(t2) / C_m) + sum over excitatory inputs of w K(T1 - t_s) / C_m
 * (c the free asymptote; inhibitory terms are <= 0; K >= 0 rises up to its peak). For tau_syn_E =
 * tau_syn_I = tau_m / 2 a neuron this bound cannot clear gets a second, tighter one: the free part is a
 * quadratic in e^{-a t} whose maximum over the window is exact ({@link quadraticPeak}); it halves the
 * neurons swept on the bench network. Only neurons neither bound clears, and neurons whose refractory period
 * ends inside the window, run the exact input-by-input sweep over their inputs of the window (in time order,
 * ties in arrival order; {@link WindowedLif.sweepNeuron}), which finds the spikes. So spikes are found by the
 * same exact search as before; only the rounding of the state carried across windows and from one input to
 * the next differs.
 */

/** Per fast population: shared constants and the current window's factors. */
interface FastPopulation {
  /** Global index of its first neuron. */
  readonly first: number;
  readonly size: number;
  /** 1 when tau_syn_E = tau_syn_I (one current decay factor serves both). */
  readonly sameSyn: boolean;
  /** tau_syn_E = tau_syn_I = tau_m / 2 exactly: e^{-b t} = (e^{-a t})^2, one exponential per arrival time. */
  readonly ratioTwo: boolean;
  /** tau_syn_E = tau_syn_I = tau_m: e^{-b t} = e^{-a t} and K = t e^{-a t}. */
  readonly ratioOne: boolean;
  /** e^{-a k W / STEPS}, k = 0..STEPS, for the window length `tableWindowMs` (ratioTwo and ratioOne only). */
  readonly decayTable: Float64Array;
  tableWindowMs: number;
  /** The table serves the current window (its length is tableWindowMs and a W / STEPS <= TABLE_MAX_STEP). */
  tableLive: boolean;
  /** STEPS / W of the current window. */
  tableStepsPerMs: number;
  /** W / STEPS of the current window. */
  tableStepMs: number;
  /** 1 / (C_m (b_E - a)), the factor of K in the tau_m = 2 tau_syn case. */
  readonly kernelScaleTwo: number;
  /** Every neuron has the same v_thresh, asymptote c and v_reset (the bulk step then reads them once). */
  readonly sameVoltages: boolean;
  /** Length of the previous window. */
  lastWindowMs: number;
  readonly rateMem: number;
  readonly rateDiffExc: number;
  readonly invC: number;
  /** Times of the kernel peaks (ms). */
  readonly peakExcMs: number;
  readonly peakInhMs: number;
  readonly kernelPeakExcMs: number;
  readonly kernelPeakInhMs: number;
  // window factors over W = T1 - T0
  decayMem: number;
  decayExc: number;
  decayInh: number;
  /** K_E(W) / C_m and K_I(W) / C_m. */
  kernelExc: number;
  kernelInh: number;
  /** e^{-a W/2} and K_E(W/2) / C_m (the bound's first half-window). */
  decayMemHalf: number;
  kernelExcHalf: number;
  /** W <= time of K_E's peak: K_E rises over the whole window (else the bound is not used). */
  risingExc: boolean;
  /** max over [0, W] of K_I / C_m. */
  boundInh: number;
}

/** Time of the maximum of K: ln(b/a)/(b - a), or 1/a when a = b (constants.ts). */
function kernelPeakTime(rateMem: number, rateSyn: number): number {
  const d = rateSyn - rateMem;
  return d === 0 ? 1 / rateMem : Math.log1p(d / rateMem) / d;
}

const factors = new Float64Array(5);
/** The factors of one arrival (WindowedLif.arrivalFactors). */
const arrival = new Float64Array(4);
/** The factors of one step of a sweep (WindowedLif.stepFactors): e^{-a t}, e^{-b_E t}, K_E/C_m, e^{-b_I t}, K_I/C_m. */
const step = new Float64Array(5);
const STEP_MEM = 0;
const STEP_EXC = 1;
const STEP_K_EXC = 2;
const STEP_INH = 3;
const STEP_K_INH = 4;
const EPS = Number.EPSILON;

/** Slots of WindowedLif.acc. */
export const ACC_V_EXC = 0;
export const ACC_V_INH = 1;
export const ACC_EXC = 2;
export const ACC_INH = 3;

/** Steps of the per-window table of e^{-a t}. */
const STEPS = 1024;
/** Largest a h (h = W / STEPS) for which the table's cubic is exact to rounding: (a h)^4 / 24 < 2.2e-17. */
const TABLE_MAX_STEP = 1.5e-4;

/**
 * e^{-a tau} for 0 <= tau <= W from the window's table: e^{-a k h} e^{-a r} with tau = k h + r, h = W / STEPS,
 * and e^{-a r} (a r <= a h <= 1.5e-4) by its Taylor polynomial to the third power, whose remainder
 * (a r)^4/24 < 2.2e-17 is below the rounding of the product. Within a few ulps of Math.exp, about ten times
 * cheaper. Falls back to Math.exp when a h is not small (a window long against tau_m) and when the table is
 * not for this window's length.
 */
function decayFromTable(f: FastPopulation, tau: number, windowMs: number): number {
  if (!f.tableLive || !(tau >= 0 && tau <= windowMs)) return Math.exp(-f.rateMem * tau);
  // 0 <= tau <= W: the truncation is the floor, and q <= STEPS (tau STEPS / W rounds to at most STEPS)
  const q = (tau * f.tableStepsPerMs) | 0;
  const y = f.rateMem * (tau - q * f.tableStepMs);
  // e^{-y} = 1 - y + y^2/2 - y^3/6 (Horner), |y| < 1.6e-4 (r may be slightly negative)
  return f.decayTable[q] * (1 - y * (1 - y * (0.5 - y * (1 / 6))));
}

/**
 * The largest value of q(x) = u x + gs x (1 - x) over x in [xEnd, 1] (0 < xEnd <= 1), given qEnd = q(xEnd):
 * with x = e^{-a t}, the free V(t) - c of a neuron with tau_syn_E = tau_syn_I = tau_m / 2 over an interval
 * of length h = -ln(xEnd) / a (u = V(0) - c, gs = (I_E + I_I) / (C_m (b - a))). The larger end value, or the
 * vertex (dq/dx = u + gs (1 - 2 x) = 0) when q is concave (gs > 0) and the vertex lies inside.
 */
export function quadraticPeak(u: number, gs: number, xEnd: number, qEnd: number): number {
  let q = u > qEnd ? u : qEnd;
  if (gs > 0) {
    const xs = 0.5 + u / (2 * gs);
    if (xs > xEnd && xs < 1) {
      const qs = u * xs + gs * (xs * (1 - xs));
      if (qs > q) q = qs;
    }
  }
  return q;
}

/** True when every neuron of [first, first + size) shares the time constants and the capacitance. */
export function uniform(params: LifParamArrays, first: number, size: number): boolean {
  const a = params.tauMemMs[first];
  const e = params.tauSynExcMs[first];
  const h = params.tauSynInhMs[first];
  const c = params.capacitanceNf[first];
  for (let i = first + 1; i < first + size; i++) {
    if (params.tauMemMs[i] !== a || params.tauSynExcMs[i] !== e || params.tauSynInhMs[i] !== h || params.capacitanceNf[i] !== c) return false;
  }
  return true;
}

/** True when x[first ..< first + size] are all the same value. */
function sameValues(x: Float64Array, first: number, size: number): boolean {
  for (let i = first + 1; i < first + size; i++) if (x[i] !== x[first]) return false;
  return true;
}

export class WindowedLif {
  /** Per network population index: its fast-path record, or null when it runs the generic path. */
  readonly fastOf: (FastPopulation | null)[];
  readonly k: LifConstants;
  /**
   * Per LIF neuron i (global index), at acc[4 i + slot]: window sums of the input terms at the window's end,
   * of V from excitatory (ACC_V_EXC) and from inhibitory inputs (ACC_V_INH, mV), of I_E (ACC_EXC) and I_I
   * (ACC_INH, nA). Interleaved so that an input touches one cache line of its target.
   */
  readonly acc: Float64Array;
  /** Per neuron: its most recent event of the window (-1: none); events link back through `evNext`. */
  readonly head: Int32Array;
  /** Per event of the window: arrival time (ms), weight, and the target's previous event (-1: none). */
  evTime: Float64Array = new Float64Array(1024);
  evWeight: Float64Array = new Float64Array(1024);
  evNext: Int32Array = new Int32Array(1024);
  evCount = 0;
  /** A swept neuron's inputs in time order (gatherInputs). */
  inputTimes: Float64Array = new Float64Array(64);
  inputWeights: Float64Array = new Float64Array(64);
  windowEnd = 0;
  windowStart = 0;

  /**
   * `eligible[p]` says whether network population p (LIF, run by sweeps, not event by event, large enough)
   * may take the fast path; it does when its neurons also share their time constants and capacitance.
   * `offset[p]` is the global index of its first neuron, `k` the lifDynamics constants of all LIF neurons.
   */
  constructor(k: LifConstants, params: LifParamArrays, offset: Int32Array, sizes: readonly number[], eligible: readonly boolean[]) {
    this.k = k;
    this.fastOf = sizes.map((size, p) => {
      if (!eligible[p] || size === 0) return null;
      const first = offset[p];
      if (!uniform(params, first, size)) return null;
      const a = k.rateMem[first];
      return {
        first,
        size,
        sameSyn: k.rateExc[first] === k.rateInh[first],
        ratioTwo: k.rateExc[first] === 2 * a && k.rateInh[first] === 2 * a,
        ratioOne: k.rateDiffExc[first] === 0 && k.rateDiffInh[first] === 0,
        decayTable: new Float64Array(STEPS + 1),
        tableWindowMs: NaN,
        tableLive: false,
        tableStepsPerMs: 0,
        tableStepMs: 0,
        kernelScaleTwo: k.invCapacitance[first] / k.rateDiffExc[first],
        lastWindowMs: NaN,
        sameVoltages: sameValues(k.vThreshMv, first, size) && sameValues(k.vAsymptoteMv, first, size) && sameValues(k.vResetMv, first, size),
        rateMem: a,
        rateDiffExc: k.rateDiffExc[first],
        invC: k.invCapacitance[first],
        peakExcMs: kernelPeakTime(a, k.rateExc[first]),
        peakInhMs: kernelPeakTime(a, k.rateInh[first]),
        kernelPeakExcMs: k.kernelPeakExcMs[first],
        kernelPeakInhMs: k.kernelPeakInhMs[first],
        decayMem: 1,
        decayExc: 1,
        decayInh: 1,
        kernelExc: 0,
        kernelInh: 0,
        decayMemHalf: 1,
        kernelExcHalf: 0,
        risingExc: false,
        boundInh: 0,
      };
    });
    const total = params.size;
    this.acc = new Float64Array(4 * total);
    this.head = new Int32Array(total).fill(-1);
  }

  /** Starts window [start, end): forms every fast population's window factors, empties the event store. */
  beginWindow(start: number, end: number): void {
    this.windowStart = start;
    this.windowEnd = end;
    this.evCount = 0;
    const w = end - start;
    for (const f of this.fastOf) {
      if (f === null) continue;
      intervalFactors(this.k, f.first, w, factors);
      f.decayMem = factors[DECAY_MEM];
      f.decayExc = factors[DECAY_EXC];
      f.decayInh = factors[DECAY_INH];
      f.kernelExc = f.invC * factors[KERNEL_EXC];
      f.kernelInh = f.invC * factors[KERNEL_INH];
      // K rises until its peak: its maximum over [0, W] is K(W) before the peak, the peak value after
      f.risingExc = w <= f.peakExcMs;
      f.boundInh = w <= f.peakInhMs ? f.kernelInh : f.invC * f.kernelPeakInhMs;
      intervalFactors(this.k, f.first, 0.5 * w, factors);
      f.decayMemHalf = factors[DECAY_MEM];
      f.kernelExcHalf = f.invC * factors[KERNEL_EXC];
      // the table pays when windows keep their length: built when a length repeats
      if ((f.ratioTwo || f.ratioOne) && f.tableWindowMs !== w && f.lastWindowMs === w) {
        for (let q = 0; q <= STEPS; q++) f.decayTable[q] = Math.exp(-f.rateMem * ((q * w) / STEPS));
        f.tableWindowMs = w;
      }
      f.lastWindowMs = w;
      f.tableLive = f.tableWindowMs === w && f.rateMem * (w / STEPS) <= TABLE_MAX_STEP;
      f.tableStepMs = w / STEPS;
      f.tableStepsPerMs = STEPS / w;
    }
  }

  /**
   * The factors of an input arriving at t in the window, over its evolution to the window's end, into
   * `arrival`: e^{-b_E tau}, K_E(tau) / C_m, e^{-b_I tau}, K_I(tau) / C_m with tau = T1 - t.
   */
  private arrivalFactors(f: FastPopulation, t: number): void {
    const tau = this.windowEnd - t;
    let eExc: number;
    let kExc: number;
    let eInh: number;
    let kInh: number;
    if (f.ratioTwo || f.ratioOne) {
      const x = decayFromTable(f, tau, this.windowEnd - this.windowStart);
      if (f.ratioTwo) {
        // b = 2a: e^{-b tau} = x^2 and K = (x - x^2)/(b - a) = x (1 - x)/(b - a) with x = e^{-a tau}
        eExc = x * x;
        kExc = f.kernelScaleTwo * (x * (1 - x));
      } else {
        eExc = x;
        kExc = f.invC * tau * x;
      }
      eInh = eExc;
      kInh = kExc;
    } else {
      intervalFactors(this.k, f.first, tau, factors);
      eExc = factors[DECAY_EXC];
      kExc = f.invC * factors[KERNEL_EXC];
      eInh = factors[DECAY_INH];
      kInh = f.invC * factors[KERNEL_INH];
    }
    arrival[0] = eExc;
    arrival[1] = kExc;
    arrival[2] = eInh;
    arrival[3] = kInh;
  }

  /**
   * Delivers one spike row at time t (in the window) to fast population f: targets base + targets[e] with
   * weights[e], e in [from, to). Adds each input's contribution to the end-of-window state and links it
   * into its target's event list.
   */
  deliver(f: FastPopulation, base: number, targets: Int32Array, weights: Float64Array, from: number, to: number, t: number): void {
    this.arrivalFactors(f, t);
    this.addRow(base, targets, weights, from, to, t, arrival[0], arrival[1], arrival[2], arrival[3]);
  }

  /**
   * Adds the inputs of one spike row arriving at t with the arrival's factors (e^{-b tau} and K(tau)/C_m of
   * both synapse types, tau = T1 - t): each weight times them into its target's accumulators, and each input
   * linked into its target's event list.
   */
  private addRow(
    base: number,
    targets: Int32Array,
    weights: Float64Array,
    from: number,
    to: number,
    t: number,
    eExc: number,
    kExc: number,
    eInh: number,
    kInh: number,
  ): void {
    if (this.evCount + (to - from) > this.evTime.length) this.growEvents(this.evCount + (to - from));
    const acc = this.acc;
    const head = this.head;
    const evTime = this.evTime;
    const evWeight = this.evWeight;
    const evNext = this.evNext;
    let ev = this.evCount;
    for (let e = from; e < to; e++) {
      const i = base + targets[e];
      const w = weights[e];
      if (w >= 0) {
        acc[4 * i + ACC_EXC] += w * eExc;
        acc[4 * i + ACC_V_EXC] += w * kExc;
      } else {
        acc[4 * i + ACC_INH] += w * eInh;
        acc[4 * i + ACC_V_INH] += w * kInh;
      }
      evTime[ev] = t;
      evWeight[ev] = w;
      evNext[ev] = head[i];
      head[i] = ev;
      ev++;
    }
    this.evCount = ev;
  }

  /**
   * Delivers a window's spike-source arrivals to fast population f: for e in [from, to), the row of source
   * sources[e] (targets base + targets[rowStart[j] ..< rowStart[j + 1]]) at time arrivalsMs[e], exactly as
   * {@link deliver} would row by row (the same sums in the same order), in one call: a source row is
   * often a single synapse, and a call per row cost more than the row. Returns the number of events.
   */
  deliverArrivals(
    f: FastPopulation,
    base: number,
    rowStart: Int32Array,
    targets: Int32Array,
    weights: Float64Array,
    arrivalsMs: Float64Array,
    sources: Int32Array,
    from: number,
    to: number,
  ): number {
    const windowEnd = this.windowEnd;
    const windowMs = this.windowEnd - this.windowStart;
    const bulkFactors = f.tableLive && f.ratioTwo;
    const table = f.decayTable;
    const stepsPerMs = f.tableStepsPerMs;
    const stepMs = f.tableStepMs;
    const rate = f.rateMem;
    const scaleTwo = f.kernelScaleTwo;
    let events = 0;
    for (let e = from; e < to; e++) {
      const j = sources[e];
      const r0 = rowStart[j];
      const r1 = rowStart[j + 1];
      if (r0 === r1) continue;
      const t = arrivalsMs[e];
      const tau = windowEnd - t;
      let eExc: number;
      let kExc: number;
      let eInh: number;
      let kInh: number;
      if (bulkFactors && tau >= 0 && tau <= windowMs) {
        // decayFromTable inlined, then the tau_m = 2 tau_syn factors of arrivalFactors (arrivalFactors called
        // here instead cost 5-8% of the run at N = 1000 and 4000, bundled, alternating runs)
        const q = (tau * stepsPerMs) | 0;
        const y = rate * (tau - q * stepMs);
        const x = table[q] * (1 - y * (1 - y * (0.5 - y * (1 / 6))));
        eExc = eInh = x * x;
        kExc = kInh = scaleTwo * (x * (1 - x));
      } else {
        this.arrivalFactors(f, t);
        eExc = arrival[0];
        kExc = arrival[1];
        eInh = arrival[2];
        kInh = arrival[3];
      }
      this.addRow(base, targets, weights, r0, r1, t, eExc, kExc, eInh, kInh);
      events += r1 - r0;
    }
    return events;
  }

  /**
   * Neuron i's inputs of the window (its event list) into `inputTimes` and `inputWeights` in time order,
   * ties in arrival order; returns their number.
   */
  gatherInputs(i: number): number {
    let n = 0;
    for (let ev = this.head[i]; ev >= 0; ev = this.evNext[ev]) n++;
    if (n > this.inputTimes.length) {
      this.inputTimes = new Float64Array(2 * n);
      this.inputWeights = new Float64Array(2 * n);
    }
    const times = this.inputTimes;
    const weights = this.inputWeights;
    // the list runs newest first: fill from the back, then a stable insertion sort by time
    let q = n;
    for (let ev = this.head[i]; ev >= 0; ev = this.evNext[ev]) {
      q--;
      const t = this.evTime[ev];
      const wt = this.evWeight[ev];
      let r = q;
      while (r + 1 < n && times[r + 1] < t) {
        times[r] = times[r + 1];
        weights[r] = weights[r + 1];
        r++;
      }
      times[r] = t;
      weights[r] = wt;
    }
    return n;
  }

  /**
   * The factors of free evolution over t ms for fast population f into `step`: from the window's table
   * when t lies in [0, W] and the population has one (tau_m = 2 tau_syn or tau_m = tau_syn), else from
   * intervalFactors.
   */
  private stepFactors(f: FastPopulation, t: number): void {
    if (f.ratioTwo || f.ratioOne) {
      const x = decayFromTable(f, t, this.windowEnd - this.windowStart);
      step[STEP_MEM] = x;
      if (f.ratioTwo) {
        // b = 2a: e^{-b t} = x^2, K / C_m = x (1 - x) / (C_m (b - a)), as in arrivalFactors
        step[STEP_EXC] = step[STEP_INH] = x * x;
        step[STEP_K_EXC] = step[STEP_K_INH] = f.kernelScaleTwo * (x * (1 - x));
      } else {
        step[STEP_EXC] = step[STEP_INH] = x;
        step[STEP_K_EXC] = step[STEP_K_INH] = f.invC * t * x;
      }
      return;
    }
    intervalFactors(this.k, f.first, t, factors);
    step[STEP_MEM] = factors[DECAY_MEM];
    step[STEP_EXC] = factors[DECAY_EXC];
    step[STEP_K_EXC] = f.invC * factors[KERNEL_EXC];
    step[STEP_INH] = factors[DECAY_INH];
    step[STEP_K_INH] = f.invC * factors[KERNEL_INH];
  }

  /**
   * The exact sweep of neuron i of fast population f over its inputs of the window (those the bound could
   * not clear): in time order, each interval between inputs is searched for a threshold crossing by
   * thresholdCrossing's firstCrossingTime (unless V provably stays below threshold on it: the exact maximum
   * of {@link quadraticPeak} for tau_syn = tau_m / 2, else firstCrossingTime's own O(1) exclusion test), the
   * neuron fires there, is held
   * at v_reset while refractory, and takes the input; at the end its state is at `end`. The same steps as
   * lifDynamics' nextSpikeTime, advanceTo, fire and receive, with the state carried from one input to the
   * next by the window's factors (a table of e^{-a t} where the population has one) rather than a fresh
   * exponential: the spikes are found by the same exact search from a state that differs by rounding.
   * Calls emit(i, t) for each spike. Returns false, with the state at the input, when the state became
   * non-finite.
   */
  sweepNeuron(f: FastPopulation, s: NeuronStateArrays, i: number, end: number, emit: (i: number, t: number) => void): boolean {
    const k = this.k;
    const n = this.gatherInputs(i);
    const times = this.inputTimes;
    const weights = this.inputWeights;
    const c = k.vAsymptoteMv[i];
    const vReset = k.vResetMv[i];
    const tauRefrac = k.tauRefracMs[i];
    let t0 = s.lastMs[i];
    let v = s.vMv[i];
    let iE = s.iExcNa[i];
    let iI = s.iInhNa[i];
    let ref = s.refractoryUntilMs[i];
    const theta = k.vThreshMv[i];
    const ratioTwo = f.ratioTwo;
    const scaleTwo = f.kernelScaleTwo;
    const windowMs = this.windowEnd - this.windowStart;
    let pos = 0;
    for (;;) {
      const hasInput = pos < n;
      const tIn = hasInput ? times[pos] : end;
      if (tIn > t0 && ref > t0) {
        // held at v_reset until ref (or tIn); the currents decay
        const until = tIn < ref ? tIn : ref;
        this.stepFactors(f, until - t0);
        iE *= step[STEP_EXC];
        iI *= step[STEP_INH];
        v = vReset;
        t0 = until;
      }
      if (tIn > t0) {
        // free on (t0, tIn]: a crossing there, or the state at tIn
        const h = tIn - t0;
        let below = false;
        if (ratioTwo) {
          // tau_syn = tau_m / 2: with x = e^{-a t}, V(t) - c = u x + g S x (1 - x) (u = V(0) - c, g = I_E + I_I,
          // S = 1 / (C_m (b - a))), a quadratic in x; its maximum over x in [e^{-a h}, 1] bounds V on the
          // interval exactly (up to rounding, covered by the margin), and below threshold no search is needed
          const x = decayFromTable(f, h, windowMs);
          const u = v - c;
          const gs = (iE + iI) * scaleTwo;
          const qEnd = u * x + gs * (x * (1 - x));
          below = c + quadraticPeak(u, gs, x, qEnd) < theta - 32 * EPS * (Math.abs(theta) + Math.abs(c) + Math.abs(u) + Math.abs(gs));
          if (below) {
            v = c + qEnd;
            iE *= x * x;
            iI *= x * x;
          }
        }
        if (!below) {
          const searched = !crossingExcluded(k, i, v, iE, iI, h);
          const dt = searched ? firstCrossingTime(k, i, v, iE, iI, h) : Infinity;
          if (dt < h || (hasInput && dt === h)) {
            const tc = t0 + dt < tIn ? t0 + dt : tIn;
            if (tc > t0) {
              this.stepFactors(f, tc - t0);
              iE *= step[STEP_EXC];
              iI *= step[STEP_INH];
            }
            v = vReset;
            t0 = tc;
            ref = tc + tauRefrac;
            this.store(s, i, t0, v, iE, iI, ref);
            emit(i, tc);
            continue;
          }
          if (searched && horizonState[HORIZON] === h) {
            // the search propagated to tIn already
            v = horizonState[V];
            iE = horizonState[I_EXC];
            iI = horizonState[I_INH];
          } else {
            this.stepFactors(f, h);
            v = c + (v - c) * step[STEP_MEM] + (iE * step[STEP_K_EXC] + iI * step[STEP_K_INH]);
            iE *= step[STEP_EXC];
            iI *= step[STEP_INH];
          }
        }
        t0 = tIn;
      }
      if (!hasInput) break;
      const w = weights[pos];
      if (w >= 0) iE += w;
      else iI += w;
      pos++;
      const x = v + iE + iI;
      if (x - x !== 0) {
        this.store(s, i, t0, v, iE, iI, ref);
        return false;
      }
    }
    this.store(s, i, t0, v, iE, iI, ref);
    return true;
  }

  private store(s: NeuronStateArrays, i: number, t: number, v: number, iE: number, iI: number, ref: number): void {
    s.lastMs[i] = t;
    s.vMv[i] = v;
    s.iExcNa[i] = iE;
    s.iInhNa[i] = iI;
    s.refractoryUntilMs[i] = ref;
  }

  private growEvents(needed: number): void {
    let n = this.evTime.length;
    while (n < needed) n *= 2;
    const time = new Float64Array(n);
    time.set(this.evTime);
    const weight = new Float64Array(n);
    weight.set(this.evWeight);
    const next = new Int32Array(n);
    next.set(this.evNext);
    this.evTime = time;
    this.evWeight = weight;
    this.evNext = next;
  }
}

export type { FastPopulation };
