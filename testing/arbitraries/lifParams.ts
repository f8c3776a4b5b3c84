import fc from 'fast-check';
import type { LifParams } from '../../core/lif/params.ts';
import { specDouble, toRange, type NumberSpec } from './gridDouble.ts';

/**
 * Ranges of LIF neuron parameters (a number fixes a field). Units as in {@link LifParams}: ms, mV, nF, nA.
 * The defaults keep the dynamics typical: a threshold 5-25 mV above rest, PSPs of a few mV per nA.
 */
export interface LifParamsConstraints {
  /** Membrane time constant tau_m (ms, > 0). Default `{ min: 2, max: 30 }`. */
  readonly tauMemMs?: NumberSpec;
  /**
   * Excitatory synaptic time constant (ms, > 0). Default: none, tau_syn_E = tau_m x a ratio drawn from
   * {@link LifParamsConstraints.tauSynRatios}, so that equal time constants occur exactly.
   */
  readonly tauSynExcMs?: NumberSpec;
  /** Inhibitory synaptic time constant (ms, > 0). Default: none, tau_m x a ratio as for tau_syn_E. */
  readonly tauSynInhMs?: NumberSpec;
  /**
   * Ratios tau_syn / tau_m used when a synaptic time constant has no range of its own, drawn
   * independently for E and I; shrinking goes toward the first. Default
   * `[1, 0.5, 2, 0.25, 0.8, 1.25, 1 + 1e-9]`: equal (the Lambert W closed form), tau_m = 2 tau_s (the
   * quadratic closed form), both orders, and nearly equal (the singular limit of the propagator).
   */
  readonly tauSynRatios?: readonly number[];
  /** Membrane capacitance C_m (nF, > 0). Default `{ min: 0.2, max: 1 }`. */
  readonly capacitanceNf?: NumberSpec;
  /** Resting potential E_l (mV). Default `{ min: -70, max: -60 }`. */
  readonly vRestMv?: NumberSpec;
  /** Threshold (mV); its minimum must exceed the maximum of vResetMv. Default `{ min: -55, max: -45 }`. */
  readonly vThreshMv?: NumberSpec;
  /** Reset potential (mV), always below the threshold. Default `{ min: -75, max: -60 }`. */
  readonly vResetMv?: NumberSpec;
  /** Refractory period (ms, >= 0). Default `{ min: 0.1, max: 4 }`. */
  readonly tauRefracMs?: NumberSpec;
  /**
   * Offset current (nA). Default `{ min: -0.1, max: 0.3 }`; when the range contains 0 (and is not just 0),
   * half of the draws are exactly 0, the common case, which is also where shrinking goes.
   */
  readonly iOffsetNa?: NumberSpec;
}

/** Default ratios tau_syn / tau_m (see {@link LifParamsConstraints.tauSynRatios}). */
export const DEFAULT_TAU_SYN_RATIOS: readonly number[] = Object.freeze([1, 0.5, 2, 0.25, 0.8, 1.25, 1 + 1e-9]);

/** Every default of {@link LifParamsConstraints} (synaptic time constants from ratios). */
export const DEFAULT_LIF_PARAMS_CONSTRAINTS = Object.freeze({
  tauMemMs: { min: 2, max: 30 },
  tauSynRatios: DEFAULT_TAU_SYN_RATIOS,
  capacitanceNf: { min: 0.2, max: 1 },
  vRestMv: { min: -70, max: -60 },
  vThreshMv: { min: -55, max: -45 },
  vResetMv: { min: -75, max: -60 },
  tauRefracMs: { min: 0.1, max: 4 },
  iOffsetNa: { min: -0.1, max: 0.3 },
} satisfies LifParamsConstraints);

function positive(spec: NumberSpec, what: string): NumberSpec {
  if (toRange(spec, what).min <= 0) throw new RangeError(`${what}: must be > 0`);
  return spec;
}

/**
 * LIF neuron parameters ({@link LifParams}) within the given ranges: positive time constants and
 * capacitance, v_reset < v_thresh, tau_refrac >= 0, tau ratios including equal. Throws RangeError at
 * construction when the ranges cannot guarantee these (the message names the field).
 * Shrinks toward the lower bounds, equal time constants and no offset current.
 */
export function lifParamsArbitrary(constraints: LifParamsConstraints = {}): fc.Arbitrary<LifParams> {
  const d = DEFAULT_LIF_PARAMS_CONSTRAINTS;
  const c = {
    tauMemMs: constraints.tauMemMs ?? d.tauMemMs,
    tauSynRatios: constraints.tauSynRatios ?? d.tauSynRatios,
    capacitanceNf: constraints.capacitanceNf ?? d.capacitanceNf,
    vRestMv: constraints.vRestMv ?? d.vRestMv,
    vThreshMv: constraints.vThreshMv ?? d.vThreshMv,
    vResetMv: constraints.vResetMv ?? d.vResetMv,
    tauRefracMs: constraints.tauRefracMs ?? d.tauRefracMs,
    iOffsetNa: constraints.iOffsetNa ?? d.iOffsetNa,
  };
  const ratios = c.tauSynRatios;
  if (ratios.length === 0 || ratios.some((r) => !(r > 0 && Number.isFinite(r)))) {
    throw new RangeError('tauSynRatios: must be a non-empty list of finite ratios > 0');
  }
  const threshold = toRange(c.vThreshMv, 'vThreshMv');
  const reset = toRange(c.vResetMv, 'vResetMv');
  if (!(reset.max < threshold.min)) {
    throw new RangeError(
      `vResetMv: its maximum (${reset.max}) must be below the minimum of vThreshMv (${threshold.min}) so that v_reset < v_thresh`,
    );
  }
  if (toRange(c.tauRefracMs, 'tauRefracMs').min < 0) throw new RangeError('tauRefracMs: must be >= 0');
  const ratio = fc.constantFrom(...ratios);
  const synTau = (spec: NumberSpec | undefined, what: string): fc.Arbitrary<number | null> =>
    spec === undefined ? fc.constant(null) : specDouble(positive(spec, what), what);
  return fc
    .record({
      tauMemMs: specDouble(positive(c.tauMemMs, 'tauMemMs'), 'tauMemMs'),
      tauSynExc: synTau(constraints.tauSynExcMs, 'tauSynExcMs'),
      tauSynInh: synTau(constraints.tauSynInhMs, 'tauSynInhMs'),
      ratioExc: ratio,
      ratioInh: ratio,
      capacitanceNf: specDouble(positive(c.capacitanceNf, 'capacitanceNf'), 'capacitanceNf'),
      vRestMv: specDouble(c.vRestMv, 'vRestMv'),
      vResetMv: specDouble(reset, 'vResetMv'),
      vThreshMv: specDouble(threshold, 'vThreshMv'),
      tauRefracMs: specDouble(c.tauRefracMs, 'tauRefracMs'),
      iOffsetNa: specDouble(c.iOffsetNa, 'iOffsetNa', 2),
    })
    .map(
      (r): LifParams => ({
        tauMemMs: r.tauMemMs,
        tauSynExcMs: r.tauSynExc ?? r.tauMemMs * r.ratioExc,
        tauSynInhMs: r.tauSynInh ?? r.tauMemMs * r.ratioInh,
        capacitanceNf: r.capacitanceNf,
        vRestMv: r.vRestMv,
        vResetMv: r.vResetMv,
        vThreshMv: r.vThreshMv,
        tauRefracMs: r.tauRefracMs,
        iOffsetNa: r.iOffsetNa,
      }),
    );
}
