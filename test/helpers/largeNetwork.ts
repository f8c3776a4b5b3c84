import seedrandom from 'seedrandom';
import { lifParamArrays, type LifParams } from '../../core/lif/params.ts';
import { csrFromTriples, type Network, type Population, type Projection } from '../../core/network/network.ts';

/** Sizes and seed of {@link largeRecurrentNetwork}. */
export interface LargeNetworkOptions {
  readonly seed: number;
  /** LIF neurons in all (80% excitatory, 20% inhibitory). */
  readonly neurons: number;
  readonly durationMs: number;
  /** Poisson sources and their rate (Hz). */
  readonly sources?: number;
  readonly sourceRateHz?: number;
}

/**
 * A random excitatory-inhibitory network of `neurons` LIF neurons driven by Poisson sources: per-neuron
 * time constants (equal and unequal tau_m / tau_syn, tau_syn_E != tau_syn_I), refractory periods of
 * 0.5-3 ms, some offset currents, sparse recurrent projections with delays from 0 (a zero-delay
 * inhibitory loop) to 2.3 ms. Drawn from `seed` alone (seedrandom), so every run builds the same network.
 */
export function largeRecurrentNetwork(o: LargeNetworkOptions): Network {
  const rng = seedrandom(`large-network-${o.seed}`);
  const uniform = (a: number, b: number): number => a + (b - a) * rng();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const nSources = o.sources ?? 40;
  const rate = (o.sourceRateHz ?? 20) / 1000;
  const times: number[][] = [];
  for (let j = 0; j < nSources; j++) {
    const t: number[] = [];
    for (let x = -Math.log(1 - rng()) / rate; x < o.durationMs; x += -Math.log(1 - rng()) / rate) t.push(x);
    times.push(t);
  }
  const nExc = Math.round(0.8 * o.neurons);
  const nInh = o.neurons - nExc;
  const lif = (name: string, size: number): Population => {
    const params = lifParamArrays(size, {} as LifParams);
    for (let j = 0; j < size; j++) {
      const tauM = pick([10, 20]);
      params.tauMemMs[j] = tauM;
      params.tauSynExcMs[j] = pick([5, 10, tauM]);
      params.tauSynInhMs[j] = pick([2.5, 5, tauM]);
      params.capacitanceNf[j] = 1;
      params.vRestMv[j] = 0;
      params.vResetMv[j] = pick([0, -2]);
      params.vThreshMv[j] = 10;
      params.tauRefracMs[j] = pick([0.5, 1, 3]);
      // an offset current in a fifth of the neurons, its asymptote (1-4 mV) well below threshold
      params.iOffsetNa[j] = rng() < 0.2 ? uniform(1, 4) / tauM : 0;
    }
    return { kind: 'lif', name, size, params, initialVMv: Float64Array.from({ length: size }, () => uniform(0, 5)) };
  };
  const populations: Population[] = [
    { kind: 'source', name: 'poisson', size: nSources, spikeTimesMs: times.map((t) => Float64Array.from(t)) },
    lif('exc', nExc),
    lif('inh', nInh),
  ];
  const sizes = [nSources, nExc, nInh];
  const connect = (name: string, source: number, target: number, density: number, delayMs: number, w: () => number): Projection => {
    const rows: number[] = [];
    const cols: number[] = [];
    const ws: number[] = [];
    for (let a = 0; a < sizes[source]; a++) {
      for (let b = 0; b < sizes[target]; b++) {
        if ((source !== target || a !== b) && rng() < density) {
          rows.push(a);
          cols.push(b);
          ws.push(w());
        }
      }
    }
    return { name, source, target, delayMs, synapses: csrFromTriples(sizes[source], rows, cols, ws) };
  };
  return {
    populations,
    projections: [
      connect('poisson->exc', 0, 1, 0.25, 0.5, () => uniform(0.2, 1.2)),
      connect('poisson->inh', 0, 2, 0.2, 0.5, () => uniform(0.2, 0.9)),
      connect('exc->exc', 1, 1, 0.05, 1.5, () => uniform(0, 0.5)),
      connect('exc->inh', 1, 2, 0.1, 0.8, () => uniform(0.2, 0.8)),
      connect('inh->exc', 2, 1, 0.2, 2.3, () => uniform(-1, -0.3)),
      connect('inh->inh', 2, 2, 0.1, 0, () => uniform(-0.5, -0.1)),
    ],
  };
}
