// (b) A TypeScript consumer: compiled with tsc --noEmit, module/moduleResolution nodenext, strict, and
// skipLibCheck off, so the package's declarations are checked too.
import {
  buildSimulation,
  lifDynamics,
  registerSubstrate,
  simulate,
  substrateNames,
  type LifConstants,
  type Network,
  type SimulationResult,
  type SimulationSpec,
  type Substrate,
} from 'firstspike';
import { YINYANG_PRESET, createModel, type LayeredModel, type TrainOptions } from 'firstspike/learning';
import { yinYangDataset, type Dataset } from 'firstspike/datasets';
import { checkReproducibility, type CheckSummary, type ConformanceOptions } from 'firstspike/testing';
// the vitest entry's declarations resolve without vitest installed (only its code imports vitest)
import type { substrateConformance } from 'firstspike/testing/vitest';

const louder: Substrate<LifConstants> = {
  name: 'louder',
  description: 'ideal with every weight doubled',
  validateOptions(options: Readonly<Record<string, unknown>>): void {
    if (Object.keys(options).length > 0) throw new Error('/substrate: no options');
  },
  realise(network: Network): Network {
    return network;
  },
  dynamics: lifDynamics,
};
registerSubstrate(louder);

const spec: SimulationSpec = buildSimulation(
  { duration: 10, populations: [{ name: 'in', type: 'spike_source_array', size: 1, spike_times: [[1]] }] },
  { knownSubstrates: substrateNames() },
);
const result: SimulationResult = simulate(spec);
const count: number = result.spikes.timeMs.length;
const model: LayeredModel = createModel(YINYANG_PRESET, 1);
const options: Partial<TrainOptions> = { threads: 2, workerModules: [] };
const set: Dataset = yinYangDataset('test');
const conformance: ConformanceOptions = { numRuns: 5 };
const summary: CheckSummary = checkReproducibility(louder, conformance);
type RegisterSuite = typeof substrateConformance;
export type { RegisterSuite };
export { count, model, options, set, summary };
