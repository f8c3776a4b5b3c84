import type { Network } from '../../core/network/network.ts';
import type { Observation, RealiseContext, Transmission, TrialNoise } from '../../core/substrate/substrate.ts';
import { normalDraw } from '../../core/rng.ts';
import { TrialKeyedStream, attachedTrialThresholds } from '../bss2/trials.ts';
import type { ImperfectOptions } from './options.ts';
import { SpikeKeyedDraws } from './spikeDraws.ts';

// salts of the per-spike draws (SpikeKeyedDraws)
const LOSS = 1;
const TRANSMISSION_JITTER = 2;
const READOUT_JITTER = 3;

/**
 * The per-spike draws of one realisation, shared by its transmission and its observation so that both agree
 * on which spikes were lost: keyed by `trialStream('imperfect/spikes')`, the trial, the neuron and the
 * spike's exact time.
 */
const drawsOfNetwork = new WeakMap<Network, SpikeKeyedDraws>();

function spikeDraws(network: Network, context: Pick<RealiseContext, 'trialStream'>): SpikeKeyedDraws {
  let d = drawsOfNetwork.get(network);
  if (d === undefined) {
    d = new SpikeKeyedDraws(context.trialStream('imperfect/spikes'));
    drawsOfNetwork.set(network, d);
  }
  return d;
}

function lost(d: SpikeKeyedDraws, p: number, population: number, neuron: number, t: number): boolean {
  return p > 0 && d.uniform(population, neuron, t, LOSS) < p;
}

/**
 * What the next layer receives of a spike emitted at t: NaN when the spike is lost (probability
 * spikeLoss), else t + transmissionJitterMs N(0, 1), not before 0. Undefined when both knobs are off.
 */
export function imperfectTransmission(network: Network, context: Pick<RealiseContext, 'trialStream'>, o: ImperfectOptions): Transmission | undefined {
  if (o.spikeLoss === 0 && o.transmissionJitterMs === 0) return undefined;
  return lossAndJitter(spikeDraws(network, context), o.spikeLoss, o.transmissionJitterMs, TRANSMISSION_JITTER);
}

/**
 * What is recorded of a spike emitted at t: NaN when it was lost (the same draw as the transmission's),
 * else t + readoutJitterMs N(0, 1), not before 0.
 */
export function imperfectObservation(network: Network, context: Pick<RealiseContext, 'trialStream'>, o: ImperfectOptions): Observation {
  if (o.spikeLoss === 0 && o.readoutJitterMs === 0) return { spikeTime: (_p, _n, t) => t };
  return lossAndJitter(spikeDraws(network, context), o.spikeLoss, o.readoutJitterMs, READOUT_JITTER);
}

/**
 * A spike at t becomes NaN when lost (probability spikeLoss, the draw transmission and observation share),
 * else t + sigmaMs N(0, 1) from the draws salted `jitterSalt`, not before 0.
 */
function lossAndJitter(d: SpikeKeyedDraws, spikeLoss: number, sigmaMs: number, jitterSalt: number): Transmission & Observation {
  return {
    spikeTime(population, neuron, t) {
      if (lost(d, spikeLoss, population, neuron, t)) return NaN;
      if (sigmaMs === 0) return t;
      const x = t + sigmaMs * d.normal(population, neuron, t, jitterSalt);
      return x > 0 ? x : 0;
    },
    beginTrial(trial) {
      d.beginTrial(trial);
    },
  };
}

const NO_TRIAL_NOISE: TrialNoise = Object.freeze({ beginTrial() {} });

/**
 * Threshold noise per trial: `beginTrial(k)` sets v_thresh = nominal + span (fixed-pattern shift +
 * thresholdNoise N) for every neuron, from a TrialKeyedStream keyed by
 * `trialStream('imperfect/thresholdNoise/trials')` and k, in the buffer the dynamics constants share.
 */
export function imperfectTrialNoise(network: Network, context: Pick<RealiseContext, 'trialStream'>, o: ImperfectOptions): TrialNoise {
  const th = attachedTrialThresholds(network);
  if (o.thresholdNoise === 0 || th === undefined) return NO_TRIAL_NOISE;
  const stream = new TrialKeyedStream(context.trialStream('imperfect/thresholdNoise/trials'));
  const sigma = o.thresholdNoise;
  const { size, nominal, span, shift, current } = th;
  return {
    beginTrial(trial) {
      stream.begin(trial);
      for (let j = 0; j < size; j++) current[j] = nominal[j] + span[j] * (shift[j] + sigma * normalDraw(stream));
    },
  };
}
