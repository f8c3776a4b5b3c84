import type { NeuronDynamics, NeuronStateArrays } from '../substrate/dynamics.ts';
import { lifConstants, type LifConstants } from './constants.ts';
import type { LifParamArrays } from './params.ts';
import { I_EXC, I_INH, V, propagateFree, propagationScratch } from './propagator.ts';
import { HORIZON, firstCrossingTime, horizonState } from './thresholdCrossing.ts';
import { lifFirstSpikes } from './firstSpikeSweep.ts';

const scratch = propagationScratch();

/**
 * The neuron (-1 for none), start and end time of the last free crossing search (see horizonState). In a
 * Float64Array rather than module-level `let`s, which box every double written to them.
 */
const cached = new Float64Array([-1, NaN, NaN]);
const CACHED_NEURON = 0;
const CACHED_FROM = 1;
const CACHED_TO = 2;

/** Decays the synaptic currents of neuron i over dt while V is held (refractory period). */
function decayCurrents(s: NeuronStateArrays, k: LifConstants, i: number, dt: number): void {
  const eE = Math.exp(-k.rateExc[i] * dt);
  s.iExcNa[i] *= eE;
  s.iInhNa[i] *= k.rateInh[i] === k.rateExc[i] ? eE : Math.exp(-k.rateInh[i] * dt);
}

/**
 * The exact current-based LIF dynamics of docs/design.md section 1: analytic propagation between events,
 * V held at v_reset for tau_refrac after a spike while the currents keep evolving, exact threshold search.
 */
export const lifDynamics: NeuronDynamics<LifConstants> = {
  prepare(params: LifParamArrays): LifConstants {
    return lifConstants(params);
  },

  advanceTo(s, k, i, t) {
    let t0 = s.lastMs[i];
    if (!(t > t0)) return;
    const ref = s.refractoryUntilMs[i];
    if (ref > t0) {
      const held = t < ref ? t : ref;
      decayCurrents(s, k, i, held - t0);
      s.vMv[i] = k.vResetMv[i];
      if (t <= ref) {
        s.lastMs[i] = t;
        return;
      }
      t0 = ref;
    }
    if (cached[CACHED_NEURON] === i && cached[CACHED_FROM] === t0 && cached[CACHED_TO] === t && horizonState[HORIZON] === t - t0) {
      // the crossing search just propagated this neuron over exactly this interval: reuse its result
      s.vMv[i] = horizonState[V];
      s.iExcNa[i] = horizonState[I_EXC];
      s.iInhNa[i] = horizonState[I_INH];
    } else {
      propagateFree(k, i, s.vMv[i], s.iExcNa[i], s.iInhNa[i], t - t0, scratch);
      s.vMv[i] = scratch[V];
      s.iExcNa[i] = scratch[I_EXC];
      s.iInhNa[i] = scratch[I_INH];
    }
    cached[CACHED_NEURON] = -1;
    s.lastMs[i] = t;
  },

  receive(s, _k, i, w) {
    if (w >= 0) s.iExcNa[i] += w;
    else s.iInhNa[i] += w;
  },

  nextSpikeTime(s, k, i, tLimit) {
    let t0 = s.lastMs[i];
    let v = s.vMv[i];
    let iE = s.iExcNa[i];
    let iI = s.iInhNa[i];
    const ref = s.refractoryUntilMs[i];
    if (ref > t0) {
      if (ref >= tLimit) return Infinity;
      const eE = Math.exp(-k.rateExc[i] * (ref - t0));
      iE *= eE;
      iI *= k.rateInh[i] === k.rateExc[i] ? eE : Math.exp(-k.rateInh[i] * (ref - t0));
      v = k.vResetMv[i];
      t0 = ref;
    }
    const dt = firstCrossingTime(k, i, v, iE, iI, tLimit - t0);
    // remember a free search from the stored state so that advanceTo(tLimit) can reuse its end state
    cached[CACHED_NEURON] = t0 === s.lastMs[i] ? i : -1;
    cached[CACHED_FROM] = t0;
    cached[CACHED_TO] = tLimit;
    if (dt === Infinity) return Infinity;
    const t = t0 + dt;
    return t < tLimit ? t : tLimit;
  },

  fire(s, k, i) {
    s.vMv[i] = k.vResetMv[i];
    s.refractoryUntilMs[i] = s.lastMs[i] + k.tauRefracMs[i];
  },

  firstSpikes(s, k, base, size, timesMs, rows, m, weights, tMaxMs, out) {
    lifFirstSpikes(lifDynamics, k, k, null, s, base, size, timesMs, rows, m, weights, tMaxMs, out);
  },

  membranePotentialAt(s, k, i, t) {
    let t0 = s.lastMs[i];
    const ref = s.refractoryUntilMs[i];
    if (ref > t0) {
      if (t <= ref) return k.vResetMv[i];
      const eE = Math.exp(-k.rateExc[i] * (ref - t0));
      const eI = Math.exp(-k.rateInh[i] * (ref - t0));
      propagateFree(k, i, k.vResetMv[i], s.iExcNa[i] * eE, s.iInhNa[i] * eI, t - ref, scratch);
      return scratch[V];
    }
    propagateFree(k, i, s.vMv[i], s.iExcNa[i], s.iInhNa[i], t - t0, scratch);
    return scratch[V];
  },
};

/**
 * True when `dyn` is exactly lifDynamics: the same functions for every step (a substrate that spreads
 * lifDynamics and replaces a step is not). The engine may then run populations of identical neurons on its
 * windowed fast path (core/engine/windowedLif.ts), which does lifDynamics' arithmetic in bulk.
 */
export function isLifDynamics(dyn: NeuronDynamics<unknown>): boolean {
  const d = lifDynamics as NeuronDynamics<unknown>;
  return (
    dyn.prepare === d.prepare &&
    dyn.advanceTo === d.advanceTo &&
    dyn.receive === d.receive &&
    dyn.nextSpikeTime === d.nextSpikeTime &&
    dyn.fire === d.fire &&
    dyn.membranePotentialAt === d.membranePotentialAt
  );
}
