/**
 * A simulation spec written back as a JSON config (docs/config.md) that rebuilds exactly the same network:
 * spike sources as `spike_source_array`, LIF populations as `IF_curr_exp` (per-neuron differences as
 * overrides), projections as `from_list` with explicit weights in CSR order. Doubles are written by
 * JSON.stringify, whose shortest round-trip form parses back to the same double.
 */
import type { FirstspikeConfig, IfCurrExpParamsConfig, PopulationConfig, ProjectionConfig } from '../config/schema.ts';
import { LIF_PARAM_FIELDS, lifParamsAt, type LifParams } from '../lif/params.ts';
import type { SimulationSpec } from '../simulation.ts';
import { PYNN_PARAM_NAMES } from '../config/pynnParamNames.ts';


function pynnParams(params: LifParams, only?: readonly (keyof LifParams)[]): IfCurrExpParamsConfig {
  const out: Record<string, number> = {};
  for (const field of only ?? LIF_PARAM_FIELDS) out[PYNN_PARAM_NAMES[field]] = params[field];
  return out as IfCurrExpParamsConfig;
}

/**
 * The config of `spec` (all LIF spikes recorded, ideal substrate unless the spec names another). Spike
 * times at or after the duration are kept (the engine ignores them).
 */
export function specToConfig(spec: SimulationSpec): FirstspikeConfig {
  const pops = spec.network.populations;
  const populations: PopulationConfig[] = pops.map((p) => {
    if (p.kind === 'source') {
      return {
        name: p.name,
        type: 'spike_source_array',
        size: p.size,
        spike_times: p.spikeTimesMs.map((times) => Array.from(times)),
      };
    }
    const first = lifParamsAt(p.params, 0);
    const overrides: { indices: number[]; params: IfCurrExpParamsConfig }[] = [];
    for (let i = 1; i < p.size; i++) {
      const own = lifParamsAt(p.params, i);
      const differing = LIF_PARAM_FIELDS.filter((f) => !Object.is(own[f], first[f]));
      if (differing.length > 0) overrides.push({ indices: [i], params: pynnParams(own, differing) });
    }
    let atRest = true;
    for (let i = 0; i < p.size; i++) if (p.initialVMv[i] !== p.params.vRestMv[i]) atRest = false;
    return {
      name: p.name,
      type: 'IF_curr_exp',
      size: p.size,
      params: pynnParams(first),
      ...(overrides.length > 0 ? { overrides } : {}),
      ...(atRest ? {} : { initial_v: Array.from(p.initialVMv) }),
    };
  });
  const projections: ProjectionConfig[] = spec.network.projections.map((proj) => {
    const syn = proj.synapses;
    const connections: [number, number, number][] = [];
    for (let pre = 0; pre < syn.rows; pre++) {
      for (let e = syn.rowStart[pre]; e < syn.rowStart[pre + 1]; e++) connections.push([pre, syn.targets[e], syn.weights[e]]);
    }
    return {
      name: proj.name,
      source: pops[proj.source].name,
      target: pops[proj.target].name,
      connector: { type: 'from_list', connections },
      ...(connections.length === 0 ? { weight: 0 } : {}),
      delay: proj.delayMs,
    };
  });
  const substrate = Object.keys(spec.substrate.options).length === 0
    ? spec.substrate.name
    : { name: spec.substrate.name, ...spec.substrate.options };
  return { seed: spec.seed, duration: spec.durationMs, substrate, populations, projections } as FirstspikeConfig;
}

/**
 * Pretty JSON that stays short for configs: objects are indented, an array of numbers (or strings) is
 * written on one line, and an array of such arrays is packed several inner arrays to a line (lines up to
 * about 100 characters).
 */
export function formatConfigJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  const flat = (v: unknown): boolean => Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
  if (Array.isArray(value)) {
    if (flat(value)) return JSON.stringify(value);
    if (value.length === 0) return '[]';
    if (value.every(flat)) {
      const lines: string[] = [];
      let line = '';
      for (const x of value) {
        const text = JSON.stringify(x);
        if (line !== '' && inner.length + line.length + text.length + 2 > 100) {
          lines.push(line);
          line = '';
        }
        line = line === '' ? text : `${line}, ${text}`;
      }
      lines.push(line);
      return `[\n${lines.map((l) => `${inner}${l}`).join(',\n')}\n${indent}]`;
    }
    const items = value.map((x) => `${inner}${formatConfigJson(x, inner)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const allScalar = entries.every(([, v]) => v === null || typeof v !== 'object');
    if (allScalar && entries.length <= 12) return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
    const items = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatConfigJson(v, inner)}`);
    return `{\n${items.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
