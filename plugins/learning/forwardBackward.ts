import { LayeredRunner } from '../../core/engine/layeredRunner.ts';
import { concatenatedLifParams, type Network } from '../../core/network/network.ts';
import type { Observation, RealiseContext, SpikeTimeMap, Substrate, Transmission, TrialNoise } from '../../core/substrate/substrate.ts';
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
 * model's (float) weights. Buffers are allocated once; a pass allocates nothing.
 *
 * What a substrate's optional hooks change (docs/learning.md, "On a substrate"):
 * - `inputTimes`: each sample's input times are mapped to the times the realised network receives them
 *   (bss2: the 8 ns FPGA clock); bias inputs take the spike times `realise` gave their source populations.
 * - `observation`: every layer's first-spike times are recorded through it. The network runs on the exact
 *   times (layer l + 1 receives layer l's true spikes), or, when the observation has `transmit`, on the times
 *   `transmit` gives (e.g. bss2's spike-time jitter, which the chip's on-chip routing passes on); the loss, the prediction, `layerTimes` (hence the
 *   silent counts) and the whole backward pass use the recorded times, as training in the loop on the chip
 *   does. A spike the observation drops (NaN) counts as no spike.
 * - `trialNoise`: per-trial noise is redrawn for every sample (one sample = one trial of the realisation).
 * - `transmission`: layer l + 1 receives layer l's spikes through it (jitter, lost spikes); the exact times
 *   stay what layer l emitted, and the record is the observation's.
 * Each is created once per `realise`. Sample k of a realisation is trial k (`trial` argument, or a counter
 * that `realise` resets), so the noise of a sample does not depend on how a batch is split into chunks.
 */
export class ForwardBackward {
  readonly model: LayeredModel;
  readonly options: PassOptions;
  private runner: LayeredRunner<unknown> | null = null;
  /** First-spike times per layer as passed on: exact, or as the observation's `transmit` maps them. */
  private readonly times: Float64Array[];
  /** Recorded times per layer: `times` itself without an observation, else `observedBuffers`. */
  private recorded: Float64Array[];
  private readonly observedBuffers: Float64Array[];
  /** Population of layer l in `modelToNetwork(model)` (index l; 0 = the input population). */
  private readonly layerPopulation: Int32Array;
  /** Population of the bias source of weight layer l (index l), or -1. */
  private readonly biasPopulation: Int32Array;
  /** Bias spike times as realised, per weight layer (index l - 1): NaN none, Infinity dropped by the substrate. */
  private readonly realisedBias: Float64Array;
  /** Input times of the current sample as the network receives them (when the substrate maps them). */
  private readonly mappedInputs: Float64Array;
  /** The input times layer 1 received in the last pass (the caller's array or `mappedInputs`). */
  private sampleInputs: ArrayLike<number>;
  private inputMap: SpikeTimeMap | undefined;
  private observation: Observation | undefined;
  /** Maps layer l's times through the observation's `transmit` in place (neurons in index order). */
  private readonly transmitLayer = (l: number, times: Float64Array): void => {
    const obs = this.observation;
    if (obs?.transmit === undefined) return;
    const pop = this.layerPopulation[l];
    for (let n = 0; n < times.length; n++) {
      const t = times[n];
      if (t < Infinity) {
        const x = obs.transmit(pop, n, t);
        times[n] = x === x ? x : Infinity;
      }
    }
  };
  private trialNoise: TrialNoise | undefined;
  private transmission: Transmission | undefined;
  private nextTrial = 0;
  private readonly dLdt: Float64Array[];
  private readonly preTimes: Float64Array;
  private readonly preWeights: Float64Array;
  /** Indices and times of the causal inputs of the neuron being differentiated (backward pass). */
  private readonly causal: Int32Array;
  private readonly causalTimes: Float64Array;
  private readonly dtdw: Float64Array;
  private readonly dtdtin: Float64Array;
  private readonly nominal: GradientConstants;

  constructor(model: LayeredModel, options: PassOptions = DEFAULT_PASS) {
    this.model = model;
    this.options = options;
    const L = model.layerSizes.length;
    this.times = model.layerSizes.map((n) => new Float64Array(n));
    this.observedBuffers = model.layerSizes.map((n) => new Float64Array(n));
    this.recorded = this.times;
    this.dLdt = model.layerSizes.map((n) => new Float64Array(n));
    let maxPre = 0;
    for (let l = 1; l < L; l++) maxPre = Math.max(maxPre, presynapticCount(model, l));
    this.preTimes = new Float64Array(maxPre);
    this.preWeights = new Float64Array(maxPre);
    this.causal = new Int32Array(maxPre);
    this.causalTimes = new Float64Array(maxPre);
    this.dtdw = new Float64Array(maxPre);
    this.dtdtin = new Float64Array(maxPre);
    this.nominal = gradientConstants(model.neuron);
    // population order of modelToNetwork: input, then per weight layer its bias source (if any) and the layer
    this.layerPopulation = new Int32Array(L);
    this.biasPopulation = new Int32Array(L).fill(-1);
    let pop = 1;
    for (let l = 1; l < L; l++) {
      if (model.biasTimes[l - 1] !== null) this.biasPopulation[l] = pop++;
      this.layerPopulation[l] = pop++;
    }
    this.realisedBias = Float64Array.from(model.biasTimes, (t) => t ?? NaN);
    this.mappedInputs = new Float64Array(model.layerSizes[0]);
    this.sampleInputs = this.mappedInputs;
  }

  /**
   * Realises the current weights on `substrate` (call after every weight update): builds the network,
   * lets the substrate realise it, loads the realised parameters, weights and bias times into the runner,
   * and creates the substrate's input map, observation and trial noise for this realisation. The next
   * pass without an explicit trial is trial 0.
   */
  realise(substrate: Substrate, context: RealiseContext): void {
    const network: Network = substrate.realise(modelToNetwork(this.model), context);
    const { weights } = layersFromNetwork(this.model, network);
    const params = concatenatedLifParams(network.populations);
    const L = this.model.layerSizes.length - 1;
    for (let l = 1; l <= L; l++) {
      const p = this.biasPopulation[l];
      if (p < 0) continue;
      const bias = network.populations[p];
      if (bias.kind !== 'source') throw new Error(`ForwardBackward: population ${p} of the realised network is not the bias of layer ${l}`);
      const t = bias.spikeTimesMs[0];
      this.realisedBias[l - 1] = t !== undefined && t.length > 0 && t[0] === t[0] ? t[0] : Infinity;
    }
    const biasTimes = this.model.biasTimes.map((b, i) => (b === null ? null : this.realisedBias[i]));
    const runner = new LayeredRunner(substrate.dynamics, params, this.model.layerSizes, biasTimes, network);
    weights.forEach((w, l) => runner.weights[l + 1].set(w));
    this.runner = runner;
    this.inputMap = substrate.inputTimes?.(network, context);
    this.observation = substrate.observation?.(network, context);
    this.trialNoise = substrate.trialNoise?.(network, context);
    const transmission = substrate.transmission?.(network, context);
    this.transmission = transmission;
    if (transmission !== undefined) {
      const pops = this.layerPopulation;
      runner.transmit = (layer, neuron, t) => transmission.spikeTime(pops[layer], neuron, t);
    }
    this.recorded = this.observation === undefined ? this.times : this.observedBuffers;
    this.nextTrial = 0;
  }

  /**
   * Recorded first-spike times of layer l (1..L) after the last forward pass (Infinity: no spike). These
   * are what the loss, the silent counts and the gradient use: the substrate's observation of the exact
   * times (the exact times themselves on a substrate without observation).
   */
  layerTimes(l: number): Float64Array {
    return this.recorded[l];
  }

  /**
   * First-spike times of layer l (1..L) after the last forward pass as the network passed them on: the exact
   * times, or with the observation's `transmit` (bss2: the spike's own jitter) applied.
   */
  exactLayerTimes(l: number): Float64Array {
    return this.times[l];
  }

  /** The input times layer 1 received in the last forward pass (after the substrate's input map). */
  realisedInputTimes(): ArrayLike<number> {
    return this.sampleInputs;
  }

  /**
   * Forward pass only. `trial`: the sample's trial number within this realisation (default: one more than
   * the last pass's, 0 after `realise`); it selects the sample's trial noise and observation draws.
   */
  forward(inputTimes: ArrayLike<number>, label: number, out: SampleResult, trial?: number): SampleResult {
    const L = this.model.layerSizes.length - 1;
    const runner = this.runner;
    if (runner === null) throw new Error('ForwardBackward: call realise(substrate, context) before the first pass');
    const k = trial ?? this.nextTrial;
    this.nextTrial = k + 1;
    this.trialNoise?.beginTrial(k);
    this.transmission?.beginTrial?.(k);
    const obs = this.observation;
    obs?.beginTrial?.(k);
    const map = this.inputMap;
    if (map === undefined) this.sampleInputs = inputTimes;
    else {
      const mapped = this.mappedInputs;
      for (let j = 0; j < mapped.length; j++) {
        const t = inputTimes[j];
        // NaN and Infinity mean "no spike" and stay so
        if (t < Infinity) {
          const x = map.spikeTime(0, j, t);
          mapped[j] = x === x ? x : Infinity;
        } else mapped[j] = t;
      }
      this.sampleInputs = mapped;
    }
    runner.run(this.sampleInputs, this.options.tMax, this.times, obs?.transmit === undefined ? undefined : this.transmitLayer);
    if (obs !== undefined) {
      // every layer's spikes in layer order, neurons in index order (the order of the observation's draws)
      for (let l = 1; l <= L; l++) {
        const exact = this.times[l];
        const rec = this.observedBuffers[l];
        const pop = this.layerPopulation[l];
        for (let n = 0; n < exact.length; n++) {
          const t = exact[n];
          if (t < Infinity) {
            const x = obs.spikeTime(pop, n, t);
            rec[n] = x === x ? x : Infinity;
          } else rec[n] = Infinity;
        }
      }
    }
    const outTimes = this.recorded[L];
    out.loss = ttfsLoss(outTimes, label, this.options.loss, this.options.silentTime, this.dLdt[L]);
    out.predicted = predictedClass(outTimes);
    out.correct = out.predicted === label;
    out.outputTimes = outTimes;
    let spikes = 0;
    for (let l = 1; l <= L; l++) {
      const t = this.recorded[l];
      for (let n = 0; n < t.length; n++) if (t[n] < Infinity) spikes++;
    }
    out.spikes = spikes;
    return out;
  }

  /**
   * Forward and backward pass of one sample; adds `scale` dL/dw to `grads` (same layout as model.weights).
   * With scale = 1 / batch size the sum over a batch is the gradient of the batch's mean loss, the quantity
   * that `maxDwNorm` bounds (per neuron and sample, as in the paper's code). Input times get no gradient.
   * The gradient of layer l is evaluated at the recorded times of layer l and of its inputs (layer l - 1's
   * recorded times; for layer 1 the input times as received, and the realised bias time). `trial`: as in
   * {@link forward}.
   */
  forwardBackward(
    inputTimes: ArrayLike<number>,
    label: number,
    grads: Float64Array[],
    out: SampleResult,
    scale = 1,
    trial?: number,
  ): SampleResult {
    this.forward(inputTimes, label, out, trial);
    const model = this.model;
    const L = model.layerSizes.length - 1;
    const maxDw = this.options.maxDwNorm;
    for (let l = L; l >= 1; l--) {
      const size = model.layerSizes[l];
      const nBelow = model.layerSizes[l - 1];
      const nPre = presynapticCount(model, l);
      const below = l === 1 ? this.sampleInputs : this.recorded[l - 1];
      const w = model.weights[l - 1];
      const g = grads[l - 1];
      const dLdtBelow = this.dLdt[l - 1];
      if (l > 1) dLdtBelow.fill(0);
      for (let j = 0; j < nBelow; j++) this.preTimes[j] = below[j];
      if (nPre > nBelow) this.preTimes[nBelow] = this.realisedBias[l - 1];
      const tOut = this.recorded[l];
      const dLdtOut = this.dLdt[l];
      const preTimes = this.preTimes;
      const causal = this.causal;
      const times = this.causalTimes;
      const weights = this.preWeights;
      const dtdw = this.dtdw;
      const dtdtin = this.dtdtin;
      for (let n = 0; n < size; n++) {
        const delta = scale * dLdtOut[n];
        const t = tOut[n];
        if (delta === 0 || !(t < Infinity)) continue;
        // Only causal inputs (0 < t* - t_j < Infinity) have a nonzero gradient: gather them in index order,
        // so the sums run as over all inputs and the result is the same to the last bit, with fewer
        // strided reads and writes of the weight-sized arrays (about 40% of MNIST's inputs are causal).
        let c = 0;
        for (let j = 0; j < nPre; j++) {
          const d = t - preTimes[j];
          if (d > 0 && d < Infinity) {
            causal[c] = j;
            times[c] = preTimes[j];
            weights[c] = w[j * size + n];
            c++;
          }
        }
        ttfsGradient(this.nominal, t, times, weights, c, dtdw, dtdtin);
        let largest = 0;
        for (let k = 0; k < c; k++) largest = Math.max(largest, Math.abs(delta * dtdw[k]));
        if (largest <= maxDw) for (let k = 0; k < c; k++) g[causal[k] * size + n] += delta * dtdw[k];
        if (l > 1) {
          const up = dLdtOut[n];
          for (let k = 0; k < c; k++) if (causal[k] < nBelow) dLdtBelow[causal[k]] += up * dtdtin[k];
        }
      }
    }
    return out;
  }
}

export function emptySampleResult(): SampleResult {
  return { loss: 0, predicted: -1, correct: false, outputTimes: new Float64Array(0), spikes: 0 };
}
