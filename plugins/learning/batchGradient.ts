import { Piscina } from 'piscina';
import { realiseContext } from '../../core/engine/simulate.ts';
import type { SimulationSpec } from '../../core/simulation.ts';
import type { Substrate } from '../../core/substrate/substrate.ts';
import { ForwardBackward, emptySampleResult, type PassOptions } from './forwardBackward.ts';
import type { LayeredModel } from './model.ts';
import { workerEntry } from '../../core/workers/workerEntry.ts';

/** Sums over one minibatch: gradient of the mean loss, silent (sample, neuron) counts, loss and hits. */
export interface BatchSums {
  readonly grads: Float64Array[];
  readonly silent: Int32Array[];
  loss: number;
  correct: number;
}

export function emptyBatchSums(model: LayeredModel): BatchSums {
  return {
    grads: model.weights.map((w) => new Float64Array(w.length)),
    silent: model.layerSizes.map((n) => new Int32Array(n)),
    loss: 0,
    correct: 0,
  };
}

function clearSums(s: BatchSums): void {
  for (const g of s.grads) g.fill(0);
  for (const c of s.silent) c.fill(0);
  s.loss = 0;
  s.correct = 0;
}

function addSums(into: BatchSums, from: BatchSums): void {
  from.grads.forEach((g, l) => {
    const t = into.grads[l];
    for (let k = 0; k < g.length; k++) t[k] += g[k];
  });
  from.silent.forEach((c, l) => {
    const t = into.silent[l];
    for (let k = 0; k < c.length; k++) t[k] += c[k];
  });
  into.loss += from.loss;
  into.correct += from.correct;
}

/**
 * The substrate context of a batch: trial = the batch counter, so what `realise` draws per trial is new
 * every batch. Within the batch, sample q is trial q of that realisation (ForwardBackward), so substrates
 * with `trialNoise` or a per-trial observation draw new noise per sample.
 */
export function batchContext(substrate: Substrate, options: Readonly<Record<string, unknown>>, seed: number, trial: number) {
  const spec = { seed, substrate: { name: substrate.name, options } } as unknown as SimulationSpec;
  return realiseContext(spec, trial);
}

/**
 * Forward and backward passes of `count` samples (inputs row-major) on an already realised pass; the
 * gradient is scaled by `scale` (1 / batch size). Writes the sums into `out` (cleared first). The chunk
 * starts at sample `firstSample` of the batch: sample q runs as trial firstSample + q of the realisation,
 * so a batch gives the same sums however it is cut into chunks and threads. The silent counts use the
 * recorded times (ForwardBackward.layerTimes).
 */
export function chunkSums(
  fb: ForwardBackward,
  inputs: Float64Array,
  labels: Int32Array,
  count: number,
  scale: number,
  out: BatchSums,
  firstSample = 0,
): void {
  clearSums(out);
  const nIn = fb.model.layerSizes[0];
  const L = fb.model.layerSizes.length - 1;
  const res = emptySampleResult();
  const sample = new Float64Array(nIn);
  for (let q = 0; q < count; q++) {
    for (let j = 0; j < nIn; j++) sample[j] = inputs[q * nIn + j]; // no view allocated per sample
    fb.forwardBackward(sample, labels[q], out.grads, res, scale, firstSample + q);
    out.loss += res.loss;
    if (res.correct) out.correct++;
    for (let l = 1; l <= L; l++) {
      const t = fb.layerTimes(l);
      const c = out.silent[l];
      for (let n = 0; n < t.length; n++) if (!(t[n] < Infinity)) c[n]++;
    }
  }
}

/** What forward passes (no gradient) give per sample: the evaluation's raw material. */
export interface SampleOutcomes {
  /** Predicted class (earliest output spike), -1 when no output neuron spiked. */
  readonly predicted: Int32Array;
  readonly loss: Float64Array;
  /** Spikes of all non-input neurons. */
  readonly spikes: Int32Array;
  /** Time of the predicted class's output spike (NaN when silent). */
  readonly outputTime: Float64Array;
}

export function emptySampleOutcomes(n: number): SampleOutcomes {
  return { predicted: new Int32Array(n), loss: new Float64Array(n), spikes: new Int32Array(n), outputTime: new Float64Array(n) };
}

/**
 * Forward passes of `count` samples (inputs row-major) on an already realised pass. Sample q runs as trial
 * `firstSample + q` of the realisation; its outcome goes to index `firstSample + q - outOffset` of `out`
 * (outOffset = firstSample fills a record of the chunk's size).
 */
export function forwardSamples(
  fb: ForwardBackward,
  inputs: Float64Array,
  labels: Int32Array,
  count: number,
  firstSample: number,
  out: SampleOutcomes,
  outOffset: number,
): void {
  const nIn = fb.model.layerSizes[0];
  const res = emptySampleResult();
  const sample = new Float64Array(nIn);
  for (let q = 0; q < count; q++) {
    for (let j = 0; j < nIn; j++) sample[j] = inputs[q * nIn + j];
    fb.forward(sample, labels[q], res, firstSample + q);
    const at = firstSample + q - outOffset;
    out.predicted[at] = res.predicted;
    out.loss[at] = res.loss;
    out.spikes[at] = res.spikes;
    out.outputTime[at] = res.predicted < 0 ? NaN : res.outputTimes[res.predicted];
  }
}

/** Computes a minibatch's sums; serial and parallel executors give bit-identical results. */
export interface BatchExecutor {
  run(trial: number, inputs: Float64Array, labels: Int32Array, count: number, out: BatchSums): Promise<void>;
  /**
   * Forward passes of a whole set on the current weights, realised with the context of (seed, trial 0);
   * sample s runs as trial s. The same outcomes whatever the number of threads.
   */
  forwardAll(inputs: Float64Array, labels: Int32Array, count: number, out: SampleOutcomes): Promise<void>;
  close(): Promise<void>;
}

/**
 * Chunks of `chunkSize` samples are summed separately and then added in chunk order, so that the result does
 * not depend on how many threads computed the chunks.
 */
function chunks(count: number, chunkSize: number): [number, number][] {
  const out: [number, number][] = [];
  for (let from = 0; from < count; from += chunkSize) out.push([from, Math.min(count, from + chunkSize)]);
  return out;
}

/** One thread. */
export class SerialExecutor implements BatchExecutor {
  private readonly fb: ForwardBackward;
  private readonly partial: BatchSums;

  constructor(
    readonly model: LayeredModel,
    pass: PassOptions,
    readonly substrate: Substrate,
    readonly substrateOptions: Readonly<Record<string, unknown>>,
    readonly seed: number,
    readonly chunkSize: number,
  ) {
    this.fb = new ForwardBackward(model, pass);
    this.partial = emptyBatchSums(model);
  }

  async run(trial: number, inputs: Float64Array, labels: Int32Array, count: number, out: BatchSums): Promise<void> {
    this.fb.realise(this.substrate, batchContext(this.substrate, this.substrateOptions, this.seed, trial));
    clearSums(out);
    const nIn = this.model.layerSizes[0];
    for (const [from, to] of chunks(count, this.chunkSize)) {
      chunkSums(this.fb, inputs.subarray(from * nIn, to * nIn), labels.subarray(from, to), to - from, 1 / count, this.partial, from);
      addSums(out, this.partial);
    }
  }

  async forwardAll(inputs: Float64Array, labels: Int32Array, count: number, out: SampleOutcomes): Promise<void> {
    this.fb.realise(this.substrate, batchContext(this.substrate, this.substrateOptions, this.seed, 0));
    forwardSamples(this.fb, inputs, labels, count, 0, out, 0);
  }

  async close(): Promise<void> {}
}

/** What a worker needs for one chunk (plain data: it crosses a thread boundary). */
export interface ChunkTask {
  readonly layerSizes: readonly number[];
  readonly biasTimes: readonly (number | null)[];
  readonly neuron: LayeredModel['neuron'];
  readonly pass: PassOptions;
  readonly substrate: string;
  readonly substrateOptions: Readonly<Record<string, unknown>>;
  /** Modules (absolute URLs) the worker imports before its first task: plugins that register substrates. */
  readonly workerModules: readonly string[];
  readonly seed: number;
  readonly trial: number;
  readonly weights: Float64Array[];
  readonly inputs: Float64Array;
  readonly labels: Int32Array;
  readonly count: number;
  readonly scale: number;
  /** Index of the chunk's first sample in the batch (its trial number in the batch's realisation). */
  readonly firstSample: number;
  /** 'evaluate': forward passes only, the reply is the chunk's SampleOutcomes. Default 'train'. */
  readonly kind?: 'train' | 'evaluate';
}

export interface ChunkReply {
  readonly grads: Float64Array[];
  readonly silent: Int32Array[];
  readonly loss: number;
  readonly correct: number;
}

/**
 * Worker threads (piscina) over the chunks of each batch. Workers load the package entry (the built-in
 * substrates) and `workerModules` (plugins that register other substrates), then look the substrate up
 * by name in their own registry.
 */
export class ParallelExecutor implements BatchExecutor {
  private readonly pool: Piscina;

  constructor(
    readonly model: LayeredModel,
    readonly pass: PassOptions,
    readonly substrate: Substrate,
    readonly substrateOptions: Readonly<Record<string, unknown>>,
    readonly seed: number,
    readonly chunkSize: number,
    readonly threads: number,
    readonly workerModules: readonly string[] = [],
  ) {
    this.pool = new Piscina({ ...workerEntry(import.meta.url, 'trainWorker'), minThreads: threads, maxThreads: threads });
  }

  /** The task of samples [from, to) of `inputs` (trial: of the realisation; scale: of the gradient). */
  private task(
    kind: 'train' | 'evaluate',
    trial: number,
    inputs: Float64Array,
    labels: Int32Array,
    from: number,
    to: number,
    scale: number,
  ): ChunkTask {
    const nIn = this.model.layerSizes[0];
    return {
      layerSizes: this.model.layerSizes,
      biasTimes: this.model.biasTimes,
      neuron: this.model.neuron,
      pass: this.pass,
      substrate: this.substrate.name,
      substrateOptions: this.substrateOptions,
      workerModules: this.workerModules,
      seed: this.seed,
      trial,
      weights: this.model.weights,
      inputs: inputs.slice(from * nIn, to * nIn),
      labels: labels.slice(from, to),
      count: to - from,
      scale,
      firstSample: from,
      kind,
    };
  }

  async run(trial: number, inputs: Float64Array, labels: Int32Array, count: number, out: BatchSums): Promise<void> {
    const tasks = chunks(count, this.chunkSize).map(
      ([from, to]) => this.pool.run(this.task('train', trial, inputs, labels, from, to, 1 / count)) as Promise<ChunkReply>,
    );
    const replies = await Promise.all(tasks);
    clearSums(out);
    for (const r of replies) addSums(out, { grads: r.grads, silent: r.silent, loss: r.loss, correct: r.correct });
  }

  async forwardAll(inputs: Float64Array, labels: Int32Array, count: number, out: SampleOutcomes): Promise<void> {
    // one contiguous part per thread; each worker realises the same (seed, trial 0) network
    const part = Math.ceil(count / this.threads);
    const tasks: Promise<SampleOutcomes>[] = [];
    for (let from = 0; from < count; from += part) {
      const task = this.task('evaluate', 0, inputs, labels, from, Math.min(count, from + part), 1);
      tasks.push(this.pool.run(task) as Promise<SampleOutcomes>);
    }
    const replies = await Promise.all(tasks);
    let at = 0;
    for (const r of replies) {
      out.predicted.set(r.predicted, at);
      out.loss.set(r.loss, at);
      out.spikes.set(r.spikes, at);
      out.outputTime.set(r.outputTime, at);
      at += r.predicted.length;
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
