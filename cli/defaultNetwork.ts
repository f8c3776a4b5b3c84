import type { FirstspikeConfig } from '../core/config/index.ts';

/**
 * The built-in network that `firstspike demo` (and `npm start`) simulates: 1000 LIF neurons, 80%
 * excitatory, fixed in-degree 100 with 1 ms delays, each driven by its own 1550 Hz Poisson input
 * (the benchmark network of bench/engine.ts at N = 1000), 500 ms, with two membrane traces.
 */
/** The benchmark neuron (issue: engine benchmark): ms, mV, nF, nA. */
const NEURON = { tau_m: 10, tau_syn_E: 5, tau_syn_I: 5, cm: 10, v_rest: 0, v_reset: 0, v_thresh: 1, tau_refrac: 2, i_offset: 0 };

export const DEFAULT_NETWORK: FirstspikeConfig = {
  seed: 1,
  duration: 500,
  populations: [
    { name: 'poisson', type: 'spike_source_poisson', size: 1000, rate: 1550 },
    {
      name: 'exc',
      type: 'IF_curr_exp',
      size: 800,
      params: NEURON,
    },
    {
      name: 'inh',
      type: 'IF_curr_exp',
      size: 200,
      params: NEURON,
    },
  ],
  projections: [
    {
      name: 'poisson->exc',
      source: 'poisson',
      target: 'exc',
      connector: { type: 'from_list', connections: Array.from({ length: 800 }, (_, i) => [i, i] as const) },
      weight: 0.1,
      delay: 1,
    },
    {
      name: 'poisson->inh',
      source: 'poisson',
      target: 'inh',
      connector: { type: 'from_list', connections: Array.from({ length: 200 }, (_, i) => [800 + i, i] as const) },
      weight: 0.1,
      delay: 1,
    },
    { name: 'exc->exc', source: 'exc', target: 'exc', connector: { type: 'fixed_in_degree', n: 80, allow_self_connections: false }, weight: 0.1, delay: 1 },
    { name: 'exc->inh', source: 'exc', target: 'inh', connector: { type: 'fixed_in_degree', n: 80 }, weight: 0.1, delay: 1 },
    { name: 'inh->exc', source: 'inh', target: 'exc', connector: { type: 'fixed_in_degree', n: 20 }, weight: -0.4, delay: 1 },
    { name: 'inh->inh', source: 'inh', target: 'inh', connector: { type: 'fixed_in_degree', n: 20, allow_self_connections: false }, weight: -0.4, delay: 1 },
  ],
  record: { spikes: ['exc', 'inh'], v: [{ population: 'exc', indices: [0, 1], dt: 0.1 }] },
};
