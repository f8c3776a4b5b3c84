import { SubstrateFitError } from '../../core/substrate/substrate.ts';
import { copyLifParamArrays, type LifParamArrays } from '../../core/lif/params.ts';
import type { CsrMatrix, LifPopulation, Network, Population, Projection } from '../../core/network/network.ts';
import { concatenatedLifParams } from '../../core/network/network.ts';
import { normalDraw } from '../../core/rng.ts';
import type { RealiseContext, SpikeTimeMap } from '../../core/substrate/substrate.ts';
import { drawChipWeightScale, drawEfficacyColumn, drawEfficacyRows, drawNeuronMismatch, type NeuronMismatch } from './chip.ts';
import { attachQuirks, type Bss2NeuronQuirks } from './dynamics.ts';
import { CIRCUITS_PER_LOGICAL_NEURON, INPUTS_PER_LOGICAL_NEURON, LOGICAL_NEURONS, NEURON_CIRCUITS } from './hardware.ts';
import { weightScaleOf } from './normalisation.ts';
import { defaultSynapticCurrentCap, usToModel, type Bss2Options } from './options.ts';
import { fpgaCycle, integerWeight, refractoryTick, refractoryTicks, roundToGrid } from './quantisation.ts';
import { attachTrialThresholds, type Bss2TrialThresholds } from './trials.ts';

/**
 * The placement of a network on the chip. Neurons: the LIF populations in network order onto logical
 * neuron slots 0..N-1 (slot = the engine's global LIF index). Synapses: the column is the target
 * neuron's slot; the rows of a target population are blocks, one per incoming projection in network
 * order, of as many rows as the projection's source population has neurons (row = block start +
 * presynaptic index). Rows past 255 are allowed (the chip shares rows through address matching; the
 * efficacies are i.i.d. per slot either way).
 */
export interface Placement {
  /** Slot of neuron 0 of each population (-1 for spike sources). */
  readonly offset: Int32Array;
  /** Number of LIF neurons (slots used). */
  readonly neurons: number;
  /** First row of each projection's block. */
  readonly rowStart: Int32Array;
  /** Rows used by each population (0 for spike sources). */
  readonly rows: Int32Array;
  /** Inputs (synapses) per slot. */
  readonly inputs: Int32Array;
}

/** The placement of `network` (see {@link Placement}). */
export function placeNetwork(network: Network): Placement {
  const pops = network.populations;
  const offset = new Int32Array(pops.length).fill(-1);
  let neurons = 0;
  pops.forEach((p, idx) => {
    if (p.kind === 'lif') {
      offset[idx] = neurons;
      neurons += p.size;
    }
  });
  const rows = new Int32Array(pops.length);
  const rowStart = new Int32Array(network.projections.length);
  const inputs = new Int32Array(neurons);
  network.projections.forEach((proj, q) => {
    rowStart[q] = rows[proj.target];
    rows[proj.target] += pops[proj.source].size;
    const base = offset[proj.target];
    const targets = proj.synapses.targets;
    for (let e = 0; e < targets.length; e++) inputs[base + targets[e]]++;
  });
  return { offset, neurons, rowStart, rows, inputs };
}

/** Throws a clear error when the network does not fit on one chip (options.checkSize). */
export function checkFits(network: Network, placement: Placement): void {
  const hint = 'set the substrate option checkSize: false to simulate it anyway';
  if (placement.neurons > LOGICAL_NEURONS) {
    throw new SubstrateFitError(
      `bss2: the network has ${placement.neurons} LIF neurons, more than the ${LOGICAL_NEURONS} logical neurons of one ` +
        `BrainScaleS-2 chip (${NEURON_CIRCUITS} neuron circuits, ${CIRCUITS_PER_LOGICAL_NEURON} per logical neuron); ${hint}`,
    );
  }
  network.populations.forEach((p, idx) => {
    if (p.kind !== 'lif') return;
    for (let n = 0; n < p.size; n++) {
      const count = placement.inputs[placement.offset[idx] + n];
      if (count > INPUTS_PER_LOGICAL_NEURON) {
        throw new SubstrateFitError(
          `bss2: neuron ${n} of population '${p.name}' has ${count} inputs, more than the ${INPUTS_PER_LOGICAL_NEURON} ` +
            `signed inputs of a logical neuron (${CIRCUITS_PER_LOGICAL_NEURON} circuits); ${hint}`,
        );
      }
    }
  });
}

/** The realised network's LIF parameters in engine order (see core/network). */
export const concatenatedParams = concatenatedLifParams;

/** Realised parameters of one LIF population whose first slot is `slot`. */
function realiseParams(
  p: LifPopulation,
  slot: number,
  o: Bss2Options,
  mismatch: NeuronMismatch,
  thresholdNoise: Float64Array,
): { params: LifParamArrays; initialVMv: Float64Array } {
  const params = copyLifParamArrays(p.params);
  const initialVMv = p.initialVMv.slice();
  const m = o.mismatch;
  const mis = o.mismatchScale;
  const n0 = o.noise;
  const noisy = o.noiseScale !== 0 && (n0.thresholdBatch !== 0 || n0.thresholdSample !== 0 || n0.membrane !== 0);
  const thresholdMoves = (mis !== 0 && (m.threshold !== 0 || m.thresholdOffset !== 0)) || noisy;
  const tick = refractoryTick(o);
  for (let n = 0; n < p.size; n++) {
    const j = slot + n;
    // voltage figures are fractions of the nominal distance threshold - leak (70 LSB in the TTFS set-ups)
    const span = p.params.vThreshMv[n] - p.params.vRestMv[n];
    if (thresholdMoves) params.vThreshMv[n] += span * (mismatch.thresholdShift[j] + thresholdNoise[j]);
    if (mis !== 0 && m.leak !== 0) {
      params.vRestMv[n] += span * mismatch.leakShift[j];
      initialVMv[n] += span * mismatch.leakShift[j];
    }
    if (mis !== 0 && m.reset !== 0) params.vResetMv[n] += span * mismatch.resetShift[j];
    if (mis !== 0 && m.tauMem !== 0) params.tauMemMs[n] *= mismatch.tauMemFactor[j];
    if (mis !== 0 && m.tauSynExc !== 0) params.tauSynExcMs[n] *= mismatch.tauSynExcFactor[j];
    if (mis !== 0 && m.tauSynInh !== 0) params.tauSynInhMs[n] *= mismatch.tauSynInhFactor[j];
    if (o.refractoryQuantisation) {
      // an integer count of ticks, with at least one tick of reset before the holdoff
      params.tauRefracMs[n] = refractoryTicks(p.params.tauRefracMs[n], tick, o.holdoffTicks + 1) * tick;
    }
  }
  return { params, initialVMv };
}

/** Realised synapses of projection `q`: quantised weights times chip scale, neuron gain and synapse efficacy. */
function realiseSynapses(
  proj: Projection,
  q: number,
  placement: Placement,
  o: Bss2Options,
  mismatch: NeuronMismatch,
  chipScale: number,
  efficacy: (column: number) => Float64Array | null,
  weightScale: Float64Array,
  rowEfficacy: { readonly exc: Float64Array; readonly inh: Float64Array } | null,
): CsrMatrix {
  const syn = proj.synapses;
  const weights = syn.weights.slice();
  const base = placement.offset[proj.target];
  const m = o.mismatch;
  const analog = o.mismatchScale !== 0 && (m.gain !== 0 || m.efficacy !== 0 || m.efficacyRow !== 0 || m.chipWeightScale !== 0);
  for (let j = 0; j < syn.rows; j++) {
    const row = placement.rowStart[q] + j;
    for (let e = syn.rowStart[j]; e < syn.rowStart[j + 1]; e++) {
      const column = base + syn.targets[e];
      const scale = weightScale[column];
      let w = o.weightQuantisation ? integerWeight(syn.weights[e], scale) / scale : syn.weights[e];
      if (analog && w !== 0) {
        // the sign picks the synapse row type, hence the input circuit (and its gain) on the neuron
        const gain = w > 0 ? mismatch.gainExc[column] : mismatch.gainInh[column];
        const eff = efficacy(column);
        const shared = rowEfficacy === null ? 1 : w > 0 ? rowEfficacy.exc[row] : rowEfficacy.inh[row];
        w *= chipScale * gain * (eff === null ? 1 : eff[row]) * shared;
      }
      weights[e] = w;
    }
  }
  return { rows: syn.rows, rowStart: syn.rowStart, targets: syn.targets, weights };
}

/**
 * The network as BrainScaleS-2 realises it (docs/substrates/bss2.md): mismatched and quantised neuron
 * parameters, quantised and mismatched weights, input spike times on the FPGA clock grid. Files the
 * neurons' quirks (reset relaxation, holdoff, current cap, faults) for the dynamics' `prepare` and, with
 * threshold noise, the data for redrawing it per trial (`trialNoise`, substrates/bss2/trials.ts).
 * Does not modify `network`.
 */
export function realiseBss2(network: Network, context: RealiseContext, o: Bss2Options): Network {
  const placement = placeNetwork(network);
  if (o.checkSize) checkFits(network, placement);
  const N = placement.neurons;
  const mismatch = drawNeuronMismatch(context, o, N);
  // threshold noise of this run (fraction of span): the batch part, held for every trial of the realisation,
  // and the per-sample parts of trial 0 (per-sample threshold noise, and the membrane offset eps, which acts
  // as a threshold offset -eps); `trialNoise` redraws the per-sample parts for each trial
  const batchNoise = normals(context, 'bss2/thresholdNoise', N, o.noiseScale * o.noise.thresholdBatch);
  const sampleNoise = normals(context, 'bss2/thresholdNoise/sample', N, o.noiseScale * o.noise.thresholdSample);
  const membraneNoise = normals(context, 'bss2/membraneNoise', N, o.noiseScale * o.noise.membrane);
  const thresholdNoise = batchNoise.map((b, j) => b + sampleNoise[j] - membraneNoise[j]);
  const chipScale = drawChipWeightScale(context, o);
  const weightScale = slotWeightScales(network, placement, o);

  const inputTimes = bss2InputTimes(o);
  const populations: Population[] = network.populations.map((p, idx) => {
    if (p.kind === 'source') {
      if (!o.quantiseInputTimes) return p;
      return { ...p, spikeTimesMs: p.spikeTimesMs.map((times, n) => times.map((t) => inputTimes.spikeTime(idx, n, t))) };
    }
    const { params, initialVMv } = realiseParams(p, placement.offset[idx], o, mismatch, thresholdNoise);
    return { ...p, params, initialVMv };
  });

  const columns = new Map<number, Float64Array>();
  const efficacyOn = o.mismatchScale !== 0 && o.mismatch.efficacy !== 0;
  const popOfSlot = new Int32Array(N);
  network.populations.forEach((p, idx) => {
    if (p.kind === 'lif') popOfSlot.fill(idx, placement.offset[idx], placement.offset[idx] + p.size);
  });
  const efficacy = (column: number): Float64Array | null => {
    if (!efficacyOn) return null;
    let col = columns.get(column);
    if (col === undefined) {
      col = drawEfficacyColumn(context, o, column, placement.rows[popOfSlot[column]]);
      columns.set(column, col);
    }
    return col;
  };
  let maxRows = 0;
  for (let idx = 0; idx < placement.rows.length; idx++) maxRows = Math.max(maxRows, placement.rows[idx]);
  const rowEfficacy =
    o.mismatchScale !== 0 && o.mismatch.efficacyRow !== 0
      ? { exc: drawEfficacyRows(context, o, 'exc', maxRows), inh: drawEfficacyRows(context, o, 'inh', maxRows) }
      : null;
  const projections = network.projections.map((proj, q) => ({
    ...proj,
    synapses: realiseSynapses(proj, q, placement, o, mismatch, chipScale, efficacy, weightScale, rowEfficacy),
  }));

  const realised: Network = { ...network, populations, projections };
  attachQuirks(realised, neuronQuirks(o, mismatch, weightScale));
  if (perSampleNoise(o)) attachTrialThresholds(realised, trialThresholds(network, populations, placement, mismatch, batchNoise));
  return realised;
}

/** `size` draws sigma N from trialStream(purpose), all 0 without drawing when sigma is 0. */
function normals(context: RealiseContext, purpose: string, size: number, sigma: number): Float64Array {
  const out = new Float64Array(size);
  if (sigma === 0) return out;
  const stream = context.trialStream(purpose);
  for (let j = 0; j < size; j++) out[j] = sigma * normalDraw(stream);
  return out;
}

/** Whether any noise is redrawn per sample (trial): per-sample threshold noise or membrane noise. */
export function perSampleNoise(o: Bss2Options): boolean {
  return o.noiseScale !== 0 && (o.noise.thresholdSample !== 0 || o.noise.membrane !== 0);
}

/**
 * When the FPGA plays back a source spike given at t (model units): rounded to the nearest 8 ns clock
 * cycle with `quantiseInputTimes`, else t. The same map `realise` applies to source populations; the
 * substrate's `inputTimes` hook hands it to engines that take input times per trial.
 */
export function bss2InputTimes(o: Bss2Options): SpikeTimeMap {
  if (!o.quantiseInputTimes) return { spikeTime: (_population, _neuron, t) => t };
  const cycle = fpgaCycle(o);
  return { spikeTime: (_population, _neuron, t) => roundToGrid(t, cycle) };
}

/** The data for redrawing the per-sample noise per trial (see Bss2TrialThresholds), in slot order. */
function trialThresholds(
  nominal: Network,
  realised: readonly Population[],
  placement: Placement,
  mismatch: NeuronMismatch,
  batchNoise: Float64Array,
): Bss2TrialThresholds {
  const size = placement.neurons;
  const th = {
    size,
    nominal: new Float64Array(size),
    span: new Float64Array(size),
    shift: new Float64Array(size),
    current: new Float64Array(size),
  };
  nominal.populations.forEach((p, idx) => {
    const r = realised[idx];
    if (p.kind !== 'lif' || r.kind !== 'lif') return;
    const slot = placement.offset[idx];
    for (let n = 0; n < p.size; n++) {
      const j = slot + n;
      th.nominal[j] = p.params.vThreshMv[n];
      th.span[j] = p.params.vThreshMv[n] - p.params.vRestMv[n];
      th.shift[j] = mismatch.thresholdShift[j] + batchNoise[j];
      th.current[j] = r.params.vThreshMv[n];
    }
  });
  return th;
}

/**
 * The weight scale (LSB per model weight unit) of every neuron slot: `weightScale` when given, else derived
 * from `fullScalePsp` and the slot's nominal parameters (substrates/bss2/normalisation.ts). The chip is
 * calibrated to nominal targets, so mismatch does not enter here.
 */
export function slotWeightScales(network: Network, placement: Placement, o: Bss2Options): Float64Array {
  const scales = new Float64Array(placement.neurons).fill(NaN);
  // needed for the 6-bit weights and the default current cap only (not at all with every effect off)
  if (!o.weightQuantisation && o.synapticCurrentCap !== undefined) return scales;
  network.populations.forEach((p, idx) => {
    if (p.kind !== 'lif') return;
    const slot = placement.offset[idx];
    const q = p.params;
    for (let n = 0; n < p.size; n++) {
      if (o.weightScale === null && !(q.vThreshMv[n] > q.vRestMv[n])) {
        // no threshold distance to normalise to: no default cap; 6-bit weights need an explicit scale
        if (o.weightQuantisation) {
          throw new Error(`bss2: neuron ${n} of population '${p.name}' has v_thresh <= v_rest, so fullScalePsp cannot set its weight scale; set weightScale`);
        }
        continue;
      }
      scales[slot + n] = weightScaleOf(o, {
        tauMemMs: q.tauMemMs[n],
        tauSynExcMs: q.tauSynExcMs[n],
        capacitanceNf: q.capacitanceNf[n],
        vRestMv: q.vRestMv[n],
        vThreshMv: q.vThreshMv[n],
      });
    }
  });
  return scales;
}

/**
 * The dynamics quirks of every neuron slot under options `o`; `weightScale` per slot sets the default
 * current cap (63 inputs at the slot's largest weight).
 */
export function neuronQuirks(o: Bss2Options, mismatch: NeuronMismatch, weightScale: Float64Array): Bss2NeuronQuirks {
  const size = mismatch.size;
  const tick = refractoryTick(o);
  // the default cap needs the slot's weight scale (NaN without a threshold distance: no cap)
  const cap = (j: number): number =>
    o.synapticCurrentCap === undefined
      ? weightScale[j] > 0
        ? defaultSynapticCurrentCap(weightScale[j])
        : Infinity
      : (o.synapticCurrentCap ?? Infinity);
  return {
    size,
    tauReset: new Float64Array(size).fill(usToModel(o, o.tauResetUs)),
    holdoff: new Float64Array(size).fill(o.holdoffTicks * tick),
    capExc: Float64Array.from({ length: size }, (_, j) => cap(j)),
    capInh: Float64Array.from({ length: size }, (_, j) => cap(j)),
    fault: mismatch.fault.slice(),
    spontaneousStart: new Float64Array(size).fill(tick),
    spontaneousMinPeriod: new Float64Array(size).fill(tick),
  };
}
