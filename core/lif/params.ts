/**
 * Parameters of the current-based leaky integrate-and-fire neuron with exponential synaptic currents
 * (PyNN `IF_curr_exp`; docs/design.md section 1). Units: ms, mV, nF, nA.
 */
export interface LifParams {
  /** Membrane time constant tau_m = C_m / g_l (ms, > 0). */
  readonly tauMemMs: number;
  /** Excitatory synaptic time constant tau_syn_E (ms, > 0). */
  readonly tauSynExcMs: number;
  /** Inhibitory synaptic time constant tau_syn_I (ms, > 0). */
  readonly tauSynInhMs: number;
  /** Membrane capacitance C_m (nF, > 0). */
  readonly capacitanceNf: number;
  /** Resting (leak reversal) potential E_l (mV). */
  readonly vRestMv: number;
  /** Reset potential after a spike (mV, < vThreshMv). */
  readonly vResetMv: number;
  /** Firing threshold (mV). */
  readonly vThreshMv: number;
  /** Refractory period during which V is held at vResetMv (ms, >= 0). */
  readonly tauRefracMs: number;
  /** Constant offset current (nA). */
  readonly iOffsetNa: number;
}

/** PyNN `IF_curr_exp` defaults (PyNN standard model documentation). */
export const PYNN_IF_CURR_EXP_DEFAULTS: LifParams = Object.freeze({
  tauMemMs: 20,
  tauSynExcMs: 5,
  tauSynInhMs: 5,
  capacitanceNf: 1,
  vRestMv: -65,
  vResetMv: -65,
  vThreshMv: -50,
  tauRefracMs: 0.1,
  iOffsetNa: 0,
});

/** Per-neuron parameters as a structure of arrays (one entry per neuron, same units as {@link LifParams}). */
export interface LifParamArrays {
  readonly size: number;
  readonly tauMemMs: Float64Array;
  readonly tauSynExcMs: Float64Array;
  readonly tauSynInhMs: Float64Array;
  readonly capacitanceNf: Float64Array;
  readonly vRestMv: Float64Array;
  readonly vResetMv: Float64Array;
  readonly vThreshMv: Float64Array;
  readonly tauRefracMs: Float64Array;
  readonly iOffsetNa: Float64Array;
}

/** The field names of {@link LifParams}, in a fixed order. */
export const LIF_PARAM_FIELDS = [
  'tauMemMs',
  'tauSynExcMs',
  'tauSynInhMs',
  'capacitanceNf',
  'vRestMv',
  'vResetMv',
  'vThreshMv',
  'tauRefracMs',
  'iOffsetNa',
] as const satisfies readonly (keyof LifParams)[];

/** Allocates `size` neurons all set to `params`. */
export function lifParamArrays(size: number, params: LifParams): LifParamArrays {
  const make = (value: number): Float64Array => new Float64Array(size).fill(value);
  return {
    size,
    tauMemMs: make(params.tauMemMs),
    tauSynExcMs: make(params.tauSynExcMs),
    tauSynInhMs: make(params.tauSynInhMs),
    capacitanceNf: make(params.capacitanceNf),
    vRestMv: make(params.vRestMv),
    vResetMv: make(params.vResetMv),
    vThreshMv: make(params.vThreshMv),
    tauRefracMs: make(params.tauRefracMs),
    iOffsetNa: make(params.iOffsetNa),
  };
}

/** Reads neuron `index` back into a record. */
export function lifParamsAt(arrays: LifParamArrays, index: number): LifParams {
  return {
    tauMemMs: arrays.tauMemMs[index],
    tauSynExcMs: arrays.tauSynExcMs[index],
    tauSynInhMs: arrays.tauSynInhMs[index],
    capacitanceNf: arrays.capacitanceNf[index],
    vRestMv: arrays.vRestMv[index],
    vResetMv: arrays.vResetMv[index],
    vThreshMv: arrays.vThreshMv[index],
    tauRefracMs: arrays.tauRefracMs[index],
    iOffsetNa: arrays.iOffsetNa[index],
  };
}

/** Deep copy of a parameter array set. */
export function copyLifParamArrays(arrays: LifParamArrays): LifParamArrays {
  return {
    size: arrays.size,
    tauMemMs: arrays.tauMemMs.slice(),
    tauSynExcMs: arrays.tauSynExcMs.slice(),
    tauSynInhMs: arrays.tauSynInhMs.slice(),
    capacitanceNf: arrays.capacitanceNf.slice(),
    vRestMv: arrays.vRestMv.slice(),
    vResetMv: arrays.vResetMv.slice(),
    vThreshMv: arrays.vThreshMv.slice(),
    tauRefracMs: arrays.tauRefracMs.slice(),
    iOffsetNa: arrays.iOffsetNa.slice(),
  };
}
