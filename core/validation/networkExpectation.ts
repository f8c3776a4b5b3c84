/**
 * Closed-form first spikes of every LIF neuron of a feed-forward network (docs/design.md section 1): the
 * neurons are taken in a topological order of their synapses, and each one's inputs are the spike-source
 * spikes and the first spikes of the LIF neurons before it, each shifted by its projection's delay.
 */
import { closedFormRatio } from '../closedForm/firstSpikeTime.ts';
import { lifParamsAt, type LifParams } from '../lif/params.ts';
import type { LifPopulation, Network } from '../network/network.ts';
import { expectNeuron, type NeuronExpectation } from './neuronExpectation.ts';

/** A network the closed forms do not cover; the message names the population, neuron and reason. */
export class ClosedFormScopeError extends Error {}

/** Per LIF neuron of a network, what the closed forms predict. */
export interface NetworkExpectation {
  /** Indices of the LIF populations, in network order. */
  readonly lifPopulations: readonly number[];
  /** Per network population index: the predictions for its neurons (empty for spike sources). */
  readonly neurons: readonly (readonly NeuronExpectation[])[];
  /** Per network population index, per neuron: why its comparison is set aside, or null. */
  readonly nearTie: readonly (readonly (NearTieKind | null)[])[];
}

/**
 * Why a neuron's comparison is unreliable and set aside:
 * - `margin`: the maximum of V before or at the crossing (overall, without a crossing) is within the
 *   near-tie margin of v_thresh, so rounding decides whether and when it fires;
 * - `flat`: it fires, but so flatly that one rounding step of V at threshold moves the crossing by more
 *   than the near-tie resolution (NeuronExpectation.resolutionMs);
 * - `upstream`: a presynaptic LIF neuron is a near-tie of any kind, or the resolutions of the LIF
 *   neurons upstream, carried through the spike-time sensitivities, make this neuron's time uncertain by
 *   more than the near-tie resolution or its threshold margin smaller than the V they can move
 *   (NeuronExpectation.uncertaintyMs, voltageUncertaintyMv).
 */
export type NearTieKind = 'margin' | 'flat' | 'upstream';

/** When a neuron counts as a near-tie. */
export interface NearTieOptions {
  /** Tie margin below which a neuron is a `margin` near-tie (mV). */
  readonly marginMv: number;
  /** Resolution above which a firing neuron is a `flat` near-tie (ms). */
  readonly resolutionMs: number;
}

/** The near-tie kind of a neuron from its own prediction (not counting upstream). */
export function ownNearTie(e: NeuronExpectation, options: NearTieOptions): NearTieKind | null {
  if (e.tieMarginMv < options.marginMv) return 'margin';
  if (e.timeMs !== null && e.resolutionMs > options.resolutionMs) return 'flat';
  if (e.tieMarginMv < options.marginMv + e.voltageUncertaintyMv) return 'upstream';
  if (e.timeMs !== null && e.uncertaintyMs > options.resolutionMs) return 'upstream';
  return null;
}

function neuronName(network: Network, population: number, index: number): string {
  return `${network.populations[population].name}[${index}]`;
}

/** Why neuron `index` of `pop` is outside the closed forms' scope, or null. */
function scopeProblem(pop: LifPopulation, index: number, params: LifParams): string | null {
  const { tauMemMs, tauSynExcMs, tauSynInhMs, iOffsetNa, vRestMv, vThreshMv } = params;
  if (tauSynExcMs !== tauSynInhMs) {
    return `tau_syn_E (${tauSynExcMs} ms) differs from tau_syn_I (${tauSynInhMs} ms); the closed forms need one synaptic time constant`;
  }
  const ratio = tauMemMs / tauSynExcMs;
  if (Math.abs(ratio - 1) > 1e-12 && Math.abs(ratio - 2) > 2e-12) {
    return `tau_m / tau_syn = ${ratio} (tau_m ${tauMemMs} ms, tau_syn ${tauSynExcMs} ms); the closed forms need 1 or 2`;
  }
  if (iOffsetNa !== 0) return `i_offset is ${iOffsetNa} nA; the closed forms need 0`;
  if (!(vThreshMv > vRestMv)) return `v_thresh (${vThreshMv} mV) must be above v_rest (${vRestMv} mV)`;
  if (pop.initialVMv[index] !== vRestMv) {
    return `initial V (${pop.initialVMv[index]} mV) differs from v_rest (${vRestMv} mV); the closed forms start at rest`;
  }
  if (closedFormRatio(params) === null) return 'parameters outside the closed forms (core/closedForm/firstSpikeTime.ts)';
  return null;
}

/**
 * Checks that the closed forms give every LIF neuron's first spike in this network and run length:
 * each LIF neuron has tau_m / tau_syn = 1 or 2 with tau_syn_E = tau_syn_I, no offset current and starts
 * at rest; the synapses between LIF neurons form no cycle (neuron-level, so a chain inside one
 * population is fine, any delays); and no LIF neuron with LIF targets can fire a second time that reaches
 * them within the run (tau_refrac + delay >= duration), since only first spikes are predicted.
 *
 * @returns a topological order of the global LIF neuron indices (populations in network order)
 * @throws ClosedFormScopeError naming the first problem
 */
export function checkClosedFormScope(network: Network, durationMs: number): Int32Array {
  const pops = network.populations;
  const offset = new Int32Array(pops.length).fill(-1);
  let total = 0;
  pops.forEach((p, idx) => {
    if (p.kind === 'lif') {
      offset[idx] = total;
      total += p.size;
    }
  });
  if (total === 0) throw new ClosedFormScopeError('the network has no IF_curr_exp population to validate');
  for (let idx = 0; idx < pops.length; idx++) {
    const p = pops[idx];
    if (p.kind !== 'lif') continue;
    for (let i = 0; i < p.size; i++) {
      const problem = scopeProblem(p, i, lifParamsAt(p.params, i));
      if (problem !== null) throw new ClosedFormScopeError(`neuron ${neuronName(network, idx, i)}: ${problem}`);
    }
  }

  // Neuron-level graph of LIF -> LIF synapses; Kahn's algorithm, whatever is left lies on or behind a cycle.
  const inDegree = new Int32Array(total);
  const successors = successorLists(network, offset, total);
  for (const list of successors) for (const s of list) inDegree[s]++;
  const order = new Int32Array(total);
  let head = 0;
  let tail = 0;
  for (let g = 0; g < total; g++) if (inDegree[g] === 0) order[tail++] = g;
  while (head < tail) {
    const g = order[head++];
    for (const s of successors[g]) if (--inDegree[s] === 0) order[tail++] = s;
  }
  if (tail < total) throw new ClosedFormScopeError(describeCycle(network, offset, successors, inDegree));

  // Only first spikes are predicted: no LIF neuron may fire again and reach a LIF target within the run.
  for (const proj of network.projections) {
    const src = pops[proj.source];
    if (src.kind !== 'lif') continue;
    const syn = proj.synapses;
    for (let pre = 0; pre < syn.rows; pre++) {
      if (syn.rowStart[pre] === syn.rowStart[pre + 1]) continue;
      const refrac = src.params.tauRefracMs[pre];
      if (refrac + proj.delayMs < durationMs) {
        throw new ClosedFormScopeError(
          `projection '${proj.name}': neuron ${neuronName(network, proj.source, pre)} may fire again after ` +
            `tau_refrac = ${refrac} ms and reach its targets ${proj.delayMs} ms later, within the ${durationMs} ms run; ` +
            `the closed forms give first spikes only (use tau_refrac >= ${durationMs - proj.delayMs} ms)`,
        );
      }
    }
  }
  return order;
}

/** Per global LIF neuron, its LIF successors (global indices, with repetitions for parallel synapses). */
function successorLists(network: Network, offset: Int32Array, total: number): number[][] {
  const out: number[][] = Array.from({ length: total }, () => []);
  for (const proj of network.projections) {
    if (network.populations[proj.source].kind !== 'lif') continue;
    const syn = proj.synapses;
    for (let pre = 0; pre < syn.rows; pre++) {
      for (let e = syn.rowStart[pre]; e < syn.rowStart[pre + 1]; e++) {
        out[offset[proj.source] + pre].push(offset[proj.target] + syn.targets[e]);
      }
    }
  }
  return out;
}

/** Finds one cycle among the neurons Kahn's algorithm could not order and describes it. */
function describeCycle(network: Network, offset: Int32Array, successors: number[][], inDegree: Int32Array): string {
  const pops = network.populations;
  const name = (g: number): string => {
    let p = 0;
    for (let idx = 0; idx < pops.length; idx++) if (offset[idx] >= 0 && offset[idx] <= g) p = idx;
    return neuronName(network, p, g - offset[p]);
  };
  // Every unordered neuron with inDegree > 0 has an unordered predecessor; walk successors among them.
  const start = inDegree.findIndex((d) => d > 0);
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let g = start;
  while (!seenAt.has(g)) {
    seenAt.set(g, path.length);
    path.push(g);
    const next = successors[g].find((s) => inDegree[s] > 0);
    if (next === undefined) break; // cannot happen: a left-over neuron always feeds another one
    g = next;
  }
  const cycle = path.slice(seenAt.get(g) ?? 0).concat([g]);
  const popNames = new Set(cycle.map((x) => name(x).replace(/\[\d+\]$/, '')));
  return (
    `the network is recurrent: synapses form the cycle ${cycle.map(name).join(' -> ')} ` +
    `(populations ${[...popNames].join(', ')}); the closed forms need a feed-forward network`
  );
}

/**
 * Closed-form predictions for every LIF neuron of a feed-forward network run for `durationMs`
 * (inputs arriving at or after the end are dropped, as in the engine), with near-tie propagation:
 * a near-tie makes every LIF neuron downstream of it an `upstream` near-tie.
 *
 * @throws ClosedFormScopeError when the network is outside the closed forms' scope (checkClosedFormScope)
 */
export function expectNetwork(network: Network, durationMs: number, nearTie: NearTieOptions): NetworkExpectation {
  const order = checkClosedFormScope(network, durationMs);
  const pops = network.populations;
  const offset = new Int32Array(pops.length).fill(-1);
  const lifPopulations: number[] = [];
  let total = 0;
  pops.forEach((p, idx) => {
    if (p.kind === 'lif') {
      offset[idx] = total;
      total += p.size;
      lifPopulations.push(idx);
    }
  });
  const popOf = new Int32Array(total);
  for (const idx of lifPopulations) popOf.fill(idx, offset[idx], offset[idx] + pops[idx].size);

  const inTimes: number[][] = Array.from({ length: total }, () => []);
  const inWeights: number[][] = Array.from({ length: total }, () => []);
  const inSigma: number[][] = Array.from({ length: total }, () => []);
  const kinds: (NearTieKind | null)[] = new Array<NearTieKind | null>(total).fill(null);
  const lifOut: { proj: number; g: number }[][] = Array.from({ length: total }, () => []);
  network.projections.forEach((proj, projIdx) => {
    const src = pops[proj.source];
    const syn = proj.synapses;
    const base = offset[proj.target];
    if (src.kind === 'source') {
      for (let pre = 0; pre < syn.rows; pre++) {
        const times = src.spikeTimesMs[pre];
        for (let e = syn.rowStart[pre]; e < syn.rowStart[pre + 1]; e++) {
          const g = base + syn.targets[e];
          for (let q = 0; q < times.length; q++) {
            const arrival = times[q] + proj.delayMs;
            if (arrival < durationMs) {
              inTimes[g].push(arrival);
              inWeights[g].push(syn.weights[e]);
              inSigma[g].push(0);
            }
          }
        }
      }
    } else {
      for (let pre = 0; pre < syn.rows; pre++) lifOut[offset[proj.source] + pre].push({ proj: projIdx, g: pre });
    }
  });

  const result: NeuronExpectation[] = new Array<NeuronExpectation>(total);
  for (let k = 0; k < total; k++) {
    const g = order[k];
    const pop = pops[popOf[g]] as LifPopulation;
    const params = lifParamsAt(pop.params, g - offset[popOf[g]]);
    const expectation = expectNeuron(params, inTimes[g], inWeights[g], durationMs, inSigma[g]);
    result[g] = expectation;
    kinds[g] = ownNearTie(expectation, nearTie) ?? kinds[g];
    const taints = kinds[g] !== null;
    for (const { proj: projIdx, g: pre } of lifOut[g]) {
      const proj = network.projections[projIdx];
      const syn = proj.synapses;
      const base = offset[proj.target];
      const arrival = expectation.timeMs === null ? Infinity : expectation.timeMs + proj.delayMs;
      for (let e = syn.rowStart[pre]; e < syn.rowStart[pre + 1]; e++) {
        const target = base + syn.targets[e];
        if (taints) kinds[target] = 'upstream';
        if (arrival < durationMs) {
          inTimes[target].push(arrival);
          inWeights[target].push(syn.weights[e]);
          inSigma[target].push(expectation.uncertaintyMs);
        }
      }
    }
  }
  return {
    lifPopulations,
    neurons: pops.map((p, idx) => (p.kind === 'lif' ? result.slice(offset[idx], offset[idx] + p.size) : [])),
    nearTie: pops.map((p, idx) => (p.kind === 'lif' ? kinds.slice(offset[idx], offset[idx] + p.size) : [])),
  };
}
