import '../../index.ts';
import { getSubstrate } from '../../core/substrate/registry.ts';
import {
  batchContext,
  chunkSums,
  emptyBatchSums,
  emptySampleOutcomes,
  forwardSamples,
  type BatchSums,
  type ChunkReply,
  type ChunkTask,
  type SampleOutcomes,
} from './batchGradient.ts';
import { ForwardBackward } from './forwardBackward.ts';
import type { LayeredModel } from './model.ts';

/** Per worker: the pass of the current model shape, realised once per (trial, weights) it is given. */
let cached: { key: string; model: LayeredModel; fb: ForwardBackward; sums: BatchSums } | null = null;

/** Computes one chunk of a batch in a worker thread (piscina task). */
export default function chunkTask(task: ChunkTask): ChunkReply | SampleOutcomes {
  const key = JSON.stringify([task.layerSizes, task.biasTimes, task.neuron, task.pass]);
  if (cached === null || cached.key !== key) {
    const model: LayeredModel = {
      layerSizes: task.layerSizes,
      biasTimes: task.biasTimes,
      neuron: task.neuron,
      weights: task.weights.map((w) => new Float64Array(w.length)),
    };
    cached = { key, model, fb: new ForwardBackward(model, task.pass), sums: emptyBatchSums(model) };
  }
  const { model, fb, sums } = cached;
  task.weights.forEach((w, l) => model.weights[l].set(w));
  const substrate = getSubstrate(task.substrate);
  fb.realise(substrate, batchContext(substrate, task.substrateOptions, task.seed, task.trial));
  if (task.kind === 'evaluate') {
    const out = emptySampleOutcomes(task.count);
    forwardSamples(fb, task.inputs, task.labels, task.count, task.firstSample, out, task.firstSample);
    return out;
  }
  chunkSums(fb, task.inputs, task.labels, task.count, task.scale, sums, task.firstSample);
  return { grads: sums.grads, silent: sums.silent, loss: sums.loss, correct: sums.correct };
}
