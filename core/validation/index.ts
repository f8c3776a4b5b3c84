/** Closed forms vs the event engine: case generation, predictions and comparison (`firstspike validate`). */
export {
  DEFAULT_NEAR_TIE_MARGIN_MV,
  DEFAULT_NEAR_TIE_RESOLUTION_MS,
  DEFAULT_TOLERANCE_MS,
  ValidationTally,
  formatMs,
  runValidation,
  validateSpec,
  verdict,
  type CompareOptions,
  type EngineRunner,
  type ValidationOptions,
  type ValidationResult,
  type WorstCase,
} from './compare.ts';
export { MAX_LAYERS, generateCase, type CaseKind, type CaseOptions, type ValidationCase } from './cases.ts';
export {
  ClosedFormScopeError,
  checkClosedFormScope,
  expectNetwork,
  ownNearTie,
  type NearTieKind,
  type NearTieOptions,
  type NetworkExpectation,
} from './networkExpectation.ts';
export {
  END_OF_RUN_TIE_MS,
  expectNeuron,
  membraneProfile,
  sortInputs,
  ulp,
  type MembraneProfile,
  type NeuronExpectation,
} from './neuronExpectation.ts';
export { formatConfigJson, specToConfig } from './toConfig.ts';
