import { PAPER_POWER_MW } from './hardware.ts';

/**
 * What a run would cost on BrainScaleS-2: chip time, energy range, spikes and synaptic events per
 * inference, computed from the activity of the run. Figures and their sources: docs/substrates/bss2.md,
 * "Cost estimate". Every figure that could not be checked against its source is marked UNVERIFIED in
 * `notes` (which reports print).
 */

/** Fixed pattern spacing of the paper's inference run: 8 tau_syn (fastAndDeep v1.0.0, `single_simtime = 8`). */
export const PAPER_SLOT_UNITS = 8;

/** Offset before the first pattern of a chip run (us): fastAndDeep v1.0.0 starts its spike trains 100 us in. */
export const RUN_OFFSET_US = 100;


/** Power bound (mW): "consume less than 200 mW" (Cramer et al. 2022, PNAS, abstract; another network on the same chip). */
export const CRAMER_POWER_BOUND_MW = 200;

/** Time after the last output spike before the next pattern (tau_syn), when the spacing follows the run. ASSUMPTION. */
export const DEFAULT_MARGIN_UNITS = 2;

/** What a run did, summed over its inferences (the learning plugin's `runActivity` collects it). */
export interface Bss2RunActivity {
  /** Number of inferences (samples). */
  readonly inferences: number;
  /** Input spikes that reached the network (inputs and bias spikes), summed over inferences. */
  readonly inputSpikes: number;
  /** Spikes of the network's neurons, summed over inferences. */
  readonly neuronSpikes: number;
  /** Synaptic events: per spike, the synapses it drives (realised weight not 0), summed over inferences. */
  readonly synapticEvents: number;
  /** Per inference: the time of its last recorded output spike (model units), Infinity without one. */
  readonly lastOutputSpike: ArrayLike<number>;
}

/** Options of {@link bss2CostEstimate}; all optional. */
export interface Bss2CostOptions {
  /** Hardware time of one model unit (us). Default 6. */
  readonly hardwareTimePerUnitUs?: number;
  /**
   * Spacing of the patterns (model units): a fixed slot, e.g. 8 (the paper's inference run); null (default)
   * = from the run, each inference's last output spike plus `marginUnits`.
   */
  readonly slotUnits?: number | null;
  /** Time after the last output spike (model units) when the spacing follows the run. Default 2 (ASSUMPTION). */
  readonly marginUnits?: number;
  /** Time an inference without an output spike takes when the spacing follows the run (model units). Default 8 (the paper's slot). */
  readonly silentUnits?: number;
  /** Inferences per chip run (each run pays RUN_OFFSET_US once). Default: all of them in one run, as the paper's 10,000 test images. */
  readonly batchSize?: number;
  /** Offset per chip run (us). Default 100 (fastAndDeep). */
  readonly runOffsetUs?: number;
  /** Power range while classifying (mW). Default [175, 200]. */
  readonly powerMw?: readonly [number, number];
}

/** Outcome of {@link bss2CostEstimate}: per inference, except where noted. */
export interface Bss2CostEstimate {
  /** Chip time per inference (us), run offsets included. */
  readonly timeUs: number;
  /** Of it: the pattern spacing (us), mean over inferences. */
  readonly spacingUs: number;
  /** Of it: the run offsets spread over the inferences (us). */
  readonly offsetUs: number;
  /** Energy per inference at the low and the high power (uJ). */
  readonly energyUJ: readonly [number, number];
  readonly inputSpikes: number;
  readonly neuronSpikes: number;
  readonly synapticEvents: number;
  /** Chip runs needed. */
  readonly runs: number;
  /** What the figures rest on, one line each; UNVERIFIED and ASSUMPTION mark what has no checked source. */
  readonly notes: string[];
}

function check(value: number, what: string, { integer = false, positive = true } = {}): number {
  const ok = Number.isFinite(value) && (positive ? value > 0 : value >= 0) && (!integer || Number.isInteger(value));
  if (!ok) throw new RangeError(`bss2CostEstimate: ${what} must be a finite ${integer ? 'integer' : 'number'} ${positive ? '> 0' : '>= 0'} (got ${value})`);
  return value;
}

/**
 * The chip cost of a run from its activity. Time per inference = pattern spacing (a fixed slot, or each
 * inference's last output spike + margin) x hardwareTimePerUnitUs, plus the run offset (100 us per chip
 * run) spread over the run's inferences. Energy = time x power, for the low and the high power. Counts are
 * per inference. Example: 1000 inferences in one run, each with its last output spike at 2 tau_syn,
 * margin 2, 6 us per unit: 24 us + 100/1000 us = 24.1 us, 4.22 - 4.82 uJ at 175 - 200 mW.
 */
export function bss2CostEstimate(activity: Bss2RunActivity, options: Bss2CostOptions = {}): Bss2CostEstimate {
  const n = check(activity.inferences, 'inferences', { integer: true });
  if (activity.lastOutputSpike.length !== n) {
    throw new RangeError(`bss2CostEstimate: ${activity.lastOutputSpike.length} last output spikes for ${n} inferences`);
  }
  const unitUs = check(options.hardwareTimePerUnitUs ?? 6, 'hardwareTimePerUnitUs');
  const slot = options.slotUnits ?? null;
  if (slot !== null) check(slot, 'slotUnits');
  const margin = check(options.marginUnits ?? DEFAULT_MARGIN_UNITS, 'marginUnits', { positive: false });
  const silent = check(options.silentUnits ?? PAPER_SLOT_UNITS, 'silentUnits');
  const batch = check(options.batchSize ?? n, 'batchSize', { integer: true });
  const runOffsetUs = check(options.runOffsetUs ?? RUN_OFFSET_US, 'runOffsetUs', { positive: false });
  const [pLow, pHigh] = options.powerMw ?? [PAPER_POWER_MW, CRAMER_POWER_BOUND_MW];
  check(pLow, 'powerMw[0]');
  check(pHigh, 'powerMw[1]');
  if (pLow > pHigh) throw new RangeError(`bss2CostEstimate: powerMw must be [low, high] (got [${pLow}, ${pHigh}])`);

  let spacingUnits = 0;
  let silentCount = 0;
  for (let i = 0; i < n; i++) {
    const last = activity.lastOutputSpike[i];
    if (slot !== null) spacingUnits += slot;
    else if (last < Infinity) spacingUnits += Math.max(0, last) + margin;
    else {
      spacingUnits += silent;
      silentCount++;
    }
  }
  const runs = Math.ceil(n / batch);
  const spacingUs = (spacingUnits * unitUs) / n;
  const offsetUs = (runs * runOffsetUs) / n;
  const timeUs = spacingUs + offsetUs;
  // mW x us = nJ; / 1000 gives uJ
  const energyUJ: [number, number] = [(pLow * timeUs) / 1000, (pHigh * timeUs) / 1000];
  const defaultPower = options.powerMw === undefined;
  const notes = [
    slot !== null
      ? `pattern spacing: a fixed slot of ${slot} tau_syn x ${unitUs} us${slot === PAPER_SLOT_UNITS ? " (the paper's inference run: 8 tau, fastAndDeep code)" : ''}`
      : `pattern spacing from the run: each inference's last output spike + ${margin} tau_syn margin (margin: ASSUMPTION), x ${unitUs} us; ` +
        `${silentCount} inference(s) without an output spike count ${silent} tau_syn`,
    `${runOffsetUs} us offset per chip run (fastAndDeep code), ${runs} run(s) of at most ${batch} inferences`,
    defaultPower
      ? `power ${pLow}-${pHigh} mW: ${pLow} mW as recalled for the paper's set-up (Göltz et al. 2021; UNVERIFIED against the paper's text), ` +
        `${pHigh} mW the bound "less than 200 mW" (Cramer et al. 2022, abstract; another network on the same chip)`
      : `power ${pLow}-${pHigh} mW (given)`,
    'not included: configuration, calibration, host communication and read-out outside the chip run (no figures found)',
  ];
  return {
    timeUs,
    spacingUs,
    offsetUs,
    energyUJ,
    inputSpikes: activity.inputSpikes / n,
    neuronSpikes: activity.neuronSpikes / n,
    synapticEvents: activity.synapticEvents / n,
    runs,
    notes,
  };
}
