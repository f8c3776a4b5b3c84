import { SpikeLimitError } from '../runLimits.ts';
import type { PartitionHooks } from './partitionHooks.ts';

/** Control words: threads arrived at the barrier, barrier generation, abort flag, parts finished. */
const ARRIVED = 0;
const GENERATION = 1;
const ABORT = 2;
const FINISHED = 3;

/** Header fields per part and slot: spikes in the outbox, activity count, next input time, next activity. */
const COUNT = 0;
const ACTIVITY = 1;
const NEXT_INPUT = 2;
const NEXT_ACTIVITY = 3;
const HEADER = 4;

/** Loads of the generation word before a part waits at the barrier in the kernel. */
const SPIN = 2000;

/** Outbox record: population, neuron (index in the whole population), time. */
const RECORD = 3;
const OUTBOX_INITIAL_BYTES = 8 * RECORD * 1024;
/** Largest outbox (address space reserved, not memory): 2^28 B, 11 million spikes of one part in one window. */
const OUTBOX_MAX_BYTES = 2 ** 28;

/** A SharedArrayBuffer that can grow in place (ES2024; Node >= 20). */
type GrowableSharedArrayBuffer = SharedArrayBuffer & { grow(byteLength: number): void; readonly maxByteLength: number };
const GrowableShared = SharedArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer;

/** The shared memory of one threaded run: created by the caller, handed to every part. */
export interface ExchangeBuffers {
  readonly threads: number;
  readonly control: SharedArrayBuffer;
  readonly headers: SharedArrayBuffer;
  /** Outbox of part r for slot s at index s * threads + r. */
  readonly outboxes: readonly SharedArrayBuffer[];
}

export function exchangeBuffers(threads: number): ExchangeBuffers {
  return {
    threads,
    control: new SharedArrayBuffer(4 * 4),
    headers: new SharedArrayBuffer(2 * threads * HEADER * 8),
    outboxes: Array.from({ length: 2 * threads }, () => new GrowableShared(OUTBOX_INITIAL_BYTES, { maxByteLength: OUTBOX_MAX_BYTES })),
  };
}

/** Stops every part: they throw PartAbortedError at their next barrier (or at once if waiting in one). */
export function abortExchange(buffers: ExchangeBuffers): void {
  const control = new Int32Array(buffers.control);
  Atomics.store(control, ABORT, 1);
  Atomics.notify(control, GENERATION);
}

/** Thrown in a part when another part failed (its error is the one reported). */
export class PartAbortedError extends Error {
  constructor() {
    super('stopped because another thread of the run failed');
    this.name = 'PartAbortedError';
  }
}

/**
 * One part's side of the window exchange (docs/design.md section 2c). Each window a part writes the
 * spikes it emitted to its outbox, then all parts meet at one barrier and every part reads every outbox, in
 * the order one thread would have emitted them: population by population in schedule order and, within a
 * population, part 0's spikes (its slice of neurons comes first), then part 1's, and so on. Outboxes and
 * headers alternate between two slots by barrier parity: a slot is written again only two barriers later,
 * when every part has finished reading it.
 */
export class WindowExchange implements PartitionHooks {
  activity = 0;
  /** End of the last window run (ms): the one-thread run records spike-source spikes up to it. */
  lastEndMs = 0;
  private readonly control: Int32Array;
  private readonly headers: Float64Array;
  private readonly outboxes: Float64Array[];
  private readonly outboxBuffers: GrowableSharedArrayBuffer[];
  private readonly threads: number;
  private round = 0;
  private count = 0;
  /** This part's activity count at the start of the window (the quiet check compares with it). */
  private localActivity = 0;
  private nextInput = Infinity;
  private spikes = 0;
  /** Per part: the next record of its outbox to read during the merge. */
  private readonly cursor: Int32Array;

  /**
   * `ownedFirst[p]`: this part's first neuron of population p in the whole population; `populationOrder`:
   * LIF populations in the schedule's order; `maxSpikes`: the run's spike limit over all parts.
   */
  constructor(
    buffers: ExchangeBuffers,
    private readonly rank: number,
    private readonly ownedFirst: Int32Array,
    private readonly populationOrder: readonly number[],
    readonly fastEligible: readonly boolean[],
    private readonly maxSpikes: number,
    private readonly populationNames: readonly string[],
  ) {
    this.threads = buffers.threads;
    this.cursor = new Int32Array(buffers.threads);
    this.control = new Int32Array(buffers.control);
    this.headers = new Float64Array(buffers.headers);
    this.outboxBuffers = buffers.outboxes as GrowableSharedArrayBuffer[];
    // length-tracking views: they follow the buffers as their writers grow them
    this.outboxes = this.outboxBuffers.map((b) => new Float64Array(b));
  }

  emitted(pop: number, local: number, t: number): void {
    const box = (this.round & 1) * this.threads + this.rank;
    let out = this.outboxes[box];
    const q = RECORD * this.count;
    if (q + RECORD > out.length) {
      const buffer = this.outboxBuffers[box];
      if (2 * buffer.byteLength > buffer.maxByteLength) {
        throw new Error(`more than ${out.length / RECORD} spikes in one window in one thread: the exchange buffer is full`);
      }
      buffer.grow(2 * buffer.byteLength);
      out = this.outboxes[box];
    }
    out[q] = pop;
    out[q + 1] = local + this.ownedFirst[pop];
    out[q + 2] = t;
    this.count++;
  }

  exchange(end: number, activity: number, nextInputTime: () => number, propagate: (pop: number, neuron: number, t: number) => void): void {
    const slot = this.round & 1;
    const T = this.threads;
    const h = this.headers;
    const mine = (slot * T + this.rank) * HEADER;
    h[mine + COUNT] = this.count;
    h[mine + ACTIVITY] = activity;
    // the next input matters only after a window quiet in all parts, hence in this one
    h[mine + NEXT_INPUT] = activity === this.localActivity ? nextInputTime() : NaN;
    this.localActivity = activity;
    this.barrier();
    let total = 0;
    let next = Infinity;
    const cursor = this.cursor;
    cursor.fill(0);
    for (let r = 0; r < T; r++) {
      const x = (slot * T + r) * HEADER;
      total += h[x + ACTIVITY];
      if (h[x + NEXT_INPUT] < next) next = h[x + NEXT_INPUT];
    }
    this.activity = total;
    this.nextInput = next;
    this.lastEndMs = end;
    for (const pop of this.populationOrder) {
      for (let r = 0; r < T; r++) {
        const out = this.outboxes[slot * T + r];
        const n = RECORD * h[(slot * T + r) * HEADER + COUNT];
        let q = RECORD * cursor[r];
        for (; q < n && out[q] === pop; q += RECORD) {
          const t = out[q + 2];
          if (++this.spikes > this.maxSpikes) throw new SpikeLimitError(this.maxSpikes, this.populationNames[pop], t);
          propagate(pop, out[q + 1], t);
        }
        cursor[r] = q / RECORD;
      }
    }
    this.count = 0;
    this.round++;
  }

  nextActivity(nextCrossingTime: (next: number) => number): number {
    const slot = this.round & 1;
    const T = this.threads;
    const h = this.headers;
    h[(slot * T + this.rank) * HEADER + NEXT_ACTIVITY] = nextCrossingTime(this.nextInput);
    this.barrier();
    let next = Infinity;
    for (let r = 0; r < T; r++) next = Math.min(next, h[(slot * T + r) * HEADER + NEXT_ACTIVITY]);
    this.round++;
    return next;
  }

  /** Marks this part's run complete: a part still waiting at a barrier then can never be joined. */
  finish(): void {
    Atomics.add(this.control, FINISHED, 1);
    Atomics.notify(this.control, GENERATION);
  }

  /** Marks the run failed and wakes every part waiting at the barrier. */
  abort(): void {
    Atomics.store(this.control, ABORT, 1);
    Atomics.notify(this.control, GENERATION);
  }

  /** Waits until all parts arrive; throws PartAbortedError once any part has failed. */
  private barrier(): void {
    const c = this.control;
    const generation = Atomics.load(c, GENERATION);
    if (Atomics.load(c, ABORT) !== 0) throw new PartAbortedError();
    if (Atomics.add(c, ARRIVED, 1) === this.threads - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    // a short spin first: the others are usually close behind, and a futex wake costs tens of microseconds
    for (let spin = 0; spin < SPIN && Atomics.load(c, GENERATION) === generation; spin++);
    while (Atomics.load(c, GENERATION) === generation) {
      if (Atomics.load(c, ABORT) !== 0) throw new PartAbortedError();
      // every part passes the same barriers; one that finished while this one waits means they diverged
      if (Atomics.load(c, FINISHED) !== 0) throw new Error(`thread ${this.rank}: the threads disagree on the windows of the run (an engine bug)`);
      Atomics.wait(c, GENERATION, generation, 1000);
    }
  }
}
