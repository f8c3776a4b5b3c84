import type { LifParams } from '../lif/params.ts';
import type { IfCurrExpParamsConfig } from './schema.ts';

/** The config's (PyNN IF_curr_exp) name of each LIF parameter field. */
export const PYNN_PARAM_NAMES: Readonly<Record<keyof LifParams, keyof IfCurrExpParamsConfig>> = Object.freeze({
  tauMemMs: 'tau_m',
  tauSynExcMs: 'tau_syn_E',
  tauSynInhMs: 'tau_syn_I',
  capacitanceNf: 'cm',
  vRestMv: 'v_rest',
  vResetMv: 'v_reset',
  vThreshMv: 'v_thresh',
  tauRefracMs: 'tau_refrac',
  iOffsetNa: 'i_offset',
});
