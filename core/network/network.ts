import { LIF_PARAM_FIELDS, type LifParamArrays } from '../lif/params.ts';

/**
 * A network ready to simulate: populations with per-neuron parameters, projections as CSR matrices.
 * Built from a validated config (core/config) or directly by library users. All times in ms.
 */
export interface Network {
  readonly populations: readonly Population[];
  readonly projections: readonly Projection[];
}

/** A population of spike sources whose spike times are given before the run. */
export interface SpikeSourcePopulation {
  readonly kind: 'source';
  readonly name: string;
  readonly size: number;
  /** Per neuron, its spike times in ms, sorted ascending, finite and >= 0. */
  readonly spikeTimesMs: readonly Float64Array[];
}

/** A population of current-based LIF neurons. */
export interface LifPopulation {
  readonly kind: 'lif';
  readonly name: string;
  readonly size: number;
  /** Nominal per-neuron parameters. */
  readonly params: LifParamArrays;
  /** Membrane potential at t = 0 (mV), per neuron. */
  readonly initialVMv: Float64Array;
}

export type Population = SpikeSourcePopulation | LifPopulation;

/**
 * Synapses of one projection in compressed sparse row form, rows = presynaptic neurons.
 * Row j holds targets `targets[rowStart[j] .. rowStart[j+1])` with the same range of `weights`.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly rowStart: Int32Array;
  /** Index of the postsynaptic neuron within the target population. */
  readonly targets: Int32Array;
  /** Weight in nA: a jump of the excitatory current if > 0, of the inhibitory current if < 0. */
  readonly weights: Float64Array;
}

/** A set of synapses from one population to another with one transmission delay. */
export interface Projection {
  readonly name: string;
  /** Index into {@link Network.populations}. */
  readonly source: number;
  /** Index into {@link Network.populations}; must be a LIF population. */
  readonly target: number;
  /** Transmission delay (ms, >= 0). */
  readonly delayMs: number;
  readonly synapses: CsrMatrix;
}

/** What to record besides spikes. */
export interface TraceRequest {
  /** Population index. */
  readonly population: number;
  /** Neuron indices within the population. */
  readonly indices: readonly number[];
  /** Sampling step (ms, > 0); samples at k * dtMs for k * dtMs < duration. */
  readonly dtMs: number;
}

export interface RecordingSpec {
  /** Populations whose spikes are recorded (indices); defaults to every LIF population. */
  readonly spikes?: readonly number[];
  readonly membrane?: readonly TraceRequest[];
}

/** Builds CSR rows from (pre, post, weight) triples, keeping the given order within each row. */
export function csrFromTriples(
  rows: number,
  pre: ArrayLike<number>,
  post: ArrayLike<number>,
  weight: ArrayLike<number>,
): CsrMatrix {
  const n = pre.length;
  const rowStart = new Int32Array(rows + 1);
  for (let k = 0; k < n; k++) rowStart[pre[k] + 1]++;
  for (let r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
  const fill = rowStart.slice(0, rows);
  const targets = new Int32Array(n);
  const weights = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const slot = fill[pre[k]]++;
    targets[slot] = post[k];
    weights[slot] = weight[k];
  }
  return { rows, rowStart, targets, weights };
}

/**
 * The parameters of every LIF population, concatenated in population order (the engine's global neuron
 * numbering: population by population, neurons in index order).
 */
export function concatenatedLifParams(populations: readonly Population[]): LifParamArrays {
  const lif = populations.filter((p): p is LifPopulation => p.kind === 'lif');
  const size = lif.reduce((a, p) => a + p.size, 0);
  const out = { size } as { size: number } & Record<(typeof LIF_PARAM_FIELDS)[number], Float64Array>;
  for (const field of LIF_PARAM_FIELDS) {
    const arr = new Float64Array(size);
    let at = 0;
    for (const p of lif) {
      arr.set(p.params[field], at);
      at += p.size;
    }
    out[field] = arr;
  }
  return out;
}
