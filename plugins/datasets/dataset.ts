/**
 * A labelled classification data set held in flat typed arrays (docs/design.md section 2: typed arrays,
 * nothing allocated per sample). Feature values are in [0, 1] for the built-in sets; the encoder
 * (plugins/datasets/encoding.ts) turns them into input spike times.
 */
export interface Dataset {
  /** Sample features, `n` rows of `dim` values, row-major: sample i is `features[i*dim .. (i+1)*dim)`. */
  readonly features: Float64Array;
  /** Class of each sample, in [0, classes). */
  readonly labels: Int32Array;
  /** Number of samples. */
  readonly n: number;
  /** Features per sample (4 for Yin-Yang, 784 for 28x28 MNIST, 256 for 16x16 MNIST). */
  readonly dim: number;
  /** Number of classes. */
  readonly classes: number;
  /** Short name of the set and split, e.g. `yinyang/train` or `mnist16/test`. */
  readonly name: string;
  /** Human-readable class names, `classes` of them. */
  readonly classNames: readonly string[];
}

/** How many samples of each class `dataset` holds (index = class). */
export function classCounts(dataset: Dataset): number[] {
  const counts = new Array<number>(dataset.classes).fill(0);
  for (let i = 0; i < dataset.n; i++) counts[dataset.labels[i]!]! += 1;
  return counts;
}

/** Sample `index`'s features as a view (no copy) into `dataset.features`. */
export function sampleFeatures(dataset: Dataset, index: number): Float64Array {
  checkIndex(dataset, index);
  return dataset.features.subarray(index * dataset.dim, (index + 1) * dataset.dim);
}

/** Throws a RangeError unless `index` is a valid sample index of `dataset`. */
export function checkIndex(dataset: Dataset, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= dataset.n) {
    throw new RangeError(`${dataset.name}: sample index ${index} out of range [0, ${dataset.n})`);
  }
}

/**
 * Largest-remainder (Hamilton) apportionment: splits `total` into integer parts proportional to
 * `weights` that sum to exactly `total`; ties in the remainder go to the lower index. Used to carve
 * stratified splits (each class gives its share).
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!Number.isInteger(total) || total < 0 || total > sum) {
    throw new RangeError(`cannot apportion ${total} among ${sum}`);
  }
  if (total === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w * total) / sum);
  const parts = exact.map((e) => Math.floor(e));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}
