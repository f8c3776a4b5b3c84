/**
 * Spikes a stretch aims at (sets its number of windows from the sources' mean rate). Every stretch visits
 * every source once, a cache miss each: with 1e5 sources at 1550 Hz (bench network, N = 1e5) 2^19 spikes
 * made 4-window stretches, and going to 2^22 (27 windows) took a fifth off the run (31.3 s to 24.7 s).
 * The lists take 12 bytes per spike, at most about 64 MB per source projection.
 */
const SPIKES_PER_STRETCH = 1 << 22;
/** Most windows in a stretch. */
const MAX_WINDOWS = 64;

/**
 * The arrivals of a spike-source projection, sorted once per stretch of lookahead windows into one list per
 * window. A stretch plans its windows ahead exactly as the engine's loop forms them (each ends at
 * min(start + W, duration) and the next starts there) and puts every source spike whose arrival t + d falls
 * in the stretch into its window's list. The engine then reads, per window, one contiguous run of
 * (source, arrival) pairs instead of visiting every source's spike array: for 4000 sources those visits
 * cost more than the deliveries. Order within a window is unchanged from a per-source scan: sources in index
 * order, each source's spikes in time order.
 *
 * Each window's list has a fixed room (the mean count plus a wide margin), so one pass over the sources
 * fills them. A stretch that overflows a room is redone in two steps: staged in source order, counted, then
 * scattered into lists of the exact sizes.
 *
 * When a window does not match the plan (the engine skipped a quiet stretch), the undelivered spikes are put
 * back and a new stretch is planned from that window: every spike with arrival before the window's start has
 * been delivered, every later one has not (t + d is monotone in t).
 */
export class SourceWindows {
  /** Arrival times (ms) and source indices of the stretch, window by window. */
  arrivalMs: Float64Array;
  source: Int32Array;
  /** After {@link forWindow}: the window's pairs are [from, to). */
  from = 0;
  to = 0;
  /** Planned windows of the stretch: window k is [plannedStart[k], plannedEnd[k]), its pairs listStart[k] ..< listEnd[k]. */
  private readonly plannedStart: Float64Array;
  private readonly plannedEnd: Float64Array;
  private readonly listStart: Int32Array;
  private readonly listEnd: Int32Array;
  private planned = 0;
  /** The next planned window (planned: the stretch is used up). */
  private current = 0;
  /** Per source: index of its first spike not yet put into a stretch; and its value when the stretch began. */
  private readonly next: Int32Array;
  private readonly nextAtPlan: Int32Array;
  private readonly windowsPerStretch: number;
  /** Room of each window's list in a one-pass plan. */
  private readonly room: number;
  /**
   * Staging of a two-step plan, in source order: each stretch spike's arrival, source and window (grown on
   * first use).
   */
  private stagedArrival: Float64Array = new Float64Array(0);
  private stagedSource: Int32Array = new Int32Array(0);
  private stagedWindow: Uint16Array = new Uint16Array(0);

  /**
   * Stretches span up to 64 windows, fewer when the sources are busy: about `SPIKES_PER_STRETCH` spikes at
   * their mean rate, so that the lists (12 bytes per spike) stay small beside the sources (at least 4).
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
    // mean spikes per window over [0, last spike], at most all of them (spikes bunched near 0 or before it)
    const perWindow = spikes === 0 ? 0 : Math.min(spikes, (spikes * windowMs) / Math.max(span, windowMs));
    this.windowsPerStretch = Math.max(4, Math.min(MAX_WINDOWS, Math.floor(SPIKES_PER_STRETCH / Math.max(1, perWindow))));
    // Poisson-like counts stay within mean + 8 sd; bursty sources fall back to the two-step plan
    this.room = Math.ceil(1.25 * perWindow + 8 * Math.sqrt(perWindow) + 64);
    this.arrivalMs = new Float64Array(this.room * this.windowsPerStretch);
    this.source = new Int32Array(this.room * this.windowsPerStretch);
    this.plannedStart = new Float64Array(this.windowsPerStretch);
    this.plannedEnd = new Float64Array(this.windowsPerStretch);
    this.listStart = new Int32Array(this.windowsPerStretch);
    this.listEnd = new Int32Array(this.windowsPerStretch);
    this.next = new Int32Array(spikeTimesMs.length);
    this.nextAtPlan = new Int32Array(spikeTimesMs.length);
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
    this.to = this.listEnd[k];
    this.current = k + 1;
  }

  /** The earliest arrival not delivered yet (Infinity: none). */
  earliestUndelivered(): number {
    let earliest = Infinity;
    for (let k = this.current; k < this.planned; k++) {
      for (let e = this.listStart[k]; e < this.listEnd[k]; e++) if (this.arrivalMs[e] < earliest) earliest = this.arrivalMs[e];
    }
    const times = this.spikeTimesMs;
    for (let j = 0; j < times.length; j++) {
      const q = this.next[j];
      if (q < times[j].length && times[j][q] + this.delayMs < earliest) earliest = times[j][q] + this.delayMs;
    }
    return earliest;
  }

  /** Undoes the stretch from its planned window starting at `fromMs`: those spikes go into a stretch again. */
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
    this.nextAtPlan.set(this.next);
    if (!this.planOnePass(start, windowMs, nb)) {
      this.next.set(this.nextAtPlan);
      this.planTwoSteps(start, windowMs, nb);
    }
  }

  /** The window of the stretch holding arrival a (< the stretch's end): the grid's estimate, corrected. */
  private static windowOf(a: number, start: number, invWindow: number, ends: Float64Array, nb: number): number {
    let k = ((a - start) * invWindow) | 0;
    if (k < 0) k = 0;
    else if (k >= nb) k = nb - 1;
    while (k > 0 && a < ends[k - 1]) k--;
    while (!(a < ends[k])) k++;
    return k;
  }

  /** One pass over the sources straight into the windows' rooms; false when a room overflows. */
  private planOnePass(start: number, windowMs: number, nb: number): boolean {
    const ends = this.plannedEnd;
    const last = ends[nb - 1];
    const times = this.spikeTimesMs;
    const d = this.delayMs;
    const invWindow = 1 / windowMs;
    const next = this.next;
    const fill = this.listEnd;
    const room = this.room;
    for (let k = 0; k < nb; k++) {
      this.listStart[k] = k * room;
      fill[k] = k * room;
    }
    const arrival = this.arrivalMs;
    const source = this.source;
    for (let j = 0; j < times.length; j++) {
      const t = times[j];
      const n = t.length;
      let q = next[j];
      for (; q < n; q++) {
        const a = t[q] + d;
        if (!(a < last)) break;
        const k = SourceWindows.windowOf(a, start, invWindow, ends, nb);
        const at = fill[k]++;
        if (at === (k + 1) * room) return false;
        arrival[at] = a;
        source[at] = j;
      }
      next[j] = q;
    }
    return true;
  }

  /** Stages the stretch in source order, counts per window, then scatters into lists of the exact sizes. */
  private planTwoSteps(start: number, windowMs: number, nb: number): void {
    const ends = this.plannedEnd;
    const last = ends[nb - 1];
    const times = this.spikeTimesMs;
    const d = this.delayMs;
    const invWindow = 1 / windowMs;
    const next = this.next;
    const counts = this.listEnd;
    counts.fill(0);
    let m = 0;
    for (let j = 0; j < times.length; j++) {
      const t = times[j];
      const n = t.length;
      let q = next[j];
      for (; q < n; q++) {
        const a = t[q] + d;
        if (!(a < last)) break;
        const k = SourceWindows.windowOf(a, start, invWindow, ends, nb);
        if (m === this.stagedArrival.length) this.growStaging();
        this.stagedArrival[m] = a;
        this.stagedSource[m] = j;
        this.stagedWindow[m] = k;
        counts[k]++;
        m++;
      }
      next[j] = q;
    }
    if (m > this.arrivalMs.length) {
      this.arrivalMs = new Float64Array(m);
      this.source = new Int32Array(m);
    }
    // list k starts after lists 0..k-1; listEnd then serves as the fill cursor
    let at = 0;
    for (let k = 0; k < nb; k++) {
      const count = counts[k];
      this.listStart[k] = at;
      counts[k] = at;
      at += count;
    }
    const arrival = this.arrivalMs;
    const source = this.source;
    for (let r = 0; r < m; r++) {
      const to = counts[this.stagedWindow[r]]++;
      arrival[to] = this.stagedArrival[r];
      source[to] = this.stagedSource[r];
    }
  }

  private growStaging(): void {
    const n = Math.max(1024, 2 * this.stagedArrival.length);
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
