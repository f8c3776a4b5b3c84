import type { NirArray, NirGraph, NirNode } from './nirGraph.ts';

/*
 * NIR's HDF5 layout (as written by the reference implementation's nir.write, read at
 * github.com/neuromorphs/NIR, nir/serialization.py): a string dataset `version`; a group `node` with the
 * graph: `type` = "NIRGraph", `edges` = (n, 2) strings (source, target), a group `nodes` holding one group
 * per node with a string dataset `type`, one dataset per parameter, and an optional group `metadata`.
 * Read and written with h5wasm (HDF5 compiled to WebAssembly; loaded only when used).
 */

/** The NIR version we write. */
export const NIR_VERSION = '1.0.0';

const NODE_TYPES = new Set(['Input', 'Output', 'CubaLIF', 'Linear', 'Affine']);

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A file that is not a NIR graph we can read; the message names the HDF5 path. */
export class NirFileError extends Error {}

type H5 = typeof import('h5wasm');

async function h5(): Promise<H5> {
  const mod = (await import('h5wasm/node')) as unknown as H5 & { default?: H5 };
  const lib = mod.default ?? mod;
  await lib.ready;
  return lib;
}

/** Writes `graph` to `path` (HDF5, NIR layout). */
export async function writeNirFile(path: string, graph: NirGraph): Promise<void> {
  const lib = await h5();
  const file = new lib.File(path, 'w');
  try {
    file.create_dataset({ name: 'version', data: NIR_VERSION });
    const root = file.create_group('node');
    root.create_dataset({ name: 'type', data: 'NIRGraph' });
    root.create_dataset({ name: 'edges', data: graph.edges.flatMap((e) => [e[0], e[1]]), shape: [graph.edges.length, 2] });
    const nodes = root.create_group('nodes');
    for (const [name, node] of graph.nodes) {
      const g = nodes.create_group(name);
      g.create_dataset({ name: 'type', data: node.type });
      const put = (group: typeof g, key: string, a: NirArray): void => {
        group.create_dataset({ name: key, data: a.data, shape: [...a.shape], dtype: a.data instanceof Int32Array ? '<i4' : '<d' });
      };
      for (const [key, a] of Object.entries(node.params)) put(g, key, a);
      if (node.metadata !== undefined && Object.keys(node.metadata).length > 0) {
        const m = g.create_group('metadata');
        for (const [key, a] of Object.entries(node.metadata)) put(m, key, a);
      }
    }
  } finally {
    file.close();
  }
}

/** Reads a NIR graph of the node types firstspike maps (Input, Output, CubaLIF, Linear, Affine). */
export async function readNirFile(path: string): Promise<NirGraph> {
  const { open } = await import('node:fs/promises');
  // the HDF5 signature sits at offset 0, 512, 1024, ... (after a user block); checking it first keeps the
  // HDF5 library from printing its error stack for files that are not HDF5 at all
  let isHdf5 = false;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(8);
      for (let offset = 0; offset <= 8192 && !isHdf5; offset = offset === 0 ? 512 : offset * 2) {
        const { bytesRead } = await handle.read(buffer, 0, 8, offset);
        if (bytesRead < 8) break;
        isHdf5 = buffer.equals(HDF5_SIGNATURE);
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NirFileError(`'${path}': ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`}`);
  }
  if (!isHdf5) throw new NirFileError(`'${path}': not an HDF5 file (no HDF5 signature)`);
  const lib = await h5();
  let file: InstanceType<H5['File']>;
  try {
    file = new lib.File(path, 'r');
  } catch (error) {
    throw new NirFileError(`'${path}': not an HDF5 file (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    const where = (p: string): string => `'${path}' /${p}`;
    const root = file.get('node');
    if (!(root instanceof lib.Group)) throw new NirFileError(`${where('node')}: missing (not a NIR file)`);
    const text = (group: InstanceType<H5['Group']>, key: string, p: string): string => {
      const d = group.get(key);
      const v = d instanceof lib.Dataset ? d.value : null;
      if (typeof v !== 'string') throw new NirFileError(`${where(`${p}/${key}`)}: must be a string`);
      return v;
    };
    const graphType = text(root, 'type', 'node');
    if (graphType !== 'NIRGraph') throw new NirFileError(`${where('node/type')}: must be "NIRGraph" (got "${graphType}")`);
    const edgesSet = root.get('edges');
    const flat = edgesSet instanceof lib.Dataset ? edgesSet.value : null;
    const edgeList = Array.isArray(flat) ? flat.flat(2) : [];
    if (!edgeList.every((x): x is string => typeof x === 'string') || edgeList.length % 2 !== 0) {
      throw new NirFileError(`${where('node/edges')}: must be (n, 2) strings`);
    }
    const edges: [string, string][] = [];
    for (let k = 0; k < edgeList.length; k += 2) edges.push([edgeList[k], edgeList[k + 1]]);
    const nodesGroup = root.get('nodes');
    if (!(nodesGroup instanceof lib.Group)) throw new NirFileError(`${where('node/nodes')}: missing`);
    const arrays = (group: InstanceType<H5['Group']>, p: string, skip: Set<string>): Record<string, NirArray> => {
      const out: Record<string, NirArray> = {};
      for (const key of group.keys()) {
        if (skip.has(key)) continue;
        const d = group.get(key);
        if (!(d instanceof lib.Dataset)) continue;
        const v = d.value;
        const values = typeof v === 'number' || typeof v === 'bigint' ? [Number(v)] : ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number | bigint>, Number) : null;
        if (values === null || values.some((x) => !Number.isFinite(x))) throw new NirFileError(`${where(`${p}/${key}`)}: must be finite numbers`);
        out[key] = { data: Float64Array.from(values), shape: d.shape ?? [] };
      }
      return out;
    };
    const nodes = new Map<string, NirNode>();
    for (const name of nodesGroup.keys()) {
      const g = nodesGroup.get(name);
      const p = `node/nodes/${name}`;
      if (!(g instanceof lib.Group)) throw new NirFileError(`${where(p)}: must be a group`);
      const type = text(g, 'type', p);
      if (!NODE_TYPES.has(type)) {
        throw new NirFileError(`${where(`${p}/type`)}: node type '${type}' is not supported (known: ${[...NODE_TYPES].join(', ')})`);
      }
      const meta = g.get('metadata');
      nodes.set(name, {
        type: type as NirNode['type'],
        params: arrays(g, p, new Set(['type', 'metadata'])),
        metadata: meta instanceof lib.Group ? arrays(meta, `${p}/metadata`, new Set()) : undefined,
      });
    }
    for (const [a, b] of edges) {
      for (const end of [a, b]) if (!nodes.has(end)) throw new NirFileError(`${where('node/edges')}: unknown node '${end}'`);
    }
    return { nodes, edges };
  } finally {
    file.close();
  }
}
