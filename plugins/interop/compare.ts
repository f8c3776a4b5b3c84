import type { SpikeTrains } from './spikeFile.ts';

/*
 * Spike-train comparison for `firstspike compare`: per neuron, an optimal in-order matching of the spikes
 * of A to those of B within a tolerance. "In order" means matched pairs never cross (i < i' implies
 * j < j'); "optimal" means the most pairs and, among matchings with that many, the least total |dt|.
 * Computed exactly by dynamic programming over the two sorted trains (like an edit distance), after
 * cutting them where the merged train has a gap wider than the tolerance (no pair can span such a gap,
 * so the pieces are independent and the tables stay small).
 */

/** Matching of one pair of sorted trains. */
export interface TrainMatch {
  /** Matched pairs as indices into A and B, in order. */
  readonly pairs: readonly (readonly [number, number])[];
  /** Unmatched spikes of A ("missing" from B). */
  readonly missing: number;
  /** Unmatched spikes of B ("extra" in B). */
  readonly extra: number;
}

/** Largest table (cells) of one independent piece; beyond it the tolerance is too wide for the rates. */
export const MAX_PIECE_CELLS = 20_000_000;

/** A matching that would need too much memory; the message says which neuron and why. */
export class MatchTooLargeError extends Error {}

/** Optimal in-order matching of two ascending trains within `toleranceMs` (>= 0). */
export function matchTrains(a: ArrayLike<number>, b: ArrayLike<number>, toleranceMs: number): TrainMatch {
  const pairs: [number, number][] = [];
  let i0 = 0;
  let j0 = 0;
  while (i0 < a.length || j0 < b.length) {
    // grow the piece [i0, i1) x [j0, j1) while the next event (of either train) is within tolerance of the last
    let i1 = i0;
    let j1 = j0;
    let last = -Infinity;
    for (;;) {
      const nextA = i1 < a.length ? a[i1] : Infinity;
      const nextB = j1 < b.length ? b[j1] : Infinity;
      const next = Math.min(nextA, nextB);
      if (next === Infinity || (last !== -Infinity && next - last > toleranceMs)) break;
      if (nextA <= nextB) i1++;
      else j1++;
      last = next;
    }
    matchPiece(a, b, i0, i1, j0, j1, toleranceMs, pairs);
    i0 = i1;
    j0 = j1;
  }
  return { pairs, missing: a.length - pairs.length, extra: b.length - pairs.length };
}

function matchPiece(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  tol: number,
  out: [number, number][],
): void {
  const n = i1 - i0;
  const m = j1 - j0;
  if (n === 0 || m === 0) return;
  const cells = (n + 1) * (m + 1);
  if (cells > MAX_PIECE_CELLS) {
    throw new MatchTooLargeError(
      `${n} x ${m} spikes lie within chains of gaps <= the tolerance (${tol} ms); use a smaller --tolerance`,
    );
  }
  const w = m + 1;
  const count = new Int32Array(cells);
  const cost = new Float64Array(cells);
  // choice: 0 = skip A's spike, 1 = skip B's spike, 2 = match both
  const choice = new Uint8Array(cells);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const up = (i - 1) * w + j;
      const left = i * w + j - 1;
      let bestCount = count[up];
      let bestCost = cost[up];
      let bestChoice = 0;
      if (count[left] > bestCount || (count[left] === bestCount && cost[left] < bestCost)) {
        bestCount = count[left];
        bestCost = cost[left];
        bestChoice = 1;
      }
      const dt = Math.abs(a[i0 + i - 1] - b[j0 + j - 1]);
      if (dt <= tol) {
        const diag = (i - 1) * w + j - 1;
        const c = count[diag] + 1;
        const s = cost[diag] + dt;
        if (c > bestCount || (c === bestCount && s < bestCost)) {
          bestCount = c;
          bestCost = s;
          bestChoice = 2;
        }
      }
      count[i * w + j] = bestCount;
      cost[i * w + j] = bestCost;
      choice[i * w + j] = bestChoice;
    }
  }
  const piece: [number, number][] = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const c = choice[i * w + j];
    if (c === 2) {
      piece.push([i0 + i - 1, j0 + j - 1]);
      i--;
      j--;
    } else if (c === 0) i--;
    else j--;
  }
  for (let k = piece.length - 1; k >= 0; k--) out.push(piece[k]);
}

/** Per-population figures of a comparison. */
export interface PopulationComparison {
  readonly population: string;
  readonly spikesA: number;
  readonly spikesB: number;
  readonly matched: number;
  /** Spikes of A with no partner in B. */
  readonly missing: number;
  /** Spikes of B with no partner in A. */
  readonly extra: number;
  /** Largest |t_B - t_A| of a matched pair (ms); 0 when none. */
  readonly maxAbsDtMs: number;
  /** Sum of |t_B - t_A| over matched pairs (ms). */
  readonly sumAbsDtMs: number;
}

export interface Comparison {
  readonly toleranceMs: number;
  readonly populations: readonly PopulationComparison[];
  readonly matched: number;
  readonly missing: number;
  readonly extra: number;
  readonly maxAbsDtMs: number;
  /** Mean |dt| over matched pairs (ms); NaN when none matched. */
  readonly meanAbsDtMs: number;
  /** True when every spike of each file has a partner in the other within the tolerance. */
  readonly agree: boolean;
}

const EMPTY = new Float64Array(0);

/** Compares two result files' spikes population by population, neuron by neuron. */
export function compareSpikes(a: SpikeTrains, b: SpikeTrains, toleranceMs: number): Comparison {
  const names = [...new Set([...a.trains.keys(), ...b.trains.keys()])];
  const populations = names.map((population): PopulationComparison => {
    const ta = a.trains.get(population) ?? new Map<number, Float64Array>();
    const tb = b.trains.get(population) ?? new Map<number, Float64Array>();
    const neurons = [...new Set([...ta.keys(), ...tb.keys()])].sort((x, y) => x - y);
    let spikesA = 0;
    let spikesB = 0;
    let matched = 0;
    let maxAbs = 0;
    let sumAbs = 0;
    for (const n of neurons) {
      const x = ta.get(n) ?? EMPTY;
      const y = tb.get(n) ?? EMPTY;
      spikesA += x.length;
      spikesB += y.length;
      let match: TrainMatch;
      try {
        match = matchTrains(x, y, toleranceMs);
      } catch (error) {
        if (error instanceof MatchTooLargeError) {
          throw new MatchTooLargeError(`population '${population}' neuron ${n}: ${error.message}`);
        }
        throw error;
      }
      matched += match.pairs.length;
      for (const [i, j] of match.pairs) {
        const d = Math.abs(y[j] - x[i]);
        sumAbs += d;
        if (d > maxAbs) maxAbs = d;
      }
    }
    return {
      population,
      spikesA,
      spikesB,
      matched,
      missing: spikesA - matched,
      extra: spikesB - matched,
      maxAbsDtMs: maxAbs,
      sumAbsDtMs: sumAbs,
    };
  });
  const matched = populations.reduce((s, p) => s + p.matched, 0);
  const missing = populations.reduce((s, p) => s + p.missing, 0);
  const extra = populations.reduce((s, p) => s + p.extra, 0);
  const sum = populations.reduce((s, p) => s + p.sumAbsDtMs, 0);
  return {
    toleranceMs,
    populations,
    matched,
    missing,
    extra,
    maxAbsDtMs: populations.reduce((s, p) => Math.max(s, p.maxAbsDtMs), 0),
    meanAbsDtMs: matched > 0 ? sum / matched : NaN,
    agree: missing === 0 && extra === 0,
  };
}

function ms(x: number): string {
  return Number.isNaN(x) ? 'n/a' : `${x.toPrecision(4)} ms`;
}

/** The comparison as aligned text: one line per population, then the totals and the verdict. */
export function comparisonText(c: Comparison, nameA: string, nameB: string): string {
  const lines = [`A = ${nameA}`, `B = ${nameB}`, `tolerance ${c.toleranceMs} ms`];
  const rows = [['population', 'spikes A', 'spikes B', 'matched', 'missing', 'extra', 'max |dt|', 'mean |dt|']];
  for (const p of c.populations) {
    rows.push([
      p.population,
      String(p.spikesA),
      String(p.spikesB),
      String(p.matched),
      String(p.missing),
      String(p.extra),
      p.matched > 0 ? ms(p.maxAbsDtMs) : '-',
      p.matched > 0 ? ms(p.sumAbsDtMs / p.matched) : '-',
    ]);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  for (const r of rows) lines.push(`  ${r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join('  ')}`);
  lines.push(
    `total: ${c.matched} matched, ${c.missing} missing (in A only), ${c.extra} extra (in B only); ` +
      `max |dt| ${c.matched > 0 ? ms(c.maxAbsDtMs) : 'n/a'}, mean |dt| ${ms(c.meanAbsDtMs)}`,
  );
  lines.push(c.agree ? 'agree: every spike matched within the tolerance' : 'differ: some spikes have no partner within the tolerance');
  return `${lines.join('\n')}\n`;
}

/** The comparison as a JSON document. */
export function comparisonJson(c: Comparison, nameA: string, nameB: string): string {
  return `${JSON.stringify(
    {
      a: nameA,
      b: nameB,
      tolerance_ms: c.toleranceMs,
      agree: c.agree,
      matched: c.matched,
      missing: c.missing,
      extra: c.extra,
      max_abs_dt_ms: c.matched > 0 ? c.maxAbsDtMs : null,
      mean_abs_dt_ms: c.matched > 0 ? c.meanAbsDtMs : null,
      populations: c.populations.map((p) => ({
        population: p.population,
        spikes_a: p.spikesA,
        spikes_b: p.spikesB,
        matched: p.matched,
        missing: p.missing,
        extra: p.extra,
        max_abs_dt_ms: p.matched > 0 ? p.maxAbsDtMs : null,
        mean_abs_dt_ms: p.matched > 0 ? p.sumAbsDtMs / p.matched : null,
      })),
    },
    null,
    2,
  )}\n`;
}
