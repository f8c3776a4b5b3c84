/**
 * fast-check arbitraries for substrate tests, one concept per file under arbitraries/. Doubles are drawn
 * through integers on a grid (fast-check's `fc.double` favours extreme magnitudes), so the dynamics stay
 * typical; every arbitrary shrinks toward smaller and simpler cases.
 */
export { gridDouble, specDouble, toRange, type GridDoubleConstraints, type NumberRange, type NumberSpec } from './arbitraries/gridDouble.ts';
export {
  DEFAULT_LIF_PARAMS_CONSTRAINTS,
  DEFAULT_TAU_SYN_RATIOS,
  lifParamsArbitrary,
  type LifParamsConstraints,
} from './arbitraries/lifParams.ts';
export { neuronCaseArbitrary, unitCurrents, type NeuronCase, type NeuronCaseConstraints } from './arbitraries/neuronCase.ts';
export { inputTrainArbitrary, inputTrainNetwork, type InputSpike, type InputTrainConstraints } from './arbitraries/inputTrain.ts';
export {
  csrFromDense,
  lifPopulation,
  synapseArbitrary,
  weightMatrixArbitrary,
  type WeightMatrixConstraints,
} from './arbitraries/weightMatrix.ts';
export { smallNetworkArbitrary, withDescription, type SmallNetworkConstraints } from './arbitraries/smallNetwork.ts';
