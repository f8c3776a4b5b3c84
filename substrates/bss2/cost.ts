import { PAPER_POWER_MW } from './hardware.ts';

/** Inputs of {@link bss2CostEstimate}. */
export interface Bss2CostOptions {
  /** Length of one inference (trial) in model time units, e.g. 8 (tau_syn) for the paper's MNIST runs. */
  readonly trialLength: number;
  /** Hardware time of one model unit (us). Default 6 (the bss2 default). */
  readonly hardwareTimePerUnitUs?: number;
  /** Power drawn while classifying (mW). Default 175 (the paper's set-up). */
  readonly powerMw?: number;
  /** Number of inferences. Default 1. */
  readonly inferences?: number;
}

/** Outcome of {@link bss2CostEstimate}. */
export interface Bss2CostEstimate {
  /** Hardware time for all inferences (us). */
  readonly hardwareTimeUs: number;
  /** Energy for all inferences at the stated power (uJ). */
  readonly energyUJ: number;
  /** What the figures assume, in words (for reports). */
  readonly assumptions: string[];
}

function positive(value: number, what: string): number {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`bss2CostEstimate: ${what} must be a finite number > 0 (got ${value})`);
  return value;
}

/**
 * Hardware time and energy of inferences on BrainScaleS-2, a pure estimate: time = trialLength x
 * hardwareTimePerUnitUs per inference (8 tau_syn x 6 us = 48 us for the paper's MNIST), energy = power x
 * time (175 mW x 48 us = 8.4 uJ per image, as reported by Göltz et al. 2021).
 */
export function bss2CostEstimate(options: Bss2CostOptions): Bss2CostEstimate {
  const trial = positive(options.trialLength, 'trialLength');
  const unitUs = positive(options.hardwareTimePerUnitUs ?? 6, 'hardwareTimePerUnitUs');
  const powerMw = positive(options.powerMw ?? PAPER_POWER_MW, 'powerMw');
  const inferences = options.inferences ?? 1;
  if (!(Number.isInteger(inferences) && inferences >= 0)) {
    throw new RangeError(`bss2CostEstimate: inferences must be an integer >= 0 (got ${inferences})`);
  }
  const hardwareTimeUs = trial * unitUs * inferences;
  // mW x us = nJ; / 1000 gives uJ
  const energyUJ = (powerMw * hardwareTimeUs) / 1000;
  return {
    hardwareTimeUs,
    energyUJ,
    assumptions: [
      `one inference takes the trial length ${trial} model units x ${unitUs} us per unit = ${trial * unitUs} us of chip time`,
      'back-to-back inferences: no time for configuration, reset between samples, host communication or read-out',
      `constant power of ${powerMw} mW while classifying${options.powerMw === undefined ? " (the paper's set-up, Göltz et al. 2021)" : ''}`,
    ],
  };
}
