import { normalDraw, type RandomStream } from '../rng.ts';
import { ConfigError, childPointer } from './configError.ts';
import type { Connections, ConnectorEnds } from './connectors.ts';
import type { NormalWeightConfig, UniformWeightConfig, WeightConfig } from './schema.ts';

/*
 * Weights of generated connections (nA). A weight may be one number, a [n_pre][n_post] matrix (the entry
 * of each generated connection is taken), a list with one value per connection in generation order, or a
 * distribution drawn once per connection in generation order from the `weights/<projection>` stream.
 * Weights written inside from_list entries take precedence over all of these.
 */

/** The form of a weight value after the schema has passed. */
export type WeightForm =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'matrix'; readonly rows: readonly (readonly number[])[] }
  | { readonly kind: 'list'; readonly values: readonly number[] }
  | { readonly kind: 'normal'; readonly spec: NormalWeightConfig }
  | { readonly kind: 'uniform'; readonly spec: UniformWeightConfig };

/**
 * Classifies a schema-valid weight value and checks what does not depend on the connections
 * (matrix shape, uniform bounds). `path` points at the weight.
 */
export function classifyWeight(weight: WeightConfig, path: string, ends: ConnectorEnds): WeightForm {
  if (typeof weight === 'number') return { kind: 'constant', value: weight };
  if (Array.isArray(weight)) {
    const items = weight as readonly (number | readonly number[])[];
    if (items.length === 0 || typeof items[0] === 'number') {
      const bad = items.findIndex((x) => typeof x !== 'number');
      if (bad >= 0) {
        throw new ConfigError(
          childPointer(path, bad),
          'mixes numbers and rows: use a flat list (one weight per connection) or a matrix [n_pre][n_post]',
        );
      }
      return { kind: 'list', values: items as readonly number[] };
    }
    const bad = items.findIndex((x) => typeof x === 'number');
    if (bad >= 0) {
      throw new ConfigError(
        childPointer(path, bad),
        'mixes rows and numbers: use a flat list (one weight per connection) or a matrix [n_pre][n_post]',
      );
    }
    const rows = items as readonly (readonly number[])[];
    if (rows.length !== ends.nPre) {
      throw new ConfigError(
        path,
        `weight matrix has ${rows.length} rows but source '${ends.sourceName}' has ${ends.nPre} neurons ` +
          `(expected [${ends.nPre}][${ends.nPost}])`,
      );
    }
    rows.forEach((row, i) => {
      if (row.length !== ends.nPost) {
        throw new ConfigError(
          childPointer(path, i),
          `weight matrix row has ${row.length} entries but target '${ends.targetName}' has ${ends.nPost} ` +
            `neurons (expected [${ends.nPre}][${ends.nPost}])`,
        );
      }
    });
    return { kind: 'matrix', rows };
  }
  const dist = weight as NormalWeightConfig | UniformWeightConfig;
  if (dist.distribution === 'normal') return { kind: 'normal', spec: dist };
  if (dist.high < dist.low) {
    throw new ConfigError(
      childPointer(path, 'high'),
      `uniform high (${dist.high}) must be >= low (${dist.low})`,
    );
  }
  return { kind: 'uniform', spec: dist };
}

/** Checks what depends on the generated connections (the length of a per-connection list). */
export function checkWeightAgainstConnections(form: WeightForm, path: string, connections: Pick<Connections, 'count'>): void {
  if (form.kind === 'list' && form.values.length !== connections.count) {
    throw new ConfigError(
      path,
      `weight list has ${form.values.length} values but the connector generated ${connections.count} ` +
        'connections (one weight per connection, in generation order)',
    );
  }
}

/** The weight (nA) of generated connection number `k` (generation order) from `pre` to `post`. */
export type WeightOf = (pre: number, post: number, k: number) => number;

/**
 * The weight of each connection, asked for once per connection in generation order (distributions draw
 * from the `weights/<projection>` stream, opened only for them, in that order). `form` may be undefined
 * only when every connection has a from_list weight (the caller applies those); it then gives 0.
 */
export function weightSource(form: WeightForm | undefined, openStream: () => RandomStream): WeightOf {
  if (form === undefined) return () => 0;
  switch (form.kind) {
    case 'constant': {
      const value = form.value;
      return () => value;
    }
    case 'matrix': {
      const rows = form.rows;
      return (pre, post) => rows[pre][post];
    }
    case 'list': {
      const values = form.values;
      return (_pre, _post, k) => values[k];
    }
    case 'normal': {
      const stream = openStream();
      const { mean, std } = form.spec;
      return () => mean + std * normalDraw(stream);
    }
    case 'uniform': {
      const stream = openStream();
      const { low, high } = form.spec;
      return () => low + (high - low) * stream.next();
    }
  }
}

/**
 * One weight per connection, in generation order. `form` may be undefined only when every connection has
 * a from_list weight. `openStream` (the `weights/<projection>` stream) is called only for distributions.
 */
export function resolveWeights(
  form: WeightForm | undefined,
  connections: Connections,
  openStream: () => RandomStream,
): Float64Array {
  const n = connections.count;
  const out = new Float64Array(n);
  const weightOf = weightSource(form, openStream);
  for (let k = 0; k < n; k++) out[k] = weightOf(connections.pre[k], connections.post[k], k);
  const explicit = connections.listWeights;
  if (explicit !== undefined) {
    for (let k = 0; k < n; k++) if (!Number.isNaN(explicit[k])) out[k] = explicit[k];
  }
  return out;
}
