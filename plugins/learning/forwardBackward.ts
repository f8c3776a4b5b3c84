import { LayeredRunner } from '../../core/engine/layeredRunner.ts';
import { concatenatedLifParams, type Network } from '../../core/network/network.ts';
import type { Substrate, RealiseContext } from '../../core/substrate/substrate.ts';
import { layersFromNetwork, modelToNetwork, presynapticCount, type LayeredModel } from './model.ts';
import { DEFAULT_LOSS, predictedClass, ttfsLoss, type LossOptions } from './loss.ts';
import { gradientConstants, ttfsGradient, type GradientConstants } from './ttfsGradient.ts';

/** Options of the forward and backward pass. */
export interface PassOptions {
  /** Trial length (tau_syn units): spikes at or after it are not simulated. Default 4 (the paper's Yin-Yang sim_time). */
  readonly tMax: number;
  /** Time used in the loss for a silent non-label output neuron (tau_syn units). Default 10. */
  readonly silentTime: number;
  readonly loss: LossOptions;
  /**
   * Per-neuron gradient chopping (paper heuristic, fastAndDeep's max_dw_norm): when the largest |dL/dw| of
   * one neuron for one sample (of the batch's mean loss, i.e. divided by the batch size) exceeds this bound, that neuron's weight gradient for that sample is dropped.
   * This happens when a neuron barely spikes (its maximum just reaches threshold, dV/dt -> 0 at t*, and the
   * implicit-function gradient diverges). Default 0.2; Infinity disables it.
   */
  readonly maxDwNorm: number;
}

export const DEFAULT_PASS: PassOptions = { tMax: 4, silentTime: 10, loss: DEFAULT_LOSS, maxDwNorm: 0.2 };

/** Per-sample outcome. */
export interface SampleResult {
  loss: number;
  predicted: number;
  correct: boolean;
  /** Output spike times (a view into the pass's buffer; copy to keep). */
  outputTimes: Float64Array;
  /** Spikes emitted by all non-input neurons. */
  spikes: number;
}

/**
 * One forward pass on a substrate and the backward pass from the recorded spike times (the learning
 * plugin's core). The forward pass runs the realised network (the substrate's parameters, weights and
 * dynamics); the backward pass uses only the recorded spike times, the nominal neuron parameters and the
 * model's (float) weights. Buffers are allocated once.
 */
export class ForwardBackward {
  readonly model: LayeredModel;
  readonly options: PassOptions;
  private runner: LayeredRunner<unknown> | null = null;
  private readonly times: Float64Array[];
  private readonly dLdt: Float64Array[];
  private readonly preTimes: Float64Array;
  private readonly preWeights: Float64Array;
  private readonly dtdw: Float64Array;
  private readonly dtdtin: Float64Array;
  private readonly nominal: GradientConstants;

  constructor(model: LayeredModel, options: PassOptions = DEFAULT_PASS) {
    this.model = model;
    this.options = options;
    const L = model.layerSizes.length;
    this.times = model.layerSizes.map((n) => new Float64Array(n));
    this.dLdt = model.layerSizes.map((n) => new Float64Array(n));
    let maxPre = 0;
    for (let l = 1; l < L; l++) maxPre = Math.max(maxPre, presynapticCount(model, l));
    this.preTimes = new Float64Array(maxPre);
    this.preWeights = new Float64Array(maxPre);
    this.dtdw = new Float64Array(maxPre);
    this.dtdtin = new Float64Array(maxPre);
    this.nominal = gradientConstants(model.neuron);
  }

  /**
   * Realises the current weights on `substrate` (call after every weight update): builds the network,
   * lets the substrate realise it, and loads the realised parameters and weights into the runner.
   */
  realise(substrate: Substrate, context: RealiseContext): void {
    const network: Network = substrate.realise(modelToNetwork(this.model), context);
    const { weights } = layersFromNetwork(this.model, network);
    const params = concatenatedLifParams(network.populations);
    const runner = new LayeredRunner(substrate.dynamics, params, this.model.layerSizes, this.model.biasTimes, network);
    weights.forEach((w, l) => runner.weights[l + 1].set(w));
    this.runner = runner;
  }

  /** Spike times of layer l (1..L) after the last forward pass. */
  layerTimes(l: number): Float64Array {
    return this.times[l];
  }

  /** Forward pass only. */
  forward(inputTimes: ArrayLike<number>, label: number, out: SampleResult): SampleResult {
    const L = this.model.layerSizes.length - 1;
    if (this.runner === null) throw new Error('ForwardBackward: call realise(substrate, context) before the first pass');
    this.runner.run(inputTimes, this.options.tMax, this.times);
    const outTimes = this.times[L];
    out.loss = ttfsLoss(outTimes, label, this.options.loss, this.options.silentTime, this.dLdt[L]);
    out.predicted = predictedClass(outTimes);
    out.correct = out.predicted === label;
    out.outputTimes = outTimes;
    let spikes = 0;
    for (let l = 1; l <= L; l++) {
      const t = this.times[l];
      for (let n = 0; n < t.length; n++) if (t[n] < Infinity) spikes++;
    }
    out.spikes = spikes;
    return out;
  }

  /**
   * Forward and backward pass of one sample; adds `scale` dL/dw to `grads` (same layout as model.weights).
   * With scale = 1 / batch size the sum over a batch is the gradient of the batch's mean loss, the quantity
   * that `maxDwNorm` bounds (per neuron and sample, as in the paper's code). Input times get no gradient.
   */
  forwardBackward(
    inputTimes: ArrayLike<number>,
    label: number,
    grads: Float64Array[],
    out: SampleResult,
    scale = 1,
  ): SampleResult {
    this.forward(inputTimes, label, out);
    const model = this.model;
    const L = model.layerSizes.length - 1;
    const maxDw = this.options.maxDwNorm;
    for (let l = L; l >= 1; l--) {
      const size = model.layerSizes[l];
      const nBelow = model.layerSizes[l - 1];
      const nPre = presynapticCount(model, l);
      const below = l === 1 ? inputTimes : this.times[l - 1];
      const w = model.weights[l - 1];
      const g = grads[l - 1];
      const dLdtBelow = this.dLdt[l - 1];
      if (l > 1) dLdtBelow.fill(0);
      for (let j = 0; j < nBelow; j++) this.preTimes[j] = below[j];
      if (nPre > nBelow) this.preTimes[nBelow] = model.biasTimes[l - 1] as number;
      const tOut = this.times[l];
      const dLdtOut = this.dLdt[l];
      for (let n = 0; n < size; n++) {
        const delta = scale * dLdtOut[n];
        if (delta === 0 || !(tOut[n] < Infinity)) continue;
        for (let j = 0; j < nPre; j++) this.preWeights[j] = w[j * size + n];
        ttfsGradient(this.nominal, tOut[n], this.preTimes, this.preWeights, nPre, this.dtdw, this.dtdtin);
        let largest = 0;
        for (let j = 0; j < nPre; j++) largest = Math.max(largest, Math.abs(delta * this.dtdw[j]));
        if (largest <= maxDw) for (let j = 0; j < nPre; j++) g[j * size + n] += delta * this.dtdw[j];
        if (l > 1) for (let j = 0; j < nBelow; j++) dLdtBelow[j] += dLdtOut[n] * this.dtdtin[j];
      }
    }
    return out;
  }
}

export function emptySampleResult(): SampleResult {
  return { loss: 0, predicted: -1, correct: false, outputTimes: new Float64Array(0), spikes: 0 };
}
