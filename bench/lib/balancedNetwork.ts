/**
 * The balanced random network of the engine benchmarks (bench/engine.ts): N LIF neurons, fixed in-degree
 * K = 100 without self-connections, the first 80% excitatory (w = +0.1 nA), the rest inhibitory
 * (w = -0.4 nA), delay 1 ms; each neuron gets its own Poisson input of 1550 Hz with w = 0.1 nA. tau_m 10 ms,
 * tau_syn_E = tau_syn_I = 5 ms, cm 10 nF, v_rest = v_reset = 0 mV, v_thresh = 1 mV, tau_refrac 2 ms.
 * Connectivity and input come from named streams of `seed`; input spikes cover [0, totalMs).
 */
import { lifParamArrays } from '../../core/lif/params.ts';
import { csrFromTriples, type Network } from '../../core/network/network.ts';
import { exponentialDraw, integerDraw, randomStream } from '../../core/rng.ts';

/** Fixed in-degree of the benchmark network. */
export const IN_DEGREE = 100;

export function buildNetwork(n: number, totalMs: number, seed: number): { network: Network; synapseBytes: number; synapses: number } {
  const K = IN_DEGREE;
  // K distinct sources other than the neuron itself: the draw below would never end with n <= K
  if (!Number.isInteger(n) || n <= K) throw new RangeError(`N must be an integer above the in-degree ${K}, got ${n}`);
  const nExc = Math.round(0.8 * n);
  const conn = randomStream(seed, 'connectivity/recurrent');
  const pre = new Int32Array(n * K);
  const post = new Int32Array(n * K);
  const w = new Float64Array(n * K);
  const chosen = new Uint8Array(n);
  const picked = new Int32Array(K);
  let e = 0;
  for (let j = 0; j < n; j++) {
    for (let m = 0; m < K; m++) {
      let src: number;
      do src = integerDraw(conn, n);
      while (src === j || chosen[src] === 1);
      chosen[src] = 1;
      picked[m] = src;
    }
    for (let m = 0; m < K; m++) {
      const src = picked[m];
      chosen[src] = 0;
      pre[e] = src;
      post[e] = j;
      w[e] = src < nExc ? 0.1 : -0.4;
      e++;
    }
  }
  const recurrent = csrFromTriples(n, pre, post, w);
  const input = randomStream(seed, 'input/poisson');
  const spikeTimesMs: Float64Array[] = [];
  const rateKhz = 1.55;
  for (let j = 0; j < n; j++) {
    const times: number[] = [];
    let t = exponentialDraw(input, rateKhz);
    while (t < totalMs) {
      times.push(t);
      t += exponentialDraw(input, rateKhz);
    }
    spikeTimesMs.push(Float64Array.from(times));
  }
  const oneToOne = csrFromTriples(
    n,
    Int32Array.from({ length: n }, (_, j) => j),
    Int32Array.from({ length: n }, (_, j) => j),
    new Float64Array(n).fill(0.1),
  );
  const params = lifParamArrays(n, {
    tauMemMs: 10,
    tauSynExcMs: 5,
    tauSynInhMs: 5,
    capacitanceNf: 10,
    vRestMv: 0,
    vResetMv: 0,
    vThreshMv: 1,
    tauRefracMs: 2,
    iOffsetNa: 0,
  });
  const network: Network = {
    populations: [
      { kind: 'source', name: 'poisson', size: n, spikeTimesMs },
      { kind: 'lif', name: 'net', size: n, params, initialVMv: new Float64Array(n) },
    ],
    projections: [
      { name: 'poisson->net', source: 0, target: 1, delayMs: 1, synapses: oneToOne },
      { name: 'net->net', source: 1, target: 1, delayMs: 1, synapses: recurrent },
    ],
  };
  const synapseBytes = recurrent.rowStart.byteLength + recurrent.targets.byteLength + recurrent.weights.byteLength;
  return { network, synapseBytes, synapses: recurrent.targets.length };
}
