import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceWindows } from '../core/engine/sourceWindows.ts';

/**
 * The per-window lists of SourceWindows against a brute-force scan: for every window the engine forms,
 * every source spike with arrival t + d in the window (or before it, in the first window), sources in index
 * order and each source's spikes in time order, every spike exactly once, also when the engine skips quiet
 * stretches (which breaks the stretch's plan) and when a burst overflows a window's room.
 */
function bruteForce(times: readonly Float64Array[], d: number, start: number, end: number, first: boolean): [number, number][] {
  const out: [number, number][] = [];
  times.forEach((t, j) => {
    for (const x of t) {
      const a = x + d;
      if (a < end && (a >= start || first)) out.push([j, a]);
    }
  });
  return out;
}

/** Spike times on a grid of 1/8 ms, with grid windows and delays: arrivals fall exactly on window bounds. */
const gridTrainArb = fc.array(fc.integer({ min: -8, max: 480 }), { maxLength: 40 }).map((xs) => Float64Array.from(xs, (x) => x / 8).sort());
const trainArb = fc
  .array(fc.double({ min: -2, max: 60, noNaN: true, noDefaultInfinity: true }), { maxLength: 40 })
  .map((xs) => Float64Array.from(xs).sort());
/** A source that fires a burst of many spikes at nearly one time (overflows the rooms sized by the mean rate). */
const burstArb = fc.record({ at: fc.double({ min: 0, max: 50, noNaN: true }), count: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 3000 })) });

/** Runs the engine's window loop over random sources and compares every window's list with bruteForce. */
function check(train: fc.Arbitrary<Float64Array>, delay: fc.Arbitrary<number>, window: fc.Arbitrary<number>, duration: fc.Arbitrary<number>, seed: number): void {
  fc.assert(
    fc.property(
      fc.array(train, { minLength: 1, maxLength: 12 }),
      fc.array(burstArb, { maxLength: 3 }),
      delay,
      window,
      duration,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }),
      (trains, bursts, d, windowMs, durationMs, skips) => {
        const times = trains.slice();
        for (const burst of bursts) times.push(Float64Array.from({ length: burst.count }, (_, q) => burst.at + q * 1e-9));
        const sw = new SourceWindows(times, d, windowMs);
        const seen: [number, number][] = [];
        let start = 0;
        let w = 0;
        let first = true;
        while (start < durationMs) {
          const end = Math.min(start + windowMs, durationMs);
          sw.forWindow(start, end, windowMs, durationMs);
          const got: [number, number][] = [];
          for (let e = sw.from; e < sw.to; e++) got.push([sw.source[e], sw.arrivalMs[e]]);
          expect(got).toEqual(bruteForce(times, d, start, end, first));
          seen.push(...got);
          first = false;
          start = end;
          // now and then jump ahead as the engine does after a quiet window: to at most the earliest arrival
          const skip = skips[w++ % Math.max(1, skips.length)] ?? 0;
          if (skips.length > 0 && skip > 0.5) {
            const next = sw.earliestUndelivered();
            const expected = bruteForce(times, d, start, Infinity, false).reduce((m, [, a]) => Math.min(m, a), Infinity);
            expect(next).toBe(expected);
            if (next > start) start = Math.min(start + (next - start) * skip, next, durationMs);
          }
        }
        // every spike arriving before the end was delivered once
        expect(seen.length).toBe(bruteForce(times, d, -Infinity, durationMs, true).length);
      },
    ),
    { numRuns: 300, seed },
  );
}

describe('SourceWindows', () => {
  it('lists each window\'s arrivals exactly as a per-source scan does, with quiet skips and bursts', () => {
    check(trainArb, fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0.05, max: 2.5, noNaN: true }), fc.double({ min: 1, max: 70, noNaN: true }), 12);
  });

  it('does so with arrivals exactly on window bounds (grid times, windows and delays)', () => {
    const grid = (min: number, max: number) => fc.integer({ min, max }).map((x) => x / 8);
    check(gridTrainArb, grid(0, 16), grid(1, 16), grid(8, 560), 13);
  });
});

describe('SourceWindows at the edges of windows', () => {
  /** The double just below x > 0. */
  const below = (x: number): number => {
    const f = new Float64Array([x]);
    const u = new BigInt64Array(f.buffer);
    u[0] -= 1n;
    return f[0];
  };

  // 0.11: below(0.11) / 0.11 rounds up to 1, so the grid's estimate of the window is one too high
  it.each([0.1, 0.11])('puts arrivals one ulp before and at each window end into the right window (windows of %s ms)', (windowMs) => {
    const durationMs = 6.4;
    // the window ends as the engine forms them (repeated sums, not k * W)
    const ends: number[] = [];
    for (let s = 0; s < durationMs; ) {
      s = Math.min(s + windowMs, durationMs);
      ends.push(s);
    }
    const times = [Float64Array.from(ends.flatMap((e) => [below(e), e]).filter((t) => t < durationMs))];
    const sw = new SourceWindows(times, 0, windowMs);
    let start = 0;
    let delivered = 0;
    for (const end of ends) {
      sw.forWindow(start, end, windowMs, durationMs);
      const got = Array.from(sw.arrivalMs.subarray(sw.from, sw.to));
      expect(got).toEqual(Array.from(times[0]).filter((t) => t >= start && t < end));
      delivered += got.length;
      start = end;
    }
    expect(delivered).toBe(times[0].length);
  });
});

describe('SourceWindows with a burst', () => {
  it('gives every window its exact arrivals when one window holds about 1.5 times its room', () => {
    // a source at 10 spikes per ms fills every window; 150 spikes at 10.5 ms overflow window 10's room
    // (mean 12.3 per window -> room 1.25 * 12.3 + 8 * sqrt(12.3) + 64 = 108) but not twice over
    const regular = Float64Array.from({ length: 640 }, (_, q) => q / 10);
    const burst = Float64Array.from({ length: 150 }, (_, q) => 10.5 + q * 1e-6);
    const times = [regular, burst];
    const sw = new SourceWindows(times, 0, 1);
    for (let start = 0; start < 64; start++) {
      sw.forWindow(start, start + 1, 1, 64);
      const got: [number, number][] = [];
      for (let e = sw.from; e < sw.to; e++) got.push([sw.source[e], sw.arrivalMs[e]]);
      expect(got).toEqual(bruteForce(times, 0, start, start + 1, start === 0));
    }
  });
});
