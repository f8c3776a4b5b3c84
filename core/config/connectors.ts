import { integerDraw, type RandomStream } from '../rng.ts';
import { ConfigError, childPointer } from './configError.ts';
import type { ConnectorConfig } from './schema.ts';

/*
 * Connection generation for the config connectors (PyNN names). Each connector yields (pre, post) pairs
 * in a documented generation order, which is also the order of per-connection weight lists and of
 * weight draws (docs/config.md, "Connectors"):
 *   all_to_all, fixed_probability: pre-major (pre 0: post 0..n-1, pre 1: ...);
 *   fixed_in_degree: post-major (for each post, its n sources in ascending order);
 *   fixed_out_degree: pre-major (for each pre, its n targets in ascending order);
 *   one_to_one: by index; from_list: list order.
 */

/** What the connector needs to know about the two populations. */
export interface ConnectorEnds {
  readonly sourceName: string;
  readonly targetName: string;
  readonly nPre: number;
  readonly nPost: number;
  /** Source and target are the same population (self-connections are i -> i then). */
  readonly samePopulation: boolean;
}

/** Generated connections in generation order. */
export interface Connections {
  readonly count: number;
  readonly pre: Int32Array;
  readonly post: Int32Array;
  /**
   * Weights given inside a from_list entry (nA), NaN where the entry has none; undefined for other
   * connectors.
   */
  readonly listWeights?: Float64Array;
}

/** Checks the cross-field rules of a connector (sizes, indices); `path` points at the connector. */
export function checkConnector(connector: ConnectorConfig, path: string, ends: ConnectorEnds): void {
  switch (connector.type) {
    case 'all_to_all':
    case 'fixed_probability':
      return;
    case 'one_to_one':
      if (ends.nPre !== ends.nPost) {
        throw new ConfigError(
          path,
          `one_to_one needs populations of equal size, but source '${ends.sourceName}' has ${ends.nPre} ` +
            `neurons and target '${ends.targetName}' has ${ends.nPost}`,
        );
      }
      return;
    case 'fixed_in_degree': {
      const available = availableSources(connector.allow_self_connections, ends);
      if (connector.n > available) {
        const why =
          available < ends.nPre ? ' (self-connections are not allowed)' : '';
        throw new ConfigError(
          childPointer(path, 'n'),
          `fixed_in_degree n = ${connector.n} exceeds the ${available} available sources per target in ` +
            `'${ends.sourceName}'${why}`,
        );
      }
      return;
    }
    case 'fixed_out_degree': {
      const available = availableSources(connector.allow_self_connections, { ...ends, nPre: ends.nPost });
      if (connector.n > available) {
        const why = available < ends.nPost ? ' (self-connections are not allowed)' : '';
        throw new ConfigError(
          childPointer(path, 'n'),
          `fixed_out_degree n = ${connector.n} exceeds the ${available} available targets per source in ` +
            `'${ends.targetName}'${why}`,
        );
      }
      return;
    }
    case 'from_list':
      connector.connections.forEach((entry, k) => {
        if (entry[0] >= ends.nPre) {
          throw new ConfigError(
            childPointer(path, 'connections', k, 0),
            `presynaptic index ${entry[0]} out of range (source '${ends.sourceName}' has ${ends.nPre} neurons)`,
          );
        }
        if (entry[1] >= ends.nPost) {
          throw new ConfigError(
            childPointer(path, 'connections', k, 1),
            `postsynaptic index ${entry[1]} out of range (target '${ends.targetName}' has ${ends.nPost} neurons)`,
          );
        }
      });
      return;
  }
}

function allowSelf(flag: boolean | undefined, ends: ConnectorEnds): boolean {
  return !ends.samePopulation || flag !== false;
}

function availableSources(flag: boolean | undefined, ends: ConnectorEnds): number {
  return allowSelf(flag, ends) ? ends.nPre : ends.nPre - 1;
}

/** A growable pair buffer (avoids number[] boxing for large projections). */
class PairBuffer {
  pre: Int32Array = new Int32Array(64);
  post: Int32Array = new Int32Array(64);
  count = 0;

  push(i: number, j: number): void {
    if (this.count === this.pre.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.pre = grow(this.pre);
      this.post = grow(this.post);
    }
    this.pre[this.count] = i;
    this.post[this.count] = j;
    this.count++;
  }

  finish(): Connections {
    return { count: this.count, pre: this.pre.slice(0, this.count), post: this.post.slice(0, this.count) };
  }
}

/**
 * Generates the connections of a checked connector. `openStream` is called at most once, and only by the
 * random connectors (the `connectivity/<projection>` stream).
 */
export function generateConnections(
  connector: ConnectorConfig,
  ends: ConnectorEnds,
  openStream: () => RandomStream,
): Connections {
  switch (connector.type) {
    case 'all_to_all':
      return allToAll(ends, allowSelf(connector.allow_self_connections, ends));
    case 'one_to_one': {
      const pre = new Int32Array(ends.nPre);
      for (let i = 0; i < ends.nPre; i++) pre[i] = i;
      return { count: ends.nPre, pre, post: pre.slice() };
    }
    case 'fixed_probability':
      return fixedProbability(
        ends,
        allowSelf(connector.allow_self_connections, ends),
        connector.p_connect,
        openStream,
      );
    case 'fixed_in_degree':
      return fixedDegree(ends, allowSelf(connector.allow_self_connections, ends), connector.n, openStream, true);
    case 'fixed_out_degree':
      return fixedDegree(ends, allowSelf(connector.allow_self_connections, ends), connector.n, openStream, false);
    case 'from_list': {
      const n = connector.connections.length;
      const pre = new Int32Array(n);
      const post = new Int32Array(n);
      const listWeights = new Float64Array(n).fill(Number.NaN);
      connector.connections.forEach((entry, k) => {
        pre[k] = entry[0];
        post[k] = entry[1];
        if (entry.length === 3) listWeights[k] = entry[2];
      });
      return { count: n, pre, post, listWeights };
    }
  }
}

function allToAll(ends: ConnectorEnds, self: boolean): Connections {
  const out = new PairBuffer();
  for (let i = 0; i < ends.nPre; i++) {
    for (let j = 0; j < ends.nPost; j++) {
      if (!self && i === j) continue;
      out.push(i, j);
    }
  }
  return out.finish();
}

function fixedProbability(
  ends: ConnectorEnds,
  self: boolean,
  p: number,
  openStream: () => RandomStream,
): Connections {
  const out = new PairBuffer();
  const pairs = new BernoulliPairs(ends, self, p, openStream);
  while (pairs.next()) out.push(pairs.pre, pairs.post);
  return out.finish();
}

/**
 * fixed_probability's connections in generation order (pre-major): Bernoulli(p) over the candidate pairs.
 * Instead of one uniform per pair we draw the gap to the next chosen pair, which is geometric:
 * gap = floor(ln(1-u) / ln(1-p)) (inverse CDF), so the cost is one draw per connection. The result has the
 * same distribution as independent coin flips. The stream is opened only when 0 < p < 1.
 *
 *   const pairs = new BernoulliPairs(ends, self, p, openStream);
 *   while (pairs.next()) use(pairs.pre, pairs.post);
 */
export class BernoulliPairs {
  /** The current pair (after next() returned true). */
  pre = 0;
  post = 0;
  /** Candidate pairs per pre and in all; the current candidate's position in pre-major order. */
  private readonly perRow: number;
  readonly candidates: number;
  private position = -1;
  private readonly stream: RandomStream | null;
  private readonly logQ: number;

  constructor(
    ends: ConnectorEnds,
    private readonly self: boolean,
    p: number,
    openStream: () => RandomStream,
  ) {
    this.perRow = self ? ends.nPost : ends.nPost - 1;
    this.candidates = Math.max(0, ends.nPre * this.perRow);
    // p = 0: no pair; p = 1: every pair, no draws
    if (!(p > 0)) this.position = this.candidates;
    this.stream = p > 0 && p < 1 && this.candidates > 0 ? openStream() : null;
    this.logQ = Math.log1p(-p);
  }

  /** Moves to the next chosen pair; false when there is none. */
  next(): boolean {
    if (!(this.position < this.candidates)) return false;
    this.position += this.stream === null ? 1 : 1 + Math.floor(Math.log1p(-this.stream.next()) / this.logQ);
    if (!(this.position < this.candidates)) return false;
    const i = Math.floor(this.position / this.perRow);
    const k = this.position - i * this.perRow;
    this.pre = i;
    // Without self-connections row i skips column i: candidate k maps to post k (k < i) or k + 1.
    this.post = !this.self && k >= i ? k + 1 : k;
    return true;
  }
}

/**
 * fixed_in_degree (`perPost`): for each post (ascending), n distinct sources; fixed_out_degree (PyNN's
 * FixedNumberPostConnector): for each pre (ascending), n distinct targets. Each set is drawn without
 * replacement by drawDistinct and sorted ascending; a neuron is never its own partner without
 * self-connections.
 */
function fixedDegree(
  ends: ConnectorEnds,
  self: boolean,
  n: number,
  openStream: () => RandomStream,
  perPost: boolean,
): Connections {
  const out = new PairBuffer();
  if (n === 0) return out.finish();
  const stream = openStream();
  const chosen = new Int32Array(n);
  const owners = perPost ? ends.nPost : ends.nPre;
  const pool = perPost ? ends.nPre : ends.nPost;
  for (let r = 0; r < owners; r++) {
    drawDistinct(stream, pool, n, !self && r < pool ? r : -1, chosen);
    for (let k = 0; k < n; k++) {
      if (perPost) out.push(chosen[k], r);
      else out.push(r, chosen[k]);
    }
  }
  return out.finish();
}

/**
 * `chosen` <- n distinct values of 0..size-1 other than `exclude` (-1: none), ascending, by a partial
 * Fisher-Yates shuffle kept sparse in a Map (O(n), not O(size)).
 */
export function drawDistinct(stream: RandomStream, size: number, n: number, exclude: number, chosen: Int32Array): void {
  const m = exclude >= 0 ? size - 1 : size;
  const swapped = new Map<number, number>();
  const at = (x: number): number => swapped.get(x) ?? x;
  for (let k = 0; k < n; k++) {
    const r = k + integerDraw(stream, m - k);
    const pick = at(r);
    swapped.set(r, at(k));
    // Candidate c stands for value c, or c + 1 at and after the excluded index.
    chosen[k] = exclude >= 0 && pick >= exclude ? pick + 1 : pick;
  }
  chosen.sort();
}
