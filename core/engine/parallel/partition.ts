import { LIF_PARAM_FIELDS, type LifParamArrays } from '../../lif/params.ts';
import type { CsrMatrix, LifPopulation, Network, Population, Projection } from '../../network/network.ts';
import { uniform } from '../windowedLif.ts';

/** One thread's part of a network (see partitionNetwork). */
export interface NetworkPart {
  /** The part as a network of its own: LIF populations cut to the owned slice, synapses to owned targets. */
  readonly network: Network;
  /** Per population: index of the first owned neuron within the whole population (0 for spike sources). */
  readonly ownedFirst: Int32Array;
}

/** Neurons [first, end) of a population of `size` owned by part `rank` of `parts`: contiguous, near-equal. */
export function ownedRange(size: number, rank: number, parts: number): [number, number] {
  return [Math.floor((rank * size) / parts), Math.floor(((rank + 1) * size) / parts)];
}

/**
 * The projection's synapses onto target neurons [first, end), in their original row order, renumbered from
 * 0; of the rows only `rows` (ascending), or all when null.
 */
function restrictSynapses(syn: CsrMatrix, first: number, end: number, rows: Int32Array | null): CsrMatrix {
  const n = rows === null ? syn.rows : rows.length;
  const row = (k: number): number => (rows === null ? k : rows[k]);
  let kept = 0;
  for (let k = 0; k < n; k++) {
    for (let e = syn.rowStart[row(k)]; e < syn.rowStart[row(k) + 1]; e++) if (syn.targets[e] >= first && syn.targets[e] < end) kept++;
  }
  const rowStart = new Int32Array(n + 1);
  const targets = new Int32Array(kept);
  const weights = new Float64Array(kept);
  let m = 0;
  for (let k = 0; k < n; k++) {
    rowStart[k] = m;
    const r = row(k);
    for (let e = syn.rowStart[r]; e < syn.rowStart[r + 1]; e++) {
      const j = syn.targets[e];
      if (j < first || j >= end) continue;
      targets[m] = j - first;
      weights[m] = syn.weights[e];
      m++;
    }
  }
  rowStart[n] = m;
  return { rows: n, rowStart, targets, weights };
}

function sliceParams(params: LifParamArrays, first: number, end: number): LifParamArrays {
  const out = { size: end - first } as { size: number } & Record<(typeof LIF_PARAM_FIELDS)[number], Float64Array>;
  for (const field of LIF_PARAM_FIELDS) out[field] = params[field].slice(first, end);
  return out;
}

/**
 * Splits a network into `parts` parts for the threaded engine (docs/design.md section 2c): part r owns
 * the r-th contiguous slice of every LIF population and receives only the synapses onto its own neurons,
 * each projection's rows keeping their order (so every neuron gets its inputs in the order of the
 * one-thread run). Rows of LIF sources stay indexed by the whole population, since spikes are exchanged with
 * their neuron index in the whole population. A part keeps only the spike-source neurons with a target in
 * it (renumbered in their order, so the per-window scan over them is short); those with no target anywhere
 * stay with part 0, so the earliest pending source spike over all parts is the one-thread run's.
 */
export function partitionNetwork(network: Network, parts: number): NetworkPart[] {
  const pops = network.populations;
  const ranges = (rank: number): [number, number][] => pops.map((p) => (p.kind === 'lif' ? ownedRange(p.size, rank, parts) : [0, p.size]));
  // per spike source population and neuron: the number of parts with a target of it
  const owners: Int32Array[] = pops.map((p) => new Int32Array(p.kind === 'source' ? p.size : 0));
  const sourceTargetsIn: Uint8Array[][] = [];
  for (let r = 0; r < parts; r++) {
    const own = ranges(r);
    const has = pops.map((p) => new Uint8Array(p.kind === 'source' ? p.size : 0));
    for (const proj of network.projections) {
      if (pops[proj.source].kind !== 'source') continue;
      const [first, end] = own[proj.target];
      const syn = proj.synapses;
      for (let j = 0; j < syn.rows; j++) {
        for (let e = syn.rowStart[j]; e < syn.rowStart[j + 1]; e++) {
          if (syn.targets[e] >= first && syn.targets[e] < end) {
            has[proj.source][j] = 1;
            break;
          }
        }
      }
    }
    has.forEach((h, p) => h.forEach((x, j) => (owners[p][j] += x)));
    sourceTargetsIn.push(has);
  }
  return Array.from({ length: parts }, (_, r) => {
    const own = ranges(r);
    // per spike-source population: its neurons this part keeps, ascending
    const kept = pops.map((p, idx) => {
      if (p.kind !== 'source') return null;
      const keep: number[] = [];
      for (let j = 0; j < p.size; j++) if (sourceTargetsIn[r][idx][j] === 1 || (r === 0 && owners[idx][j] === 0)) keep.push(j);
      return Int32Array.from(keep);
    });
    const populations: Population[] = pops.map((p, idx): Population => {
      if (p.kind === 'source') {
        const keep = kept[idx]!;
        return { ...p, size: keep.length, spikeTimesMs: Array.from(keep, (j) => p.spikeTimesMs[j]) };
      }
      const [first, end] = own[idx];
      const lif: LifPopulation = {
        kind: 'lif',
        name: p.name,
        size: end - first,
        params: sliceParams(p.params, first, end),
        initialVMv: p.initialVMv.slice(first, end),
      };
      return lif;
    });
    const projections: Projection[] = network.projections.map((proj) => {
      const [first, end] = own[proj.target];
      return { ...proj, synapses: restrictSynapses(proj.synapses, first, end, kept[proj.source]) };
    });
    return { network: { populations, projections }, ownedFirst: Int32Array.from(own, ([first]) => first) };
  });
}

/**
 * Per population: whether the one-thread run puts it on the windowed fast path by its own properties (a
 * LIF population of at least `minNeurons` neurons sharing time constants and capacitance; runNetwork.ts and
 * windowedLif.ts). A part decides with this, not with its slice, which may be smaller or more uniform.
 */
export function fastPathEligible(network: Network, minNeurons: number): boolean[] {
  return network.populations.map((p) => p.kind === 'lif' && p.size >= minNeurons && uniform(p.params, 0, p.size));
}

/** A spike-source population's trains in one array: neuron j's are times[start[j] .. start[j + 1]). */
export interface PackedTrains {
  readonly times: Float64Array;
  readonly start: Int32Array;
}

/**
 * The network with every spike-source population's trains packed into one array (one buffer to move to a
 * worker instead of one per source neuron); `unpackSources` undoes it with views.
 */
export function packSources(network: Network): { network: Network; packed: (PackedTrains | null)[] } {
  const packed = network.populations.map((p) => {
    if (p.kind !== 'source') return null;
    const start = new Int32Array(p.size + 1);
    p.spikeTimesMs.forEach((t, j) => (start[j + 1] = start[j] + t.length));
    const times = new Float64Array(start[p.size]);
    p.spikeTimesMs.forEach((t, j) => times.set(t, start[j]));
    return { times, start };
  });
  const populations = network.populations.map((p) => (p.kind === 'source' ? { ...p, spikeTimesMs: [] } : p));
  return { network: { ...network, populations }, packed };
}

/** The network of packSources with its spike trains as views into the packed arrays. */
export function unpackSources(network: Network, packed: readonly (PackedTrains | null)[]): Network {
  const populations = network.populations.map((p, idx) => {
    const x = packed[idx];
    if (p.kind !== 'source' || x === null) return p;
    return { ...p, spikeTimesMs: Array.from({ length: p.size }, (_, j) => x.times.subarray(x.start[j], x.start[j + 1])) };
  });
  return { ...network, populations };
}
