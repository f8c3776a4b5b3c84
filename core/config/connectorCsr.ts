import type { CsrMatrix } from '../network/network.ts';
import type { RandomStream } from '../rng.ts';
import { BernoulliPairs, drawDistinct, type ConnectorEnds } from './connectors.ts';
import type { ConnectorConfig } from './schema.ts';
import type { WeightOf } from './weights.ts';

/*
 * Builds a projection's CSR matrix (rows = presynaptic neurons) straight from its connector, without the
 * intermediate (pre, post, weight) triples of `generateConnections` + `csrFromTriples`. The result is the
 * same matrix, entry for entry (test/connectorCsr.test.ts compares them): the same connections in the same
 * generation order (docs/config.md, "Connectors"), the same random draws, and within a row the generation
 * order. Peak memory per synapse is the engine's 12 bytes (Int32 target + Float64 weight), plus 4 bytes
 * of generation order for the post-major fixed_in_degree, against about 28 bytes for the triple path.
 */

/** Called once the number of connections is known, before any weight is asked for (the weight-list check). */
export type CountCheck = (count: number) => void;

function allowSelf(flag: boolean | undefined, ends: ConnectorEnds): boolean {
  return !ends.samePopulation || flag !== false;
}

/**
 * The CSR matrix of a checked connector. `openStream` opens the `connectivity/<projection>` stream (random
 * connectors only); `weightOf` is asked once per connection in generation order; `checkCount` sees the
 * connection count first. from_list weights given in an entry replace `weightOf`'s (which is still asked,
 * so that distribution draws stay in step with the generation order).
 */
export function connectorCsr(
  connector: ConnectorConfig,
  ends: ConnectorEnds,
  openStream: () => RandomStream,
  weightOf: WeightOf,
  checkCount: CountCheck,
): CsrMatrix {
  const rows = ends.nPre;
  switch (connector.type) {
    case 'all_to_all':
      return allToAll(ends, allowSelf(connector.allow_self_connections, ends), weightOf, checkCount);
    case 'one_to_one': {
      checkCount(rows);
      const rowStart = new Int32Array(rows + 1);
      const targets = new Int32Array(rows);
      const weights = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        rowStart[i + 1] = i + 1;
        targets[i] = i;
        weights[i] = weightOf(i, i, i);
      }
      return { rows, rowStart, targets, weights };
    }
    case 'fixed_probability':
      return fixedProbability(
        ends,
        allowSelf(connector.allow_self_connections, ends),
        connector.p_connect,
        openStream,
        weightOf,
        checkCount,
      );
    case 'fixed_in_degree':
      return fixedInDegree(ends, allowSelf(connector.allow_self_connections, ends), connector.n, openStream, weightOf, checkCount);
    case 'fixed_out_degree':
      return fixedOutDegree(ends, allowSelf(connector.allow_self_connections, ends), connector.n, openStream, weightOf, checkCount);
    case 'from_list': {
      const list = connector.connections;
      const n = list.length;
      checkCount(n);
      const { rowStart, fill } = rowsByCount(rows, n, (k) => list[k][0]);
      const targets = new Int32Array(n);
      const weights = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const entry = list[k];
        const slot = fill[entry[0]]++;
        targets[slot] = entry[1];
        const w = weightOf(entry[0], entry[1], k);
        weights[slot] = entry.length === 3 ? entry[2] : w;
      }
      return { rows, rowStart, targets, weights };
    }
  }
}

/**
 * Row starts of the CSR matrix of `count` connections whose k-th (in generation order) lies in row rowOf(k),
 * by a counting sort, and per row a fill cursor at its start (the slot of its next connection).
 */
function rowsByCount(rows: number, count: number, rowOf: (k: number) => number): { rowStart: Int32Array; fill: Int32Array } {
  const rowStart = new Int32Array(rows + 1);
  for (let k = 0; k < count; k++) rowStart[rowOf(k) + 1]++;
  for (let r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
  return { rowStart, fill: rowStart.slice(0, rows) };
}

/** Pre-major: row i holds posts 0..nPost-1 (without i when self-connections are excluded). */
function allToAll(ends: ConnectorEnds, self: boolean, weightOf: WeightOf, checkCount: CountCheck): CsrMatrix {
  const { nPre: rows, nPost } = ends;
  const rowStart = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) rowStart[i + 1] = rowStart[i] + nPost - (!self && i < nPost ? 1 : 0);
  const count = rowStart[rows];
  checkCount(count);
  const targets = new Int32Array(count);
  const weights = new Float64Array(count);
  let e = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < nPost; j++) {
      if (!self && i === j) continue;
      targets[e] = j;
      weights[e] = weightOf(i, j, e);
      e++;
    }
  }
  return { rows, rowStart, targets, weights };
}

/**
 * fixed_probability's pairs as `BernoulliPairs` generates them (connectors.ts), pre-major, which is CSR
 * order, so targets are written in place; the target array starts at the expected count plus six standard
 * deviations and grows by half when a rare draw needs more.
 */
function fixedProbability(
  ends: ConnectorEnds,
  self: boolean,
  p: number,
  openStream: () => RandomStream,
  weightOf: WeightOf,
  checkCount: CountCheck,
): CsrMatrix {
  const rows = ends.nPre;
  const pairs = new BernoulliPairs(ends, self, p, openStream);
  const total = pairs.candidates;
  const rowStart = new Int32Array(rows + 1);
  const expected = p * total;
  let targets = new Int32Array(Math.min(total, Math.ceil(expected + 6 * Math.sqrt(expected * (1 - p)) + 16)));
  let count = 0;
  let row = 0;
  while (pairs.next()) {
    while (row < pairs.pre) rowStart[++row] = count;
    if (count === targets.length) {
      const grown = new Int32Array(Math.min(total, Math.ceil(targets.length * 1.5) + 16));
      grown.set(targets);
      targets = grown;
    }
    targets[count++] = pairs.post;
  }
  while (row < rows) rowStart[++row] = count;
  checkCount(count);
  if (count < targets.length) targets = targets.slice(0, count);
  const weights = new Float64Array(count);
  for (let i = 0; i < rows; i++) {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) weights[e] = weightOf(i, targets[e], e);
  }
  return { rows, rowStart, targets, weights };
}

/**
 * For each post (ascending), n distinct sources drawn without replacement by a partial Fisher-Yates
 * shuffle (kept sparse in a Map: O(n) per post), sorted ascending (as `generateConnections`). Generation is
 * post-major, so the sources are kept in generation order (4 bytes each) and then placed into their rows.
 */
function fixedInDegree(
  ends: ConnectorEnds,
  self: boolean,
  n: number,
  openStream: () => RandomStream,
  weightOf: WeightOf,
  checkCount: CountCheck,
): CsrMatrix {
  const rows = ends.nPre;
  const count = n * ends.nPost;
  checkCount(count);
  const preOf = new Int32Array(count);
  if (n > 0) {
    const stream = openStream();
    const chosen = new Int32Array(n);
    for (let j = 0; j < ends.nPost; j++) {
      // the same draws as generateConnections (connectors.ts)
      drawDistinct(stream, ends.nPre, n, !self && j < ends.nPre ? j : -1, chosen);
      preOf.set(chosen, j * n);
    }
  }
  const { rowStart, fill } = rowsByCount(rows, count, (k) => preOf[k]);
  const targets = new Int32Array(count);
  const weights = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const pre = preOf[k];
    const post = (k / n) | 0;
    const slot = fill[pre]++;
    targets[slot] = post;
    weights[slot] = weightOf(pre, post, k);
  }
  return { rows, rowStart, targets, weights };
}

/**
 * For each pre (ascending), n distinct targets drawn as `generateConnections` draws them (drawDistinct,
 * ascending). Generation is pre-major, which is CSR order, so targets and weights are written in place.
 */
function fixedOutDegree(
  ends: ConnectorEnds,
  self: boolean,
  n: number,
  openStream: () => RandomStream,
  weightOf: WeightOf,
  checkCount: CountCheck,
): CsrMatrix {
  const rows = ends.nPre;
  const count = n * rows;
  checkCount(count);
  const rowStart = new Int32Array(rows + 1);
  const targets = new Int32Array(count);
  const weights = new Float64Array(count);
  const stream = n > 0 ? openStream() : null;
  const chosen = new Int32Array(n);
  for (let i = 0; i < rows; i++) {
    rowStart[i + 1] = rowStart[i] + n;
    if (stream === null) continue;
    drawDistinct(stream, ends.nPost, n, !self && i < ends.nPost ? i : -1, chosen);
    targets.set(chosen, i * n);
  }
  for (let e = 0; e < count; e++) weights[e] = weightOf((e / n) | 0, targets[e], e);
  return { rows, rowStart, targets, weights };
}
