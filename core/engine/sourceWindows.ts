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
/** Spikes a stretch aims at (sets its number of windows from the sources' mean rate). */
const SPIKES_PER_STRETCH = 1 << 19;
/** Most windows in a stretch (the scatter writes one stream per window). */
const MAX_WINDOWS = 64;

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
  /**
   * Staging of {@link plan}, in source order: each stretch spike's arrival, source and window. The sources'
   * arrays are read once per stretch (they lie scattered in memory: one cache miss per source), the
   * scatter into windows then reads the staging sequentially.
   */
  private stagedArrival: Float64Array = new Float64Array(1024);
  private stagedSource: Int32Array = new Int32Array(1024);
  private stagedWindow: Uint16Array = new Uint16Array(1024);
  private readonly fillCursor: Int32Array;
  private readonly windowsPerStretch: number;

  /**
   * Stretches span up to 64 windows, fewer when the sources are busy: about `SPIKES_PER_STRETCH` spikes at
   * their mean rate, so that the staging and the lists (20 bytes per spike) stay small beside the sources.
   */
  constructor(
    private readonly spikeTimesMs: readonly Float64Array[],
    private readonly delayMs: number,
    windowMs: number,
  ) {
    let spikes = 0;
    let span = 0;
    for (const t of spikeTimesMs) {
      spikes += t.length;
      if (t.length > 0 && t[t.length - 1] > span) span = t[t.length - 1];
    }
    const perWindow = span > 0 ? (spikes * windowMs) / span : 0;
    this.windowsPerStretch = Math.max(4, Math.min(MAX_WINDOWS, Math.floor(SPIKES_PER_STRETCH / Math.max(1, perWindow))));
    // room for a stretch at 1.25 times the mean rate (grown when a stretch holds more)
    const room = Math.max(1024, Math.min(spikes, Math.ceil(1.25 * perWindow * this.windowsPerStretch)));
    this.stagedArrival = new Float64Array(room);
    this.stagedSource = new Int32Array(room);
    this.stagedWindow = new Uint16Array(room);
    this.arrivalMs = new Float64Array(room);
    this.source = new Int32Array(room);
    this.plannedStart = new Float64Array(this.windowsPerStretch);
    this.plannedEnd = new Float64Array(this.windowsPerStretch);
    this.listStart = new Int32Array(this.windowsPerStretch + 1);
    this.fillCursor = new Int32Array(this.windowsPerStretch);
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
    // one pass over the sources: each spike's window (an estimate from the grid, corrected against the
    // exact ends), staged in source order and counted per window
    const invWindow = 1 / windowMs;
    const next = this.next;
    let stagedArrival = this.stagedArrival;
    let stagedSource = this.stagedSource;
    let stagedWindow = this.stagedWindow;
    let m = 0;
    for (let j = 0; j < times.length; j++) {
      const t = times[j];
      const n = t.length;
      let q = next[j];
      for (; q < n; q++) {
        const a = t[q] + d;
        if (!(a < last)) break;
        let k = ((a - start) * invWindow) | 0;
        if (k < 0) k = 0;
        else if (k >= nb) k = nb - 1;
        while (k > 0 && a < ends[k - 1]) k--;
        while (!(a < ends[k])) k++;
        if (m === stagedArrival.length) {
          this.growStaging();
          stagedArrival = this.stagedArrival;
          stagedSource = this.stagedSource;
          stagedWindow = this.stagedWindow;
        }
        stagedArrival[m] = a;
        stagedSource[m] = j;
        stagedWindow[m] = k;
        counts[k + 1]++;
        m++;
      }
      next[j] = q;
    }
    for (let k = 0; k < nb; k++) counts[k + 1] += counts[k];
    if (m > this.arrivalMs.length) {
      let n = this.arrivalMs.length;
      while (n < m) n *= 2;
      this.arrivalMs = new Float64Array(n);
      this.source = new Int32Array(n);
    }
    // scatter into the windows' lists, in staging order (stable: sources in order within a window)
    const cursor = this.fillCursor;
    cursor.set(counts.subarray(0, nb));
    const arrival = this.arrivalMs;
    const source = this.source;
    for (let r = 0; r < m; r++) {
      const at = cursor[stagedWindow[r]]++;
      arrival[at] = stagedArrival[r];
      source[at] = stagedSource[r];
    }
  }

  private growStaging(): void {
    const n = 2 * this.stagedArrival.length;
    const arrival = new Float64Array(n);
    arrival.set(this.stagedArrival);
    const source = new Int32Array(n);
    source.set(this.stagedSource);
    const window = new Uint16Array(n);
    window.set(this.stagedWindow);
    this.stagedArrival = arrival;
    this.stagedSource = source;
    this.stagedWindow = window;
  }
}
