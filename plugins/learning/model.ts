import { lifParamArrays, type LifParams } from '../../core/lif/params.ts';
import { type CsrMatrix, type Network, type Population, type Projection } from '../../core/network/network.ts';
import { normalDraw, type RandomStream } from '../../core/rng.ts';

/**
 * A layered feed-forward spiking network trained on first-spike times. Times are in units of the
 * synaptic time constant (the neuron parameters use tau_syn = 1 ms, so "ms" in the engine means tau_syn).
 */
export interface LayeredModel {
  /** Neurons per layer, input layer first (without bias inputs), e.g. [4, 120, 3]. */
  readonly layerSizes: readonly number[];
  /** Per weight layer (l = 1..L at index l - 1): the bias input's spike time, or null for none. */
  readonly biasTimes: readonly (number | null)[];
  /** Nominal neuron parameters of every non-input neuron. */
  readonly neuron: LifParams;
  /** Per weight layer (index l - 1): weights (nA), (presynaptic count) x (layer size), row-major by presynaptic neuron. */
  readonly weights: Float64Array[];
}

/** Presynaptic count of weight layer l (1-based): the layer below plus its bias input. */
export function presynapticCount(model: LayeredModel, l: number): number {
  return model.layerSizes[l - 1] + (model.biasTimes[l - 1] === null ? 0 : 1);
}

/** Per weight layer: normal initialisation N(mean, std^2), drawn from `stream` in layer, row, column order. */
export function initialiseWeights(
  layerSizes: readonly number[],
  biasTimes: readonly (number | null)[],
  init: readonly { mean: number; std: number }[],
  stream: RandomStream,
): Float64Array[] {
  const weights: Float64Array[] = [];
  for (let l = 1; l < layerSizes.length; l++) {
    const nPre = layerSizes[l - 1] + (biasTimes[l - 1] === null ? 0 : 1);
    const w = new Float64Array(nPre * layerSizes[l]);
    const { mean, std } = init[l - 1];
    for (let k = 0; k < w.length; k++) w[k] = mean + std * normalDraw(stream);
    weights.push(w);
  }
  return weights;
}

/**
 * The model as a general `Network` (spike sources for the inputs and biases, one LIF population per layer,
 * all-to-all zero-delay projections), so that any substrate can realise it and the general engine can run it.
 * Populations: 0 = inputs, then per weight layer l: a bias source `bias<l>` (if any) and the LIF layer `layer<l>`.
 */
export function modelToNetwork(model: LayeredModel, inputTimes: ArrayLike<number> = []): Network {
  const populations: Population[] = [];
  const projections: Projection[] = [];
  const n0 = model.layerSizes[0];
  populations.push({
    kind: 'source',
    name: 'input',
    size: n0,
    spikeTimesMs: Array.from({ length: n0 }, (_, j) =>
      j < inputTimes.length && Number.isFinite(inputTimes[j]) ? Float64Array.of(inputTimes[j]) : new Float64Array(0),
    ),
  });
  let below = 0;
  for (let l = 1; l < model.layerSizes.length; l++) {
    const size = model.layerSizes[l];
    const nBelow = model.layerSizes[l - 1];
    const w = model.weights[l - 1];
    const bias = model.biasTimes[l - 1];
    let biasPop = -1;
    if (bias !== null) {
      biasPop = populations.length;
      populations.push({ kind: 'source', name: `bias${l}`, size: 1, spikeTimesMs: [Float64Array.of(bias)] });
    }
    const target = populations.length;
    populations.push({
      kind: 'lif',
      name: `layer${l}`,
      size,
      params: lifParamArrays(size, model.neuron),
      initialVMv: new Float64Array(size).fill(model.neuron.vRestMv),
    });
    // all-to-all in CSR form: row j holds targets 0..size-1 with the weights of dense row rowOffset + j
    // (what csrFromTriples gives for these triples, built directly: this runs once per batch)
    const allToAll = (rows: number, rowOffset: number): CsrMatrix => {
      const rowStart = new Int32Array(rows + 1);
      for (let j = 0; j <= rows; j++) rowStart[j] = j * size;
      const targets = new Int32Array(rows * size);
      for (let j = 0; j < rows; j++) for (let n = 0; n < size; n++) targets[j * size + n] = n;
      return { rows, rowStart, targets, weights: w.slice(rowOffset * size, (rowOffset + rows) * size) };
    };
    projections.push({ name: `${populations[below].name}->layer${l}`, source: below, target, delayMs: 0, synapses: allToAll(nBelow, 0) });
    if (biasPop >= 0) {
      projections.push({ name: `bias${l}->layer${l}`, source: biasPop, target, delayMs: 0, synapses: allToAll(1, nBelow) });
    }
    below = target;
  }
  return { populations, projections };
}

/**
 * Reads realised per-layer parameters and dense weights back from a network produced by
 * `modelToNetwork` (after a substrate realised it).
 */
export function layersFromNetwork(model: LayeredModel, network: Network) {
  const params: Network['populations'][number][] = network.populations.filter((p) => p.kind === 'lif');
  const weights: Float64Array[] = [];
  let p = 0;
  for (let l = 1; l < model.layerSizes.length; l++) {
    const size = model.layerSizes[l];
    const nBelow = model.layerSizes[l - 1];
    const dense = new Float64Array(presynapticCount(model, l) * size);
    const fill = (proj: Projection, rowOffset: number) => {
      const syn = proj.synapses;
      for (let j = 0; j < syn.rows; j++) {
        for (let e = syn.rowStart[j]; e < syn.rowStart[j + 1]; e++) dense[(rowOffset + j) * size + syn.targets[e]] = syn.weights[e];
      }
    };
    fill(network.projections[p++], 0);
    if (model.biasTimes[l - 1] !== null) fill(network.projections[p++], nBelow);
    weights.push(dense);
  }
  return { lifPopulations: params, weights };
}
