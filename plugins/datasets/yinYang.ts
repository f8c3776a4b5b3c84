import type { Dataset } from './dataset.ts';
import { Mt19937 } from './mt19937.ts';

/** The three published Yin-Yang splits. */
export type YinYangSplit = 'train' | 'validation' | 'test';

/** Options of `yinYangDataset`; every field defaults to the published split's value. */
export interface YinYangOptions {
  /** Number of samples. Default: 5000 (train), 1000 (validation), 1000 (test). */
  readonly size?: number;
  /** MT19937 seed (numpy `RandomState`). Default: 42 (train), 41 (validation), 40 (test). */
  readonly seed?: number;
  /** Radius of the two dots. Default 0.1. */
  readonly rSmall?: number;
  /** Radius of the big circle; points lie in [0, 2 rBig]^2. Default 0.5 (so features are in [0, 1]). */
  readonly rBig?: number;
}

/** Size and seed of the published splits, as the authors use them (Kriener, Göltz, Petrovici 2021; fastAndDeep). */
export const YIN_YANG_SPLITS: Readonly<Record<YinYangSplit, { readonly size: number; readonly seed: number }>> = {
  train: { size: 5000, seed: 42 },
  validation: { size: 1000, seed: 41 },
  test: { size: 1000, seed: 40 },
};

/** Class names in label order, as published. */
export const YIN_YANG_CLASS_NAMES: readonly string[] = ['yin', 'yang', 'dot'];

/**
 * The class of the point (x, y) in the yin-yang figure of big radius `rBig` centred at (rBig, rBig)
 * with dots of radius `rSmall` at (1.5 rBig, rBig) and (0.5 rBig, rBig): 2 for a dot, else 1 or 0 for
 * the two halves. This is the published rule (Kriener et al. 2021), comparison for comparison, so that
 * points on a boundary fall as in the published splits. The point is assumed inside the big circle.
 */
export function yinYangClass(x: number, y: number, rSmall = 0.1, rBig = 0.5): number {
  // Squares as products: correctly rounded, as numpy's x**2 is.
  const dyc = y - rBig;
  const dxr = x - 1.5 * rBig;
  const dxl = x - 0.5 * rBig;
  const dRight = Math.sqrt(dxr * dxr + dyc * dyc);
  const dLeft = Math.sqrt(dxl * dxl + dyc * dyc);
  if (dRight < rSmall || dLeft < rSmall) return 2;
  // Half "1": the right dot's disc (closed), the ring around the left dot out to rBig/2, and the upper
  // half away from the right dot's rBig/2 disc.
  const inRightDot = dRight <= rSmall;
  const inLeftRing = dLeft > rSmall && dLeft <= 0.5 * rBig;
  const upperAwayFromRight = y > rBig && dRight > 0.5 * rBig;
  return inRightDot || inLeftRing || upperAwayFromRight ? 1 : 0;
}

/**
 * Draws one point of class `goal`: two uniform doubles (x, then y) scaled to [0, 2 rBig], redrawn when
 * outside the big circle or of another class.
 */
function drawPoint(rng: Mt19937, goal: number, rSmall: number, rBig: number, out: Float64Array): void {
  for (;;) {
    // (u * 2) * rBig, in this order, as the published generator scales its draws.
    const x = rng.nextDouble() * 2 * rBig;
    const y = rng.nextDouble() * 2 * rBig;
    const dx = x - rBig;
    const dy = y - rBig;
    if (Math.sqrt(dx * dx + dy * dy) > rBig) continue;
    if (yinYangClass(x, y, rSmall, rBig) !== goal) continue;
    out[0] = x;
    out[1] = y;
    return;
  }
}

/**
 * The Yin-Yang data set (Kriener, Göltz, Petrovici 2021), regenerated bit for bit like the published
 * generator: MT19937 seeded with the split's seed; per sample the class is drawn first (uniform over
 * 3 by numpy's masked rejection), then points are drawn until one of that class falls inside the
 * circle. Features per sample: x, y, 1 - x, 1 - y. Published class counts: train [1681, 1702, 1617],
 * validation [316, 336, 348], test [350, 316, 334] (test/datasets.test.ts checks them).
 */
export function yinYangDataset(split: YinYangSplit, options: YinYangOptions = {}): Dataset {
  const published = YIN_YANG_SPLITS[split];
  if (published === undefined) throw new Error(`unknown Yin-Yang split "${String(split)}" (train, validation, test)`);
  const size = options.size ?? published.size;
  const seed = options.seed ?? published.seed;
  const rSmall = options.rSmall ?? 0.1;
  const rBig = options.rBig ?? 0.5;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`Yin-Yang size must be a non-negative integer, got ${size}`);
  if (!(rSmall > 0 && rBig > 0 && rSmall < 0.5 * rBig)) {
    throw new RangeError(`Yin-Yang radii need 0 < rSmall < rBig/2, got rSmall=${rSmall}, rBig=${rBig}`);
  }
  const rng = new Mt19937(seed);
  const dim = 4;
  const features = new Float64Array(size * dim);
  const labels = new Int32Array(size);
  const point = new Float64Array(2);
  for (let i = 0; i < size; i++) {
    const goal = rng.nextBelow(3);
    drawPoint(rng, goal, rSmall, rBig, point);
    const x = point[0]!;
    const y = point[1]!;
    const row = i * dim;
    features[row] = x;
    features[row + 1] = y;
    features[row + 2] = 1 - x;
    features[row + 3] = 1 - y;
    labels[i] = goal;
  }
  return {
    features,
    labels,
    n: size,
    dim,
    classes: 3,
    name: `yinyang/${split}`,
    classNames: YIN_YANG_CLASS_NAMES,
  };
}
