import { fmix32, normalDraw, type RandomStream } from '../../core/rng.ts';
import type { Network } from '../../core/network/network.ts';
import type { RealiseContext, TrialNoise } from '../../core/substrate/substrate.ts';
import type { Bss2Options } from './options.ts';

/**
 * Random numbers for trial k of many trials run on one realisation, as a function of (key, k) only: the
 * key (128 bits) is drawn once from a named seedrandom stream, and `begin(k)` seeds a small fast counting
 * generator (sfc32, C. Doty-Humphrey; PractRand) from the key and k, with no allocation. Starting a trial
 * costs about 15 generator steps, so it can be done per sample. Any trial can be reproduced alone, which
 * is what lets a batch be split into chunks (worker threads) without changing a single draw.
 */
export class TrialKeyedStream implements RandomStream {
  private readonly k0: number;
  private readonly k1: number;
  private readonly k2: number;
  private readonly k3: number;
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** Draws the key from `source` (four uniforms) and starts trial 0. */
  constructor(source: RandomStream) {
    this.k0 = Math.floor(source.next() * 4294967296) | 0;
    this.k1 = Math.floor(source.next() * 4294967296) | 0;
    this.k2 = Math.floor(source.next() * 4294967296) | 0;
    this.k3 = Math.floor(source.next() * 4294967296) | 0;
    this.begin(0);
  }

  /** Restarts the stream at the first draw of trial `trial` (an integer 0 <= trial < 2^53). */
  begin(trial: number): void {
    const lo = trial >>> 0;
    const hi = Math.floor(trial / 4294967296) >>> 0;
    this.a = this.k0 ^ fmix32(lo);
    this.b = this.k1 ^ fmix32(hi ^ 0x9e3779b9);
    this.c = this.k2 ^ fmix32((lo + 0x7f4a7c15) | 0);
    this.d = this.k3;
    for (let i = 0; i < 15; i++) this.step();
  }

  /** Uniform in [0, 1) with 53-bit resolution (two generator outputs). */
  next(): number {
    const x = this.step() >>> 5;
    const y = this.step() >>> 6;
    return (x * 67108864 + y) / 9007199254740992;
  }

  /** One sfc32 step: the next 32-bit output. */
  private step(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
}

/**
 * What `realise` files for redrawing the threshold noise of a realised network per trial, per LIF neuron
 * in the engine's global order (= bss2 slot). The realised threshold is
 * nominal + span (shift + noise), as in `realise`; `current` holds the thresholds in force and is
 * shared with the dynamics constants that `prepare` builds from that network.
 */
export interface Bss2TrialThresholds {
  readonly size: number;
  /** Nominal v_thresh. */
  readonly nominal: Float64Array;
  /** v_thresh - v_rest (nominal): the unit of the voltage figures. */
  readonly span: Float64Array;
  /** Shift held for the whole realisation: fixed-pattern (mean offset + spread) plus the batch's threshold noise, fraction of span. */
  readonly shift: Float64Array;
  /** The thresholds in force; starts with the ones `realise` drew. */
  readonly current: Float64Array;
}

const thresholdsOfNetwork = new WeakMap<Network, Bss2TrialThresholds>();

/** Attaches per-trial threshold data to a network returned by bss2's `realise`. */
export function attachTrialThresholds(network: Network, thresholds: Bss2TrialThresholds): void {
  thresholdsOfNetwork.set(network, thresholds);
}

/** The per-trial threshold data attached to `network`, or undefined (no threshold noise, or not a bss2 network). */
export function attachedTrialThresholds(network: Network | undefined): Bss2TrialThresholds | undefined {
  return network === undefined ? undefined : thresholdsOfNetwork.get(network);
}

const NO_TRIAL_NOISE: TrialNoise = Object.freeze({ beginTrial() {} });

/**
 * bss2's per-trial noise (Substrate.trialNoise): `beginTrial(k)` redraws the per-sample noise of every
 * neuron of the realised network: threshold = nominal + span (shift + s N - m N'), with s = per-sample
 * threshold noise, m = membrane noise (a membrane offset eps acts as the threshold offset -eps), N and N'
 * per slot in slot order from two {@link TrialKeyedStream}s keyed by `trialStream('bss2/thresholdNoise/trials')`
 * and `trialStream('bss2/membraneNoise/trials')`; `shift` holds the fixed pattern and the batch's threshold
 * noise, which stay. Writes the thresholds into the buffer the dynamics constants share. Weights and
 * fixed-pattern mismatch are not touched. A no-op without per-sample noise.
 */
export function bss2TrialNoise(network: Network, context: Pick<RealiseContext, 'trialStream'>, o: Bss2Options): TrialNoise {
  const sSample = o.noiseScale * o.noise.thresholdSample;
  const sMembrane = o.noiseScale * o.noise.membrane;
  const th = attachedTrialThresholds(network);
  if ((sSample === 0 && sMembrane === 0) || th === undefined) return NO_TRIAL_NOISE;
  const sample = sSample === 0 ? null : new TrialKeyedStream(context.trialStream('bss2/thresholdNoise/trials'));
  const membrane = sMembrane === 0 ? null : new TrialKeyedStream(context.trialStream('bss2/membraneNoise/trials'));
  const { size, nominal, span, shift, current } = th;
  return {
    beginTrial(trial) {
      sample?.begin(trial);
      membrane?.begin(trial);
      for (let j = 0; j < size; j++) {
        let x = shift[j];
        if (sample !== null) x += sSample * normalDraw(sample);
        if (membrane !== null) x -= sMembrane * normalDraw(membrane);
        current[j] = nominal[j] + span[j] * x;
      }
    },
  };
}
