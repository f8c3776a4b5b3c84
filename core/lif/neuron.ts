import { lifConstants, type LifConstants } from './constants.ts';
import { lifParamArrays, type LifParams } from './params.ts';
import { I_EXC, I_INH, V, propagateFree, propagationScratch } from './propagator.ts';
import { firstCrossingTime as firstCrossingOnConstants } from './thresholdCrossing.ts';

/** The state of one LIF neuron between events. */
export interface LifState {
  /** Membrane potential (mV). */
  readonly vMv: number;
  /** Excitatory synaptic current (nA, >= 0 for ordinary input). */
  readonly iExcNa: number;
  /** Inhibitory synaptic current (nA, <= 0 for ordinary input). */
  readonly iInhNa: number;
  /** Time left in the refractory period (ms, >= 0); while > 0, V is held at v_reset. */
  readonly refractoryLeftMs: number;
}

const constantsCache = new WeakMap<LifParams, LifConstants>();
const scratch = propagationScratch();

/** Derived constants of a single neuron, cached per params object. */
export function singleNeuronConstants(params: LifParams): LifConstants {
  let k = constantsCache.get(params);
  if (k === undefined) {
    k = lifConstants(lifParamArrays(1, params));
    constantsCache.set(params, k);
  }
  return k;
}

/** A neuron at rest: V = v_rest, no synaptic current, not refractory. */
export function restingState(params: LifParams): LifState {
  return { vMv: params.vRestMv, iExcNa: 0, iInhNa: 0, refractoryLeftMs: 0 };
}

/**
 * Exact state after `dtMs` with no input and no spike (the threshold is not applied): currents decay
 * exponentially, V is held at v_reset for the rest of the refractory period and then evolves freely.
 */
export function advanceState(state: LifState, params: LifParams, dtMs: number): LifState {
  const k = singleNeuronConstants(params);
  const held = Math.min(state.refractoryLeftMs, dtMs);
  let iE = state.iExcNa;
  let iI = state.iInhNa;
  let v = state.vMv;
  if (held > 0) {
    iE *= Math.exp(-held / params.tauSynExcMs);
    iI *= Math.exp(-held / params.tauSynInhMs);
    v = params.vResetMv;
  }
  const free = dtMs - held;
  if (free > 0) {
    propagateFree(k, 0, v, iE, iI, free, scratch);
    v = scratch[V];
    iE = scratch[I_EXC];
    iI = scratch[I_INH];
  }
  return { vMv: v, iExcNa: iE, iInhNa: iI, refractoryLeftMs: state.refractoryLeftMs - held };
}

/** The membrane potential (mV) `dtMs` after `state`, exact for any dtMs >= 0 between events. */
export function membranePotentialAt(state: LifState, params: LifParams, dtMs: number): number {
  return advanceState(state, params, dtMs).vMv;
}

/** Adds an input spike of weight `weightNa` (w > 0 excitatory, w < 0 inhibitory): currents jump, V does not. */
export function receiveSpike(state: LifState, weightNa: number): LifState {
  return weightNa >= 0
    ? { ...state, iExcNa: state.iExcNa + weightNa }
    : { ...state, iInhNa: state.iInhNa + weightNa };
}

/**
 * Time (ms after `state`) at which V first reaches v_thresh within (0, horizonMs], Infinity if never;
 * refractoriness is honoured (no crossing while V is held). Exact: see thresholdCrossing.ts.
 */
export function firstCrossingTime(state: LifState, params: LifParams, horizonMs: number): number {
  const k = singleNeuronConstants(params);
  if (state.refractoryLeftMs >= horizonMs) return Infinity;
  if (state.refractoryLeftMs > 0) {
    const s = advanceState(state, params, state.refractoryLeftMs);
    const t = firstCrossingOnConstants(k, 0, s.vMv, s.iExcNa, s.iInhNa, horizonMs - state.refractoryLeftMs);
    return t + state.refractoryLeftMs;
  }
  return firstCrossingOnConstants(k, 0, state.vMv, state.iExcNa, state.iInhNa, horizonMs);
}
