import type { LifParams } from '../../core/lif/params.ts';
import type { LayeredModel } from '../../plugins/learning/model.ts';
import { TTFS_NEURON } from '../../plugins/learning/presets.ts';

/**
 * A layered TTFS model of the given layer sizes whose weights cycle through `weights` (layer after layer,
 * each layer's matrix in the model's order), with a bias input at 0.9 tau_syn per layer when `bias`.
 */
export function layeredModel(weights: readonly number[], sizes: readonly number[], bias: boolean, neuron: LifParams = TTFS_NEURON): LayeredModel {
  const biasTimes = sizes.slice(1).map(() => (bias ? 0.9 : null));
  let at = 0;
  const ws: Float64Array[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const n = (sizes[l - 1] + (bias ? 1 : 0)) * sizes[l];
    ws.push(Float64Array.from({ length: n }, (_, k) => weights[(at + k) % weights.length]));
    at += n;
  }
  return { layerSizes: sizes, biasTimes, neuron, weights: ws };
}
