import fc from 'fast-check';
import { lifParamArrays, type LifParams } from '../../core/lif/params.ts';
import type { CsrMatrix, LifPopulation } from '../../core/network/network.ts';
import { specDouble, type NumberSpec } from './gridDouble.ts';

/** Constraints of {@link weightMatrixArbitrary}. */
export interface WeightMatrixConstraints {
  /** Presynaptic neurons (rows, integer >= 0). Required. */
  readonly rows: number;
  /** Postsynaptic neurons (columns, integer >= 0). Required. */
  readonly cols: number;
  /** Weight range (nA); mixed signs by default. Default `{ min: -1, max: 2 }`. */
  readonly weightNa?: NumberSpec;
  /** Probability that a given (pre, post) pair is connected, in [0, 1]. Default 0.75. */
  readonly connectionProbability?: number;
}

/**
 * Optional weights: null (no synapse) with probability 1 - p, else a weight from `weightNa`.
 * Shrinks toward no synapse, then toward weights nearer to 0.
 */
export function synapseArbitrary(weightNa: NumberSpec, connectionProbability: number): fc.Arbitrary<number | null> {
  if (!(connectionProbability >= 0 && connectionProbability <= 1)) {
    throw new RangeError(`connectionProbability: must be in [0, 1] (got ${connectionProbability})`);
  }
  const weight = specDouble(weightNa, 'weightNa');
  const present = Math.round(100 * connectionProbability);
  if (present === 0) return fc.constant(null);
  if (present === 100) return weight;
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(null), weight: 100 - present },
    { arbitrary: weight, weight: present },
  );
}

/**
 * A CSR matrix of `rows` x `cols` from a dense row-major accessor: entry (r, c) is `weightAt(r, c)`,
 * no synapse where it returns null (or undefined). `stride` is kept for callers that index a larger
 * dense array (entry index r * stride + c).
 */
export function csrFromDense(
  rows: number,
  cols: number,
  stride: number,
  weightAt: (row: number, col: number, index: number) => number | null | undefined,
): CsrMatrix {
  const rowStart = new Int32Array(rows + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const w = weightAt(r, c, r * stride + c);
      if (w === null || w === undefined) continue;
      targets.push(c);
      weights.push(w);
    }
    rowStart[r + 1] = targets.length;
  }
  return { rows, rowStart, targets: Int32Array.from(targets), weights: Float64Array.from(weights) };
}

/** A LIF population of `size` neurons sharing `params`, starting at rest. */
export function lifPopulation(name: string, size: number, params: LifParams): LifPopulation {
  return {
    kind: 'lif',
    name,
    size,
    params: lifParamArrays(size, params),
    initialVMv: new Float64Array(size).fill(params.vRestMv),
  };
}

/**
 * A weight matrix in the network's CSR form (rows = presynaptic neurons): each (pre, post) pair is a
 * synapse with probability `connectionProbability`, weights of both signs. Shrinks toward fewer synapses
 * and weights nearer to 0.
 */
export function weightMatrixArbitrary(constraints: WeightMatrixConstraints): fc.Arbitrary<CsrMatrix> {
  const { rows, cols } = constraints;
  for (const [what, n] of [['rows', rows], ['cols', cols]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}: must be an integer >= 0 (got ${n})`);
  }
  const entries = rows * cols;
  return fc
    .array(synapseArbitrary(constraints.weightNa ?? { min: -1, max: 2 }, constraints.connectionProbability ?? 0.75), {
      minLength: entries,
      maxLength: entries,
    })
    .map((dense) => csrFromDense(rows, cols, cols, (_r, _c, index) => dense[index]));
}
