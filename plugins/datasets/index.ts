/** Data sets and input encoding for the learning plugin (docs/design.md section 2: plugins/datasets). */
export { apportion, checkIndex, classCounts, sampleFeatures, type Dataset } from './dataset.ts';
export { Mt19937 } from './mt19937.ts';
export {
  YIN_YANG_CLASS_NAMES,
  YIN_YANG_SPLITS,
  yinYangClass,
  yinYangDataset,
  type YinYangOptions,
  type YinYangSplit,
} from './yinYang.ts';
export { encodeIdx, isGzip, parseIdx, readIdxFile, type IdxArray, type IdxExpectation } from './idx.ts';
export { areaResample, centreCrop } from './resample.ts';
export {
  MNIST_CROP_SIDE,
  MNIST_FILES,
  MNIST_SIDE,
  MNIST_SMALL_SIDE,
  MnistPackageMissingError,
  builtinMnistClassCounts,
  mnistDataset,
  mnistDim,
  mnistFromDirectory,
  mnistSplits,
  mnistTo16,
  type BuiltinMnistOptions,
  type DirectoryMnistOptions,
  type MnistOptions,
  type MnistSplits,
  type MnistVariant,
} from './mnist.ts';
export {
  checkEncoder,
  encodeSample,
  encodeValue,
  encodedSize,
  encoderFor,
  type EncodedDatasetKind,
  type Encoder,
} from './encoding.ts';
