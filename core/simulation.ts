import type { Network, RecordingSpec } from './network/network.ts';

/** Which substrate realises the network, with its substrate-specific options (validated by the substrate). */
export interface SubstrateChoice {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Everything one run needs: the network, how long, the master seed, the substrate and what to record. */
export interface SimulationSpec {
  readonly network: Network;
  /** Simulated time (ms); events at t < durationMs are processed. */
  readonly durationMs: number;
  /** Master seed of all random streams (core/rng.ts). */
  readonly seed: number;
  readonly substrate: SubstrateChoice;
  readonly recording: RecordingSpec;
}
