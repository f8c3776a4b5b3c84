import { fmix32, type RandomStream } from '../../core/rng.ts';

/** One round of MurmurHash3's 32-bit block mixing of `k` into `h`. */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

const timeBits = new Float64Array(1);
const timeWords = new Uint32Array(timeBits.buffer);

/**
 * Random numbers per spike that do not depend on the order in which spikes are looked at: a draw is a hash
 * (MurmurHash3's mixing, two independent 32-bit lanes for 53 bits) of a key drawn once from a named stream,
 * the trial, the population, the neuron, the spike's exact time (its 64 bits) and a salt. The engine may
 * ask for a spike's draw in any order and as often as it likes (the transmission to the next layer and the
 * record ask separately and must agree on whether the spike was lost).
 */
export class SpikeKeyedDraws {
  private readonly k0: number;
  private readonly k1: number;
  private trial = 0;

  constructor(source: RandomStream) {
    this.k0 = Math.floor(source.next() * 4294967296) | 0;
    this.k1 = Math.floor(source.next() * 4294967296) | 0;
  }

  /** Draws from now on belong to trial `trial` (an integer >= 0). */
  beginTrial(trial: number): void {
    this.trial = trial;
  }

  /** Uniform in [0, 1) for (trial, population, neuron, time, salt). */
  uniform(population: number, neuron: number, timeMs: number, salt: number): number {
    timeBits[0] = timeMs;
    const a = this.lane(this.k0, population, neuron, timeWords[0], timeWords[1], salt);
    const b = this.lane(this.k1, population, neuron, timeWords[0], timeWords[1], salt ^ 0x5bd1e995);
    return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
  }

  /** A standard normal for (trial, population, neuron, time, salt) (Box-Muller on two such uniforms). */
  normal(population: number, neuron: number, timeMs: number, salt: number): number {
    const u = 1 - this.uniform(population, neuron, timeMs, 2 * salt); // in (0, 1]
    const v = this.uniform(population, neuron, timeMs, 2 * salt + 1);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private lane(key: number, population: number, neuron: number, t0: number, t1: number, salt: number): number {
    let h = key;
    h = mix(h, this.trial >>> 0);
    h = mix(h, Math.floor(this.trial / 4294967296) >>> 0);
    h = mix(h, population);
    h = mix(h, neuron);
    h = mix(h, t0);
    h = mix(h, t1);
    h = mix(h, salt);
    return fmix32(h ^ 28);
  }
}
