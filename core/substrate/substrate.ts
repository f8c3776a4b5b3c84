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

/** Per-run observation of what the substrate records. */
export interface Observation {
  /**
   * The recorded time of a spike that occurred at `timeMs` (e.g. with read-out jitter, latency or
   * time-stamp quantisation), or NaN to drop it from the record. Does not change what the network sees.
   */
  spikeTime(population: number, neuron: number, timeMs: number): number;
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
   * Options not listed are rejected by well-behaved substrates.
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
}
