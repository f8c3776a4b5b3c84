import type { Substrate } from '../../core/substrate/substrate.ts';
import { batchContext } from './batchGradient.ts';
import { ForwardBackward, emptySampleResult, type PassOptions } from './forwardBackward.ts';
import { modelToNetwork, presynapticCount, type LayeredModel } from './model.ts';
import type { EncodedSet } from './trainer.ts';

/** What the network did over a set, summed over samples (the input of a substrate's cost estimate). */
export interface RunActivity {
  readonly inferences: number;
  /** Input and bias spikes that reached the network (before the trial end). */
  readonly inputSpikes: number;
  /** Spikes of the network's neurons (first spikes: the layered pass stops at a neuron's first spike). */
  readonly neuronSpikes: number;
  /** Per spike, the synapses it drives (realised weight not 0), summed. */
  readonly synapticEvents: number;
  /** Per sample: its last recorded output spike (tau_syn units), Infinity without one. */
  readonly lastOutputSpike: Float64Array;
}

/**
 * Fan-out of every presynaptic row of every weight layer on the realised network: the number of realised
 * weights that are not 0 (a weight the substrate rounds to 0 is no synapse). Index [l - 1][j], j over the
 * layer below then its bias input.
 */
function realisedFanOut(model: LayeredModel, network: ReturnType<Substrate['realise']>): Int32Array[] {
  const fan: Int32Array[] = [];
  const L = model.layerSizes.length - 1;
  // projections of modelToNetwork: per weight layer, from the layer below, then from its bias (if any)
  let q = 0;
  for (let l = 1; l <= L; l++) {
    const out = new Int32Array(presynapticCount(model, l));
    const sources = model.biasTimes[l - 1] === null ? 1 : 2;
    let row0 = 0;
    for (let k = 0; k < sources; k++, q++) {
      const syn = network.projections[q].synapses;
      for (let j = 0; j < syn.rows; j++) {
        let c = 0;
        for (let e = syn.rowStart[j]; e < syn.rowStart[j + 1]; e++) if (syn.weights[e] !== 0) c++;
        out[row0 + j] = c;
      }
      row0 += syn.rows;
    }
    fan.push(out);
  }
  return fan;
}

/**
 * Runs every sample of `set` forward on `substrate`, realised as `evaluate` realises it (seed, trial 0; sample
 * s = trial s), and counts spikes, synaptic events and each sample's last recorded output spike. The same
 * forward passes as `evaluate`, so the same spikes.
 */
export function runActivity(
  model: LayeredModel,
  set: EncodedSet,
  substrate: Substrate,
  substrateOptions: Readonly<Record<string, unknown>>,
  pass: PassOptions,
  seed = 0,
): RunActivity {
  const context = batchContext(substrate, substrateOptions, seed, 0);
  const fan = realisedFanOut(model, substrate.realise(modelToNetwork(model), context));
  const fb = new ForwardBackward(model, pass);
  fb.realise(substrate, batchContext(substrate, substrateOptions, seed, 0));
  const L = model.layerSizes.length - 1;
  const nIn = model.layerSizes[0];
  const res = emptySampleResult();
  const sample = new Float64Array(nIn);
  const lastOutputSpike = new Float64Array(set.n);
  let inputSpikes = 0;
  let neuronSpikes = 0;
  let synapticEvents = 0;
  for (let s = 0; s < set.n; s++) {
    for (let j = 0; j < nIn; j++) sample[j] = set.times[s * nIn + j];
    fb.forward(sample, set.labels[s], res, s);
    const inputs = fb.realisedInputTimes();
    for (let j = 0; j < nIn; j++) {
      if (inputs[j] < pass.tMax) {
        inputSpikes++;
        synapticEvents += fan[0][j];
      }
    }
    for (let l = 1; l <= L; l++) {
      // the bias input of weight layer l spikes once per sample
      const bias = model.biasTimes[l - 1];
      if (bias !== null && bias < pass.tMax) {
        inputSpikes++;
        synapticEvents += fan[l - 1][model.layerSizes[l - 1]];
      }
      const times = fb.exactLayerTimes(l);
      for (let n = 0; n < times.length; n++) {
        if (!(times[n] < Infinity)) continue;
        neuronSpikes++;
        if (l < L) synapticEvents += fan[l][n];
      }
    }
    const out = fb.layerTimes(L);
    let last = -Infinity;
    for (let n = 0; n < out.length; n++) if (out[n] < Infinity && out[n] > last) last = out[n];
    lastOutputSpike[s] = last === -Infinity ? Infinity : last;
  }
  return { inferences: set.n, inputSpikes, neuronSpikes, synapticEvents, lastOutputSpike };
}
