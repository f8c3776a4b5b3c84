import type { LifParams } from '../../core/lif/params.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';
import type { LayeredModel } from './model.ts';

/**
 * The substrate's weight limit for `options` and target neurons `neuron` (Substrate.weightLimit), or
 * Infinity when it has none.
 */
export function substrateWeightLimit(substrate: Substrate, options: Readonly<Record<string, unknown>>, neuron?: LifParams): number {
  const limit = substrate.weightLimit?.(options, neuron);
  return limit === undefined ? Infinity : limit;
}

/**
 * Clamps every weight of `model` into [-limit, limit] in place and returns how many changed. The paper's
 * code does this to its float weights on BrainScaleS-2 (63 / scale_weights) before every write to the
 * chip, that is after every optimiser step or weight bump, so that the float weights cannot drift beyond
 * what the chip realises. A limit of Infinity changes nothing.
 */
export function clampWeights(model: LayeredModel, limit: number): number {
  if (!(limit < Infinity)) return 0;
  let changed = 0;
  for (const w of model.weights) {
    for (let k = 0; k < w.length; k++) {
      const x = w[k];
      if (x > limit) {
        w[k] = limit;
        changed++;
      } else if (x < -limit) {
        w[k] = -limit;
        changed++;
      }
    }
  }
  return changed;
}

/**
 * `clampWeights(model, substrateWeightLimit(substrate, options, model.neuron))`: what a trainer calls once before the
 * first batch and after every batch's update (gradient step or weight bump). Returns how many changed.
 */
export function clampWeightsToSubstrate(model: LayeredModel, substrate: Substrate, options: Readonly<Record<string, unknown>>): number {
  return clampWeights(model, substrateWeightLimit(substrate, options, model.neuron));
}
