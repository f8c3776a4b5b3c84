/**
 * The arrivals of a spike-source projection, sorted once per stretch of lookahead windows into one list per
 * window. A stretch plans its windows ahead exactly as the engine's loop forms them (each ends at
 * min(start + W, duration) and the next starts there) and puts every source spike whose arrival t + d falls
 * in the stretch into its window's list. The engine then reads, per window, one contiguous run of
 * (source, arrival) pairs instead of visiting every source's spike array: for 4000 sources those visits
 * cost more than the deliveries. Order within a window is unchanged from a per-source scan: sources in index
 * order, each source's spikes in time order.
 *
 * When a window does not match the plan (the engine skipped a quiet stretch), the undelivered spikes are put
 * back and a new stretch is planned from that window: every spike with arrival before the window's start has
 * been delivered, every later one has not (t + d is monotone in t).
 */
export class SourceWindows {
  /** Arrival times (ms) and source indices of the stretch, window by window. */
  arrivalMs: Float64Array = new Float64Array(1024);
  source: Int32Array = new Int32Array(1024);
  /** After {@link forWindow}: the window's pairs are [from, to). */
  from = 0;
  to = 0;
  /** Planned windows of the stretch: window k is [plannedStart[k], plannedEnd[k]), its pairs listStart[k] ..< listStart[k + 1]. */
  private readonly plannedStart: Float64Array;
  private readonly plannedEnd: Float64Array;
  private readonly listStart: Int32Array;
  private planned = 0;
  /** The next planned window (planned: the stretch is used up). */
  private current = 0;
  /** Per source: index of its first spike not yet put into a stretch. */
  private readonly next: Int32Array;
  /** Scratch of {@link plan}: each stretch spike's window, and the per-window fill positions. */
  private bucketOf: Uint16Array = new Uint16Array(1024);
  private readonly fillCursor: Int32Array;

  /** `windowsPerStretch` at most 65535. */
  constructor(
    private readonly spikeTimesMs: readonly Float64Array[],
    private readonly delayMs: number,
    private readonly windowsPerStretch: number,
  ) {
    this.plannedStart = new Float64Array(windowsPerStretch);
    this.plannedEnd = new Float64Array(windowsPerStretch);
    this.listStart = new Int32Array(windowsPerStretch + 1);
    this.fillCursor = new Int32Array(windowsPerStretch);
    this.next = new Int32Array(spikeTimesMs.length);
  }

  /**
   * Sets [from, to) to the pairs arriving in window [start, end) (end = min(start + windowMs, durationMs)),
   * in source order and time order per source.
   */
  forWindow(start: number, end: number, windowMs: number, durationMs: number): void {
    let k = this.current;
    if (k < this.planned && (this.plannedStart[k] !== start || this.plannedEnd[k] !== end)) {
      this.putBack(this.plannedStart[k]);
      k = this.planned;
    }
    if (k === this.planned) {
      this.plan(start, windowMs, durationMs);
      k = 0;
    }
    this.from = this.listStart[k];
    this.to = this.listStart[k + 1];
    this.current = k + 1;
  }

  /** The earliest arrival not delivered yet (Infinity: none). */
  earliestUndelivered(): number {
    let earliest = Infinity;
    const first = this.current < this.planned ? this.listStart[this.current] : this.listStart[this.planned];
    for (let e = first; e < this.listStart[this.planned]; e++) if (this.arrivalMs[e] < earliest) earliest = this.arrivalMs[e];
    const times = this.spikeTimesMs;
    for (let j = 0; j < times.length; j++) {
      const q = this.next[j];
      if (q < times[j].length && times[j][q] + this.delayMs < earliest) earliest = times[j][q] + this.delayMs;
    }
    return earliest;
  }

  /** Undoes the stretch from its planned window starting at `fromMs`: those spikes are put into a stretch again. */
  private putBack(fromMs: number): void {
    const times = this.spikeTimesMs;
    const d = this.delayMs;
    for (let j = 0; j < times.length; j++) {
      const t = times[j];
      let q = this.next[j];
      while (q > 0 && t[q - 1] + d >= fromMs) q--;
      this.next[j] = q;
    }
  }

  /** Plans the windows from `start` and sorts the arrivals that fall in them into per-window lists. */
  private plan(start: number, windowMs: number, durationMs: number): void {
    // the windows, formed exactly as the engine forms them
    let nb = 0;
    let s = start;
    while (nb < this.windowsPerStretch && s < durationMs) {
      const e = Math.min(s + windowMs, durationMs);
      this.plannedStart[nb] = s;
      this.plannedEnd[nb] = e;
      nb++;
      s = e;
    }
    if (nb === 0) {
      // past the end: an empty window
      this.plannedStart[0] = start;
      this.plannedEnd[0] = start;
      nb = 1;
    }
    this.planned = nb;
    this.current = 0;
    const last = this.plannedEnd[nb - 1];
    const ends = this.plannedEnd;
    const times = this.spikeTimesMs;
    const d = this.delayMs;
    const counts = this.listStart;
    counts.fill(0);
    // pass 1: each spike's window (an estimate from the grid, corrected against the exact ends), counted
    let m = 0;
    for (let j = 0; j < times.length; j++) {
      const t = times[j];
      let q = this.next[j];
      while (q < t.length) {
        const a = t[q] + d;
        if (!(a < last)) break;
        let k = Math.floor((a - start) / windowMs);
        if (!(k >= 0)) k = 0;
        if (k > nb - 1) k = nb - 1;
        while (k > 0 && a < ends[k - 1]) k--;
        while (!(a < ends[k])) k++;
        if (m === this.bucketOf.length) this.growBuckets();
        this.bucketOf[m++] = k;
        counts[k + 1]++;
        q++;
      }
    }
    for (let k = 0; k < nb; k++) counts[k + 1] += counts[k];
    if (m > this.arrivalMs.length) {
      let n = this.arrivalMs.length;
      while (n < m) n *= 2;
      this.arrivalMs = new Float64Array(n);
      this.source = new Int32Array(n);
    }
    // pass 2: place them, sources in order (stable), and move every source past its stretch spikes
    const cursor = this.fillCursor;
    cursor.set(counts.subarray(0, nb));
    const arrival = this.arrivalMs;
    const source = this.source;
    let r = 0;
    for (let j = 0; j < times.length; j++) {
      const t = times[j];
      let q = this.next[j];
      while (q < t.length) {
        const a = t[q] + d;
        if (!(a < last)) break;
        const at = cursor[this.bucketOf[r++]]++;
        arrival[at] = a;
        source[at] = j;
        q++;
      }
      this.next[j] = q;
    }
  }

  private growBuckets(): void {
    const grown = new Uint16Array(2 * this.bucketOf.length);
    grown.set(this.bucketOf);
    this.bucketOf = grown;
  }
}
