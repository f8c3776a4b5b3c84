import type { LifParamArrays } from './params.ts';

/**
 * Derived per-neuron constants of the exact LIF propagator (NEST calls these "Variables"), one entry per
 * neuron, recomputed from the parameters before a run. Rates in 1/ms, potentials in mV.
 */
export interface LifConstants {
  readonly size: number;
  /** a = 1 / tau_m */
  readonly rateMem: Float64Array;
  /** b_E = 1 / tau_syn_E */
  readonly rateExc: Float64Array;
  /** b_I = 1 / tau_syn_I */
  readonly rateInh: Float64Array;
  /** b_E - a (exactly 0 when tau_syn_E = tau_m) */
  readonly rateDiffExc: Float64Array;
  /** b_I - a */
  readonly rateDiffInh: Float64Array;
  /** 1 / C_m (1/nF) */
  readonly invCapacitance: Float64Array;
  /** Asymptote of V with no synaptic current: c = v_rest + i_offset tau_m / C_m (docs/design.md section 1). */
  readonly vAsymptoteMv: Float64Array;
  readonly vThreshMv: Float64Array;
  readonly vResetMv: Float64Array;
  readonly tauRefracMs: Float64Array;
  /** Maximum over t >= 0 of the synaptic kernel K_E(t) (ms), used by the cheap crossing bound. */
  readonly kernelPeakExcMs: Float64Array;
  /** Maximum over t >= 0 of K_I(t) (ms). */
  readonly kernelPeakInhMs: Float64Array;
}

/**
 * The synaptic kernel K(t) = integral_0^t e^{-a (t - s)} e^{-b s} ds, the membrane response (per unit
 * current / C_m) to a unit exponential current: K = (e^{-a t} - e^{-b t}) / (b - a), and t e^{-a t} when
 * a = b. Written as t e^{-a t} phi((b - a) t) with phi(x) = -expm1(-x)/x so that nearly equal time
 * constants lose no accuracy (no division by a small b - a; cf. NEST's singularity-safe propagators).
 */
export function synapticKernel(rateMem: number, rateDiff: number, t: number): number {
  const x = rateDiff * t;
  const em = Math.exp(-rateMem * t);
  if (x === 0) return t * em;
  if (x < -700) return (em - Math.exp(-(rateMem + rateDiff) * t)) / rateDiff;
  return (em * -Math.expm1(-x)) / rateDiff;
}

/** Time of the maximum of K: ln(b/a)/(b - a), or 1/a when a = b. */
function kernelPeakTime(rateMem: number, rateSyn: number): number {
  const d = rateSyn - rateMem;
  if (d === 0) return 1 / rateMem;
  // ln(b/a)/(b-a) = log1p(d/a)/d, accurate for small d
  return Math.log1p(d / rateMem) / d;
}

/** Computes the derived constants from per-neuron parameters. */
export function lifConstants(params: LifParamArrays): LifConstants {
  const n = params.size;
  const k = {
    size: n,
    rateMem: new Float64Array(n),
    rateExc: new Float64Array(n),
    rateInh: new Float64Array(n),
    rateDiffExc: new Float64Array(n),
    rateDiffInh: new Float64Array(n),
    invCapacitance: new Float64Array(n),
    vAsymptoteMv: new Float64Array(n),
    vThreshMv: params.vThreshMv.slice(),
    vResetMv: params.vResetMv.slice(),
    tauRefracMs: params.tauRefracMs.slice(),
    kernelPeakExcMs: new Float64Array(n),
    kernelPeakInhMs: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const a = 1 / params.tauMemMs[i];
    const bE = 1 / params.tauSynExcMs[i];
    const bI = 1 / params.tauSynInhMs[i];
    k.rateMem[i] = a;
    k.rateExc[i] = bE;
    k.rateInh[i] = bI;
    // exactly zero when the time constants are equal, so the kernel takes its t e^{-at} branch
    k.rateDiffExc[i] = params.tauSynExcMs[i] === params.tauMemMs[i] ? 0 : bE - a;
    k.rateDiffInh[i] = params.tauSynInhMs[i] === params.tauMemMs[i] ? 0 : bI - a;
    k.invCapacitance[i] = 1 / params.capacitanceNf[i];
    k.vAsymptoteMv[i] = params.vRestMv[i] + (params.iOffsetNa[i] * params.tauMemMs[i]) / params.capacitanceNf[i];
    k.kernelPeakExcMs[i] = synapticKernel(a, k.rateDiffExc[i], kernelPeakTime(a, bE));
    k.kernelPeakInhMs[i] = synapticKernel(a, k.rateDiffInh[i], kernelPeakTime(a, bI));
  }
  return k;
}
