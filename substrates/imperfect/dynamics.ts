import type { LifParamArrays } from '../../core/lif/params.ts';
import type { Network } from '../../core/network/network.ts';
import type { NeuronDynamics } from '../../core/substrate/dynamics.ts';
import { FAULT_NONE } from '../bss2/chip.ts';
import { attachedQuirks, bss2Constants, bss2Dynamics, type Bss2Constants, type Bss2NeuronQuirks } from '../bss2/dynamics.ts';
import { attachedTrialThresholds } from '../bss2/trials.ts';

/** Minimum interval between the spikes of a stuck-on neuron (model time units), for tau_refrac = 0. */
export const STUCK_ON_MIN_PERIOD_MS = 0.01;

/**
 * Quirks of neurons without any chip quirk (ideal clamp, no holdoff, no current cap), all faults `fault`
 * (default none). Stuck-on neurons fire at t = 0 and then every max(tau_refrac, STUCK_ON_MIN_PERIOD_MS).
 */
export function plainQuirks(size: number, fault: Uint8Array = new Uint8Array(size).fill(FAULT_NONE)): Bss2NeuronQuirks {
  return {
    size,
    tauReset: new Float64Array(size),
    holdoff: new Float64Array(size),
    capExc: new Float64Array(size).fill(Infinity),
    capInh: new Float64Array(size).fill(Infinity),
    fault,
    spontaneousStart: new Float64Array(size),
    spontaneousMinPeriod: new Float64Array(size).fill(STUCK_ON_MIN_PERIOD_MS),
  };
}

/**
 * The dynamics of `imperfect`: bss2's dynamics (the exact LIF dynamics of core/lif, per neuron, plus dead
 * and spontaneously firing neurons), with the quirks `realise` attached to the network, and without a
 * realised network no quirk at all (so `prepare(params)` alone gives exactly the LIF neuron).
 */
export const imperfectDynamics: NeuronDynamics<Bss2Constants> = {
  ...bss2Dynamics,
  prepare(params: LifParamArrays, network?: Network): Bss2Constants {
    const quirks = attachedQuirks(network) ?? plainQuirks(params.size);
    if (quirks.size !== params.size) throw new Error(`imperfect: ${quirks.size} neuron quirks for ${params.size} neurons`);
    return bss2Constants(params, quirks, attachedTrialThresholds(network)?.current);
  },
};
