/**
 * Closed-form first-spike time of a current-based LIF neuron at rest (Göltz, Kriener et al. 2021,
 * Nature Machine Intelligence, Methods; docs/design.md section 1; docs/model.md, "Closed-form first-spike
 * times"). Valid for one synaptic time constant tau_s and tau_m / tau_s = 1 or 2, no offset current,
 * V starting at the resting potential; only the first spike is computed (no reset is involved).
 *
 * Notation. Times are shifted to a reference t_ref (the latest input considered so far), so every
 * exponential e^{(t_i - t_ref)/tau} is at most 1 and never overflows. With s = t - t_ref and
 * c = g_l (v_thresh - v_rest), the leak-scaled potential of the causal inputs is
 * - ratio 1 (tau_m = tau_s = tau): g_l (V - E_l) = (A s/tau - B) e^{-s/tau},
 *   A = sum_i w_i e^{u_i}, B = sum_i w_i u_i e^{u_i}, u_i = (t_i - t_ref)/tau;
 * - ratio 2 (tau_m = 2 tau_s): g_l (V - E_l) = A_m X - A_s X^2, X = e^{-s/tau_m},
 *   A_m = sum_i w_i e^{(t_i - t_ref)/tau_m}, A_s = sum_i w_i e^{(t_i - t_ref)/tau_s}.
 */
import type { LifParams } from '../lif/params.ts';
import { INV_E, lambertW0 } from '../numerics/lambertW.ts';

/** The ratio tau_m / tau_s for which a closed form exists. */
export type ClosedFormRatio = 1 | 2;

/** Result of {@link closedFormFirstSpikeTime}. */
export interface ClosedFormResult {
  /** Time of the first threshold crossing (ms), or null when the neuron never reaches threshold. */
  readonly timeMs: number | null;
  /** Number of inputs (finite times) at or before the output spike; 0 when there is no spike. */
  readonly causalCount: number;
  /**
   * Margin of the maximum over threshold (mV), for near-tie reporting. With a spike: the maximum of
   * V over the inter-input interval that contains the spike (computed with the causal inputs only)
   * minus v_thresh, >= 0 up to rounding; small values mean a grazing crossing or a crossing next to
   * the following input. Without a spike: the maximum of V over all time minus v_thresh, < 0.
   */
  readonly marginMv: number;
}

/** Relative tolerance on tau_m / tau_s and on tau_syn_E = tau_syn_I. */
const RATIO_TOLERANCE = 1e-12;

/**
 * Relative tolerance on (threshold / maximum) = 1 below which the maximum is taken to touch the
 * threshold exactly (a grazing crossing, which counts as a spike, at the time of the maximum).
 * It absorbs the few roundings in forming that ratio.
 */
const GRAZING_TOLERANCE = 8 * Number.EPSILON;

/** Why the closed form does not apply to these parameters, or null when it does. */
function unsupportedReason(params: LifParams): string | null {
  const { tauMemMs, tauSynExcMs, tauSynInhMs, capacitanceNf, vRestMv, vThreshMv, iOffsetNa } = params;
  const positive: readonly [string, number][] = [
    ['tauMemMs', tauMemMs],
    ['tauSynExcMs', tauSynExcMs],
    ['tauSynInhMs', tauSynInhMs],
    ['capacitanceNf', capacitanceNf],
  ];
  for (const [name, value] of positive) {
    if (!(value > 0 && Number.isFinite(value))) {
      return `${name} must be finite and > 0 (got ${String(value)})`;
    }
  }
  if (!Number.isFinite(vRestMv) || !Number.isFinite(vThreshMv)) {
    return `vRestMv and vThreshMv must be finite (got ${String(vRestMv)}, ${String(vThreshMv)})`;
  }
  if (!(vThreshMv > vRestMv)) {
    return `vThreshMv (${vThreshMv}) must be above vRestMv (${vRestMv}) for a neuron at rest`;
  }
  if (Math.abs(tauSynExcMs - tauSynInhMs) > RATIO_TOLERANCE * Math.max(tauSynExcMs, tauSynInhMs)) {
    return `tauSynExcMs (${tauSynExcMs}) must equal tauSynInhMs (${tauSynInhMs})`;
  }
  if (iOffsetNa !== 0) {
    return `iOffsetNa must be 0 (got ${String(iOffsetNa)})`;
  }
  if (ratioOf(params) === null) {
    return `tauMemMs / tauSynExcMs must be 1 or 2 (got ${tauMemMs / tauSynExcMs})`;
  }
  const threshold = (capacitanceNf / tauMemMs) * (vThreshMv - vRestMv);
  if (!(threshold > 0 && Number.isFinite(threshold))) {
    return `g_l (vThreshMv - vRestMv) must be finite and > 0 (got ${threshold})`;
  }
  return null;
}

function ratioOf(params: LifParams): ClosedFormRatio | null {
  const ratio = params.tauMemMs / params.tauSynExcMs;
  if (Math.abs(ratio - 1) <= RATIO_TOLERANCE) {
    return 1;
  }
  if (Math.abs(ratio - 2) <= 2 * RATIO_TOLERANCE) {
    return 2;
  }
  return null;
}

/**
 * The ratio tau_m / tau_s of these parameters if the closed form applies to them: tau_syn_E equal to
 * tau_syn_I, no offset current, v_thresh above v_rest, all time constants and C_m positive, and
 * tau_m / tau_s equal to 1 or 2 within a relative 1e-12.
 *
 * @returns 1 or 2, or null when the closed form does not apply
 */
export function closedFormRatio(params: LifParams): ClosedFormRatio | null {
  return unsupportedReason(params) === null ? ratioOf(params) : null;
}

/** Solution of one causal-set candidate: the crossing offset s from t_ref (ms), or null. */
interface Candidate {
  /** Offset of the rising crossing from t_ref (ms); may fall outside the interval. */
  readonly offsetMs: number | null;
  /** Absolute tolerance on offsetMs for the interval test (ms). */
  readonly toleranceMs: number;
}

const NO_CROSSING: Candidate = { offsetMs: null, toleranceMs: 0 };

/**
 * Ratio 1: rising crossing of (A s' - B) e^{-s'} = c (s' = s/tau). With rho = c / max =
 * (c/A) e^{1 + B/A}, the crossing is s' = B/A - W0(-rho/e) (Göltz et al. 2021, Methods, with the
 * argument -(c/A) e^{B/A} written as -rho/e); none if A <= 0 or rho > 1.
 */
function solveEqualTau(a: number, b: number, threshold: number, tau: number): Candidate {
  if (!(a > 0)) {
    return NO_CROSSING;
  }
  const bOverA = b / a;
  const logRho = Math.log(threshold) - Math.log(a) + 1 + bOverA;
  if (logRho > 1) {
    return NO_CROSSING;
  }
  const cOverA = threshold / a;
  const expPart = Math.exp(1 + bOverA);
  let rho =
    Number.isFinite(cOverA) && expPart > 0 && Number.isFinite(expPart) ? cOverA * expPart : Math.exp(logRho);
  if (rho > 1 + GRAZING_TOLERANCE) {
    return NO_CROSSING;
  }
  if (rho >= 1 - GRAZING_TOLERANCE) {
    rho = 1; // grazing: the maximum touches the threshold, W0(-1/e) = -1
  }
  const offset = bOverA - lambertW0(-rho * INV_E);
  return { offsetMs: tau * offset, toleranceMs: 8 * Number.EPSILON * tau * (1 + Math.abs(bOverA)) };
}

/**
 * Ratio 2: rising crossing of A_m X - A_s X^2 = c with X = e^{-s/tau_m}: the larger root,
 * 1/X = 2 A_s / (A_m + sqrt(A_m^2 - 4 A_s c)) (Göltz et al. 2021, Methods), written with
 * rho = 4 A_s c / A_m^2 = c / max as 1/X = 2 (A_s/A_m) / (1 + sqrt(1 - rho)) so nothing overflows
 * and nothing cancels; none unless A_s > 0, A_m > 0 and rho <= 1.
 */
function solveDoubleTau(am: number, as: number, threshold: number, tauMem: number): Candidate {
  if (!(am > 0 && as > 0)) {
    return NO_CROSSING;
  }
  const asOverAm = as / am;
  let rho = 4 * asOverAm * (threshold / am);
  if (Number.isNaN(rho)) {
    rho = Math.exp(Math.log(4) + Math.log(as) + Math.log(threshold) - 2 * Math.log(am));
  }
  if (rho > 1 + GRAZING_TOLERANCE) {
    return NO_CROSSING;
  }
  if (rho >= 1 - GRAZING_TOLERANCE) {
    rho = 1; // grazing: the maximum touches the threshold
  }
  const logInverseX = Math.log(2 * asOverAm) - Math.log(1 + Math.sqrt(1 - rho));
  return { offsetMs: tauMem * logInverseX, toleranceMs: 8 * Number.EPSILON * tauMem * (1 + Math.abs(logInverseX)) };
}

/** Maximum over s' in [0, gap] of (A s' - B) e^{-s'} (gap in units of tau, may be +Infinity). */
function intervalMaxEqualTau(a: number, b: number, gap: number): number {
  let best = -b;
  const decay = Math.exp(-gap);
  const atEnd = decay === 0 ? 0 : (a * gap - b) * decay;
  best = Math.max(best, atEnd);
  if (a > 0) {
    const peak = 1 + b / a;
    if (peak > 0 && peak < gap) {
      best = Math.max(best, a * Math.exp(-peak));
    }
  }
  return best;
}

/** Maximum over X in [xEnd, 1] of A_m X - A_s X^2 (xEnd = e^{-gap/tau_m}, 0 for an open interval). */
function intervalMaxDoubleTau(am: number, as: number, xEnd: number): number {
  let best = am - as;
  best = Math.max(best, xEnd === 0 ? 0 : (am - as * xEnd) * xEnd);
  if (as > 0) {
    const xPeak = am / (2 * as);
    if (xPeak > xEnd && xPeak < 1) {
      best = Math.max(best, 0.5 * am * xPeak);
    }
  }
  return best;
}

/**
 * Exact first-spike time of a neuron at rest driven by input spikes, by the closed forms of
 * Göltz, Kriener et al. 2021 (Methods) for tau_m / tau_s = 1 (Lambert W) and 2 (quadratic).
 *
 * Inputs may come in any order; inputs with a non-finite time (Infinity, NaN) never arrive and are
 * ignored. The causal set is searched by sorting the inputs by time and solving with the first k of
 * them (all inputs at one time enter together) for increasing k; the first solution t* with
 * t_k <= t* <= t_{k+1} (t_{n+1} = +Infinity) is the spike. A maximum that only touches the threshold
 * counts as a spike. Running sums make the whole search O(n log n).
 *
 * @param params - neuron parameters (ms, mV, nF, nA); see {@link closedFormRatio} for what is supported
 * @param inputTimesMs - input spike times (ms)
 * @param weightsNa - synaptic weights (nA; the jump of the synaptic current, > 0 excitatory), same order
 * @returns the spike time (or null), the size of the causal set and the threshold margin
 * @throws RangeError if the parameters are not supported (the message names the reason), if the
 *   arrays differ in length, or if an input with a finite time has a non-finite weight
 */
export function closedFormFirstSpikeTime(
  params: LifParams,
  inputTimesMs: ArrayLike<number>,
  weightsNa: ArrayLike<number>,
): ClosedFormResult {
  const reason = unsupportedReason(params);
  if (reason !== null) {
    throw new RangeError(`closedFormFirstSpikeTime: unsupported parameters: ${reason}`);
  }
  if (inputTimesMs.length !== weightsNa.length) {
    throw new RangeError(
      `closedFormFirstSpikeTime: ${inputTimesMs.length} input times but ${weightsNa.length} weights`,
    );
  }
  const ratio = ratioOf(params) as ClosedFormRatio;
  const tauMem = params.tauMemMs;
  const leakConductance = params.capacitanceNf / tauMem; // g_l = C_m / tau_m (uS)
  const thresholdGap = params.vThreshMv - params.vRestMv;
  const threshold = leakConductance * thresholdGap; // c = g_l (v_thresh - v_rest) (nA)

  // Inputs that arrive, sorted by time.
  const arriving: number[] = [];
  for (let i = 0; i < inputTimesMs.length; i += 1) {
    if (Number.isFinite(inputTimesMs[i])) {
      if (!Number.isFinite(weightsNa[i])) {
        throw new RangeError(
          `closedFormFirstSpikeTime: weight ${String(weightsNa[i])} of input ${i} (time ${inputTimesMs[i]} ms) is not finite`,
        );
      }
      arriving.push(i);
    }
  }
  arriving.sort((i, j) => inputTimesMs[i] - inputTimesMs[j]);

  // Running sums relative to tRef: ratio 1 uses (first, second) = (A, B), ratio 2 (A_m, A_s).
  let first = 0;
  let second = 0;
  let tRef = 0;
  let bestMargin = -thresholdGap; // V at rest, before any input
  let k = 0;
  while (k < arriving.length) {
    const tk = inputTimesMs[arriving[k]];
    if (k > 0) {
      const shift = tk - tRef;
      if (ratio === 1) {
        const d = shift / tauMem;
        const decay = Math.exp(-d);
        // Moving the reference by d (units of tau): B <- e^{-d} (B - d A), A <- e^{-d} A.
        second = decay === 0 ? 0 : decay * (second - d * first);
        first = decay === 0 ? 0 : decay * first;
      } else {
        const decay = Math.exp(-shift / tauMem);
        first *= decay;
        second *= decay * decay;
      }
    }
    tRef = tk;
    // All inputs at time tk enter together: each adds w e^0 = w to A (A_m) and to A_s, and 0 to B.
    while (k < arriving.length && inputTimesMs[arriving[k]] === tk) {
      const w = weightsNa[arriving[k]];
      first += w;
      if (ratio === 2) {
        second += w;
      }
      k += 1;
    }
    const tNext = k < arriving.length ? inputTimesMs[arriving[k]] : Infinity;
    const gapMs = tNext - tk;

    let candidate: Candidate;
    let intervalMax: number;
    if (ratio === 1) {
      candidate = solveEqualTau(first, second, threshold, tauMem);
      intervalMax = intervalMaxEqualTau(first, second, gapMs / tauMem);
    } else {
      candidate = solveDoubleTau(first, second, threshold, tauMem);
      intervalMax = intervalMaxDoubleTau(first, second, Math.exp(-gapMs / tauMem));
    }
    const margin = (intervalMax - threshold) / leakConductance;
    const offset = candidate.offsetMs;
    if (
      offset !== null &&
      Number.isFinite(offset) &&
      offset >= -candidate.toleranceMs &&
      offset <= gapMs + candidate.toleranceMs
    ) {
      const timeMs = Math.min(tk + Math.max(offset, 0), tNext);
      return { timeMs, causalCount: k, marginMv: margin };
    }
    bestMargin = Math.max(bestMargin, margin);
  }
  return { timeMs: null, causalCount: 0, marginMv: bestMargin };
}
