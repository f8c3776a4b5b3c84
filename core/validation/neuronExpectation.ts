/**
 * What the closed forms predict for one LIF neuron at rest (docs/design.md section 1; docs/model.md,
 * "Validation against closed forms"): its first spike time, how close the run comes to a tie between
 * spiking and not spiking, and where the membrane potential peaks (to size the simulated time).
 */
import { closedFormFirstSpikeTime, closedFormRatio, type ClosedFormRatio } from '../closedForm/firstSpikeTime.ts';
import type { LifParams } from '../lif/params.ts';

/** The maximum of V over each inter-input interval of a neuron at rest, ignoring threshold and reset. */
export interface MembraneProfile {
  /** Start of each interval: the distinct input times, ascending (ms). */
  readonly startMs: Float64Array;
  /** Maximum of V - v_rest over [startMs[k], startMs[k + 1]] (the last interval is open) (mV). */
  readonly maxMv: Float64Array;
  /** Where that maximum is reached (ms; for the open last interval possibly its start). */
  readonly argMaxMs: Float64Array;
  /** Largest of maxMv and 0 (the rest value before the first input) (mV). */
  readonly globalMaxMv: number;
  /** Where globalMaxMv is reached (ms; 0 when V never rises above rest). */
  readonly globalArgMaxMs: number;
}

/**
 * Sorts inputs by time (stable, so inputs at one time keep their order) and drops those with a
 * non-finite time. Returns new arrays; `uncertaintyMs` (optional, same order) is permuted alongside
 * (zeros when absent).
 */
export function sortInputs(
  timesMs: ArrayLike<number>,
  weightsNa: ArrayLike<number>,
  uncertaintyMs?: ArrayLike<number>,
): { timesMs: Float64Array; weightsNa: Float64Array; uncertaintyMs: Float64Array } {
  const order: number[] = [];
  for (let i = 0; i < timesMs.length; i++) if (Number.isFinite(timesMs[i])) order.push(i);
  order.sort((a, b) => timesMs[a] - timesMs[b] || a - b);
  return {
    timesMs: Float64Array.from(order, (i) => timesMs[i]),
    weightsNa: Float64Array.from(order, (i) => weightsNa[i]),
    uncertaintyMs: Float64Array.from(order, (i) => (uncertaintyMs === undefined ? 0 : uncertaintyMs[i])),
  };
}

/**
 * The interval maxima of V for a neuron at rest driven by the given inputs (sorted by time, finite),
 * for tau_m / tau_s = 1 or 2. V - v_rest is linear in the weights, so scaling all weights by s scales
 * every maximum by s (used to build near-threshold cases).
 *
 * The potential due to the inputs up to t_k is written with sums shifted to t_k (as in the closed
 * forms): with s' = (t - t_k)/tau and u_i = (t_i - t_k)/tau <= 0,
 * - ratio 1: g_l (V - E_l) = (A s' - B) e^{-s'}, A = sum w e^{u}, B = sum w u e^{u}; its one critical
 *   point is s' = 1 + B/A, a maximum when A > 0;
 * - ratio 2: g_l (V - E_l) = A_m X - A_s X^2, X = e^{-(t - t_k)/tau_m}, A_m = sum w e^{u_m},
 *   A_s = sum w e^{2 u_m} (u_m in units of tau_m); maximum at X = A_m / (2 A_s) when A_s > 0.
 */
export function membraneProfile(
  params: LifParams,
  sortedTimesMs: ArrayLike<number>,
  weightsNa: ArrayLike<number>,
): MembraneProfile {
  const ratio = requireRatio(params);
  const tau = params.tauMemMs;
  const leak = params.capacitanceNf / tau; // g_l (uS)
  const starts: number[] = [];
  const maxima: number[] = [];
  const argMaxima: number[] = [];
  let first = 0;
  let second = 0;
  let tRef = 0;
  let globalMax = 0;
  let globalArgMax = 0;
  const n = sortedTimesMs.length;
  let k = 0;
  while (k < n) {
    const tk = sortedTimesMs[k];
    if (starts.length > 0) {
      const d = (tk - tRef) / tau;
      const decay = Math.exp(-d);
      if (ratio === 1) {
        // moving the reference by d: B <- e^{-d} (B - d A), A <- e^{-d} A
        second = decay === 0 ? 0 : decay * (second - d * first);
        first = decay === 0 ? 0 : decay * first;
      } else {
        first *= decay;
        second *= decay * decay;
      }
    }
    tRef = tk;
    while (k < n && sortedTimesMs[k] === tk) {
      first += weightsNa[k];
      if (ratio === 2) second += weightsNa[k];
      k++;
    }
    const gapMs = k < n ? sortedTimesMs[k] - tk : Infinity;
    let best: number;
    let bestAt: number;
    if (ratio === 1) {
      const gap = gapMs / tau;
      best = -second; // s' = 0
      bestAt = 0;
      if (gap < Infinity) {
        const atEnd = (first * gap - second) * Math.exp(-gap);
        if (atEnd > best) {
          best = atEnd;
          bestAt = gap;
        }
      }
      if (first > 0) {
        const peak = 1 + second / first;
        if (peak > 0 && peak < gap) {
          const value = first * Math.exp(-peak);
          if (value > best) {
            best = value;
            bestAt = peak;
          }
        }
      }
      bestAt *= tau;
    } else {
      const xEnd = gapMs < Infinity ? Math.exp(-gapMs / tau) : 0;
      best = first - second; // X = 1
      let bestX = 1;
      if (xEnd > 0) {
        const atEnd = (first - second * xEnd) * xEnd;
        if (atEnd > best) {
          best = atEnd;
          bestX = xEnd;
        }
      }
      if (second > 0) {
        const xPeak = first / (2 * second);
        if (xPeak > xEnd && xPeak < 1) {
          const value = 0.5 * first * xPeak;
          if (value > best) {
            best = value;
            bestX = xPeak;
          }
        }
      }
      bestAt = -tau * Math.log(bestX);
    }
    const maxMv = best / leak;
    const atMs = tk + bestAt;
    starts.push(tk);
    maxima.push(maxMv);
    argMaxima.push(atMs);
    if (maxMv > globalMax) {
      globalMax = maxMv;
      globalArgMax = atMs;
    }
  }
  return {
    startMs: Float64Array.from(starts),
    maxMv: Float64Array.from(maxima),
    argMaxMs: Float64Array.from(argMaxima),
    globalMaxMv: globalMax,
    globalArgMaxMs: globalArgMax,
  };
}

/** What the closed forms predict for one neuron. */
export interface NeuronExpectation {
  /** First spike time (ms, < the run's duration), or null when the neuron does not fire in the run. */
  readonly timeMs: number | null;
  /** The closed form's `marginMv` (closedFormFirstSpikeTime). */
  readonly marginMv: number;
  /**
   * Distance from a tie between spiking and not spiking (mV): the smallest of |marginMv| and, for every
   * inter-input interval before the spike (every interval when there is none), v_thresh minus the
   * maximum of V there. 0 when the spike falls within 1e-9 ms of the end of the run.
   */
  readonly tieMarginMv: number;
  /** dV/dt at the closed-form spike (mV/ms), from the causal inputs; null without a spike. */
  readonly slopeMvPerMs: number | null;
  /**
   * How far the engine's rounding of V at threshold, sqrt(causal inputs + 1) ulp(max(|v_thresh|, |v_rest|))
   * (one rounding step per propagation, accumulated like a random walk), moves the crossing: that divided by the slope (ms; Infinity for a slope <= 0, 0 without a spike). A flat crossing
   * cannot be located in double precision more finely than a few of these.
   */
  readonly resolutionMs: number;
  /**
   * First-order uncertainty of the spike time (ms; 0 without a spike): resolutionMs plus the input time
   * uncertainties carried through dt* / dt_i = (w_i/g_l) kappa'(t* - t_i) / slope (docs/design.md section 1,
   * the TTFS gradient), summed in absolute value over the causal inputs.
   */
  readonly uncertaintyMs: number;
  /**
   * Bound on how far the input time uncertainties can move V (mV): sum of |w_i| / C_m times the input's
   * uncertainty (|dV/dt_i| <= |w_i| / C_m for both ratios). Compared with tieMarginMv.
   */
  readonly voltageUncertaintyMv: number;
  /** Number of inputs that arrive before the end of the run. */
  readonly inputs: number;
  /** Latest input time (ms; 0 without inputs). */
  readonly lastInputMs: number;
  /** Where V reaches its overall maximum ignoring threshold and reset (ms). */
  readonly peakMs: number;
  /** That maximum of V - v_rest (mV, >= 0). */
  readonly maxDepolarisationMv: number;
}

/** Spikes closer than this to the end of the run count as ties with "no spike" (ms). */
export const END_OF_RUN_TIE_MS = 1e-9;

/**
 * The closed-form prediction for a neuron at rest driven by inputs at `timesMs` with `weightsNa`
 * (any order; non-finite times never arrive). Inputs at or after `durationMs` are ignored and a spike
 * at or after it counts as none, as in the engine, which processes events at t < duration.
 *
 * @throws RangeError if the parameters are outside the closed forms' scope (closedFormFirstSpikeTime)
 */
export function expectNeuron(
  params: LifParams,
  timesMs: ArrayLike<number>,
  weightsNa: ArrayLike<number>,
  durationMs = Infinity,
  inputUncertaintyMs?: ArrayLike<number>,
): NeuronExpectation {
  const sorted = sortInputs(timesMs, weightsNa, inputUncertaintyMs);
  let n = sorted.timesMs.length;
  while (n > 0 && !(sorted.timesMs[n - 1] < durationMs)) n--;
  const times = sorted.timesMs.subarray(0, n);
  const weights = sorted.weightsNa.subarray(0, n);
  const sigmas = sorted.uncertaintyMs.subarray(0, n);
  const cf = closedFormFirstSpikeTime(params, times, weights);
  const profile = membraneProfile(params, times, weights);
  const gap = params.vThreshMv - params.vRestMv;
  let tie = Math.abs(cf.marginMv);
  const spikeAt = cf.timeMs ?? Infinity;
  for (let k = 0; k < profile.startMs.length; k++) {
    const end = k + 1 < profile.startMs.length ? profile.startMs[k + 1] : Infinity;
    if (end > spikeAt) break; // the spike's own interval is covered by marginMv
    tie = Math.min(tie, Math.abs(gap - profile.maxMv[k]));
  }
  let slope: number | null = null;
  let resolution = 0;
  let uncertainty = 0;
  let voltageUncertainty = 0;
  for (let i = 0; i < n; i++) voltageUncertainty += (Math.abs(weights[i]) / params.capacitanceNf) * sigmas[i];
  if (cf.timeMs !== null) {
    const t = cf.timeMs;
    const leak = params.capacitanceNf / params.tauMemMs;
    let sum = 0;
    let carried = 0;
    for (let i = 0; i < n && times[i] <= t; i++) {
      const term = (weights[i] / leak) * kernelSlope(params, t - times[i]);
      sum += term;
      carried += Math.abs(term) * sigmas[i];
    }
    slope = sum;
    // The engine carries V through one propagation per causal input, each adding about one rounding step,
    // so its V at threshold is uncertain by about sqrt(inputs + 1) ulps, not one.
    // Excitatory and inhibitory PSPs may cancel: the rounding scale is that of the largest terms summed.
    let causal = 0;
    let magnitude = 0;
    for (let i = 0; i < n && times[i] <= t; i++) {
      causal++;
      magnitude += (Math.abs(weights[i]) / leak) * kernelValue(params, t - times[i]);
    }
    const scale = Math.max(Math.abs(params.vThreshMv), Math.abs(params.vRestMv) + magnitude);
    const vUlps = Math.sqrt(causal + 1) * ulp(scale);
    resolution = slope > 0 ? vUlps / slope : Infinity;
    uncertainty = slope > 0 ? resolution + carried / slope : Infinity;
  }
  let timeMs = cf.timeMs;
  if (timeMs !== null && !(timeMs < durationMs)) timeMs = null;
  if (cf.timeMs !== null && Math.abs(durationMs - cf.timeMs) < END_OF_RUN_TIE_MS) tie = 0;
  return {
    timeMs,
    marginMv: cf.marginMv,
    tieMarginMv: tie,
    slopeMvPerMs: slope,
    resolutionMs: resolution,
    uncertaintyMs: uncertainty,
    voltageUncertaintyMv: voltageUncertainty,
    inputs: n,
    lastInputMs: n > 0 ? times[n - 1] : 0,
    peakMs: profile.globalArgMaxMs,
    maxDepolarisationMv: profile.globalMaxMv,
  };
}

/** The spacing of doubles at |x| (x finite, nonzero). */
export function ulp(x: number): number {
  const a = Math.abs(x);
  if (!(a > 0) || !Number.isFinite(a)) return Number.MIN_VALUE;
  const e = Math.floor(Math.log2(a));
  // log2 may round up just below a power of two: correct by comparing
  const exponent = 2 ** e > a ? e - 1 : e;
  return Math.max(2 ** (exponent - 52), Number.MIN_VALUE);
}

/**
 * Time derivative of the unit PSP kernel kappa (V - v_rest = sum_i (w_i/g_l) kappa(t - t_i)) at lag
 * x >= 0 (1/ms): ratio 1, kappa = (x/tau) e^{-x/tau}, kappa' = (1 - x/tau) e^{-x/tau} / tau; ratio 2,
 * kappa = e^{-x/tau_m} - e^{-x/tau_s}, kappa' = e^{-x/tau_s}/tau_s - e^{-x/tau_m}/tau_m.
 */
function kernelSlope(params: LifParams, x: number): number {
  const tauM = params.tauMemMs;
  const tauS = params.tauSynExcMs;
  return tauM === tauS || Math.abs(tauM / tauS - 1) <= 1e-12
    ? ((1 - x / tauM) * Math.exp(-x / tauM)) / tauM
    : Math.exp(-x / tauS) / tauS - Math.exp(-x / tauM) / tauM;
}

/** The unit PSP kernel kappa itself (dimensionless), for the two ratios as in kernelSlope. */
function kernelValue(params: LifParams, x: number): number {
  const tauM = params.tauMemMs;
  const tauS = params.tauSynExcMs;
  return tauM === tauS || Math.abs(tauM / tauS - 1) <= 1e-12
    ? (x / tauM) * Math.exp(-x / tauM)
    : Math.exp(-x / tauM) - Math.exp(-x / tauS);
}

function requireRatio(params: LifParams): ClosedFormRatio {
  const ratio = closedFormRatio(params);
  if (ratio === null) {
    throw new RangeError('membraneProfile: parameters outside the closed forms (need tau_m / tau_s = 1 or 2, equal syn taus, no offset)');
  }
  return ratio;
}
