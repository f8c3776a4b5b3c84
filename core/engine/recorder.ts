/** Spikes in the order they were emitted; sorted into (time, population, neuron) order by `finish`. */
export class SpikeRecorder {
  private pop: Int32Array = new Int32Array(1024);
  private neuron: Int32Array = new Int32Array(1024);
  private time: Float64Array = new Float64Array(1024);
  count = 0;

  add(population: number, neuron: number, timeMs: number): void {
    if (this.count === this.time.length) {
      const n = 2 * this.count;
      const p = new Int32Array(n);
      p.set(this.pop);
      const q = new Int32Array(n);
      q.set(this.neuron);
      const t = new Float64Array(n);
      t.set(this.time);
      this.pop = p;
      this.neuron = q;
      this.time = t;
    }
    this.pop[this.count] = population;
    this.neuron[this.count] = neuron;
    this.time[this.count] = timeMs;
    this.count++;
  }

  /** The recorded spikes sorted by time, then population, then neuron. */
  finish(): SpikeTable {
    const n = this.count;
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    const t = this.time;
    const p = this.pop;
    const q = this.neuron;
    order.sort((a, b) => t[a] - t[b] || p[a] - p[b] || q[a] - q[b]);
    const out = {
      population: new Int32Array(n),
      neuron: new Int32Array(n),
      timeMs: new Float64Array(n),
    };
    for (let k = 0; k < n; k++) {
      const o = order[k];
      out.population[k] = p[o];
      out.neuron[k] = q[o];
      out.timeMs[k] = t[o];
    }
    return out;
  }
}

/** Recorded spikes as columns: spike k is neuron `neuron[k]` of population `population[k]` at `timeMs[k]`. */
export interface SpikeTable {
  readonly population: Int32Array;
  readonly neuron: Int32Array;
  readonly timeMs: Float64Array;
}

/** A membrane-potential trace sampled exactly from the analytic solution at t = k * dtMs. */
export interface MembraneTrace {
  readonly population: number;
  readonly neuron: number;
  readonly dtMs: number;
  /** V (mV) at k * dtMs for k = 0 .. length-1, after the events at or before that time. */
  readonly vMv: Float64Array;
}
