import fc from 'fast-check';
import type { LifParams } from '../../core/lif/params.ts';
import { specDouble, type NumberSpec } from './gridDouble.ts';
import { lifParamsArbitrary, type LifParamsConstraints } from './lifParams.ts';

/** One LIF neuron between events: its parameters and its state (units as in {@link LifParams}). */
export interface NeuronCase {
  readonly params: LifParams;
  /** Membrane potential (mV), below v_thresh; v_reset while refractory. */
  readonly vMv: number;
  /** Excitatory synaptic current (nA, >= 0). */
  readonly iExcNa: number;
  /** Inhibitory synaptic current (nA, <= 0). */
  readonly iInhNa: number;
  /** Time left in the refractory period (ms, >= 0). */
  readonly refractoryLeftMs: number;
}

/**
 * Ranges of a neuron state, relative to its parameters so that every parameter set gets a comparable
 * mix of states that cross the threshold and states that do not. With base = min(v_rest, v_reset):
 * V = base + vFraction (v_thresh - base); the unit current of a synapse type is
 * C_m (v_thresh - base) / tau_syn, whose PSP peaks at roughly a third of the distance to threshold.
 */
export interface NeuronCaseConstraints {
  /** Parameter ranges. Default: those of {@link lifParamsArbitrary}. */
  readonly params?: LifParamsConstraints;
  /** V as a fraction of the way from base to v_thresh (must stay < 1). Default `{ min: -0.5, max: 0.98 }`. */
  readonly vFraction?: NumberSpec;
  /** Excitatory current in unit currents (>= 0). Default `{ min: 0, max: 4 }`, a quarter of draws exactly 0. */
  readonly excitation?: NumberSpec;
  /** Inhibitory current in unit currents (>= 0; the current is minus this). Default `{ min: 0, max: 3 }`, half exactly 0. */
  readonly inhibition?: NumberSpec;
  /** Time left in the refractory period, as a fraction of tau_refrac. Default `{ min: 0, max: 1 }`, half exactly 0. */
  readonly refractoryFraction?: NumberSpec;
}

/** The unit excitatory and inhibitory currents of {@link NeuronCaseConstraints} (nA). */
export function unitCurrents(params: LifParams): { excNa: number; inhNa: number } {
  const gap = params.vThreshMv - Math.min(params.vRestMv, params.vResetMv);
  return {
    excNa: (params.capacitanceNf * gap) / params.tauSynExcMs,
    inhNa: (params.capacitanceNf * gap) / params.tauSynInhMs,
  };
}

/**
 * A LIF neuron with a state below threshold: random parameters, membrane potential, synaptic currents
 * (excitatory >= 0, inhibitory <= 0) and, in half the cases, part of a refractory period left (then V
 * is v_reset, as the model holds it there).
 * Shrinks toward V at base, no currents, no refractoriness.
 */
export function neuronCaseArbitrary(constraints: NeuronCaseConstraints = {}): fc.Arbitrary<NeuronCase> {
  const vFraction = specDouble(constraints.vFraction ?? { min: -0.5, max: 0.98 }, 'vFraction');
  return fc
    .record({
      params: lifParamsArbitrary(constraints.params),
      vFraction,
      excitation: specDouble(constraints.excitation ?? { min: 0, max: 4 }, 'excitation', 1),
      inhibition: specDouble(constraints.inhibition ?? { min: 0, max: 3 }, 'inhibition', 2),
      refractoryFraction: specDouble(constraints.refractoryFraction ?? { min: 0, max: 1 }, 'refractoryFraction', 2),
    })
    .map(({ params, vFraction: f, excitation, inhibition, refractoryFraction }): NeuronCase => {
      const base = Math.min(params.vRestMv, params.vResetMv);
      const unit = unitCurrents(params);
      const refractoryLeftMs = refractoryFraction * params.tauRefracMs;
      // while refractory V is held at v_reset
      const v = refractoryLeftMs > 0 ? params.vResetMv : base + f * (params.vThreshMv - base);
      return {
        params,
        vMv: Math.min(v, params.vThreshMv - 1e-9 * Math.max(1, Math.abs(params.vThreshMv))),
        iExcNa: excitation * unit.excNa,
        iInhNa: inhibition === 0 ? 0 : -inhibition * unit.inhNa,
        refractoryLeftMs,
      };
    });
}
