/**
 * A deliberately simple exact event simulator used as an independent reference for the engine: after
 * every event it re-predicts every neuron's next crossing up to the next pending input (O(N) per event,
 * no windows, no buffers, no heap), using only the single-neuron API. Small networks only.
 */
import { advanceState, firstCrossingTime, receiveSpike, type LifState } from '../../core/lif/neuron.ts';
import { lifParamsAt, type LifParams } from '../../core/lif/params.ts';
import type { Network } from '../../core/network/network.ts';

export interface NaiveSpike {
  population: number;
  neuron: number;
  timeMs: number;
}

export function naiveSimulate(network: Network, durationMs: number): NaiveSpike[] {
  interface Neuron {
    pop: number;
    local: number;
    params: LifParams;
    state: LifState;
    last: number;
  }
  const neurons: Neuron[] = [];
  const index = new Map<string, number>();
  network.populations.forEach((p, pi) => {
    if (p.kind !== 'lif') return;
    for (let j = 0; j < p.size; j++) {
      const params = lifParamsAt(p.params, j);
      index.set(`${pi}:${j}`, neurons.length);
      neurons.push({ pop: pi, local: j, params, state: { vMv: p.initialVMv[j], iExcNa: 0, iInhNa: 0, refractoryLeftMs: 0 }, last: 0 });
    }
  });
  const pending: { t: number; target: number; w: number; seq: number }[] = [];
  let seq = 0;
  const send = (pop: number, local: number, t: number): void => {
    for (const proj of network.projections) {
      if (proj.source !== pop) continue;
      const syn = proj.synapses;
      for (let e = syn.rowStart[local]; e < syn.rowStart[local + 1]; e++) {
        const arrival = t + proj.delayMs;
        if (arrival < durationMs) pending.push({ t: arrival, target: index.get(`${proj.target}:${syn.targets[e]}`)!, w: syn.weights[e], seq: seq++ });
      }
    }
  };
  network.populations.forEach((p, pi) => {
    if (p.kind !== 'source') return;
    p.spikeTimesMs.forEach((times, j) => times.forEach((t) => send(pi, j, t)));
  });

  const spikes: NaiveSpike[] = [];
  const moveTo = (n: Neuron, t: number): void => {
    n.state = advanceState(n.state, n.params, t - n.last);
    n.last = t;
  };
  for (let guard = 0; guard < 1_000_000; guard++) {
    pending.sort((a, b) => a.t - b.t || a.seq - b.seq);
    const tInput = pending.length > 0 ? pending[0].t : durationMs;
    let fireAt = Infinity;
    let who = -1;
    neurons.forEach((n, i) => {
      const dt = firstCrossingTime(n.state, n.params, tInput - n.last);
      if (dt !== Infinity && n.last + dt < fireAt) {
        fireAt = n.last + dt;
        who = i;
      }
    });
    if (who >= 0 && fireAt < durationMs && fireAt <= tInput) {
      const n = neurons[who];
      moveTo(n, fireAt);
      n.state = { ...n.state, vMv: n.params.vResetMv, refractoryLeftMs: n.params.tauRefracMs };
      spikes.push({ population: n.pop, neuron: n.local, timeMs: fireAt });
      send(n.pop, n.local, fireAt);
      continue;
    }
    if (pending.length === 0) break;
    const ev = pending.shift()!;
    const n = neurons[ev.target];
    moveTo(n, ev.t);
    n.state = receiveSpike(n.state, ev.w);
  }
  return spikes.sort((a, b) => a.timeMs - b.timeMs || a.population - b.population || a.neuron - b.neuron);
}
