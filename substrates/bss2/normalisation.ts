import { WEIGHT_MAX } from './hardware.ts';

/**
 * How strong the chip's weights are relative to the threshold: the peak of the PSP that one full-scale
 * synapse (63 LSB) gives, as a fraction of (v_thresh - v_rest). The weight scale (LSB per model weight
 * unit) follows from it and the neuron's time constants and capacitance (see {@link derivedWeightScale}).
 * Sources and arithmetic: docs/substrates/bss2.md, "Weight normalisation".
 */

/**
 * fastAndDeep's set-up (Göltz et al. 2021 code, v1.0.0): hardware weight = round(30 w), so the largest model
 * weight is 63/30 = 2.1; its backward model has tau_m = tau_s = 1, E_l = 0.70, threshold 1.08, g_l = 4, so
 * the threshold distance in weight units is c = g_l (threshold - E_l) = 1.52. The PSP w t e^{-t} / g_l peaks
 * at w / (g_l e): 2.1 / (e 1.52) = 0.508 of the threshold distance.
 */
export const FULL_SCALE_PSP_FAST_AND_DEEP = WEIGHT_MAX / 30 / (Math.E * (1.08 - 0.7) * 4);

/** jaxsnn's BSS2 Yin-Yang example: weight scale 58, tau_m = 2 tau_s, threshold 1: the PSP w (x - x^2), x = e^{-t/tau_m}, peaks at w/4: (63/58)/4 = 0.272. */
export const FULL_SCALE_PSP_JAXSNN = WEIGHT_MAX / 58 / 4;

/** hxtorch's surrogate-gradient Yin-Yang example: weight scale 64, tau_m = tau_s, threshold 1: (63/64)/e = 0.362. */
export const FULL_SCALE_PSP_HXTORCH = WEIGHT_MAX / 64 / Math.E;

/**
 * Peak of the membrane deflection (mV) caused by a current jump of 1 nA into a resting current-based LIF
 * neuron: V(t) = (1/C) tau_m tau_s / (tau_m - tau_s) (e^{-t/tau_m} - e^{-t/tau_s}) (the solution of
 * C dV/dt = -(C/tau_m) V + I, I = e^{-t/tau_s}), at its maximum t* = ln(tau_m/tau_s) tau_m tau_s /
 * (tau_m - tau_s); for tau_m = tau_s = tau it is V = (t/C) e^{-t/tau}, peak tau / (C e).
 */
export function unitPspPeakMv(tauMemMs: number, tauSynMs: number, capacitanceNf: number): number {
  const a = tauMemMs;
  const b = tauSynMs;
  // the general formula loses digits as tau_m -> tau_s; below this relative gap the limit is exact to ~1e-12
  if (Math.abs(a - b) <= 1e-6 * Math.max(a, b)) {
    const tau = 0.5 * (a + b);
    return tau / (capacitanceNf * Math.E);
  }
  const tPeak = (Math.log(a / b) * a * b) / (a - b);
  return ((a * b) / (capacitanceNf * (a - b))) * (Math.exp(-tPeak / a) - Math.exp(-tPeak / b));
}

/** The neuron quantities the weight scale depends on. */
export interface NormalisationNeuron {
  readonly tauMemMs: number;
  readonly tauSynExcMs: number;
  readonly capacitanceNf: number;
  readonly vRestMv: number;
  readonly vThreshMv: number;
}

/**
 * The weight scale (LSB per model weight unit) at which a full-scale synapse (63 LSB) gives a PSP peak of
 * `fullScalePsp` x (v_thresh - v_rest): 63 x unitPsp / ((v_thresh - v_rest) fullScalePsp). For the TTFS
 * neuron (tau_m = tau_s = 1, C = 1, distance 1: unitPsp = 1/e) and fastAndDeep's 0.508 it is 30 x 1.52 = 45.6,
 * i.e. the largest model weight is 2.1 / 1.52 = 1.38.
 */
export function derivedWeightScale(fullScalePsp: number, neuron: NormalisationNeuron): number {
  const span = neuron.vThreshMv - neuron.vRestMv;
  if (!(span > 0)) throw new Error(`bss2: weight normalisation needs v_thresh > v_rest (got a distance of ${span} mV)`);
  return (WEIGHT_MAX * unitPspPeakMv(neuron.tauMemMs, neuron.tauSynExcMs, neuron.capacitanceNf)) / (span * fullScalePsp);
}

/** The weight scale in force: `weightScale` when given, else derived from `fullScalePsp` and the neuron. */
export function weightScaleOf(options: { readonly weightScale: number | null; readonly fullScalePsp: number }, neuron: NormalisationNeuron): number {
  return options.weightScale ?? derivedWeightScale(options.fullScalePsp, neuron);
}
