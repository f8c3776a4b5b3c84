import { ConfigError } from '../config/configError.ts';
import { randomStream } from '../rng.ts';
import type { SimulationSpec } from '../simulation.ts';
import { getSubstrate } from '../substrate/registry.ts';
import type { RealiseContext, Substrate } from '../substrate/substrate.ts';
import type { MembraneTrace, SpikeTable } from './recorder.ts';
import { runNetwork, type RunOptions, type RunResult, type RunStatistics } from './runNetwork.ts';

export interface SimulateOptions {
  /** Use this substrate instead of looking up `spec.substrate.name` in the registry. */
  readonly substrate?: Substrate;
  /** Trial number: selects the trial-to-trial noise stream (default 0). */
  readonly trial?: number;
  /** Called after each lookahead window with the simulated time reached (ms). */
  readonly onProgress?: (simulatedMs: number, durationMs: number) => void;
  /** Stop with a SpikeLimitError after this many LIF spikes (default: no limit; the CLI's --max-spikes). */
  readonly maxSpikes?: number;
}

/** The outcome of a simulation. */
export interface SimulationResult {
  /** Population names, indexed like `spikes.population`. */
  readonly populationNames: readonly string[];
  /** Recorded spikes sorted by (time, population, neuron). */
  readonly spikes: SpikeTable;
  readonly traces: readonly MembraneTrace[];
  readonly durationMs: number;
  readonly statistics: RunStatistics;
}

/** The realise context for a run: named chip and trial streams (docs/design.md section 2). */
export function realiseContext(spec: SimulationSpec, trial: number): RealiseContext {
  return {
    seed: spec.seed,
    trial,
    options: spec.substrate.options,
    chipStream: (chipSeed, purpose) => randomStream(`chip:${chipSeed}`, purpose),
    trialStream: (purpose) => randomStream(spec.seed, `trial/${trial}/${purpose}`),
  };
}

/**
 * Simulates `spec` on its substrate: the substrate realises the network, the engine runs it exactly,
 * and the substrate's observation model (if any) shapes what is recorded. Deterministic for a given spec.
 */
export function simulate(spec: SimulationSpec, options: SimulateOptions = {}): SimulationResult {
  return simulationResult(spec, runNetwork(engineOptions(spec, options)));
}

/**
 * simulate() on `threads` worker threads (core/engine/parallel/runNetworkThreads.ts): the same result bit
 * for bit, for the substrates and networks it can split (the ideal substrate, positive delays between LIF
 * populations, no membrane traces); otherwise it rejects with a ThreadsRefusedError saying why.
 */
export async function simulateOnThreads(spec: SimulationSpec, options: SimulateOptions & { readonly threads: number }): Promise<SimulationResult> {
  const { runNetworkThreads } = await import('./parallel/runNetworkThreads.ts'); // not loaded by one-thread runs
  return simulationResult(spec, await runNetworkThreads({ ...engineOptions(spec, options), threads: options.threads }));
}

/** The engine's options for `spec`: its network as the substrate realises it, and the substrate's dynamics. */
function engineOptions(spec: SimulationSpec, options: SimulateOptions): RunOptions<unknown> {
  const substrate = options.substrate ?? getSubstrate(spec.substrate.name);
  substrate.validateOptions(spec.substrate.options);
  const context = realiseContext(spec, options.trial ?? 0);
  const network = substrate.realise(spec.network, context);
  if (substrate.transmission?.(network, context) !== undefined) {
    throw new ConfigError('/substrate', `substrate '${substrate.name}': these options perturb spike transmission, which only the layered first-spike runner (train, evaluate, sweep) models`);
  }
  const onProgress = options.onProgress;
  return {
    network,
    dynamics: substrate.dynamics,
    durationMs: spec.durationMs,
    recording: spec.recording,
    observation: substrate.observation?.(network, context),
    onProgress: onProgress === undefined ? undefined : (t) => onProgress(t, spec.durationMs),
    maxSpikes: options.maxSpikes,
  };
}

function simulationResult(spec: SimulationSpec, result: RunResult): SimulationResult {
  return {
    populationNames: spec.network.populations.map((p) => p.name),
    spikes: result.spikes,
    traces: result.traces,
    durationMs: spec.durationMs,
    statistics: result.statistics,
  };
}
