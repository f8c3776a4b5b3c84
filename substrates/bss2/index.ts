import type { Substrate } from '../../core/substrate/substrate.ts';
import { bss2Dynamics, type Bss2Constants } from './dynamics.ts';
import { bss2Observation } from './observation.ts';
import { resolveBss2Options, validateBss2Options } from './options.ts';
import { bss2InputTimes, realiseBss2 } from './realise.ts';
import { bss2WeightLimit } from './quantisation.ts';
import { bss2TrialNoise } from './trials.ts';

/**
 * The BrainScaleS-2 substrate (docs/substrates/bss2.md): fixed-pattern mismatch per chip seed,
 * threshold noise per batch and per sample, membrane noise, 6-bit signed weights normalised to the PSP of a
 * full-scale synapse, input and output times on the 8 ns FPGA clock, spike-time jitter and read-out latency,
 * the digital refractory counter with reset holdoff and a relaxing reset, saturating synaptic currents,
 * dead and spontaneously firing neurons, and the chip's size limits. For the learning plugin it also maps
 * input times to the clock (`inputTimes`), redraws per-sample noise (`trialNoise`), passes the jitter on to
 * the next layer (the observation's `transmit`) and reports the weight range (`weightLimit`).
 * Every effect can be scaled or switched off (BSS2_ALL_OFF gives exactly the `ideal` spike times).
 */
export const bss2Substrate: Substrate<Bss2Constants> = {
  name: 'bss2',
  description: 'BrainScaleS-2: mismatch, noise, 6-bit weights, clock-quantised times, refractory quirks, size limits',
  validateOptions(options) {
    validateBss2Options(options);
  },
  realise(network, context) {
    return realiseBss2(network, context, resolveBss2Options(context.options));
  },
  dynamics: bss2Dynamics,
  observation(_network, context) {
    return bss2Observation(context, resolveBss2Options(context.options));
  },
  inputTimes(_network, context) {
    return bss2InputTimes(resolveBss2Options(context.options));
  },
  trialNoise(network, context) {
    return bss2TrialNoise(network, context, resolveBss2Options(context.options));
  },
  weightLimit(options, neuron) {
    return bss2WeightLimit(resolveBss2Options(options), neuron);
  },
};

export { attachQuirks, attachedQuirks, bss2Constants, bss2Dynamics, defaultQuirks } from './dynamics.ts';
export type { Bss2Constants, Bss2NeuronQuirks } from './dynamics.ts';
export {
  BSS2_ALL_OFF,
  BSS2_PRESETS,
  BSS2_SOURCED,
  BSS2_OPTION_NAMES,
  DEFAULT_BSS2_MISMATCH,
  DEFAULT_BSS2_NOISE,
  DEFAULT_BSS2_OPTIONS,
  defaultSynapticCurrentCap,
  resolveBss2Options,
  validateBss2Options,
  type Bss2MismatchOptions,
  type Bss2NoiseOptions,
  type Bss2Options,
  type Bss2PresetName,
} from './options.ts';
export {
  FULL_SCALE_PSP_FAST_AND_DEEP,
  FULL_SCALE_PSP_HXTORCH,
  FULL_SCALE_PSP_JAXSNN,
  derivedWeightScale,
  unitPspPeakMv,
  weightScaleOf,
  type NormalisationNeuron,
} from './normalisation.ts';
export {
  FAULT_DEAD,
  FAULT_NONE,
  FAULT_SPONTANEOUS,
  drawChipWeightScale,
  drawEfficacyColumn,
  drawEfficacyRows,
  drawNeuronMismatch,
  type ChipStreamSource,
  type NeuronMismatch,
} from './chip.ts';
export {
  bss2InputTimes,
  checkFits,
  concatenatedParams,
  neuronQuirks,
  perSampleNoise,
  placeNetwork,
  realiseBss2,
  slotWeightScales,
  type Placement,
} from './realise.ts';
export {
  TrialKeyedStream,
  attachTrialThresholds,
  attachedTrialThresholds,
  bss2TrialNoise,
  type Bss2TrialThresholds,
} from './trials.ts';
export { bss2Observation } from './observation.ts';
export {
  bss2WeightLimit,
  fpgaCycle,
  floorToGrid,
  integerWeight,
  quantisedWeight,
  refractoryTick,
  refractoryTicks,
  roundToGrid,
} from './quantisation.ts';
export {
  CRAMER_POWER_BOUND_MW,
  DEFAULT_MARGIN_UNITS,
  PAPER_SLOT_UNITS,
  RUN_OFFSET_US,
  bss2CostEstimate,
  type Bss2CostEstimate,
  type Bss2CostOptions,
  type Bss2RunActivity,
} from './cost.ts';
export * from './hardware.ts';
