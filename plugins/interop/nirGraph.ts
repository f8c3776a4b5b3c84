import type { FirstspikeConfig, PopulationConfig, ProjectionConfig } from '../../core/config/index.ts';
import type { LifPopulation, Network } from '../../core/network/network.ts';

/*
 * NIR (the neuromorphic intermediate representation, github.com/neuromorphs/NIR) graphs of feed-forward
 * firstspike networks, in memory; nirFile.ts reads and writes them in NIR's HDF5 layout. NIR is unit-free;
 * we write ms, mV, nA, MOhm. The mapping (docs/interop.md, "NIR"):
 *   spike source population -> Input node (shape [size]);
 *   IF_curr_exp population  -> CubaLIF node: tau_mem = tau_m, tau_syn = tau_syn_E (= tau_syn_I required),
 *     r = tau_m / cm (from C dv/dt = g_l (v_rest - v) + I, i.e. tau_m dv/dt = (v_rest - v) + (tau_m / cm) I),
 *     v_leak = v_rest, v_threshold = v_thresh, v_reset = v_reset, w_in = 1;
 *   projection (delay 0)    -> Linear node, weight[post][pre] = w * tau_syn[post]: NIR's synapse is
 *     tau_syn dI/dt = -I + w_in S with unit-area spikes S, so a weight W raises I by W / tau_syn, while a
 *     firstspike weight w raises it by w;
 *   every IF_curr_exp population that projects nowhere -> an Output node after it.
 * NIR has no refractory period, initial potential or offset current: tau_refrac and initial_v travel in
 * the CubaLIF node's metadata (read back by import; other tools ignore them), i_offset must be 0.
 */

/** A numeric array with its shape (row-major). */
export interface NirArray {
  readonly data: Float64Array | Int32Array;
  readonly shape: readonly number[];
}

export interface NirNode {
  readonly type: 'Input' | 'Output' | 'CubaLIF' | 'Linear' | 'Affine';
  readonly params: Readonly<Record<string, NirArray>>;
  readonly metadata?: Readonly<Record<string, NirArray>>;
}

export interface NirGraph {
  readonly nodes: ReadonlyMap<string, NirNode>;
  readonly edges: readonly (readonly [string, string])[];
}

/** A network that NIR cannot hold; the message says why. */
export class NirMappingError extends Error {}

const vector = (values: ArrayLike<number>): NirArray => ({ data: Float64Array.from(values), shape: [values.length] });

function lifNode(pop: LifPopulation): NirNode {
  const p = pop.params;
  for (let i = 0; i < pop.size; i++) {
    if (p.tauSynExcMs[i] !== p.tauSynInhMs[i]) {
      throw new NirMappingError(
        `population '${pop.name}' neuron ${i}: tau_syn_E (${p.tauSynExcMs[i]} ms) != tau_syn_I (${p.tauSynInhMs[i]} ms); a NIR CubaLIF has one synaptic time constant`,
      );
    }
    if (p.iOffsetNa[i] !== 0) {
      throw new NirMappingError(`population '${pop.name}' neuron ${i}: i_offset ${p.iOffsetNa[i]} nA; a NIR CubaLIF has no offset current`);
    }
  }
  return {
    type: 'CubaLIF',
    params: {
      tau_mem: vector(p.tauMemMs),
      tau_syn: vector(p.tauSynExcMs),
      r: vector(Array.from(p.tauMemMs, (tau, i) => tau / p.capacitanceNf[i])),
      v_leak: vector(p.vRestMv),
      v_threshold: vector(p.vThreshMv),
      v_reset: vector(p.vResetMv),
      w_in: vector(new Float64Array(pop.size).fill(1)),
    },
    metadata: { tau_refrac: vector(p.tauRefracMs), initial_v: vector(pop.initialVMv) },
  };
}

/** The NIR graph of a built feed-forward network with zero delays (throws NirMappingError otherwise). */
export function networkToNir(network: Network): NirGraph {
  const pops = network.populations;
  const nodes = new Map<string, NirNode>();
  const edges: [string, string][] = [];
  const checkName = (name: string): void => {
    // HDF5 group names cannot hold '/' (the path separator) or be '.'
    if (name.includes('/') || name === '.') throw new NirMappingError(`name '${name}' cannot be a NIR node name (no '/')`);
  };
  pops.forEach((pop) => {
    checkName(pop.name);
    nodes.set(pop.name, pop.kind === 'source' ? { type: 'Input', params: { shape: { data: Int32Array.of(pop.size), shape: [1] } } } : lifNode(pop));
  });
  // feed-forward: the projection graph must have no cycle (Kahn's algorithm)
  const indegree = new Array<number>(pops.length).fill(0);
  for (const proj of network.projections) indegree[proj.target]++;
  const ready = pops.map((_, i) => i).filter((i) => indegree[i] === 0);
  let seen = 0;
  while (ready.length > 0) {
    const i = ready.pop() as number;
    seen++;
    for (const proj of network.projections) if (proj.source === i && --indegree[proj.target] === 0) ready.push(proj.target);
  }
  if (seen < pops.length) throw new NirMappingError('the projections form a cycle; NIR export supports feed-forward networks only');
  const projecting = new Set<number>();
  for (const proj of network.projections) {
    if (proj.delayMs !== 0) {
      throw new NirMappingError(`projection '${proj.name}' has a delay of ${proj.delayMs} ms; NIR export supports zero delays only`);
    }
    const pre = pops[proj.source];
    const post = pops[proj.target] as LifPopulation;
    const weight = new Float64Array(post.size * pre.size);
    const syn = proj.synapses;
    for (let j = 0; j < syn.rows; j++) {
      for (let e = syn.rowStart[j]; e < syn.rowStart[j + 1]; e++) {
        const n = syn.targets[e];
        // w * tau_syn: see the module comment; repeated pairs add up, as they do in the engine
        weight[n * pre.size + j] += syn.weights[e] * post.params.tauSynExcMs[n];
      }
    }
    const name = proj.name;
    checkName(name);
    if (nodes.has(name)) throw new NirMappingError(`projection name '${name}' is also a population name`);
    nodes.set(name, { type: 'Linear', params: { weight: { data: weight, shape: [post.size, pre.size] } } });
    edges.push([pre.name, name], [name, post.name]);
    projecting.add(proj.source);
  }
  pops.forEach((pop, i) => {
    if (pop.kind !== 'lif' || projecting.has(i)) return;
    const name = `${pop.name}.output`;
    nodes.set(name, { type: 'Output', params: { shape: { data: Int32Array.of(pop.size), shape: [1] } } });
    edges.push([pop.name, name]);
  });
  return { nodes, edges };
}

/**
 * Input nodes first, then CubaLIF nodes in topological order of the Linear/Affine connections (ties in
 * file order), then the other nodes: HDF5 lists groups alphabetically, and a config's population order
 * should follow the layers.
 */
function populationOrder(graph: NirGraph): [string, NirNode][] {
  const all = [...graph.nodes];
  const inputs = all.filter(([, n]) => n.type === 'Input');
  const lif = all.filter(([, n]) => n.type === 'CubaLIF');
  const rest = all.filter(([, n]) => n.type !== 'Input' && n.type !== 'CubaLIF');
  // pre -> post through one weight node
  const feeds = new Map<string, string[]>();
  for (const [w, node] of all) {
    if (node.type !== 'Linear' && node.type !== 'Affine') continue;
    for (const [a] of graph.edges.filter((e) => e[1] === w)) {
      for (const [, b] of graph.edges.filter((e) => e[0] === w)) feeds.set(a, [...(feeds.get(a) ?? []), b]);
    }
  }
  const indegree = new Map<string, number>(lif.map(([name]) => [name, 0]));
  for (const targets of feeds.values()) for (const b of targets) if (indegree.has(b)) indegree.set(b, (indegree.get(b) as number) + 1);
  for (const [name] of inputs) for (const b of feeds.get(name) ?? []) if (indegree.has(b)) indegree.set(b, (indegree.get(b) as number) - 1);
  const ordered: [string, NirNode][] = [];
  const placed = new Set<string>();
  while (ordered.length < lif.length) {
    const next = lif.find(([name]) => !placed.has(name) && indegree.get(name) === 0);
    if (next === undefined) throw new NirMappingError('the CubaLIF nodes form a cycle; NIR import supports feed-forward graphs only');
    ordered.push(next);
    placed.add(next[0]);
    for (const b of feeds.get(next[0]) ?? []) if (indegree.has(b)) indegree.set(b, (indegree.get(b) as number) - 1);
  }
  return [...inputs, ...ordered, ...rest];
}

export interface NirImportOptions {
  /** Simulated time (ms). */
  readonly durationMs: number;
  /** Spike times per Input node (one list per neuron); Inputs not listed get no spikes. */
  readonly inputTimes: Readonly<Record<string, readonly (readonly number[])[]>>;
}

function param(node: NirNode, name: string, nodeName: string, size?: number): Float64Array {
  const a = node.params[name] ?? node.metadata?.[name];
  if (a === undefined) throw new NirMappingError(`node '${nodeName}' (${node.type}) has no '${name}'`);
  if (size !== undefined && a.data.length !== size) {
    throw new NirMappingError(`node '${nodeName}': '${name}' has ${a.data.length} values, expected ${size}`);
  }
  return Float64Array.from(a.data);
}

function sizeOf(node: NirNode, name: string): number {
  if (node.type === 'Input' || node.type === 'Output') {
    const shape = node.params.shape;
    if (shape === undefined) throw new NirMappingError(`node '${name}' (${node.type}) has no shape`);
    return Array.from(shape.data).reduce((a, b) => a * b, 1);
  }
  if (node.type === 'CubaLIF') return param(node, 'tau_mem', name).length;
  throw new NirMappingError(`node '${name}' (${node.type}) is not a population`);
}

/**
 * A firstspike config from a NIR graph of Input, CubaLIF, Linear/Affine (zero bias) and Output nodes where
 * every Linear/Affine node sits between a population node and a CubaLIF node.
 */
export function nirToConfig(graph: NirGraph, options: NirImportOptions): FirstspikeConfig {
  const populations: PopulationConfig[] = [];
  const sizes = new Map<string, number>();
  for (const [name, node] of populationOrder(graph)) {
    if (node.type === 'Input') {
      const size = sizeOf(node, name);
      sizes.set(name, size);
      const given = options.inputTimes[name];
      if (given !== undefined && given.length !== size) {
        throw new NirMappingError(`input times for '${name}' have ${given.length} lists, its Input node has ${size} neurons`);
      }
      populations.push({ name, type: 'spike_source_array', size, spike_times: given === undefined ? Array.from({ length: size }, () => []) : given.map((t) => [...t]) });
    } else if (node.type === 'CubaLIF') {
      const size = sizeOf(node, name);
      sizes.set(name, size);
      const tauMem = param(node, 'tau_mem', name, size);
      const r = param(node, 'r', name, size);
      const get = (key: string): Float64Array => param(node, key, name, size);
      const tauSyn = get('tau_syn');
      const wIn = node.params.w_in === undefined ? new Float64Array(size).fill(1) : get('w_in');
      if (wIn.some((w) => w !== 1)) throw new NirMappingError(`node '${name}': w_in other than 1 is not supported`);
      const vReset = node.params.v_reset === undefined ? new Float64Array(size) : get('v_reset');
      const refrac = node.metadata?.tau_refrac === undefined ? new Float64Array(size) : get('tau_refrac');
      const v0 = node.metadata?.initial_v === undefined ? get('v_leak') : get('initial_v');
      const columns: Record<string, Float64Array> = {
        tau_m: tauMem,
        tau_syn_E: tauSyn,
        tau_syn_I: tauSyn,
        cm: Float64Array.from(tauMem, (t, i) => t / r[i]),
        v_rest: get('v_leak'),
        v_reset: vReset,
        v_thresh: get('v_threshold'),
        tau_refrac: refrac,
      };
      const overrides = Array.from({ length: size }, (_, i) => ({
        indices: [i],
        params: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v[i]])),
      }));
      populations.push({ name, type: 'IF_curr_exp', size, overrides, initial_v: Array.from(v0) });
    } else if (node.type !== 'Linear' && node.type !== 'Affine' && node.type !== 'Output') {
      throw new NirMappingError(`node '${name}': type '${node.type as string}' is not supported`);
    }
  }
  const projections: ProjectionConfig[] = [];
  for (const [name, node] of graph.nodes) {
    if (node.type !== 'Linear' && node.type !== 'Affine') continue;
    const into = graph.edges.filter((e) => e[1] === name).map((e) => e[0]);
    const out = graph.edges.filter((e) => e[0] === name).map((e) => e[1]);
    if (into.length !== 1 || out.length !== 1) throw new NirMappingError(`node '${name}' needs exactly one input and one output edge`);
    const [pre, post] = [into[0], out[0]];
    const postNode = graph.nodes.get(post);
    if (postNode?.type !== 'CubaLIF' || !sizes.has(pre)) {
      throw new NirMappingError(`node '${name}' must connect a population (Input or CubaLIF) to a CubaLIF node`);
    }
    if (node.type === 'Affine' && node.params.bias !== undefined && node.params.bias.data.some((b) => b !== 0)) {
      throw new NirMappingError(`node '${name}': an Affine bias (a constant current) is not supported; use i_offset`);
    }
    const nPre = sizes.get(pre) as number;
    const nPost = sizes.get(post) as number;
    const w = node.params.weight;
    if (w === undefined || w.shape.length !== 2 || w.shape[0] !== nPost || w.shape[1] !== nPre) {
      throw new NirMappingError(`node '${name}': weight must have shape [${nPost}, ${nPre}]`);
    }
    const tauSyn = param(postNode, 'tau_syn', post, nPost);
    const connections: [number, number, number][] = [];
    for (let i = 0; i < nPre; i++) {
      for (let n = 0; n < nPost; n++) {
        const value = w.data[n * nPre + i];
        if (value !== 0) connections.push([i, n, value / tauSyn[n]]);
      }
    }
    projections.push({ name, source: pre, target: post, connector: { type: 'from_list', connections }, delay: 0 });
  }
  return { duration: options.durationMs, populations, projections, record: { spikes: populations.map((p) => p.name) } };
}
