import '../../index.ts';
import { getSubstrate, substrateNames } from '../../core/substrate/registry.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';
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

/** Modules imported so far in this worker (plugins registering substrates), by URL. */
const imported = new Map<string, Promise<unknown>>();

/** The substrate `name` from this worker's registry, after importing the task's plugin modules. */
async function taskSubstrate(task: ChunkTask): Promise<Substrate> {
  for (const url of task.workerModules) {
    if (!imported.has(url)) imported.set(url, import(url));
    await imported.get(url);
  }
  if (!substrateNames().includes(task.substrate)) {
    throw new Error(
      `substrate '${task.substrate}' is not registered in the worker threads: pass the module that registers it ` +
        `in the training options' workerModules (CLI: --plugin), or train on one thread`,
    );
  }
  return getSubstrate(task.substrate);
}

/** Computes one chunk of a batch in a worker thread (piscina task). */
export default async function chunkTask(task: ChunkTask): Promise<ChunkReply | SampleOutcomes> {
  const substrate = await taskSubstrate(task);
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
  fb.realise(substrate, batchContext(substrate, task.substrateOptions, task.seed, task.trial));
  if (task.kind === 'evaluate') {
    const out = emptySampleOutcomes(task.count);
    forwardSamples(fb, task.inputs, task.labels, task.count, task.firstSample, out, task.firstSample);
    return out;
  }
  chunkSums(fb, task.inputs, task.labels, task.count, task.scale, sums, task.firstSample);
  return { grads: sums.grads, silent: sums.silent, loss: sums.loss, correct: sums.correct };
}
