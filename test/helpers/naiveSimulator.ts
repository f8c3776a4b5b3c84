/**
 * A deliberately simple exact event simulator used as an independent reference for the engine. It
 * shares no dynamics code with the library: V(t) between events is the textbook solution of
 * test/helpers/reference.ts (refVoltage), the synaptic currents decay as plain exponentials, and the
 * first threshold crossing is found by scanning a fine grid (a fortieth of the shortest time constant)
 * with bisection, where local maxima of V between grid points are located by bisection on dV/dt (taken
 * from the ODE, dV/dt = (c - V) / tau_m + (I_E + I_I) / C_m) so grazing crossings are not missed.
 * Event handling: each neuron keeps a sorted queue of its own pending inputs and a predicted crossing
 * searched up to its next input; spikes at a time come before inputs at that time (lowest neuron first),
 * inputs at one time in the order they were sent. Slow, but no heap, no windows, no shared code.
 */
import type { Network } from '../../core/network/network.ts';
import { refVoltage, type RefParams } from './reference.ts';

export interface NaiveSpike {
  population: number;
  neuron: number;
  timeMs: number;
}

interface NeuronParams extends RefParams {
  vReset: number;
  tauRefrac: number;
}

interface NaiveNeuron {
  pop: number;
  local: number;
  p: NeuronParams;
  /** State (V, I_E, I_I) at time t0; the neuron is refractory (V held at v_reset) until refUntil. */
  t0: number;
  v0: number;
  iE0: number;
  iI0: number;
  refUntil: number;
  /** Pending inputs, sorted by (time, sequence). */
  queue: { t: number; w: number; seq: number }[];
  /** First crossing in (t0, windowEnd], or Infinity if none there. */
  predicted: number;
  windowEnd: number;
}

/** The state of `n` moved to time t >= n.t0 (refractory hold, then free evolution). */
function stateAt(n: NaiveNeuron, t: number): { v: number; iE: number; iI: number } {
  const p = n.p;
  const decay = (dt: number) => ({ iE: n.iE0 * Math.exp(-dt / p.tauE), iI: n.iI0 * Math.exp(-dt / p.tauI) });
  if (t <= n.refUntil) return { v: p.vReset, ...decay(t - n.t0) };
  let start = n.t0;
  let v = n.v0;
  let { iE, iI } = { iE: n.iE0, iI: n.iI0 };
  if (n.refUntil > n.t0) {
    ({ iE, iI } = decay(n.refUntil - n.t0));
    v = p.vReset;
    start = n.refUntil;
  }
  const dt = t - start;
  return { v: refVoltage(p, v, iE, iI, dt), iE: iE * Math.exp(-dt / p.tauE), iI: iI * Math.exp(-dt / p.tauI) };
}

function moveTo(n: NaiveNeuron, t: number): void {
  const s = stateAt(n, t);
  n.t0 = t;
  n.v0 = s.v;
  n.iE0 = s.iE;
  n.iI0 = s.iI;
}

/** Bisection for the sign change of g on [lo, hi] (g(lo) < 0 <= g(hi), or the reverse with `decreasing`), to the last bit. */
function bisect(g: (t: number) => number, lo: number, hi: number, decreasing = false): number {
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    const value = g(mid);
    if (decreasing ? value <= 0 : value >= 0) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** First t in (start, end] with V(t) >= v_thresh for the free neuron from its state at `start`, or Infinity. */
function firstCrossing(n: NaiveNeuron, end: number): number {
  const p = n.p;
  const start = Math.max(n.t0, n.refUntil);
  if (!(end > start)) return Infinity;
  const s0 = stateAt(n, start);
  const c = p.vRest + (p.iOffset * p.tauM) / p.cm;
  const f = (t: number): number => refVoltage(p, s0.v, s0.iE, s0.iI, t - start) - p.vThresh;
  const slope = (t: number): number => {
    const dt = t - start;
    const v = refVoltage(p, s0.v, s0.iE, s0.iI, dt);
    return (c - v) / p.tauM + (s0.iE * Math.exp(-dt / p.tauE) + s0.iI * Math.exp(-dt / p.tauI)) / p.cm;
  };
  if (f(start) >= 0) return start;
  const step = Math.min(p.tauM, p.tauE, p.tauI) / 40;
  const cells = Math.max(4, Math.ceil((end - start) / step));
  let x0 = start;
  let d0 = slope(start);
  for (let k = 1; k <= cells; k++) {
    const x1 = k === cells ? end : start + ((end - start) * k) / cells;
    if (f(x1) >= 0) return bisect(f, x0, x1);
    const d1 = slope(x1);
    if (d0 > 0 && d1 < 0) {
      const peak = bisect(slope, x0, x1, true);
      if (f(peak) >= 0) return bisect(f, x0, peak);
    }
    x0 = x1;
    d0 = d1;
  }
  return Infinity;
}

/**
 * One neuron (LIF parameters of population `pop`, neuron `j`) driven by the given input arrivals (sorted by
 * time): its spike times up to `durationMs`, by the same V(t) and crossing search as {@link naiveSimulate}.
 * Used open-loop: fed with the inputs implied by another simulator's spikes, it checks each neuron's
 * spikes without the amplification of small differences through the network.
 */
export function naiveNeuronSpikes(network: Network, pop: number, j: number, inputs: readonly { t: number; w: number }[], durationMs: number): number[] {
  const population = network.populations[pop];
  if (population.kind !== 'lif') throw new Error('naiveNeuronSpikes: not a LIF population');
  const n = newNeuron(population, pop, j);
  const out: number[] = [];
  let k = 0;
  for (;;) {
    const end = k < inputs.length ? inputs[k].t : durationMs;
    const t = firstCrossing(n, end);
    if (t < durationMs && t <= end) {
      moveTo(n, t);
      n.v0 = n.p.vReset;
      n.refUntil = t + n.p.tauRefrac;
      out.push(t);
      continue;
    }
    if (k === inputs.length) return out;
    moveTo(n, inputs[k].t);
    if (inputs[k].w >= 0) n.iE0 += inputs[k].w;
    else n.iI0 += inputs[k].w;
    k++;
  }
}

function newNeuron(population: Extract<Network['populations'][number], { kind: 'lif' }>, pi: number, j: number): NaiveNeuron {
  const a = population.params;
  return {
    pop: pi,
    local: j,
    p: {
      tauM: a.tauMemMs[j],
      tauE: a.tauSynExcMs[j],
      tauI: a.tauSynInhMs[j],
      cm: a.capacitanceNf[j],
      vRest: a.vRestMv[j],
      iOffset: a.iOffsetNa[j],
      vThresh: a.vThreshMv[j],
      vReset: a.vResetMv[j],
      tauRefrac: a.tauRefracMs[j],
    },
    t0: 0,
    v0: population.initialVMv[j],
    iE0: 0,
    iI0: 0,
    refUntil: -Infinity,
    queue: [],
    predicted: Infinity,
    windowEnd: -Infinity,
  };
}

/** Simulates `network` for `durationMs` on the ideal LIF model; returns its spikes sorted by (time, population, neuron). */
export function naiveSimulate(network: Network, durationMs: number): NaiveSpike[] {
  const neurons: NaiveNeuron[] = [];
  const firstIndex: number[] = [];
  network.populations.forEach((pop, pi) => {
    firstIndex.push(neurons.length);
    if (pop.kind !== 'lif') return;
    for (let j = 0; j < pop.size; j++) neurons.push(newNeuron(pop, pi, j));
  });
  let seq = 0;
  const predict = (n: NaiveNeuron): void => {
    n.windowEnd = n.queue.length > 0 ? n.queue[0].t : durationMs;
    n.predicted = firstCrossing(n, n.windowEnd);
  };
  const enqueue = (n: NaiveNeuron, t: number, w: number): void => {
    const item = { t, w, seq: seq++ };
    let k = n.queue.length;
    while (k > 0 && n.queue[k - 1].t > t) k--; // after every queued input at the same time
    n.queue.splice(k, 0, item);
    if (t < n.windowEnd) {
      // the prediction holds up to the new input; a crossing at or before it stands
      if (!(n.predicted <= t)) n.predicted = Infinity;
      n.windowEnd = t;
    }
  };
  const send = (pop: number, local: number, t: number): void => {
    for (const proj of network.projections) {
      if (proj.source !== pop) continue;
      const syn = proj.synapses;
      const arrival = t + proj.delayMs;
      if (!(arrival < durationMs)) continue;
      for (let e = syn.rowStart[local]; e < syn.rowStart[local + 1]; e++) enqueue(neurons[firstIndex[proj.target] + syn.targets[e]], arrival, syn.weights[e]);
    }
  };
  // source spikes in time order, so inputs of one time keep the order in which they were sent
  const sourceSpikes: { pop: number; local: number; t: number }[] = [];
  network.populations.forEach((pop, pi) => {
    if (pop.kind !== 'source') return;
    pop.spikeTimesMs.forEach((times, j) => times.forEach((t) => sourceSpikes.push({ pop: pi, local: j, t })));
  });
  sourceSpikes.sort((a, b) => a.t - b.t || a.pop - b.pop || a.local - b.local);
  for (const s of sourceSpikes) send(s.pop, s.local, s.t);
  for (const n of neurons) predict(n);

  const spikes: NaiveSpike[] = [];
  for (;;) {
    let fire: NaiveNeuron | null = null;
    let input: NaiveNeuron | null = null;
    for (const n of neurons) {
      if (n.predicted < durationMs && (fire === null || n.predicted < fire.predicted)) fire = n;
      const q = n.queue[0];
      if (q !== undefined && (input === null || q.t < input.queue[0].t || (q.t === input.queue[0].t && q.seq < input.queue[0].seq))) input = n;
    }
    if (fire !== null && (input === null || fire.predicted <= input.queue[0].t)) {
      const t = fire.predicted;
      moveTo(fire, t);
      fire.v0 = fire.p.vReset;
      fire.refUntil = t + fire.p.tauRefrac;
      spikes.push({ population: fire.pop, neuron: fire.local, timeMs: t });
      predict(fire);
      send(fire.pop, fire.local, t);
      continue;
    }
    if (input === null) break;
    const ev = input.queue.shift()!;
    moveTo(input, ev.t);
    if (ev.w >= 0) input.iE0 += ev.w;
    else input.iI0 += ev.w;
    predict(input);
  }
  return spikes.sort((a, b) => a.timeMs - b.timeMs || a.population - b.population || a.neuron - b.neuron);
}
