/** The learning plugin's library API (docs/design.md section 2: plugins/learning): TTFS training on any substrate. */
export { Adam } from './adam.ts';
export { createModel, encodeDataset, loadPresetData, type PresetData } from './experiment.ts';
export { DEFAULT_PASS, ForwardBackward, emptySampleResult, type PassOptions, type SampleResult } from './forwardBackward.ts';
export { DEFAULT_LOSS, SILENT_LABEL_LOSS, predictedClass, ttfsLoss, type LossOptions } from './loss.ts';
export { initialiseWeights, layersFromNetwork, modelToNetwork, presynapticCount, type LayeredModel } from './model.ts';
export { loadModel, modelFromDocument, modelToDocument, saveModel, type ModelMeta, type TrainingRecord } from './modelFile.ts';
export { loadCheckpoint, saveCheckpoint, type Checkpoint, type RunSettings } from './checkpoint.ts';
export { MNIST16_PRESET, PRESETS, TTFS_NEURON, YINYANG_CHIP_PRESET, YINYANG_PRESET, type Preset } from './presets.ts';
export {
  evaluate,
  train,
  type EncodedSet,
  type EpochReport,
  type Evaluation,
  type TrainCallbacks,
  type TrainOptions,
  type TrainState,
} from './trainer.ts';
export { gradientConstants, ttfsGradient, type GradientConstants } from './ttfsGradient.ts';
export { clampWeights, clampWeightsToSubstrate, substrateWeightLimit } from './weightLimit.ts';
