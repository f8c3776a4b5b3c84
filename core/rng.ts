import { createRequire } from 'node:module';

// seedrandom is CommonJS: require() is cheaper at start-up than an ESM import (docs/benchmarks.md, CLI start-up)
const seedrandom = createRequire(import.meta.url)('seedrandom') as typeof import('seedrandom');

/**
 * A reproducible stream of uniform numbers in [0, 1). One stream per purpose (docs/design.md section 2):
 * `connectivity`, `weights`, `input`, `chip`, `trial`, `data`, `init`, ... so that drawing more numbers
 * for one purpose never shifts another's.
 */
export interface RandomStream {
  /** Uniform in [0, 1), 53-bit resolution. */
  next(): number;
}

/** Opens the stream named `purpose` (e.g. `connectivity/exc->inh`) of master seed `seed`. */
export function randomStream(seed: number | string, purpose: string): RandomStream {
  const prng = seedrandom(`${seed}\u0000${purpose}`);
  return { next: () => prng.double() };
}

/** A standard normal draw (Box-Muller on two uniforms; the second variate is discarded for simplicity). */
export function normalDraw(stream: RandomStream): number {
  let u = stream.next();
  while (u === 0) u = stream.next();
  const v = stream.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** An integer uniform in [0, n). */
export function integerDraw(stream: RandomStream, n: number): number {
  return Math.floor(stream.next() * n);
}

/** Exponentially distributed waiting time with the given rate (events per unit time). */
export function exponentialDraw(stream: RandomStream, rate: number): number {
  return -Math.log(1 - stream.next()) / rate;
}

/**
 * MurmurHash3's 32-bit finaliser (Appleby): spreads every input bit over the output. The substrates use it to
 * derive counter-based per-trial and per-spike draws from a seed without a stream per draw.
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
