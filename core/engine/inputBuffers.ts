/**
 * Per-neuron buffers of pending input spikes (time ms, weight nA) kept sorted by time; equal times keep
 * their insertion order, so a run's order of summation is fixed. Storage grows by doubling and is reused
 * across windows: no allocation per event.
 */
export class InputBuffers {
  readonly times: Float64Array[];
  readonly weights: Float64Array[];
  /** Number of buffered inputs per neuron. */
  readonly length: Int32Array;
  /** Index of the next unconsumed input per neuron. */
  readonly position: Int32Array;

  constructor(size: number) {
    // every neuron starts with one shared empty buffer; the first input allocates its own (neurons on the
    // engine's windowed fast path never use theirs)
    const empty = new Float64Array(0);
    this.times = new Array<Float64Array>(size).fill(empty);
    this.weights = new Array<Float64Array>(size).fill(empty);
    this.length = new Int32Array(size);
    this.position = new Int32Array(size);
  }

  /** Inserts an input for neuron i at its sorted place (after inputs with the same time). */
  insert(i: number, timeMs: number, weightNa: number): void {
    let n = this.length[i];
    let t = this.times[i];
    let w = this.weights[i];
    if (n === t.length) {
      const t2 = new Float64Array(n === 0 ? 8 : 2 * n);
      const w2 = new Float64Array(n === 0 ? 8 : 2 * n);
      t2.set(t);
      w2.set(w);
      this.times[i] = t = t2;
      this.weights[i] = w = w2;
    }
    while (n > this.position[i] && t[n - 1] > timeMs) {
      t[n] = t[n - 1];
      w[n] = w[n - 1];
      n--;
    }
    t[n] = timeMs;
    w[n] = weightNa;
    this.length[i]++;
  }

  /** Empties neuron i's buffer. */
  clear(i: number): void {
    this.length[i] = 0;
    this.position[i] = 0;
  }
}
