import { ConfigError, childPointer, jsonPointer } from './configError.ts';

/*
 * PyNN names on input (docs/config.md, "PyNN names"): a config may use PyNN's class and parameter names,
 * which are rewritten here, before validation, into the one form the rest of the code sees. Each alias
 * maps onto an existing construct with the same meaning:
 *   populations: SpikeSourceArray -> spike_source_array, SpikeSourcePoisson -> spike_source_poisson
 *     (cell parameters may sit in `params`; PyNN's `duration` becomes stop = start + duration), `label` ->
 *     `name`, `initial_values: {"v": ...}` -> `initial_v`;
 *   connectors: AllToAllConnector, OneToOneConnector, FixedProbabilityConnector, FixedNumberPreConnector
 *     (-> fixed_in_degree), FixedNumberPostConnector (-> fixed_out_degree), FromListConnector (`conn_list`
 *     rows (pre, post[, weight[, delay]]) or per `column_names`); rows with several delays split the
 *     projection into one projection per delay, named `<name>@<delay>ms`;
 *   projections: `synapse_type: {"type": "StaticSynapse", "weight", "delay"}` -> weight, delay;
 *     `receptor_type` is checked against the weights' signs (PyNN: inhibitory current-based weights <= 0)
 *     and dropped.
 * Values are not validated here beyond what the rewriting needs: the schema checks the result.
 */

type Json = Record<string, unknown>;

const POPULATION_ALIASES: Readonly<Record<string, string>> = {
  SpikeSourceArray: 'spike_source_array',
  SpikeSourcePoisson: 'spike_source_poisson',
};

const CONNECTOR_ALIASES: Readonly<Record<string, string>> = {
  AllToAllConnector: 'all_to_all',
  OneToOneConnector: 'one_to_one',
  FixedProbabilityConnector: 'fixed_probability',
  FixedNumberPreConnector: 'fixed_in_degree',
  FixedNumberPostConnector: 'fixed_out_degree',
  FromListConnector: 'from_list',
};

/** PyNN names accepted for population and connector types, for messages and docs. */
export const PYNN_TYPE_ALIASES = { populations: POPULATION_ALIASES, connectors: CONNECTOR_ALIASES } as const;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Moves `from` to `to` in `obj` (in place), refusing when both are given. */
function rename(obj: Json, from: string, to: string, path: string): void {
  if (!(from in obj)) return;
  if (to in obj) throw new ConfigError(childPointer(path, from), `give '${to}' or its PyNN alias '${from}', not both`);
  obj[to] = obj[from];
  delete obj[from];
}

function normalisePopulation(raw: unknown, path: string): unknown {
  if (!isObject(raw)) return raw;
  const pop: Json = { ...raw };
  rename(pop, 'label', 'name', path);
  const alias = typeof pop.type === 'string' ? POPULATION_ALIASES[pop.type] : undefined;
  if (alias !== undefined) {
    pop.type = alias;
    // PyNN gives a source's cell parameters to its cell type: accept them under `params` too
    if (isObject(pop.params)) {
      for (const [key, value] of Object.entries(pop.params)) {
        if (key in pop) throw new ConfigError(childPointer(path, 'params', key), `'${key}' is given twice (in params and beside it)`);
        pop[key] = value;
      }
      delete pop.params;
    }
    if (alias === 'spike_source_poisson' && 'duration' in pop) {
      if ('stop' in pop) throw new ConfigError(childPointer(path, 'duration'), "give 'stop' or PyNN's 'duration', not both");
      const start = pop.start ?? 0;
      const duration = pop.duration;
      if (typeof start === 'number' && typeof duration === 'number') {
        if (duration < 0) throw new ConfigError(childPointer(path, 'duration'), 'must be >= 0 (ms)');
        pop.stop = start + duration;
        delete pop.duration;
      }
    }
  }
  if (pop.type === 'IF_curr_exp' && 'initial_values' in pop) {
    const iv = pop.initial_values;
    const ivPath = childPointer(path, 'initial_values');
    if (!isObject(iv)) throw new ConfigError(ivPath, 'must be an object {"v": ...}');
    const other = Object.keys(iv).find((k) => k !== 'v');
    if (other !== undefined) {
      throw new ConfigError(childPointer(ivPath, other), `unsupported state variable '${other}' (only v can be initialised)`);
    }
    if ('v' in iv) {
      if ('initial_v' in pop) throw new ConfigError(ivPath, "give 'initial_v' or initial_values.v, not both");
      pop.initial_v = iv.v;
    }
    delete pop.initial_values;
  }
  return pop;
}

/** Column names of FromListConnector rows after (pre, post). */
function listColumns(connector: Json, rows: readonly unknown[], path: string): string[] {
  if ('column_names' in connector) {
    const names = connector.column_names;
    const ok =
      Array.isArray(names) &&
      names.every((n) => n === 'weight' || n === 'delay') &&
      new Set(names).size === names.length;
    if (!ok) {
      throw new ConfigError(childPointer(path, 'column_names'), 'must list "weight" and/or "delay" (each at most once)');
    }
    return names as string[];
  }
  const width = rows.reduce<number>((w, r) => Math.max(w, Array.isArray(r) ? r.length : 0), 0);
  return width >= 4 ? ['weight', 'delay'] : width === 3 ? ['weight'] : [];
}

interface ListRows {
  /** Rows [pre, post] or [pre, post, weight] per distinct delay (undefined: no per-row delay). */
  readonly byDelay: Map<number | undefined, unknown[]>;
}

function splitListRows(connector: Json, path: string): ListRows {
  const rowsKey = 'conn_list' in connector ? 'conn_list' : 'connections';
  const rows = connector[rowsKey];
  const byDelay = new Map<number | undefined, unknown[]>();
  if (!Array.isArray(rows)) {
    byDelay.set(undefined, rows as unknown[]);
    return { byDelay };
  }
  const columns = listColumns(connector, rows, path);
  const wi = columns.indexOf('weight');
  const di = columns.indexOf('delay');
  rows.forEach((row, k) => {
    const rowPath = childPointer(path, rowsKey, k);
    if (!Array.isArray(row) || row.length !== 2 + columns.length) {
      throw new ConfigError(
        rowPath,
        `a connection must be [pre, post${columns.map((c) => `, ${c}`).join('')}] (column_names: ${JSON.stringify(columns)})`,
      );
    }
    const delay = di >= 0 ? row[2 + di] : undefined;
    if (delay !== undefined && (typeof delay !== 'number' || !(delay >= 0))) {
      throw new ConfigError(childPointer(rowPath, 2 + di), 'a delay must be a number >= 0 (ms)');
    }
    const entry = wi >= 0 ? [row[0], row[1], row[2 + wi]] : [row[0], row[1]];
    const key = delay as number | undefined;
    const list = byDelay.get(key);
    if (list === undefined) byDelay.set(key, [entry]);
    else list.push(entry);
  });
  if (byDelay.size === 0) byDelay.set(undefined, []);
  return { byDelay };
}

/** Weights a projection states explicitly (numbers, flat or nested lists, uniform bounds, list rows). */
function statedWeights(proj: Json): number[] {
  const out: number[] = [];
  const collect = (w: unknown): void => {
    if (typeof w === 'number') out.push(w);
    else if (Array.isArray(w)) w.forEach(collect);
    else if (isObject(w) && w.distribution === 'uniform') collect([w.low, w.high]);
  };
  collect(proj.weight);
  const c = proj.connector;
  if (isObject(c) && Array.isArray(c.connections)) for (const row of c.connections) if (Array.isArray(row)) collect(row[2]);
  return out;
}

/** Rewrites one projection; returns one or several (a FromListConnector with several delays). */
function normaliseProjection(raw: unknown, path: string, defaultName: string): { projections: unknown[]; split: boolean } {
  if (!isObject(raw)) return { projections: [raw], split: false };
  const proj: Json = { ...raw };
  if ('synapse_type' in proj) {
    const st = proj.synapse_type;
    const stPath = childPointer(path, 'synapse_type');
    if (!isObject(st) || st.type !== 'StaticSynapse') {
      throw new ConfigError(stPath, 'only {"type": "StaticSynapse", "weight": ..., "delay": ...} is supported');
    }
    for (const key of Object.keys(st)) {
      if (key === 'type') continue;
      if (key !== 'weight' && key !== 'delay') throw new ConfigError(childPointer(stPath, key), `unknown StaticSynapse parameter '${key}' (known: weight, delay)`);
      if (key in proj) throw new ConfigError(childPointer(stPath, key), `'${key}' is given twice (in synapse_type and beside it)`);
      proj[key] = st[key];
    }
    delete proj.synapse_type;
  }
  let pieces: Json[] = [proj];
  let split = false;
  const c = proj.connector;
  const cPath = childPointer(path, 'connector');
  if (isObject(c) && typeof c.type === 'string' && c.type in CONNECTOR_ALIASES) {
    const connector: Json = { ...c, type: CONNECTOR_ALIASES[c.type] };
    if ('with_replacement' in connector) {
      if (connector.with_replacement === true) {
        throw new ConfigError(childPointer(cPath, 'with_replacement'), 'drawing with replacement is not supported (only false)');
      }
      delete connector.with_replacement;
    }
    proj.connector = connector;
    if (connector.type === 'from_list') {
      const { byDelay } = splitListRows(connector, cPath);
      const make = (rows: unknown[]): Json => {
        const out: Json = { ...connector, connections: rows };
        delete out.conn_list;
        delete out.column_names;
        return out;
      };
      const delays = [...byDelay.keys()];
      if (delays.length === 1) {
        const d = delays[0];
        proj.connector = make(byDelay.get(d) ?? []);
        if (d !== undefined) {
          if ('delay' in proj && proj.delay !== d) {
            throw new ConfigError(childPointer(path, 'delay'), `differs from the delay in the connection rows (${d} ms)`);
          }
          proj.delay = d;
        }
      } else {
        if ('delay' in proj) throw new ConfigError(childPointer(path, 'delay'), 'the connection rows give their own delays');
        const base = typeof proj.name === 'string' ? proj.name : defaultName;
        pieces = delays.map((d) => ({ ...proj, name: `${base}@${String(d)}ms`, connector: make(byDelay.get(d) ?? []), delay: d }));
        split = true;
      }
    }
  }
  if ('receptor_type' in proj) {
    const receptor = proj.receptor_type;
    const rPath = childPointer(path, 'receptor_type');
    if (receptor !== 'excitatory' && receptor !== 'inhibitory') throw new ConfigError(rPath, 'must be "excitatory" or "inhibitory"');
    for (const piece of pieces) {
      const wrong = statedWeights(piece).find((w) => (receptor === 'inhibitory' ? w > 0 : w < 0));
      if (wrong !== undefined) {
        throw new ConfigError(
          rPath,
          `weight ${wrong} does not fit receptor_type '${receptor}' (current-based synapses: excitatory weights >= 0, inhibitory <= 0)`,
        );
      }
      delete piece.receptor_type;
    }
  }
  return { projections: pieces, split };
}

/**
 * The config with PyNN names rewritten into firstspike's form (a new object; the input is not changed).
 * Idempotent: a config already in firstspike's form comes back equal.
 */
export function normalisePynnNames(config: unknown): unknown {
  if (!isObject(config)) return config;
  const out: Json = { ...config };
  if (Array.isArray(config.populations)) {
    out.populations = config.populations.map((pop, k) => normalisePopulation(pop, jsonPointer('populations', k)));
  }
  if (Array.isArray(config.projections)) {
    const results = config.projections.map((proj, p) => {
      const src = isObject(proj) ? String(proj.source) : '';
      const tgt = isObject(proj) ? String(proj.target) : '';
      return normaliseProjection(proj, jsonPointer('projections', p), `${src}->${tgt}#${p}`);
    });
    // a split shifts the positions of later projections: unnamed ones keep their original default name
    // (and so their random streams)
    const anySplit = results.some((r) => r.split);
    out.projections = results.flatMap((r, p) => {
      if (!anySplit) return r.projections;
      return r.projections.map((proj) => {
        if (!isObject(proj) || 'name' in proj) return proj;
        return { ...proj, name: `${String(proj.source)}->${String(proj.target)}#${p}` };
      });
    });
  }
  return out;
}
