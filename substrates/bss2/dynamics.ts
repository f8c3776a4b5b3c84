import { lifConstants, type LifConstants } from '../../core/lif/constants.ts';
import { lifDynamics } from '../../core/lif/lifDynamics.ts';
import { SWEEP_DEAD, SWEEP_GENERIC, lifFirstSpikes, type SweepQuirks } from '../../core/lif/firstSpikeSweep.ts';
import type { LifParamArrays } from '../../core/lif/params.ts';
import type { Network } from '../../core/network/network.ts';
import { I_EXC, I_INH, V, propagateFree, propagationScratch } from '../../core/lif/propagator.ts';
import { firstCrossingTime } from '../../core/lif/thresholdCrossing.ts';
import type { NeuronDynamics, NeuronStateArrays } from '../../core/substrate/dynamics.ts';
import { FAULT_DEAD, FAULT_NONE, FAULT_SPONTANEOUS } from './chip.ts';
import { weightScaleOf } from './normalisation.ts';
import { DEFAULT_BSS2_OPTIONS, defaultSynapticCurrentCap, usToModel } from './options.ts';
import { refractoryTick } from './quantisation.ts';
import { attachedTrialThresholds } from './trials.ts';

/**
 * The per-neuron hardware quirks of the bss2 dynamics (model time and current units), one entry per
 * LIF neuron in the engine's global order. NEST would call these Parameters; {@link Bss2Constants} are
 * the derived Variables.
 */
export interface Bss2NeuronQuirks {
  readonly size: number;
  /** Time constant of the relaxation to v_reset in the reset phase; 0 = ideal clamp (V := v_reset). */
  readonly tauReset: Float64Array;
  /** Length of the reset holdoff at the end of the refractory period (free membrane, no firing); 0 = none. */
  readonly holdoff: Float64Array;
  /** Cap on the excitatory current and on |inhibitory current|; Infinity = none. */
  readonly capExc: Float64Array;
  readonly capInh: Float64Array;
  /** FAULT_NONE, FAULT_DEAD or FAULT_SPONTANEOUS (substrates/bss2/chip.ts). */
  readonly fault: Uint8Array;
  /** Spontaneous neurons: time of the first spike (the first refractory tick) and the shortest period (one tick). */
  readonly spontaneousStart: Float64Array;
  readonly spontaneousMinPeriod: Float64Array;
}

/** Derived constants of the bss2 dynamics (`C` of NeuronDynamics<C>): the exact LIF constants plus the quirks. */
export interface Bss2Constants {
  readonly size: number;
  readonly lif: LifConstants;
  /** 1 / tau_reset, Infinity for the ideal clamp. */
  readonly resetRate: Float64Array;
  /** Holdoff length, at most the refractory period. */
  readonly holdoff: Float64Array;
  readonly capExc: Float64Array;
  readonly capInh: Float64Array;
  readonly fault: Uint8Array;
  readonly spontaneousStart: Float64Array;
  /** Time from a spike to the end of its refractory period (tau_refrac; for spontaneous neurons at least one tick). */
  readonly refractoryPeriod: Float64Array;
  /** 1 where the neuron has no quirk at all: it then runs the exact lifDynamics code, bit for bit. */
  readonly plain: Uint8Array;
  /** What the layered first-spike fast path must honour (caps, dead and spontaneous neurons). */
  readonly sweep: SweepQuirks;
}

/**
 * Quirks with the default options for neurons with parameters `params` (model units): the current cap is
 * 63 inputs at each neuron's largest weight under the default weight normalisation.
 */
export function defaultQuirks(params: LifParamArrays): Bss2NeuronQuirks {
  const size = params.size;
  const tick = refractoryTick(DEFAULT_BSS2_OPTIONS);
  // no threshold distance (v_thresh <= v_rest): nothing to normalise to, no cap
  const cap = Float64Array.from({ length: size }, (_, i) =>
    !(params.vThreshMv[i] > params.vRestMv[i])
      ? Infinity
      : defaultSynapticCurrentCap(
      weightScaleOf(DEFAULT_BSS2_OPTIONS, {
        tauMemMs: params.tauMemMs[i],
        tauSynExcMs: params.tauSynExcMs[i],
        capacitanceNf: params.capacitanceNf[i],
        vRestMv: params.vRestMv[i],
        vThreshMv: params.vThreshMv[i],
      }),
    ),
  );
  return {
    size,
    tauReset: new Float64Array(size).fill(usToModel(DEFAULT_BSS2_OPTIONS, DEFAULT_BSS2_OPTIONS.tauResetUs)),
    holdoff: new Float64Array(size).fill(DEFAULT_BSS2_OPTIONS.holdoffTicks * tick),
    capExc: cap,
    capInh: cap.slice(),
    fault: new Uint8Array(size),
    spontaneousStart: new Float64Array(size).fill(tick),
    spontaneousMinPeriod: new Float64Array(size).fill(tick),
  };
}

// Hand-off from realise to prepare: `realise` attaches the quirks of the network it returns, and the engine
// passes that network to `prepare`. Parameters without a realised bss2 network get the default quirks.
const quirksOfNetwork = new WeakMap<Network, Bss2NeuronQuirks>();

/** Attaches `quirks` (global LIF order) to a network returned by bss2's `realise`. */
export function attachQuirks(network: Network, quirks: Bss2NeuronQuirks): void {
  quirksOfNetwork.set(network, quirks);
}

/** The quirks attached to `network`, or undefined. */
export function attachedQuirks(network: Network | undefined): Bss2NeuronQuirks | undefined {
  return network === undefined ? undefined : quirksOfNetwork.get(network);
}

/**
 * Derived constants from realised parameters and quirks. With `thresholds` (the `current` buffer of the
 * per-trial threshold data a bss2 `realise` attached), the constants use that buffer itself as their
 * v_thresh, so that the substrate's `trialNoise` can redraw thresholds per trial without preparing again.
 */
export function bss2Constants(params: LifParamArrays, quirks: Bss2NeuronQuirks, thresholds?: Float64Array): Bss2Constants {
  const n = params.size;
  if (thresholds !== undefined && thresholds.length !== n) throw new Error(`bss2: ${thresholds.length} trial thresholds for ${n} neurons`);
  const lif = thresholds === undefined ? lifConstants(params) : { ...lifConstants(params), vThreshMv: thresholds };
  const capExc = quirks.capExc.slice();
  const capInh = quirks.capInh.slice();
  // Before its first spike a neuron is in the free phase (no reset, no holdoff), so only the current cap and
  // the faults set it apart from the LIF neuron: dead neurons never fire, spontaneous ones go the generic way.
  const sweep: SweepQuirks = { capExc, capInh, kind: new Uint8Array(n) };
  const k = {
    size: n,
    lif,
    resetRate: new Float64Array(n),
    holdoff: new Float64Array(n),
    capExc,
    capInh,
    fault: quirks.fault.slice(),
    spontaneousStart: quirks.spontaneousStart.slice(),
    refractoryPeriod: params.tauRefracMs.slice(),
    plain: new Uint8Array(n),
    sweep,
  };
  for (let i = 0; i < n; i++) {
    const tauReset = quirks.tauReset[i];
    k.resetRate[i] = tauReset > 0 ? 1 / tauReset : Infinity;
    k.holdoff[i] = Math.min(quirks.holdoff[i], params.tauRefracMs[i]);
    if (k.fault[i] === FAULT_SPONTANEOUS) k.refractoryPeriod[i] = Math.max(params.tauRefracMs[i], quirks.spontaneousMinPeriod[i]);
    k.sweep.kind[i] = k.fault[i] === FAULT_DEAD ? SWEEP_DEAD : k.fault[i] === FAULT_SPONTANEOUS ? SWEEP_GENERIC : 0;
    k.plain[i] =
      k.resetRate[i] === Infinity && k.holdoff[i] === 0 && k.capExc[i] === Infinity && k.capInh[i] === Infinity && k.fault[i] === FAULT_NONE
        ? 1
        : 0;
  }
  return k;
}

const scratch = propagationScratch();
const probe = propagationScratch();

/**
 * The state of neuron i at time t >= t0 with no input in between, from (v, iE, iI) at t0 and the end of
 * its refractory period `ref`, into out[V], out[I_EXC], out[I_INH]. Phases (each solved analytically):
 * reset phase [.., ref - holdoff): dV/dt = (v_reset - V) / tau_reset (V = v_reset for the ideal clamp),
 * currents decaying; then holdoff and free phase: the exact LIF propagator (docs/design.md section 1).
 */
function evolve(k: Bss2Constants, i: number, t0: number, v: number, iE: number, iI: number, ref: number, t: number, out: Float64Array): void {
  if (ref > t0) {
    const resetEnd = ref - k.holdoff[i];
    if (t0 < resetEnd) {
      const te = t < resetEnd ? t : resetEnd;
      const dt = te - t0;
      const vReset = k.lif.vResetMv[i];
      const rate = k.resetRate[i];
      v = rate === Infinity ? vReset : vReset + (v - vReset) * Math.exp(-rate * dt);
      const eE = Math.exp(-k.lif.rateExc[i] * dt);
      iE *= eE;
      iI *= k.lif.rateInh[i] === k.lif.rateExc[i] ? eE : Math.exp(-k.lif.rateInh[i] * dt);
      if (t <= resetEnd) {
        out[V] = v;
        out[I_EXC] = iE;
        out[I_INH] = iI;
        return;
      }
      t0 = resetEnd;
    }
  }
  propagateFree(k.lif, i, v, iE, iI, t - t0, out);
}

/**
 * The BrainScaleS-2 neuron dynamics: the exact LIF dynamics of core/lif between events, plus the
 * hardware's refractory mechanism (calix `refractory_period.py`: a reset period followed by a holdoff in
 * which the membrane evolves freely but cannot fire; if V >= v_thresh when the holdoff ends, the neuron
 * fires then), a reset that relaxes to v_reset with tau_reset instead of an ideal clamp, a saturating
 * synaptic current, and dead or spontaneously firing neurons. The synaptic currents keep decaying and
 * receiving input in every phase. Crossings are searched only in the free phase, with core's exact
 * `firstCrossingTime`. A neuron without quirks runs lifDynamics itself, bit for bit.
 */
export const bss2Dynamics: NeuronDynamics<Bss2Constants> = {
  prepare(params: LifParamArrays, network?: Network): Bss2Constants {
    const quirks = attachedQuirks(network);
    if (quirks !== undefined && quirks.size !== params.size) {
      throw new Error(`bss2: ${quirks.size} neuron quirks for ${params.size} neurons`);
    }
    return bss2Constants(params, quirks ?? defaultQuirks(params), attachedTrialThresholds(network)?.current);
  },

  advanceTo(s: NeuronStateArrays, k, i, t) {
    if (k.plain[i] === 1) return lifDynamics.advanceTo(s, k.lif, i, t);
    const t0 = s.lastMs[i];
    if (!(t > t0)) return;
    evolve(k, i, t0, s.vMv[i], s.iExcNa[i], s.iInhNa[i], s.refractoryUntilMs[i], t, scratch);
    s.vMv[i] = scratch[V];
    s.iExcNa[i] = scratch[I_EXC];
    s.iInhNa[i] = scratch[I_INH];
    s.lastMs[i] = t;
  },

  receive(s, k, i, w) {
    if (k.plain[i] === 1) return lifDynamics.receive(s, k.lif, i, w);
    // saturation: an input cannot drive the current past the cap (nor pull a current already beyond it back)
    if (w >= 0) {
      const before = s.iExcNa[i];
      const x = before + w;
      const cap = k.capExc[i];
      s.iExcNa[i] = x > cap ? Math.max(cap, before) : x;
    } else {
      const before = s.iInhNa[i];
      const x = before + w;
      const cap = -k.capInh[i];
      s.iInhNa[i] = x < cap ? Math.min(cap, before) : x;
    }
  },

  nextSpikeTime(s, k, i, tLimit) {
    if (k.plain[i] === 1) return lifDynamics.nextSpikeTime(s, k.lif, i, tLimit);
    const fault = k.fault[i];
    if (fault === FAULT_DEAD) return Infinity;
    let t0 = s.lastMs[i];
    const ref = s.refractoryUntilMs[i];
    if (fault === FAULT_SPONTANEOUS) {
      const t = Math.max(t0, ref, k.spontaneousStart[i]);
      return t <= tLimit ? t : Infinity;
    }
    let v = s.vMv[i];
    let iE = s.iExcNa[i];
    let iI = s.iInhNa[i];
    if (ref > t0) {
      // no spike before the holdoff ends; then the search starts from the state there
      if (ref >= tLimit) return Infinity;
      evolve(k, i, t0, v, iE, iI, ref, ref, probe);
      v = probe[V];
      iE = probe[I_EXC];
      iI = probe[I_INH];
      t0 = ref;
    }
    const dt = firstCrossingTime(k.lif, i, v, iE, iI, tLimit - t0);
    if (dt === Infinity) return Infinity;
    const t = t0 + dt;
    return t < tLimit ? t : tLimit;
  },

  fire(s, k, i) {
    if (k.plain[i] === 1) return lifDynamics.fire(s, k.lif, i);
    const period = k.refractoryPeriod[i];
    s.refractoryUntilMs[i] = s.lastMs[i] + period;
    // the ideal clamp, or a reset phase of zero length, resets at once; otherwise V relaxes from here
    if (k.resetRate[i] === Infinity || !(period > k.holdoff[i])) s.vMv[i] = k.lif.vResetMv[i];
  },

  firstSpikes(s, k, base, size, timesMs, rows, m, weights, tMaxMs, out) {
    lifFirstSpikes(bss2Dynamics, k, k.lif, k.sweep, s, base, size, timesMs, rows, m, weights, tMaxMs, out);
  },

  membranePotentialAt(s, k, i, t) {
    if (k.plain[i] === 1) return lifDynamics.membranePotentialAt(s, k.lif, i, t);
    evolve(k, i, s.lastMs[i], s.vMv[i], s.iExcNa[i], s.iInhNa[i], s.refractoryUntilMs[i], t, probe);
    return probe[V];
  },
};
