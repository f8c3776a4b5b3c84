import type { LifParamArrays } from '../lif/params.ts';
import type { Network } from '../network/network.ts';
import { neuronStateArrays, type NeuronDynamics, type NeuronStateArrays } from '../substrate/dynamics.ts';

/**
 * The engine's mode for zero-delay layered feed-forward networks when only first spikes matter
 * (docs/design.md section 2b): spikes never flow backwards, so a layer's inputs are all known once the
 * layer below is done. Each neuron sweeps its inputs in time order with the substrate's dynamics and
 * stops at its first spike. This is the same sequence of dynamics calls the general engine makes for
 * such a network (up to the first spike), without per-run set-up: constants are prepared once and
 * all buffers are reused, so a run allocates nothing.
 *
 * Layer 0 is the input layer (spike times given); layer l >= 1 receives every neuron of layer l - 1
 * plus, optionally, one bias input that spikes at a fixed time.
 */
export class LayeredRunner<C> {
  readonly layerSizes: readonly number[];
  /** Per weight layer l = 1..L: the bias input's spike time, or NaN for none. Index 0 unused. */
  readonly biasTimes: Float64Array;
  /** Per layer l = 1..L: realised weights, (presynaptic count) x (layer size), row-major by presynaptic neuron. */
  readonly weights: Float64Array[];
  private readonly dynamics: NeuronDynamics<C>;
  private readonly constants: C;
  private readonly state: NeuronStateArrays;
  private readonly offset: Int32Array;
  private readonly initialV: Float64Array;
  private readonly order: Int32Array;
  private readonly preTimes: Float64Array;
  private readonly mergeScratch: Int32Array;
  /** Neurons of the current layer that have not fired yet. */
  private readonly active: Int32Array;
  /** The current layer's input spike times in time order, and each one's weight row offset. */
  private readonly sortedTimes: Float64Array;
  private readonly rows: Int32Array;
  /**
   * Optional: what layer l + 1 receives of the spike neuron n of layer l (l >= 1) emitted at t, NaN for
   * nothing (a substrate's transmission); null = the spike as emitted.
   */
  transmit: ((layer: number, neuron: number, timeMs: number) => number) | null = null;

  /**
   * @param params realised parameters of all non-input neurons, layer 1 first
   * @param biasTimes per weight layer (index l - 1 for layer l): bias spike time or null
   * @param network the realised network the parameters come from, if any (passed on to `prepare`)
   */
  constructor(
    dynamics: NeuronDynamics<C>,
    params: LifParamArrays,
    layerSizes: readonly number[],
    biasTimes: readonly (number | null)[],
    network?: Network,
  ) {
    this.dynamics = dynamics;
    this.layerSizes = [...layerSizes];
    const layers = layerSizes.length - 1;
    this.biasTimes = new Float64Array(layers + 1).fill(NaN);
    biasTimes.forEach((t, l) => (this.biasTimes[l + 1] = t ?? NaN));
    this.offset = new Int32Array(layers + 1);
    let total = 0;
    let maxPre = 0;
    this.weights = [new Float64Array(0)];
    for (let l = 1; l <= layers; l++) {
      this.offset[l] = total;
      total += layerSizes[l];
      const pre = this.presynapticCount(l);
      maxPre = Math.max(maxPre, pre);
      this.weights.push(new Float64Array(pre * layerSizes[l]));
    }
    if (params.size !== total) throw new Error(`LayeredRunner: ${params.size} neuron parameters for ${total} neurons`);
    this.constants = dynamics.prepare(params, network);
    this.state = neuronStateArrays(total);
    this.initialV = params.vRestMv.slice();
    this.order = new Int32Array(maxPre);
    this.preTimes = new Float64Array(maxPre);
    this.mergeScratch = new Int32Array(maxPre);
    this.sortedTimes = new Float64Array(maxPre);
    this.rows = new Int32Array(maxPre);
    let maxSize = 0;
    for (let l = 1; l <= layers; l++) maxSize = Math.max(maxSize, layerSizes[l]);
    this.active = new Int32Array(maxSize);
  }

  /** Number of inputs of layer l (the layer below plus its bias input, if any). */
  presynapticCount(l: number): number {
    return this.layerSizes[l - 1] + (Number.isNaN(this.biasTimes[l]) ? 0 : 1);
  }

  /**
   * Runs one sample: `inputTimes` (layer 0; NaN or Infinity = no spike) and writes every neuron's first
   * spike time (Infinity if none before `tMaxMs`) into `out[l]` for l = 1..L (out[0] is ignored).
   * `layerDone(l, out[l])`, if given, is called when layer l is done and may change its times in place
   * (bss2: spike-time jitter that reaches the next layer); layer l + 1 receives the changed times.
   */
  run(inputTimes: ArrayLike<number>, tMaxMs: number, out: Float64Array[], layerDone?: (layer: number, times: Float64Array) => void): void {
    const dyn = this.dynamics;
    const s = this.state;
    const k = this.constants;
    const order = this.order;
    const pre = this.preTimes;
    for (let l = 1; l < this.layerSizes.length; l++) {
      if (l > 1 && layerDone !== undefined) layerDone(l - 1, out[l - 1]);
      const below = l === 1 ? inputTimes : out[l - 1];
      const nBelow = this.layerSizes[l - 1];
      let nPre = 0;
      for (let j = 0; j < nBelow; j++) pre[j] = below[j];
      const transmit = this.transmit;
      if (l > 1 && transmit !== null) {
        for (let j = 0; j < nBelow; j++) {
          if (!(pre[j] < tMaxMs)) continue;
          const x = transmit(l - 1, j, pre[j]);
          pre[j] = x === x ? x : Infinity;
        }
      }
      nPre = nBelow;
      if (!Number.isNaN(this.biasTimes[l])) pre[nPre++] = this.biasTimes[l];
      // indices of the inputs that spike, in time order (stable: equal times keep their index order)
      let m = 0;
      for (let j = 0; j < nPre; j++) if (pre[j] < tMaxMs) order[m++] = j;
      sortIndicesByTime(order, this.mergeScratch, m, pre);
      const w = this.weights[l];
      const size = this.layerSizes[l];
      const result = out[l];
      const base = this.offset[l];
      const active = this.active;
      for (let n = 0; n < size; n++) {
        const i = base + n;
        s.vMv[i] = this.initialV[i];
        s.iExcNa[i] = 0;
        s.iInhNa[i] = 0;
        s.lastMs[i] = 0;
        s.refractoryUntilMs[i] = -Infinity;
        result[n] = Infinity;
        active[n] = n;
      }
      if (dyn.firstSpikes !== undefined) {
        const times = this.sortedTimes;
        const rows = this.rows;
        for (let q = 0; q < m; q++) {
          times[q] = pre[order[q]];
          rows[q] = order[q] * size;
        }
        dyn.firstSpikes(s, k, base, size, times, rows, m, w, tMaxMs, result);
        continue;
      }
      // Input by input, every neuron that has not fired yet: per neuron the same calls in the same order as
      // a neuron-by-neuron sweep, but neurons advanced over the same interval can share work (propagator).
      let live = size;
      for (let q = 0; q <= m && live > 0; q++) {
        const tIn = q < m ? pre[order[q]] : tMaxMs;
        const row = q < m ? order[q] * size : 0;
        let kept = 0;
        for (let a = 0; a < live; a++) {
          const n = active[a];
          const i = base + n;
          const tc = dyn.nextSpikeTime(s, k, i, tIn);
          if (tc < tIn || (q < m && tc === tIn)) {
            result[n] = tc;
            continue;
          }
          if (q === m) continue;
          dyn.advanceTo(s, k, i, tIn);
          dyn.receive(s, k, i, w[row + n]);
          active[kept++] = n;
        }
        live = kept;
      }
    }
    if (layerDone !== undefined && this.layerSizes.length > 1) layerDone(this.layerSizes.length - 1, out[this.layerSizes.length - 1]);
  }
}

/**
 * Sorts order[0..m) (indices into `times`, ascending index on entry) by time, stably: insertion sort for
 * short runs of 16, then bottom-up merging through `scratch`. Allocates nothing.
 */
function sortIndicesByTime(order: Int32Array, scratch: Int32Array, m: number, times: Float64Array): void {
  const RUN = 16;
  for (let from = 0; from < m; from += RUN) {
    const to = Math.min(m, from + RUN);
    for (let p = from + 1; p < to; p++) {
      const j = order[p];
      const t = times[j];
      let r = p;
      while (r > from && times[order[r - 1]] > t) {
        order[r] = order[r - 1];
        r--;
      }
      order[r] = j;
    }
  }
  let src = order;
  let dst = scratch;
  for (let width = RUN; width < m; width *= 2) {
    for (let left = 0; left < m; left += 2 * width) {
      const mid = Math.min(m, left + width);
      const right = Math.min(m, left + 2 * width);
      let a = left;
      let b = mid;
      let o = left;
      while (a < mid && b < right) dst[o++] = times[src[b]] < times[src[a]] ? src[b++] : src[a++];
      while (a < mid) dst[o++] = src[a++];
      while (b < right) dst[o++] = src[b++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== order) for (let p = 0; p < m; p++) order[p] = src[p];
}
