import fc from 'fast-check';

/** A closed interval of numbers. */
export interface NumberRange {
  /** Smallest value (inclusive). */
  readonly min: number;
  /** Largest value (inclusive unless the arbitrary says otherwise). */
  readonly max: number;
}

/** A fixed value or a range to draw from. */
export type NumberSpec = number | NumberRange;

/** Constraints of {@link gridDouble}. */
export interface GridDoubleConstraints {
  /**
   * Number of grid steps across the range: values are min + k (max - min) / steps (or multiples of that
   * step when the range contains 0). Default 2^20, about 1e-6 of the range.
   */
  readonly steps?: number;
  /** Exclude `max` itself (for half-open intervals such as [0, T)). Default false. */
  readonly exclusiveMax?: boolean;
}

/** Checks a {@link NumberSpec} and returns it as a range; throws RangeError naming `what`. */
export function toRange(spec: NumberSpec, what: string): NumberRange {
  const range = typeof spec === 'number' ? { min: spec, max: spec } : spec;
  if (!Number.isFinite(range.min) || !Number.isFinite(range.max)) {
    throw new RangeError(`${what}: range bounds must be finite (got ${range.min}..${range.max})`);
  }
  if (range.min > range.max) throw new RangeError(`${what}: min ${range.min} > max ${range.max}`);
  return range;
}

const bits = new Float64Array(1);
const bitsAsInt = new BigInt64Array(bits.buffer);

/** The largest double below x (x finite). */
function below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  bits[0] = x;
  bitsAsInt[0] += x > 0 ? -1n : 1n;
  return bits[0];
}

/**
 * Doubles on a uniform grid over a range, drawn through integers. Unlike `fc.double`, which favours
 * extreme magnitudes, every value is a typical one, so dynamics stay in their usual regime.
 * Shrinks toward 0 when the range contains 0, otherwise toward the bound nearer to 0.
 */
export function gridDouble(spec: NumberSpec, constraints: GridDoubleConstraints = {}): fc.Arbitrary<number> {
  const { min, max } = toRange(spec, 'gridDouble');
  const exclusiveMax = constraints.exclusiveMax ?? false;
  const steps = constraints.steps ?? 2 ** 20;
  if (!Number.isInteger(steps) || steps < 1 || steps > 2 ** 30) {
    throw new RangeError(`gridDouble: steps must be an integer in [1, 2^30] (got ${steps})`);
  }
  if (min === max) {
    if (exclusiveMax) throw new RangeError(`gridDouble: empty range [${min}, ${max})`);
    return fc.constant(min);
  }
  const h = (max - min) / steps;
  const clamp = (v: number): number => {
    const c = v < min ? min : v > max ? max : v;
    return exclusiveMax && c >= max ? Math.max(min, below(max)) : c;
  };
  if (min >= 0) {
    // shrinks toward min
    return fc.integer({ min: 0, max: exclusiveMax ? steps - 1 : steps }).map((k) => clamp(min + k * h));
  }
  if (max <= 0) {
    // shrinks toward max (the bound nearer to 0)
    return fc.integer({ min: exclusiveMax ? 1 : 0, max: steps }).map((k) => clamp(max - k * h));
  }
  // the range contains 0: multiples of h, so 0 itself is on the grid and is the shrink target
  const kMin = Math.ceil(min / h);
  let kMax = Math.floor(max / h);
  if (exclusiveMax && kMax * h >= max) kMax--;
  return fc.integer({ min: kMin, max: kMax }).map((k) => clamp(k * h));
}

/**
 * A value from a {@link NumberSpec} (checked, with `what` naming it in errors). With `zeroQuarters` > 0
 * and a range that contains 0, that many quarters of the draws are exactly 0, which is also where
 * shrinking goes (for quantities such as an offset current whose natural value is 0).
 */
export function specDouble(spec: NumberSpec, what: string, zeroQuarters = 0): fc.Arbitrary<number> {
  const range = toRange(spec, what);
  const arb = gridDouble(range);
  if (zeroQuarters > 0 && range.min <= 0 && range.max >= 0 && range.min < range.max) {
    return fc.oneof(
      { withCrossShrink: true },
      { arbitrary: fc.constant(0), weight: zeroQuarters },
      { arbitrary: arb, weight: 4 - zeroQuarters },
    );
  }
  return arb;
}
