import type { RandomStream } from '../../core/rng.ts';
import type { ImperfectOptions } from './options.ts';

/** Largest integer level of a sign-magnitude weight with `bits` magnitude bits: 2^bits - 1. */
export function weightLevels(bits: number): number {
  return 2 ** bits - 1;
}

/**
 * Quantises `weights` in place to `bits` magnitude bits over [-range, range]: step = range / (2^bits - 1),
 * |w| / step rounded to an integer level (nearest: halves away from zero, so +w and -w are symmetric;
 * stochastic: up with probability equal to the remainder, one uniform of `stream` per weight in order),
 * clipped at 2^bits - 1, sign kept. `range` null: the largest |w| of `weights` (nothing clips).
 */
export function quantiseWeights(
  weights: Float64Array,
  bits: number,
  range: number | null,
  rounding: ImperfectOptions['weightRounding'],
  stream: RandomStream | null,
): void {
  let r = range;
  if (r === null) {
    r = 0;
    for (let e = 0; e < weights.length; e++) r = Math.max(r, Math.abs(weights[e]));
    if (r === 0) return;
  }
  const levels = weightLevels(bits);
  const step = r / levels;
  for (let e = 0; e < weights.length; e++) {
    const w = weights[e];
    const x = Math.abs(w) / step;
    let q: number;
    if (rounding === 'stochastic') {
      const lo = Math.floor(x);
      q = lo + (stream!.next() < x - lo ? 1 : 0);
    } else q = Math.floor(x + 0.5);
    if (q > levels) q = levels;
    weights[e] = (w < 0 ? -q : q) * step;
  }
}
