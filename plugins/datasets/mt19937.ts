import type { RandomStream } from '../../core/rng.ts';

/**
 * The 32-bit Mersenne Twister MT19937 (Matsumoto & Nishimura 1998), seeded with their `init_genrand`.
 *
 * numpy's legacy `RandomState(seed)` (and `np.random.seed(seed)`) for an integer seed in [0, 2^32) runs
 * exactly this seeding, so the draws below reproduce numpy's: `nextUint32` is `genrand_int32`, and
 * `nextDouble` is numpy's `random_sample` (the reference `genrand_res53`). It is here to regenerate the
 * published Yin-Yang splits bit for bit (plugins/datasets/yinYang.ts); use `core/rng.ts` streams for
 * everything else.
 */
export class Mt19937 implements RandomStream {
  private static readonly N = 624;
  private static readonly M = 397;
  private readonly mt = new Uint32Array(Mt19937.N);
  private index = Mt19937.N;

  /** Seeds with `init_genrand(seed)`; `seed` must be an integer in [0, 2^32). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32), got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < Mt19937.N; i++) {
      // mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >> 30)) + i  (mod 2^32); Math.imul keeps it in 32 bits.
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = Mt19937.N;
  }

  /** The next 32-bit unsigned integer (`genrand_int32`). */
  nextUint32(): number {
    if (this.index >= Mt19937.N) this.twist();
    let y = this.mt[this.index++]!;
    // Tempering.
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits: ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53 (`genrand_res53`). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `RandomStream` view: the same as `nextDouble`. */
  next(): number {
    return this.nextDouble();
  }

  /**
   * An integer uniform in [0, n) for 1 <= n <= 2^32, by masking a 32-bit draw with the smallest all-ones
   * mask >= n - 1 and redrawing until it fits: numpy's legacy `RandomState.randint(n)` path.
   */
  nextBelow(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x100000000) {
      throw new RangeError(`nextBelow needs an integer n in [1, 2^32], got ${n}`);
    }
    const max = n - 1;
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  private twist(): void {
    const mt = this.mt;
    const N = Mt19937.N;
    const M = Mt19937.M;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      let next = mt[(i + M) % N]! ^ (y >>> 1);
      if (y & 1) next ^= 0x9908b0df;
      mt[i] = next >>> 0;
    }
    this.index = 0;
  }
}
