import type { LifParams } from '../../core/lif/params.ts';
import { synapticKernel } from '../../core/lif/constants.ts';

/** The nominal constants the gradient needs (rates in 1/ms, 1/C_m in 1/nF). */
export interface GradientConstants {
  readonly rateMem: number;
  readonly rateExc: number;
  readonly rateInh: number;
  readonly rateDiffExc: number;
  readonly rateDiffInh: number;
  readonly invCapacitance: number;
}

export function gradientConstants(p: LifParams): GradientConstants {
  const a = 1 / p.tauMemMs;
  return {
    rateMem: a,
    rateExc: 1 / p.tauSynExcMs,
    rateInh: 1 / p.tauSynInhMs,
    rateDiffExc: p.tauSynExcMs === p.tauMemMs ? 0 : 1 / p.tauSynExcMs - a,
    rateDiffInh: p.tauSynInhMs === p.tauMemMs ? 0 : 1 / p.tauSynInhMs - a,
    invCapacitance: 1 / p.capacitanceNf,
  };
}

/**
 * The analytic gradient of a first spike time from spike times only (docs/design.md section 1; Göltz, Kriener
 * et al. 2021). At the spike t* the threshold condition V(t*; w, t_in) = v_thresh holds, so by the
 * implicit function theorem
 *
 *     d t* / d w_i    = -(dV/dw_i)    / (dV/dt) = -K(t* - t_i) / S
 *     d t* / d t_in_i = -(dV/dt_in_i) / (dV/dt) =  w_i K'(t* - t_i) / S,    S = sum_j w_j K'(t* - t_j)
 *
 * with K the PSP kernel of constants.ts (excitatory or inhibitory time constant by the sign of w) and
 * K'(s) = e^{-b s} - a K(s). Valid for any tau_m / tau_syn ratio for a neuron that starts at rest with no
 * offset current (the paper's closed-form derivatives are the special cases). Inputs at or after t*
 * (non-causal) and inputs that never spiked get zero. Writes into `dtdw` and `dtdtin` (length n) and
 * returns S = C_m dV/dt at t* (nA); S <= 0 means the crossing is not transversal and all entries are 0.
 */
export function ttfsGradient(
  g: GradientConstants,
  tSpike: number,
  inputTimes: ArrayLike<number>,
  weights: ArrayLike<number>,
  n: number,
  dtdw: Float64Array,
  dtdtin: Float64Array,
): number {
  let slope = 0;
  for (let i = 0; i < n; i++) {
    const s = tSpike - inputTimes[i];
    if (!(s > 0) || !Number.isFinite(s)) {
      dtdw[i] = 0;
      dtdtin[i] = 0;
      continue;
    }
    const w = weights[i];
    const exc = w >= 0;
    const d = exc ? g.rateDiffExc : g.rateDiffInh;
    let k: number;
    let kPrime: number;
    if (d === 0) {
      // tau_m = tau_syn: K = s e^{-a s}, K' = e^{-a s} (1 - a s), one exponential
      const e = Math.exp(-g.rateMem * s);
      k = s * e;
      kPrime = e - g.rateMem * k;
    } else {
      k = synapticKernel(g.rateMem, d, s);
      kPrime = Math.exp(-(exc ? g.rateExc : g.rateInh) * s) - g.rateMem * k;
    }
    dtdw[i] = k; // stored temporarily, scaled below
    dtdtin[i] = w * kPrime;
    slope += w * kPrime;
  }
  if (!(slope > 0)) {
    dtdw.fill(0, 0, n);
    dtdtin.fill(0, 0, n);
    return slope;
  }
  const inv = 1 / slope;
  for (let i = 0; i < n; i++) {
    dtdw[i] *= -inv;
    dtdtin[i] *= inv;
  }
  return slope;
}
