import type { LifParams } from '../lif/params.ts';
import type { Network } from '../network/network.ts';
import type { RandomStream } from '../rng.ts';
import type { NeuronDynamics } from './dynamics.ts';

/** What a substrate gets to realise a network for one run. */
export interface RealiseContext {
  /** Master seed of the run. */
  readonly seed: number;
  /** Trial number (0 for a single run); noise drawn per trial comes from `trialStream`. */
  readonly trial: number;
  /** The substrate's options from the config (`substrate: {name, ...options}`), already validated. */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * A named stream that depends only on `chipSeed` and the purpose: fixed-pattern properties of a
   * device (mismatch) drawn from it are the same in every run with that chip seed.
   */
  chipStream(chipSeed: number, purpose: string): RandomStream;
  /** A named stream that depends on the master seed, the trial number and the purpose (trial-to-trial noise). */
  trialStream(purpose: string): RandomStream;
}

/** Maps a spike of neuron `neuron` of population `population` at `timeMs` to another time (NaN: no spike). */
export interface SpikeTimeMap {
  spikeTime(population: number, neuron: number, timeMs: number): number;
}

/** Per-run observation of what the substrate records. */
export interface Observation extends SpikeTimeMap {
  /**
   * The recorded time of a spike that occurred at `timeMs` (e.g. with read-out jitter, latency or
   * time-stamp quantisation), or NaN to drop it from the record. Does not change what the network sees.
   */
  spikeTime(population: number, neuron: number, timeMs: number): number;
  /**
   * Optional. Starts trial `trial` (0, 1, ...) of a sequence of trials run on one realisation (the learning
   * plugin runs every sample of a batch as one trial of the batch's realisation). From then on the
   * observation's random draws depend only on the realise context, `trial` and the spikes observed since,
   * not on earlier trials, so a sequence split into chunks (worker threads) records the same times.
   * Engines that run one trial per realisation (`simulate`) never call it.
   */
  beginTrial?(trial: number): void;
  /**
   * Optional, for engines that pass each spike on at a time of its own (the learning plugin's layered
   * runner): the time at which a spike the dynamics emitted at `timeMs` reaches the neurons it projects to
   * and the recording path, e.g. with the spike's own jitter (NaN: lost). Such an engine calls it once per
   * emitted spike, in the order it observes spikes, feeds the returned time to the targets and records
   * `spikeTime(population, neuron, returned time)`; from the first call on, `spikeTime` leaves out what
   * `transmit` applies. Engines that never call it (`simulate`) get everything from `spikeTime`.
   */
  transmit?(population: number, neuron: number, timeMs: number): number;
}

/**
 * What the targets of a spike receive (see {@link Substrate.transmission}): `spikeTime` maps the time a
 * spike was emitted to the time its targets receive it, NaN when it is lost on the way.
 */
export interface Transmission extends SpikeTimeMap {
  /** Starts trial `trial` of a sequence of trials on one realisation (as Observation.beginTrial). */
  beginTrial?(trial: number): void;
}

/**
 * Trial-to-trial noise of a realised network, for engines that run many trials on one realisation
 * (see {@link Substrate.trialNoise}).
 */
export interface TrialNoise {
  /**
   * Redraws the trial-to-trial noise of the realised network for trial `trial` (0, 1, ...) in place, as a
   * function of the realise context and `trial` only. Dynamics constants prepared from that network see
   * the new values; the network's weights and fixed-pattern parameters are untouched.
   */
  beginTrial(trial: number): void;
}

/**
 * A neuron-model provider. It realises the nominal network into the one that is actually simulated
 * (per-neuron parameters, per-synapse weights, input spike times), supplies the neuron dynamics, and may
 * perturb what is observed. Core knows substrates only through this interface; register one with
 * `registerSubstrate` (core/substrate/registry.ts).
 */
export interface Substrate<C = unknown> {
  /** Registry name, e.g. `ideal`. */
  readonly name: string;
  /** One line for `--help` and docs. */
  readonly description: string;
  /**
   * Checks substrate options; throws an Error whose message is `<option path>: <reason>` for bad ones.
   * Options not listed are rejected by well-behaved substrates: parse the record with `checkOptionRecord`
   * (core/substrate/options.ts), which looks at own keys only and names unknown ones.
   */
  validateOptions(options: Readonly<Record<string, unknown>>): void;
  /**
   * The network as realised on this substrate: same populations, projections and CSR layout, with
   * realised parameters, weights and source spike times. Must not modify its argument.
   */
  realise(network: Network, context: RealiseContext): Network;
  /** The dynamics the engine advances. */
  readonly dynamics: NeuronDynamics<C>;
  /** Optional observation model for recorded spikes, created once per run. */
  observation?(network: Network, context: RealiseContext): Observation;
  /**
   * Optional, for engines that take source (input) spike times per trial instead of from the realised
   * network (the learning plugin's layered runner): the time at which a source spike given at `timeMs`
   * reaches the realised network `network` (e.g. rounded to the clock that plays inputs back), NaN to drop
   * it. Created once per realisation. Must agree with what `realise` does to the spike times of source
   * populations. Without it, source times reach the network as given.
   */
  inputTimes?(network: Network, context: RealiseContext): SpikeTimeMap;
  /**
   * Optional, for engines that run many trials on one realisation (the learning plugin realises once per
   * batch and runs each sample as one trial): redraws the per-trial noise that `realise` drew once (e.g.
   * threshold noise) for each trial, without realising again. Created once per realisation, after the
   * dynamics constants were prepared or before; `beginTrial(k)` is called before trial k. Without it, the
   * noise drawn by `realise` holds for every trial of the realisation.
   */
  trialNoise?(network: Network, context: RealiseContext): TrialNoise;
  /**
   * Optional: how emitted spikes reach the next layer (e.g. transmission jitter, lost spikes), or undefined
   * when they arrive as emitted. Created once per realisation. Only the layered first-spike runner (the
   * learning plugin) applies it, to the spikes of every layer but the last; `simulate` refuses a
   * substrate whose transmission is not undefined.
   */
  transmission?(network: Network, context: RealiseContext): Transmission | undefined;
  /**
   * Optional: the largest |weight| (nA, model units) this substrate can realise with these (valid) options,
   * or undefined when it does not clip weights. Trainers clamp their float weights to it after every update
   * (as the paper's code does on BrainScaleS-2), so that the weights do not drift where the substrate cannot
   * follow. `neuron`: the nominal parameters of the target neurons, for substrates whose weight range
   * depends on them (bss2 normalises its weights to the PSP they give).
   */
  weightLimit?(options: Readonly<Record<string, unknown>>, neuron?: LifParams): number | undefined;
}

/**
 * Thrown by `realise` when the network itself does not fit the substrate (e.g. more neurons or inputs than
 * one BrainScaleS-2 chip has): the user's input, not a bug (the CLI reports it as a usage error, exit 2).
 */
export class SubstrateFitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubstrateFitError';
  }
}
