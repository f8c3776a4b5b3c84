import type { Substrate } from '../../core/substrate/substrate.ts';
import type { Bss2Constants } from '../bss2/dynamics.ts';
import { imperfectDynamics } from './dynamics.ts';
import { resolveImperfectOptions, validateImperfectOptions } from './options.ts';
import { realiseImperfect } from './realise.ts';
import { imperfectObservation, imperfectTransmission, imperfectTrialNoise } from './spikes.ts';

/**
 * Generic, independent hardware-like imperfections for "what if" studies (docs/substrates/imperfect.md):
 * fixed-pattern variation of tau_m, tau_syn, threshold, leak and reset per chip seed, trial-to-trial
 * threshold noise, jitter on transmitted and on recorded spike times, weight resolution (bits, range,
 * nearest or stochastic rounding), dead and stuck-on neurons, spike loss, and a tau_m / tau_syn ratio
 * error. Every knob is off by default, and then it simulates exactly what `ideal` does. The dynamics are
 * bss2's with every chip quirk off (the exact LIF dynamics plus dead and stuck-on neurons); bss2 stays the
 * faithful chip model.
 */
export const imperfectSubstrate: Substrate<Bss2Constants> = {
  name: 'imperfect',
  description: 'the model with tunable imperfections: parameter variation, noise, jitter, weight resolution, faults, spike loss',
  validateOptions(options) {
    validateImperfectOptions(options);
  },
  realise(network, context) {
    return realiseImperfect(network, context, resolveImperfectOptions(context.options));
  },
  dynamics: imperfectDynamics,
  observation(network, context) {
    return imperfectObservation(network, context, resolveImperfectOptions(context.options));
  },
  transmission(network, context) {
    return imperfectTransmission(network, context, resolveImperfectOptions(context.options));
  },
  trialNoise(network, context) {
    return imperfectTrialNoise(network, context, resolveImperfectOptions(context.options));
  },
  weightLimit(options) {
    const o = resolveImperfectOptions(options);
    return o.weightBits !== null && o.weightRange !== null ? o.weightRange : undefined;
  },
};

export {
  DEFAULT_IMPERFECT_OPTIONS,
  IMPERFECT_OPTION_NAMES,
  resolveImperfectOptions,
  validateImperfectOptions,
  type ImperfectOptions,
} from './options.ts';
export { MIN_TAU_FACTOR, NEURON_DEAD, NEURON_OK, NEURON_STUCK_ON, drawNeuronVariation, type NeuronVariation } from './variation.ts';
export { quantiseWeights, weightLevels } from './weights.ts';
export { realiseImperfect } from './realise.ts';
export { STUCK_ON_MIN_PERIOD_MS, imperfectDynamics, plainQuirks } from './dynamics.ts';
export { SpikeKeyedDraws } from './spikeDraws.ts';
export { imperfectObservation, imperfectTransmission, imperfectTrialNoise } from './spikes.ts';
