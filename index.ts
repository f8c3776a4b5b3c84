/**
 * firstspike: exact event-driven simulation of current-based LIF networks.
 *
 * ```ts
 * import { buildSimulation, simulate, substrateNames } from 'firstspike';
 * const spec = buildSimulation(configObject, { knownSubstrates: substrateNames() });
 * const result = simulate(spec);
 * ```
 */
import { registerSubstrate, substrateNames } from './core/substrate/registry.ts';
import { idealSubstrate } from './substrates/ideal/index.ts';
import { bss2Substrate } from './substrates/bss2/index.ts';
import { imperfectSubstrate } from './substrates/imperfect/index.ts';

if (!substrateNames().includes(idealSubstrate.name)) registerSubstrate(idealSubstrate);
if (!substrateNames().includes(bss2Substrate.name)) registerSubstrate(bss2Substrate);
if (!substrateNames().includes(imperfectSubstrate.name)) registerSubstrate(imperfectSubstrate);

export * from './core/config/index.ts';
export { simulate, simulateOnThreads, realiseContext, type SimulateOptions, type SimulationResult } from './core/engine/simulate.ts';
export { runNetwork, type RunOptions, type RunResult, type RunStatistics } from './core/engine/runNetwork.ts';
export { runNetworkThreads, threadedRunRefusal, type ThreadedRunOptions } from './core/engine/parallel/runNetworkThreads.ts';
export type { MembraneTrace, SpikeTable } from './core/engine/recorder.ts';
export { planSchedule, type PopulationGroup, type Schedule } from './core/engine/schedule.ts';
export type { SimulationSpec, SubstrateChoice } from './core/simulation.ts';
export * from './core/network/network.ts';
export * from './core/lif/params.ts';
export { lifConstants, synapticKernel, type LifConstants } from './core/lif/constants.ts';
export { lifDynamics } from './core/lif/lifDynamics.ts';
export {
  advanceState,
  firstCrossingTime,
  membranePotentialAt,
  receiveSpike,
  restingState,
  type LifState,
} from './core/lif/neuron.ts';
export { randomStream, normalDraw, integerDraw, exponentialDraw, type RandomStream } from './core/rng.ts';
export { neuronStateArrays, type NeuronDynamics, type NeuronStateArrays } from './core/substrate/dynamics.ts';
export type { Observation, RealiseContext, SpikeTimeMap, Substrate, Transmission, TrialNoise } from './core/substrate/substrate.ts';
export { SubstrateFitError } from './core/substrate/substrate.ts';
export { DelayResolutionError, NonFiniteStateError, SpikeLimitError, ThreadsRefusedError } from './core/engine/runLimits.ts';
export { getSubstrate, registerSubstrate, substrateNames, unregisterSubstrate } from './core/substrate/registry.ts';
export { checkOptionRecord, optionError, optionRecord, type OptionCheck } from './core/substrate/options.ts';
export { idealSubstrate } from './substrates/ideal/index.ts';
