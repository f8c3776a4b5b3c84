import { concatenatedLifParams, type LifPopulation, type Network, type Projection, type RecordingSpec } from '../network/network.ts';
import type { LifConstants } from '../lif/constants.ts';
import { isLifDynamics } from '../lif/lifDynamics.ts';
import { neuronStateArrays, type NeuronDynamics } from '../substrate/dynamics.ts';
import type { Observation } from '../substrate/substrate.ts';
import { EventQueue } from './eventQueue.ts';
import { InputBuffers } from './inputBuffers.ts';
import { SpikeRecorder, type MembraneTrace, type SpikeTable } from './recorder.ts';
import { DelayResolutionError, NonFiniteStateError, SpikeLimitError } from './runLimits.ts';
import type { PartitionHooks } from './parallel/partitionHooks.ts';
import { planSchedule } from './schedule.ts';
import { SourceWindows } from './sourceWindows.ts';
import { ACC_EXC, ACC_INH, ACC_V_EXC, ACC_V_INH, WindowedLif, quadraticPeak } from './windowedLif.ts';

/** Counts from one run. */
export interface RunStatistics {
  /** Spikes emitted by LIF neurons (recorded or not). */
  readonly spikesEmitted: number;
  /** Synaptic events applied to LIF neurons from spike-source populations. */
  readonly externalEvents: number;
  /** Synaptic events applied to LIF neurons from LIF populations. */
  readonly recurrentEvents: number;
  /** Number of lookahead windows the run was split into. */
  readonly windows: number;
  readonly windowMs: number;
  /** Neuron-windows on the windowed fast path advanced in bulk (the bound ruled out a spike). */
  readonly bulkNeuronWindows: number;
  /** Neuron-windows on the windowed fast path that ran the exact input-by-input sweep. */
  readonly sweptNeuronWindows: number;
}

export interface RunResult {
  readonly spikes: SpikeTable;
  readonly traces: readonly MembraneTrace[];
  readonly statistics: RunStatistics;
}

export interface RunOptions<C> {
  readonly network: Network;
  readonly dynamics: NeuronDynamics<C>;
  readonly durationMs: number;
  readonly recording: RecordingSpec;
  readonly observation?: Observation;
  /** Called after each window with the simulated time reached (ms). */
  readonly onProgress?: (simulatedMs: number) => void;
  /** Stop with a SpikeLimitError when LIF neurons have emitted more spikes than this (default: no limit). */
  readonly maxSpikes?: number;
  /**
   * Run every neuron on the generic input-by-input path, never on the windowed fast path of
   * core/engine/windowedLif.ts (the reference the fast path is compared with). Default false.
   */
  readonly reference?: boolean;
  /**
   * Smallest population that takes the windowed fast path (default 64). Smaller populations gain little
   * and keep the reference path's arithmetic bit for bit.
   */
  readonly fastPathMinNeurons?: number;
}

const FIRE = 0;
const INPUT = 1;

/**
 * Runs a realised network with exact event-driven dynamics (docs/design.md section 2 and 2b).
 *
 * Time is cut into lookahead windows no longer than the smallest positive LIF-to-LIF delay. At the start of
 * a window every input that can arrive in it is already known: spike-source spikes (streamed per source
 * neuron) and deliveries of earlier spikes (one heap entry per emitted spike and outgoing projection,
 * fanned out over the projection's CSR row). Each neuron then sweeps its own inputs in time order, solving
 * exactly for threshold crossings between consecutive inputs; spikes over zero-delay projections reach
 * populations later in the group order within the same window, and populations joined in a zero-delay
 * cycle are run event by event on a shared queue with lazily invalidated crossing predictions.
 */
export function runNetwork<C>(options: RunOptions<C>): RunResult {
  return runNetworkPart(options, null);
}

/**
 * runNetwork over one thread's part of a partitioned network (core/engine/parallel/), exchanging the spikes
 * of each window with the other parts through `part`; with part null it is runNetwork.
 */
export function runNetworkPart<C>(options: RunOptions<C>, part: PartitionHooks | null): RunResult {
  const { network, dynamics: dyn, durationMs, recording, observation } = options;
  const pops = network.populations;
  const projections = network.projections;

  // Global LIF neuron numbering.
  const offset = new Int32Array(pops.length).fill(-1);
  const lifPops: LifPopulation[] = [];
  let total = 0;
  pops.forEach((p, idx) => {
    if (p.kind === 'lif') {
      offset[idx] = total;
      total += p.size;
      lifPops.push(p);
    }
  });
  const popOf = new Int32Array(total);
  pops.forEach((p, idx) => {
    if (p.kind === 'lif') popOf.fill(idx, offset[idx], offset[idx] + p.size);
  });

  const params = concatenatedLifParams(pops);
  const k = dyn.prepare(params, network);
  const s = neuronStateArrays(total);
  for (const p of lifPops) s.vMv.set(p.initialVMv, offset[pops.indexOf(p)]);

  const schedule = planSchedule(network);
  const groupOfPop = new Int32Array(pops.length).fill(-1);
  schedule.groups.forEach((g, gi) => g.populations.forEach((p) => (groupOfPop[p] = gi)));

  const outgoing: Projection[][] = pops.map(() => []);
  const outgoingIndex: number[][] = pops.map(() => []);
  const external: number[] = [];
  projections.forEach((p, idx) => {
    if (pops[p.source].kind === 'lif') {
      outgoing[p.source].push(p);
      outgoingIndex[p.source].push(idx);
    } else external.push(idx);
  });
  const sourcePointer = external.map((idx) => new Int32Array(pops[projections[idx].source].size));
  // with finite windows, source arrivals are sorted into per-window lists a stretch of windows at a time
  // (sourceWindows.ts)
  const chunks = external.map((idx) => {
    const proj = projections[idx];
    const src = pops[proj.source];
    return src.kind === 'source' && Number.isFinite(schedule.windowMs) ? new SourceWindows(src.spikeTimesMs, proj.delayMs, schedule.windowMs) : null;
  });

  const buffers = new InputBuffers(total);
  const deliveries = new EventQueue();
  const groupQueue = new EventQueue();
  const version = new Int32Array(total);

  // Recording.
  const recordSpikes = new Uint8Array(pops.length);
  for (const p of recording.spikes ?? pops.map((_, i) => i).filter((i) => pops[i].kind === 'lif')) {
    recordSpikes[p] = 1;
  }
  const spikes = new SpikeRecorder();
  const recordedSources = pops.flatMap((p, idx) =>
    p.kind === 'source' && recordSpikes[idx] === 1 ? [{ population: idx, pointer: new Int32Array(p.size) }] : [],
  );
  const traces: { population: number; neuron: number; dtMs: number; vMv: Float64Array; next: number }[] = [];
  const tracesOf: number[][] = [];
  for (const req of recording.membrane ?? []) {
    const count = Math.max(0, Math.ceil(durationMs / req.dtMs - 1e-9));
    for (const n of req.indices) {
      const g = offset[req.population] + n;
      (tracesOf[g] ??= []).push(traces.length);
      traces.push({ population: req.population, neuron: n, dtMs: req.dtMs, vMv: new Float64Array(count), next: 0 });
    }
  }
  const traced = new Uint8Array(total);
  tracesOf.forEach((_, g) => (traced[g] = 1));
  /** Per population: 1 when one of its neurons is traced. */
  const tracedPopulation = new Uint8Array(pops.length);
  tracesOf.forEach((_, g) => (tracedPopulation[popOf[g]] = 1));

  // The windowed fast path: populations of identical lifDynamics neurons that are run by sweeps.
  const windowed =
    options.reference !== true && isLifDynamics(dyn as NeuronDynamics<unknown>)
      ? new WindowedLif(
          k as unknown as LifConstants, // isLifDynamics: prepare is lifDynamics.prepare
          params,
          offset,
          pops.map((p) => p.size),
          pops.map(
            (p, idx) =>
              p.kind === 'lif' &&
              (part === null ? p.size >= (options.fastPathMinNeurons ?? 64) : part.fastEligible[idx]) &&
              !schedule.groups[groupOfPop[idx]].eventDriven,
          ),
        )
      : null;
  const fastOf = windowed === null ? pops.map(() => null) : windowed.fastOf;

  const sampleBefore = (i: number, t: number): void => {
    for (const ti of tracesOf[i]) {
      const tr = traces[ti];
      while (tr.next < tr.vMv.length && tr.next * tr.dtMs < t) {
        tr.vMv[tr.next] = dyn.membranePotentialAt(s, k, i, tr.next * tr.dtMs);
        tr.next++;
      }
    }
  };

  let externalEvents = 0;
  let recurrentEvents = 0;
  let spikesEmitted = 0;
  let bulkNeuronWindows = 0;
  let sweptNeuronWindows = 0;

  const deliverRow = (projIdx: number, pre: number, t: number): number => {
    const proj = projections[projIdx];
    const syn = proj.synapses;
    const base = offset[proj.target];
    const from = syn.rowStart[pre];
    const to = syn.rowStart[pre + 1];
    const targets = syn.targets;
    const weights = syn.weights;
    const fast = fastOf[proj.target];
    if (fast !== null) windowed!.deliver(fast, base, targets, weights, from, to, t);
    else for (let e = from; e < to; e++) buffers.insert(base + targets[e], t, weights[e]);
    return to - from;
  };

  // a part's spike limit is checked on the count of all parts, at the exchange
  const maxSpikes = part === null ? options.maxSpikes ?? Infinity : Infinity;
  const emit = (i: number, t: number): void => {
    const pop = popOf[i];
    if (++spikesEmitted > maxSpikes) throw new SpikeLimitError(maxSpikes, pops[pop].name, t);
    if (part !== null) part.emitted(pop, i - offset[pop], t);
    else propagate(pop, i - offset[pop], t);
  };
  /** Records the spike of neuron `local` of population pop and sends it over the outgoing projections. */
  const propagate = (pop: number, local: number, t: number): void => {
    if (recordSpikes[pop] === 1) {
      const observed = observation === undefined ? t : observation.spikeTime(pop, local, t);
      if (observed === observed) spikes.add(pop, local, observed);
    }
    const outs = outgoing[pop];
    for (let o = 0; o < outs.length; o++) {
      const proj = outs[o];
      const arrival = t + proj.delayMs;
      if (!(arrival < durationMs)) continue;
      if (proj.delayMs > 0) deliveries.push(arrival, 0, local, outgoingIndex[pop][o]);
      else recurrentEvents += deliverRow(outgoingIndex[pop][o], local, t);
    }
  };

  // Hostile-input guard, the one place for it: after an input is applied, V and both currents of the
  // neuron must be finite (x - x is 0 for a finite sum, NaN when any term is NaN or infinite). A state that
  // overflowed would give NaN traces and no spikes, or stall the threshold search.
  const checkFinite = (i: number): void => {
    const x = s.vMv[i] + s.iExcNa[i] + s.iInhNa[i];
    if (x - x !== 0) {
      const pop = popOf[i];
      throw new NonFiniteStateError(pop, pops[pop].name, i - offset[pop], s.lastMs[i]);
    }
  };

  /** Runs neuron i over its n inputs (times ascending) up to `end`, firing where it crosses threshold. */
  const sweepInputs = (i: number, times: Float64Array, weights: Float64Array, n: number, end: number): void => {
    const isTraced = traced[i] === 1;
    let pos = 0;
    for (;;) {
      const hasInput = pos < n;
      const tIn = hasInput ? times[pos] : end;
      const tc = dyn.nextSpikeTime(s, k, i, tIn);
      if (tc < tIn || (hasInput && tc === tIn)) {
        if (isTraced) sampleBefore(i, tc);
        dyn.advanceTo(s, k, i, tc);
        dyn.fire(s, k, i);
        emit(i, tc);
        continue;
      }
      if (!hasInput) break;
      if (isTraced) sampleBefore(i, tIn);
      dyn.advanceTo(s, k, i, tIn);
      dyn.receive(s, k, i, weights[pos]);
      checkFinite(i);
      pos++;
    }
  };

  const sweep = (i: number, end: number): void => {
    sweepInputs(i, buffers.times[i], buffers.weights[i], buffers.length[i], end);
    buffers.clear(i);
  };

  /** A traced fast-path neuron the bound could not clear: its inputs of the window swept with sampling. */
  const sweepWindowedNeuron = (i: number, end: number): void => {
    const w = windowed!;
    const n = w.gatherInputs(i);
    sweepInputs(i, w.inputTimes, w.inputWeights, n, end);
    if (traced[i] === 1) sampleBefore(i, end);
    dyn.advanceTo(s, k, i, end);
  };

  const EPS = Number.EPSILON;
  const sweepWindowed = (p: number, start: number, end: number): void => {
    const w = windowed!;
    const f = fastOf[p]!;
    const kk = w.k;
    const { acc, head } = w;
    const { vMv, iExcNa, iInhNa, lastMs, refractoryUntilMs } = s;
    const { vThreshMv, vAsymptoteMv, vResetMv } = kk;
    // the window's factors in locals: the sweep below is a call, after which f's fields would be reloaded
    const { decayMemHalf, decayMem, kernelExcHalf, kernelExc, kernelInh, decayExc, decayInh, sameSyn, boundInh, risingExc } = f;
    const anyTraced = tracedPopulation[p] === 1;
    const sameVoltages = f.sameVoltages;
    const ratioTwo = f.ratioTwo;
    const scaleTwo = f.kernelScaleTwo;
    const thetaAll = vThreshMv[f.first];
    const cAll = vAsymptoteMv[f.first];
    const resetAll = vResetMv[f.first];
    let swept = 0;
    const last = f.first + f.size;
    for (let i = f.first; i < last; i++) {
      const ref = refractoryUntilMs[i];
      const v0 = vMv[i];
      const iE0 = iExcNa[i];
      const iI0 = iInhNa[i];
      const a4 = 4 * i;
      // the bulk formulas start from the state at `start`: a neuron whose state is older (a window that
      // began later than the last one ended) or that is traced takes the sweep
      let slow = (anyTraced && traced[i] === 1) || lastMs[i] !== start || (ref > start && ref < end) || (ref <= start && !risingExc);
      if (!slow && ref <= start) {
        // the O(1) bound of V over the window (windowedLif.ts), the free part bounded on each half-window
        const theta = sameVoltages ? thetaAll : vThreshMv[i];
        const c = sameVoltages ? cAll : vAsymptoteMv[i];
        const u = v0 - c;
        const uHalf = u * decayMemHalf;
        const uEnd = u * decayMem;
        let drive = sameSyn ? iE0 + iI0 : iE0;
        if (drive < 0) drive = 0;
        const first = (u > uHalf ? u : uHalf) + drive * kernelExcHalf;
        const second = (uHalf > uEnd ? uHalf : uEnd) + drive * kernelExc;
        let bound = c + (first > second ? first : second) + acc[a4 + ACC_V_EXC];
        if (!sameSyn && iI0 > 0) bound += iI0 * boundInh;
        slow = !(bound < theta - 32 * EPS * (Math.abs(theta) + Math.abs(bound) + Math.abs(c)));
        if (slow && ratioTwo) {
          // tau_syn = tau_m / 2: the free part's exact maximum (windowedLif.ts, quadraticPeak) is tighter;
          // the margin covers the rounding of its terms
          const g = iE0 + iI0;
          const gs = g * scaleTwo;
          const e = acc[a4 + ACC_V_EXC];
          bound = c + quadraticPeak(u, gs, decayMem, uEnd + g * kernelExc) + e;
          slow = !(bound < theta - 32 * EPS * (Math.abs(theta) + Math.abs(c) + Math.abs(u) + Math.abs(gs) + e));
        }
      }
      if (slow) {
        swept++;
        if (anyTraced && traced[i] === 1) sweepWindowedNeuron(i, end);
        else if (!w.sweepNeuron(f, s, i, end, emit)) checkFinite(i);
      } else if (ref >= end) {
        // held at v_reset for the whole window; the currents decay and take their inputs
        vMv[i] = sameVoltages ? resetAll : vResetMv[i];
        iExcNa[i] = iE0 * decayExc + acc[a4 + ACC_EXC];
        iInhNa[i] = iI0 * decayInh + acc[a4 + ACC_INH];
        lastMs[i] = end;
      } else {
        const c = sameVoltages ? cAll : vAsymptoteMv[i];
        vMv[i] = c + (v0 - c) * decayMem + (iE0 * kernelExc + iI0 * kernelInh) + (acc[a4 + ACC_V_EXC] + acc[a4 + ACC_V_INH]);
        iExcNa[i] = iE0 * decayExc + acc[a4 + ACC_EXC];
        iInhNa[i] = iI0 * decayInh + acc[a4 + ACC_INH];
        lastMs[i] = end;
      }
    }
    acc.fill(0, 4 * f.first, 4 * last);
    head.fill(-1, f.first, last);
    sweptNeuronWindows += swept;
    bulkNeuronWindows += f.size - swept;
  };

  const scheduleNeuron = (i: number, end: number): void => {
    version[i]++;
    const pos = buffers.position[i];
    const hasInput = pos < buffers.length[i];
    const tIn = hasInput ? buffers.times[i][pos] : end;
    const tc = dyn.nextSpikeTime(s, k, i, tIn);
    if (tc < tIn || (hasInput && tc === tIn)) groupQueue.push(tc, FIRE, i, version[i]);
    else if (hasInput) groupQueue.push(tIn, INPUT, i, version[i]);
  };

  const runEventDriven = (populations: readonly number[], group: number, end: number): void => {
    groupQueue.clear();
    for (const p of populations) for (let i = offset[p]; i < offset[p] + pops[p].size; i++) scheduleNeuron(i, end);
    while (groupQueue.size > 0) {
      groupQueue.pop();
      const t = groupQueue.lastTime;
      const i = groupQueue.lastA;
      if (groupQueue.lastB !== version[i]) continue; // superseded prediction
      if (traced[i] === 1) sampleBefore(i, t);
      dyn.advanceTo(s, k, i, t);
      if (groupQueue.lastKind === FIRE) {
        dyn.fire(s, k, i);
        emit(i, t);
        // zero-delay targets inside the group got an input now: re-predict them
        const pop = popOf[i];
        const outs = outgoing[pop];
        for (let o = 0; o < outs.length; o++) {
          const proj = outs[o];
          if (proj.delayMs > 0 || groupOfPop[proj.target] !== group) continue;
          const syn = proj.synapses;
          const local = i - offset[pop];
          for (let e = syn.rowStart[local]; e < syn.rowStart[local + 1]; e++) {
            scheduleNeuron(offset[proj.target] + syn.targets[e], end);
          }
        }
      } else {
        dyn.receive(s, k, i, buffers.weights[i][buffers.position[i]]);
        checkFinite(i);
        buffers.position[i]++;
      }
      scheduleNeuron(i, end);
    }
    for (const p of populations) for (let i = offset[p]; i < offset[p] + pops[p].size; i++) buffers.clear(i);
  };

  // Skipping quiet stretches: after a window in which nothing happened (no input, no spike), the run
  // jumps to the next time anything can happen: the next delivery, the next source spike arrival, or the
  // first time a neuron fires on its own (exact, from nextSpikeTime). Windows only order causality, so
  // where they start does not change the result; a run of 1e308 ms with nothing to do ends at once.
  const nextInputTime = (): number => {
    let next = deliveries.peekTime();
    for (let x = 0; x < external.length; x++) {
      const proj = projections[external[x]];
      const src = pops[proj.source];
      if (src.kind !== 'source') continue;
      const chunk = chunks[x];
      // the per-window lists keep their own cursors (sourceWindows.ts); the plain scan keeps sourcePointer
      if (chunk !== null) {
        next = Math.min(next, chunk.earliestUndelivered());
        continue;
      }
      const ptr = sourcePointer[x];
      for (let j = 0; j < src.size; j++) {
        if (ptr[j] < src.spikeTimesMs[j].length) next = Math.min(next, src.spikeTimesMs[j][ptr[j]] + proj.delayMs);
      }
    }
    return next;
  };
  const nextCrossingTime = (next: number): number => {
    const horizon = Math.min(next, durationMs);
    for (let i = 0; i < total && next > 0; i++) next = Math.min(next, dyn.nextSpikeTime(s, k, i, horizon));
    return next;
  };
  const nextActivity = (): number => nextCrossingTime(nextInputTime());

  const windowMs = schedule.windowMs;
  let windows = 0;
  let start = 0;
  let activity = -1;
  while (start < durationMs) {
    const now = part === null ? externalEvents + recurrentEvents + spikesEmitted : part.activity;
    if (now === activity) {
      // the last window was quiet
      const next = part === null ? nextActivity() : part.nextActivity(nextCrossingTime);
      if (next > start) {
        start = Math.min(next, durationMs);
        if (start >= durationMs) break;
      }
    }
    activity = now;
    const end = Math.min(start + windowMs, durationMs);
    if (!(end > start)) {
      // start + windowMs rounded back to start: time cannot advance (guard against a hang)
      const p = projections.findIndex((q) => pops[q.source].kind === 'lif' && q.delayMs === windowMs);
      throw new DelayResolutionError(p, windowMs, start);
    }
    windows++;
    windowed?.beginWindow(start, end);
    // Spike-source spikes arriving in [start, end).
    for (let x = 0; x < external.length; x++) {
      const projIdx = external[x];
      const proj = projections[projIdx];
      const src = pops[proj.source];
      if (src.kind !== 'source') continue;
      const d = proj.delayMs;
      const chunk = chunks[x];
      // the projection's rows, hoisted out of the per-spike loop (deliverRow, inlined)
      const synRowStart = proj.synapses.rowStart;
      const synTargets = proj.synapses.targets;
      const synWeights = proj.synapses.weights;
      const base = offset[proj.target];
      const fast = fastOf[proj.target];
      if (chunk !== null) {
        chunk.forWindow(start, end, windowMs, durationMs);
        const arrival = chunk.arrivalMs;
        const source = chunk.source;
        if (fast !== null) {
          externalEvents += windowed!.deliverArrivals(fast, base, synRowStart, synTargets, synWeights, arrival, source, chunk.from, chunk.to);
          continue;
        }
        for (let e = chunk.from; e < chunk.to; e++) {
          const j = source[e];
          const t = arrival[e];
          const from = synRowStart[j];
          const to = synRowStart[j + 1];
          for (let y = from; y < to; y++) buffers.insert(base + synTargets[y], t, synWeights[y]);
          externalEvents += to - from;
        }
      }
      if (chunk !== null) continue;
      const ptr = sourcePointer[x];
      for (let j = 0; j < src.size; j++) {
        const times = src.spikeTimesMs[j];
        let q = ptr[j];
        while (q < times.length && times[q] + d < end) {
          externalEvents += deliverRow(projIdx, j, times[q] + d);
          q++;
        }
        ptr[j] = q;
      }
    }
    // Recorded spike-source spikes emitted in [start, end).
    for (const x of recordedSources) {
      const src = pops[x.population];
      if (src.kind !== 'source') continue;
      for (let j = 0; j < src.size; j++) {
        const times = src.spikeTimesMs[j];
        let q = x.pointer[j];
        while (q < times.length && times[q] < end) spikes.add(x.population, j, times[q++]);
        x.pointer[j] = q;
      }
    }
    // Earlier LIF spikes arriving in [start, end).
    while (deliveries.peekTime() < end) {
      deliveries.pop();
      recurrentEvents += deliverRow(deliveries.lastB, deliveries.lastA, deliveries.lastTime);
    }
    for (let g = 0; g < schedule.groups.length; g++) {
      const group = schedule.groups[g];
      if (group.eventDriven) runEventDriven(group.populations, g, end);
      else {
        for (const p of group.populations) {
          if (fastOf[p] !== null) {
            sweepWindowed(p, start, end);
            continue;
          }
          const last = offset[p] + pops[p].size;
          for (let i = offset[p]; i < last; i++) sweep(i, end);
        }
      }
    }
    start = end;
    part?.exchange(end, externalEvents + recurrentEvents + spikesEmitted, nextInputTime, propagate);
    options.onProgress?.(end);
  }
  for (let i = 0; i < total; i++) if (traced[i] === 1) sampleBefore(i, durationMs);

  return {
    spikes: spikes.finish(),
    traces: traces.map(({ population, neuron, dtMs, vMv }) => ({ population, neuron, dtMs, vMv })),
    statistics: { spikesEmitted, externalEvents, recurrentEvents, windows, windowMs, bulkNeuronWindows, sweptNeuronWindows },
  };
}
